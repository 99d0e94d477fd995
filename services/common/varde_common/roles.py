"""The roles of a kommune's internal control (Tønsberg programme, Vedlegg 3), shared by every service.

A role is held *in a unit* and reaches that unit's whole subtree. The directory assigns them; every other
service reads them from its local copy of the directory (``directory_replica``).
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    KOMMUNEDIREKTOR = "kommunedirektor"  # kommunedirektør / rådmann
    KOMMUNALSJEF = "kommunalsjef"
    VIRKSOMHETSLEDER = "virksomhetsleder"
    TJENESTELEDER = "tjenesteleder"
    AVDELINGSLEDER = "avdelingsleder"
    KVALITETSRADGIVER = "kvalitetsradgiver"  # kvalitetsrådgiver
    KVALITETSKOORDINATOR = "kvalitetskoordinator"
    TILRETTELEGGER = "tilrettelegger"  # superbruker
    REVISJONSANSVARLIG = "revisjonsansvarlig"
    VERNEOMBUD = "verneombud"
    TILLITSVALGT = "tillitsvalgt"
    ANSATT = "ansatt"
    SYSTEMADMINISTRATOR = "systemadministrator"


LEADER_ROLES: frozenset[Role] = frozenset(
    {Role.KOMMUNEDIREKTOR, Role.KOMMUNALSJEF, Role.VIRKSOMHETSLEDER, Role.TJENESTELEDER, Role.AVDELINGSLEDER}
)
QUALITY_ROLES: frozenset[Role] = frozenset({Role.KVALITETSRADGIVER, Role.KVALITETSKOORDINATOR})

ROLE_LABELS: dict[Role, str] = {
    Role.KOMMUNEDIREKTOR: "Kommunedirektør",
    Role.KOMMUNALSJEF: "Kommunalsjef",
    Role.VIRKSOMHETSLEDER: "Virksomhetsleder",
    Role.TJENESTELEDER: "Tjenesteleder",
    Role.AVDELINGSLEDER: "Avdelingsleder",
    Role.KVALITETSRADGIVER: "Kvalitetsrådgiver",
    Role.KVALITETSKOORDINATOR: "Kvalitetskoordinator",
    Role.TILRETTELEGGER: "Tilrettelegger",
    Role.REVISJONSANSVARLIG: "Revisjonsansvarlig",
    Role.VERNEOMBUD: "Verneombud",
    Role.TILLITSVALGT: "Tillitsvalgt",
    Role.ANSATT: "Ansatt",
    Role.SYSTEMADMINISTRATOR: "Systemadministrator",
}
