"""A kommune's own settings, owned by the directory and copied to every service with ``TenantChanged``."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from varde_common.roles import Role

AcceptanceColour = Literal["green", "yellow", "red"]


def default_risk_acceptance() -> list[list[AcceptanceColour]]:
    """Rows are probability 1–5, columns consequence 1–5; the usual diagonal bands."""

    def colour(probability: int, consequence: int) -> AcceptanceColour:
        score = probability * consequence
        return "green" if score <= 4 else "yellow" if score <= 9 else "red"

    return [[colour(p, c) for c in range(1, 6)] for p in range(1, 6)]


class UnitTypeDefinition(BaseModel):
    """A level of the organisation tree (kommunalsjefsområde, virksomhet, …): types are data, not code."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(pattern=r"^[a-z][a-z0-9_]{1,39}$")
    name: str = Field(min_length=1, max_length=80)
    leader_role: Role


def default_unit_types() -> list[UnitTypeDefinition]:
    return [
        UnitTypeDefinition(key="kommune", name="Kommune", leader_role=Role.KOMMUNEDIREKTOR),
        UnitTypeDefinition(key="kommunalsjefsomrade", name="Kommunalsjefsområde", leader_role=Role.KOMMUNALSJEF),
        UnitTypeDefinition(key="virksomhet", name="Virksomhet", leader_role=Role.VIRKSOMHETSLEDER),
        UnitTypeDefinition(key="tjeneste", name="Tjeneste", leader_role=Role.TJENESTELEDER),
        UnitTypeDefinition(key="avdeling", name="Avdeling", leader_role=Role.AVDELINGSLEDER),
    ]


class TenantSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    acknowledge_deadline_hours: int = Field(
        default=72, ge=1, le=24 * 30, description="Frist for å ta et avvik til behandling, i timer"
    )
    anonymous_reporting: bool = Field(default=False, description="Om ansatte kan melde avvik anonymt")
    risk_acceptance: list[list[AcceptanceColour]] = Field(
        default_factory=default_risk_acceptance,
        description="Akseptkriterier: rad = sannsynlighet 1–5, kolonne = konsekvens 1–5",
    )
    unit_types: list[UnitTypeDefinition] = Field(default_factory=default_unit_types, min_length=1)

    @field_validator("risk_acceptance")
    @classmethod
    def five_by_five(cls, value: list[list[AcceptanceColour]]) -> list[list[AcceptanceColour]]:
        if len(value) != 5 or any(len(row) != 5 for row in value):
            raise ValueError("risikomatrisen må ha 5 × 5 celler")
        return value

    @field_validator("unit_types")
    @classmethod
    def unique_keys(cls, value: list[UnitTypeDefinition]) -> list[UnitTypeDefinition]:
        keys = [t.key for t in value]
        if len(keys) != len(set(keys)):
            raise ValueError("hver enhetstype må ha en unik nøkkel")
        return value

    def unit_type(self, key: str) -> UnitTypeDefinition | None:
        return next((t for t in self.unit_types if t.key == key), None)
