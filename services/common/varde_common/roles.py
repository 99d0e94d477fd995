"""The roles of a kommune's internal control (Tønsberg programme, Vedlegg 3), shared by every service.

A role is held *in a unit* and reaches that unit's whole subtree. The directory assigns them; every other
service reads them from its local copy of the directory (``directory_replica``).
"""

from __future__ import annotations

from enum import StrEnum

from varde_common.language import Text


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

ROLE_TITLES: dict[Role, Text] = {
    Role.KOMMUNEDIREKTOR: Text(nb="Kommunedirektør", nn="Kommunedirektør"),
    Role.KOMMUNALSJEF: Text(nb="Kommunalsjef", nn="Kommunalsjef"),
    Role.VIRKSOMHETSLEDER: Text(nb="Virksomhetsleder", nn="Verksemdsleiar"),
    Role.TJENESTELEDER: Text(nb="Tjenesteleder", nn="Tenesteleiar"),
    Role.AVDELINGSLEDER: Text(nb="Avdelingsleder", nn="Avdelingsleiar"),
    Role.KVALITETSRADGIVER: Text(nb="Kvalitetsrådgiver", nn="Kvalitetsrådgjevar"),
    Role.KVALITETSKOORDINATOR: Text(nb="Kvalitetskoordinator", nn="Kvalitetskoordinator"),
    Role.TILRETTELEGGER: Text(nb="Tilrettelegger", nn="Tilretteleggjar"),
    Role.REVISJONSANSVARLIG: Text(nb="Revisjonsansvarlig", nn="Revisjonsansvarleg"),
    Role.VERNEOMBUD: Text(nb="Verneombud", nn="Verneombod"),
    Role.TILLITSVALGT: Text(nb="Tillitsvalgt", nn="Tillitsvald"),
    Role.ANSATT: Text(nb="Ansatt", nn="Tilsett"),
    Role.SYSTEMADMINISTRATOR: Text(nb="Systemadministrator", nn="Systemadministrator"),
}
"""Each role's name in bokmål and nynorsk, shown beside the key."""

ROLE_LABELS: dict[Role, str] = {role: title.nb for role, title in ROLE_TITLES.items()}
