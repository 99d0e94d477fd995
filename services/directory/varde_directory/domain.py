"""Roles and unit types of a kommune's organisation (from the Tønsberg programme, Vedlegg 3). No I/O."""

from __future__ import annotations

from enum import StrEnum


class UnitType(StrEnum):
    KOMMUNE = "kommune"
    SECTOR = "kommunalsjefsomrade"  # kommunalsjefsområde
    VIRKSOMHET = "virksomhet"
    TJENESTE = "tjeneste"
    AVDELING = "avdeling"


class Role(StrEnum):
    """A role held in a unit; it reaches the unit's whole subtree."""

    KOMMUNEDIREKTOR = "kommunedirektor"
    KOMMUNALSJEF = "kommunalsjef"
    VIRKSOMHETSLEDER = "virksomhetsleder"
    TJENESTELEDER = "tjenesteleder"
    AVDELINGSLEDER = "avdelingsleder"
    KVALITETSRADGIVER = "kvalitetsradgiver"
    KVALITETSKOORDINATOR = "kvalitetskoordinator"
    TILRETTELEGGER = "tilrettelegger"
    REVISJONSANSVARLIG = "revisjonsansvarlig"
    VERNEOMBUD = "verneombud"
    TILLITSVALGT = "tillitsvalgt"
    ANSATT = "ansatt"
    SYSTEMADMINISTRATOR = "systemadministrator"


LEADER_ROLE_BY_UNIT_TYPE: dict[UnitType, Role] = {
    UnitType.KOMMUNE: Role.KOMMUNEDIREKTOR,
    UnitType.SECTOR: Role.KOMMUNALSJEF,
    UnitType.VIRKSOMHET: Role.VIRKSOMHETSLEDER,
    UnitType.TJENESTE: Role.TJENESTELEDER,
    UnitType.AVDELING: Role.AVDELINGSLEDER,
}
