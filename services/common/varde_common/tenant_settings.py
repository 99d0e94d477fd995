"""A kommune's own settings, owned by the directory and copied to every service with ``TenantChanged``.

The acceptance matrix for risks is not among them: risk owns it (``GET /api/v1/risk/matrix``).

Reading settings is tolerant: a key this version does not know is left out, whether a retired one
(``risk_acceptance`` in settings stored or published before the matrix moved) or one a newer directory added
(an additive change of ``TenantChanged`` keeps its version, so an older consumer must read it, not dead-letter it).
What an administrator sends is checked strictly by the directory's own input models.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from varde_common.inputs import InputText, WholeNumber
from varde_common.language import DEFAULT_LANGUAGE, Language, Text
from varde_common.roles import Role
from varde_common.validation import FieldRuleError

KEY_PATTERN = r"^[a-z][a-z0-9_]{1,39}$"
COLOUR_PATTERN = r"^#[0-9a-f]{6}$"
DEFAULT_COLOUR = "#0b5a8a"
# The kommune's colour is text on white in the header (and white on it in buttons): WCAG 2.1 AA's 4.5:1 for text.
LEAST_CONTRAST = 4.5


class UnitTypeDefinition(BaseModel):
    """A level of the organisation tree (kommunalsjefsområde, virksomhet, …): types are data, not code."""

    model_config = ConfigDict(extra="ignore")

    key: str = Field(pattern=KEY_PATTERN, title="Nøkkel", description="Små bokstaver, tall og _")
    name: str = Field(min_length=1, max_length=80, title="Navn")
    leader_role: Role = Field(title="Lederrolle", description="Rollen lederen av en enhet av denne typen får")


def default_unit_types() -> list[UnitTypeDefinition]:
    return [
        UnitTypeDefinition(key="kommune", name="Kommune", leader_role=Role.KOMMUNEDIREKTOR),
        UnitTypeDefinition(key="kommunalsjefsomrade", name="Kommunalsjefsområde", leader_role=Role.KOMMUNALSJEF),
        UnitTypeDefinition(key="virksomhet", name="Virksomhet", leader_role=Role.VIRKSOMHETSLEDER),
        UnitTypeDefinition(key="tjeneste", name="Tjeneste", leader_role=Role.TJENESTELEDER),
        UnitTypeDefinition(key="avdeling", name="Avdeling", leader_role=Role.AVDELINGSLEDER),
    ]


def _unique_keys(value: list[UnitTypeDefinition]) -> list[UnitTypeDefinition]:
    keys = [t.key for t in value]
    if len(keys) != len(set(keys)):
        raise FieldRuleError(
            Text(nb="Hver enhetstype må ha sin egen nøkkel.", nn="Kvar einingstype må ha sin eigen nøkkel.")
        )
    return value


AcknowledgeDeadlineHours = Annotated[int, Field(ge=1, le=24 * 30)]
AcknowledgeDeadlineHoursInput = Annotated[WholeNumber, Field(ge=1, le=24 * 30)]
UnitTypes = Annotated[list[UnitTypeDefinition], Field(min_length=1), AfterValidator(_unique_keys)]


class UnitTypeDefinitionInput(UnitTypeDefinition):
    """A unit type as an administrator sends it: a key the form does not have is refused, not ignored."""

    model_config = ConfigDict(extra="forbid")

    key: InputText = Field(pattern=KEY_PATTERN, title="Nøkkel", description="Små bokstaver, tall og _")
    name: InputText = Field(min_length=1, max_length=80, title="Navn")


def contrast_with_white(colour: str) -> float:
    """WCAG 2.1's contrast ratio between ``#rrggbb`` and white."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return 1.05 / (luminance + 0.05)


def _readable_colour(value: str) -> str:
    colour = value.lower()
    if not re.fullmatch(COLOUR_PATTERN, colour):
        raise FieldRuleError(
            Text(
                nb="Skriv fargen som # og seks sifre eller bokstaver a–f, for eksempel #0b5a8a.",
                nn="Skriv fargen som # og seks siffer eller bokstavar a–f, til dømes #0b5a8a.",
            )
        )
    if contrast_with_white(colour) < LEAST_CONTRAST:
        raise FieldRuleError(
            Text(
                nb="Fargen er for lys: tekst i den må kunne leses på hvit bakgrunn (kontrast minst 4,5:1). "
                "Velg en mørkere farge.",
                nn="Fargen er for lys: tekst i han må kunne lesast på kvit bakgrunn (kontrast minst 4,5:1). "
                "Vel ein mørkare farge.",
            )
        )
    return colour


ColourInput = Annotated[InputText, AfterValidator(_readable_colour)]
UnitTypesInput = Annotated[list[UnitTypeDefinitionInput], Field(min_length=1), AfterValidator(_unique_keys)]


class TenantSettings(BaseModel):
    model_config = ConfigDict(extra="ignore")

    acknowledge_deadline_hours: AcknowledgeDeadlineHours = Field(
        default=72,
        title="Frist for å ta avvik til behandling (timer)",
        description="Frist for å ta et avvik til behandling, i timer",
    )
    anonymous_reporting: bool = Field(
        default=False, title="Anonym melding", description="Om ansatte kan melde avvik anonymt"
    )
    unit_types: UnitTypes = Field(
        default_factory=default_unit_types, title="Enhetstyper", description="Nivåene i organisasjonstreet"
    )
    malform: Language = Field(
        default=DEFAULT_LANGUAGE,
        title="Kommunens målform",
        description="Målformen sidene har for den som ikke har valgt selv: nb (bokmål) eller nn (nynorsk)",
    )
    colour: str = Field(
        default=DEFAULT_COLOUR,
        pattern=COLOUR_PATTERN,
        title="Kommunens farge",
        description="Fargen i toppen av sidene, #rrggbb, med kontrast minst 4,5:1 mot hvit",
    )

    def unit_type(self, key: str) -> UnitTypeDefinition | None:
        return next((t for t in self.unit_types if t.key == key), None)
