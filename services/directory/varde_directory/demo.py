"""Demo kommuner for ``make run``: fictional people in small but real organisation trees.

Ids are derived from names (uuid5), so loading twice changes nothing and tests can name what they need.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from varde_common.db import tenant_transaction
from varde_common.runtime import Runtime
from varde_directory.domain import LEADER_ROLE_BY_UNIT_TYPE, Role, UnitType
from varde_directory.models import OrgUnit, Person, RoleAssignment, Tenant
from varde_directory.service import publish_reference_data

DEMO_NAMESPACE = uuid.UUID("6f1d4c1e-6a57-4c1b-9a8e-3c1f5b0d7a21")


def demo_id(*parts: str) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, "/".join(parts))


@dataclass
class DemoUnit:
    name: str
    unit_type: UnitType
    leader: str
    employees: list[str] = field(default_factory=list)
    children: list[DemoUnit] = field(default_factory=list)


@dataclass
class DemoKommune:
    slug: str
    name: str
    organisation_number: str
    domain: str
    root: DemoUnit


DEMO_KOMMUNER = [
    DemoKommune(
        slug="hustadvika",
        name="Hustadvika kommune",
        organisation_number="921000001",
        domain="hustadvika.kommune.no",
        root=DemoUnit(
            "Hustadvika kommune",
            UnitType.KOMMUNE,
            "Ingrid Aasen",
            children=[
                DemoUnit(
                    "Helse og omsorg",
                    UnitType.SECTOR,
                    "Per Vestad",
                    children=[
                        DemoUnit(
                            "Hustadvika sjukeheim",
                            UnitType.VIRKSOMHET,
                            "Kari Nordmann",
                            employees=["Ola Hansen", "Sigrid Lie"],
                        ),
                    ],
                ),
                DemoUnit(
                    "Oppvekst og læring",
                    UnitType.SECTOR,
                    "Anders Brekken",
                    children=[
                        DemoUnit("Eide skule", UnitType.VIRKSOMHET, "Marit Gjendem", employees=["Jonas Rød"]),
                    ],
                ),
            ],
        ),
    ),
    DemoKommune(
        slug="lillestrom",
        name="Lillestrøm kommune",
        organisation_number="921000002",
        domain="lillestrom.kommune.no",
        root=DemoUnit(
            "Lillestrøm kommune",
            UnitType.KOMMUNE,
            "Henrik Solberg",
            children=[
                DemoUnit(
                    "Helse, mestring og omsorg",
                    UnitType.SECTOR,
                    "Nora Bakke",
                    children=[
                        DemoUnit(
                            "Skedsmotun bo- og behandlingssenter",
                            UnitType.VIRKSOMHET,
                            "Eva Holm",
                            employees=["Lars Dahl", "Aisha Khan"],
                        ),
                    ],
                ),
            ],
        ),
    ),
]


def email_of(name: str, domain: str) -> str:
    local = name.lower().replace(" ", ".").replace("ø", "o").replace("å", "a").replace("æ", "ae")
    return f"{local}@{domain}"


def _walk(unit: DemoUnit, parent: DemoUnit | None = None) -> list[tuple[DemoUnit, DemoUnit | None]]:
    result = [(unit, parent)]
    for child in unit.children:
        result.extend(_walk(child, unit))
    return result


async def load_demo(runtime: Runtime) -> None:
    """Create the demo kommuner that do not exist yet; an existing one is left as it is."""
    for kommune in DEMO_KOMMUNER:
        tenant_id = demo_id(kommune.slug)
        async with runtime.sessions() as session, session.begin():
            if await session.get(Tenant, tenant_id) is not None:
                continue
            tenant = Tenant(
                id=tenant_id, slug=kommune.slug, name=kommune.name, organisation_number=kommune.organisation_number
            )
            session.add(tenant)
        async with tenant_transaction(runtime.sessions, tenant_id) as session:
            tree = _walk(kommune.root)
            for unit, _ in tree:
                for name in [unit.leader, *unit.employees]:
                    session.add(
                        Person(
                            id=demo_id(kommune.slug, "person", name),
                            tenant_id=tenant_id,
                            name=name,
                            email=email_of(name, kommune.domain),
                        )
                    )
            await session.flush()
            units: list[OrgUnit] = []
            for unit, parent in tree:
                org_unit = OrgUnit(
                    id=demo_id(kommune.slug, "unit", unit.name),
                    tenant_id=tenant_id,
                    parent_id=demo_id(kommune.slug, "unit", parent.name) if parent else None,
                    name=unit.name,
                    unit_type=unit.unit_type,
                    leader_person_id=demo_id(kommune.slug, "person", unit.leader),
                )
                session.add(org_unit)
                await session.flush()
                units.append(org_unit)
            for unit, _ in tree:
                holders = [(unit.leader, LEADER_ROLE_BY_UNIT_TYPE[unit.unit_type])]
                holders += [(name, Role.ANSATT) for name in unit.employees]
                for name, role in holders:
                    session.add(
                        RoleAssignment(
                            id=demo_id(kommune.slug, "role", name, unit.name, role),
                            tenant_id=tenant_id,
                            person_id=demo_id(kommune.slug, "person", name),
                            unit_id=demo_id(kommune.slug, "unit", unit.name),
                            role=role,
                        )
                    )
            await publish_reference_data(session, tenant, units)
