"""A kommune's own settings, owned by the directory and copied to every service with ``TenantChanged``.

The acceptance matrix for risks is not among them: risk owns it (``GET /api/v1/risk/matrix``).

Reading settings is tolerant: a key this version does not know is left out, whether a retired one
(``risk_acceptance`` in settings stored or published before the matrix moved) or one a newer directory added
(an additive change of ``TenantChanged`` keeps its version, so an older consumer must read it, not dead-letter it).
What an administrator sends is checked strictly by the directory's own input models.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from varde_common.inputs import InputText, WholeNumber
from varde_common.language import Text
from varde_common.roles import Role
from varde_common.validation import FieldRuleError

KEY_PATTERN = r"^[a-z][a-z0-9_]{1,39}$"


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

    def unit_type(self, key: str) -> UnitTypeDefinition | None:
        return next((t for t in self.unit_types if t.key == key), None)
