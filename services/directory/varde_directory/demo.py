"""Demo kommuner for ``make run``: fictional people in organisation trees of realistic size.

Each kommune is loaded through the same HR import an administrator uses, so loading twice changes nothing and
a data folder from an older version is brought up to date. Tenant ids are derived from the slug (uuid5), so
tests can name them. Every role of the domain is held by someone in every kommune. People sign in through the
gateway's development identity provider, configured per kommune like any OpenID Connect provider.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.demo_kommuner import demo_id
from varde_common.roles import Role
from varde_common.runtime import Runtime
from varde_directory import repository
from varde_directory.domain import ProviderKind
from varde_directory.errors import HrImportInvalid
from varde_directory.importing import HrImportService
from varde_directory.models import IdentityProvider, PersonIdentity, Tenant
from varde_directory.records import emit, tenant_changed

logger = logging.getLogger(__name__)
DEV_ISSUER = "urn:varde:dev-idp"


def dev_audience(slug: str) -> str:
    return f"urn:varde:api:{slug}"


FIRST_NAMES = [
    "Ingrid",
    "Per",
    "Kari",
    "Ola",
    "Sigrid",
    "Anders",
    "Marit",
    "Jonas",
    "Henrik",
    "Nora",
    "Eva",
    "Lars",
    "Aisha",
    "Emma",
    "Jakob",
    "Sofie",
    "Filip",
    "Maja",
    "Noah",
    "Ella",
    "Oskar",
    "Leah",
    "Lukas",
    "Ida",
    "Ali",
    "Astrid",
    "Magnus",
    "Thea",
    "Elias",
    "Hanne",
    "Mohammed",
    "Solveig",
    "Tor",
    "Live",
    "Amir",
    "Frida",
    "Johan",
    "Synne",
    "Erik",
    "Vilde",
    "Sander",
    "Hedda",
    "Mathias",
    "Tiril",
    "Kristian",
    "Mari",
    "Even",
    "Selma",
    "Tobias",
    "Karin",
]
LAST_NAMES = [
    "Aasen",
    "Vestad",
    "Nordmann",
    "Hansen",
    "Lie",
    "Brekken",
    "Gjendem",
    "Rød",
    "Solberg",
    "Bakke",
    "Holm",
    "Dahl",
    "Khan",
    "Berg",
    "Haugen",
    "Moen",
    "Strand",
    "Lund",
    "Eide",
    "Sæther",
    "Myklebust",
    "Farstad",
    "Hustad",
    "Gaustad",
    "Rønning",
    "Bjerke",
    "Nilsen",
    "Iversen",
    "Ahmed",
    "Lunde",
]


@dataclass(frozen=True)
class DemoKommune:
    slug: str
    name: str
    organisation_number: str
    domain: str
    tree: dict[str, Any]  # {"name", "type", "children": [...]}
    staff_per_unit: int
    # Settings the kommune has unless an administrator has set them otherwise (TenantSettings keys).
    settings: dict[str, Any] = field(default_factory=dict)
    # Who has chosen nynorsk for themself when the kommune is first loaded: the holders of these roles.
    nynorsk_roles: tuple[Role, ...] = ()


def _unit(name: str, unit_type: str, *children: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "type": unit_type, "children": list(children)}


def _services(parent: str, *names: str, unit_type: str = "avdeling") -> list[dict[str, Any]]:
    return [_unit(f"{parent} – {name}", unit_type) for name in names]


# Hustadvika: 46 units below the sectors report deviations, as in the 2023 annual report (seed 000).
HUSTADVIKA = _unit(
    "Hustadvika kommune",
    "kommune",
    _unit(
        "Helse og omsorg",
        "kommunalsjefsomrade",
        _unit(
            "Hustadvika sjukeheim",
            "virksomhet",
            *_services("Sjukeheimen", "Avdeling 1", "Avdeling 2", "Skjerma eining", "Kjøkken"),
        ),
        _unit(
            "Elnesvågen omsorgssenter", "virksomhet", *_services("Omsorgssenteret", "Korttid", "Langtid", "Dagsenter")
        ),
        _unit(
            "Heimetenesta",
            "virksomhet",
            *_services("Heimetenesta", "Sone Eide", "Sone Fræna", "Nattpatrulje", unit_type="tjeneste"),
        ),
        _unit(
            "Psykisk helse og rus",
            "virksomhet",
            *_services("Psykisk helse", "Bu- og miljøteneste", "Oppfølgingsteneste"),
        ),
        _unit(
            "Helse og familie",
            "virksomhet",
            *_services("Helse og familie", "Legekontor", "Helsestasjon", "Fysio- og ergoterapi"),
        ),
    ),
    _unit(
        "Oppvekst og læring",
        "kommunalsjefsomrade",
        _unit("Eide skule", "virksomhet", *_services("Eide skule", "Barnetrinn", "Ungdomstrinn", "SFO")),
        _unit("Fræna ungdomsskule", "virksomhet"),
        _unit("Bud skule", "virksomhet", *_services("Bud skule", "SFO")),
        _unit("Hustad barnehage", "virksomhet"),
        _unit("Elnesvågen barnehage", "virksomhet"),
        _unit("Vevang barnehage", "virksomhet"),
        _unit("Elnesvågen skule", "virksomhet", *_services("Elnesvågen skule", "Barnetrinn", "SFO")),
        _unit("Malmefjorden barnehage", "virksomhet"),
        _unit("PP-tenesta", "virksomhet"),
        _unit("Kultur og fritid", "virksomhet", *_services("Kultur", "Bibliotek", "Kulturskule")),
    ),
    _unit(
        "Samfunnsutvikling",
        "kommunalsjefsomrade",
        _unit("Teknisk drift", "virksomhet", *_services("Teknisk drift", "Vatn og avløp", "Veg", "Reinhald")),
        _unit("Eigedom", "virksomhet"),
        _unit("Plan og byggesak", "virksomhet"),
    ),
    _unit(
        "Stab og støtte",
        "kommunalsjefsomrade",
        _unit("Personal og organisasjon", "virksomhet"),
        _unit("Økonomi", "virksomhet"),
    ),
)

LILLESTROM = _unit(
    "Lillestrøm kommune",
    "kommune",
    _unit(
        "Helse, mestring og omsorg",
        "kommunalsjefsomrade",
        _unit(
            "Skedsmotun bo- og behandlingssenter", "virksomhet", *_services("Skedsmotun", "Post 1", "Post 2", "Korttid")
        ),
        _unit(
            "Hjemmetjenesten Lillestrøm",
            "virksomhet",
            *_services("Hjemmetjenesten", "Sone Strømmen", "Sone Kjeller", unit_type="tjeneste"),
        ),
        _unit("Legevakt", "virksomhet"),
    ),
    _unit(
        "Oppvekst og utdanning",
        "kommunalsjefsomrade",
        _unit("Volla skole", "virksomhet", *_services("Volla skole", "Barnetrinn", "SFO")),
        _unit("Kjeller barnehage", "virksomhet"),
    ),
    _unit(
        "Samfunn og teknikk",
        "kommunalsjefsomrade",
        _unit("Vann og avløp", "virksomhet"),
        _unit("Eiendom", "virksomhet"),
    ),
)

TONSBERG = _unit(
    "Tønsberg kommune",
    "kommune",
    _unit(
        "Helse og velferd",
        "kommunalsjefsomrade",
        _unit("Tønsberg helsehus", "virksomhet", *_services("Helsehuset", "Korttid", "Rehabilitering", "Legevakt")),
        _unit(
            "Hjemmetjenester",
            "virksomhet",
            *_services("Hjemmetjenester", "Sone sentrum", "Sone nord", unit_type="tjeneste"),
        ),
    ),
    _unit(
        "Oppvekst",
        "kommunalsjefsomrade",
        _unit("Presterød skole", "virksomhet", *_services("Presterød skole", "Småtrinn", "Mellomtrinn")),
        _unit("Nøtterøy barnehage", "virksomhet"),
    ),
    _unit("Kvalitet og virksomhetsstyring", "kommunalsjefsomrade", _unit("Digitalisering", "virksomhet")),
)

# Each kommune has its own colour in the header. Hustadvika writes nynorsk, but its pages stay bokmål by default
# (the tests read them so); its tilrettelegger has chosen nynorsk, so a nynorsk person can be tried at once.
DEMO_KOMMUNER = [
    DemoKommune(
        "hustadvika",
        "Hustadvika kommune",
        "921000001",
        "hustadvika.kommune.no",
        HUSTADVIKA,
        2,
        settings={"colour": "#00606e"},
        nynorsk_roles=(Role.TILRETTELEGGER,),
    ),
    DemoKommune(
        "lillestrom",
        "Lillestrøm kommune",
        "921000002",
        "lillestrom.kommune.no",
        LILLESTROM,
        2,
        settings={"colour": "#8a1538"},
    ),
    # One kommune allows anonymous reporting, so every feature can be tried.
    DemoKommune(
        "tonsberg",
        "Tønsberg kommune",
        "921000003",
        "tonsberg.kommune.no",
        TONSBERG,
        2,
        settings={"anonymous_reporting": True, "colour": "#1e6331"},
    ),
]

# Roles beyond leaders and employees, held where the Tønsberg programme puts them: (role, depth of the unit).
EXTRA_ROLES: list[tuple[Role, int]] = [
    (Role.SYSTEMADMINISTRATOR, 0),
    (Role.KVALITETSRADGIVER, 0),
    (Role.KVALITETSKOORDINATOR, 1),
    (Role.TILRETTELEGGER, 1),
    (Role.REVISJONSANSVARLIG, 2),
    (Role.VERNEOMBUD, 2),
    (Role.TILLITSVALGT, 2),
]


def email_of(name: str, domain: str) -> str:
    local = name.lower().replace(" ", ".")
    for old, new in (("ø", "o"), ("å", "a"), ("æ", "ae"), ("é", "e")):
        local = local.replace(old, new)
    return f"{local}@{domain}"


def hr_export(kommune: DemoKommune) -> dict[str, Any]:
    """The kommune as its HR system would export it (the JSON format of the import)."""
    units: list[dict[str, Any]] = []
    people: list[dict[str, Any]] = []
    names: set[str] = set()
    counter = 0

    def new_person(unit_key: str, role: Role | None) -> str:
        nonlocal counter
        while True:
            counter += 1
            first = FIRST_NAMES[(counter * 7) % len(FIRST_NAMES)]
            last = LAST_NAMES[(counter * 11 + counter // len(LAST_NAMES)) % len(LAST_NAMES)]
            name = f"{first} {last}"
            if name not in names:
                break
        names.add(name)
        number = f"{kommune.slug[:2].upper()}{counter:04d}"
        people.append(
            {
                "employee_number": number,
                "name": name,
                "email": email_of(name, kommune.domain),
                "roles": [{"role": role.value, "unit": unit_key}] if role else [],
            }
        )
        return number

    def walk(node: dict[str, Any], parent_key: str | None, depth: int, path: str) -> None:
        key = f"{kommune.slug[:2].upper()}-{path}"
        units.append({"key": key, "name": node["name"], "unit_type": node["type"], "parent": parent_key})
        units[-1]["leader"] = new_person(key, None)
        for _ in range(kommune.staff_per_unit if depth >= 2 else 0):
            new_person(key, Role.ANSATT)
        for role, role_depth in EXTRA_ROLES:
            if role_depth == depth and (depth < 2 or path.endswith(".1")):
                new_person(key, role)
        for index, child in enumerate(node["children"], start=1):
            walk(child, key, depth + 1, f"{path}.{index}")

    walk(kommune.tree, None, 0, "1")
    return {"units": units, "people": people}


async def load_demo(runtime: Runtime) -> None:
    """Create or bring up to date the demo kommuner: tenant, development identity provider, HR import."""
    importer = HrImportService(runtime.sessions)
    for kommune in DEMO_KOMMUNER:
        tenant_id = demo_id(kommune.slug)
        async with runtime.sessions() as session, session.begin():
            if await repository.tenant(session, tenant_id) is None:
                session.add(
                    Tenant(
                        id=tenant_id,
                        slug=kommune.slug,
                        name=kommune.name,
                        organisation_number=kommune.organisation_number,
                    )
                )
        export = json.dumps(hr_export(kommune)).encode()
        try:
            await importer.run(tenant_id, export, "application/json", dry_run=False, actor=None)
        except HrImportInvalid as exc:
            logger.warning(
                "The demo data of %s is from an older version and cannot be brought up to date (%s); "
                "delete var/ to load it again.",
                kommune.slug,
                exc.rows[0].message.nb,
            )
        await _ensure_dev_sign_in(runtime, kommune, tenant_id)


async def _choose_nynorsk(session: AsyncSession, roles: tuple[Role, ...]) -> None:
    """Once, when the kommune is new: a person's own choice is theirs to change afterwards."""
    chosen = {assignment.person_id for assignment in await repository.assignments(session) if assignment.role in roles}
    for person in await repository.every_person(session):
        if person.id in chosen:
            person.malform = "nn"
            session.add(person)


async def _ensure_dev_sign_in(runtime: Runtime, kommune: DemoKommune, tenant_id: uuid.UUID) -> None:
    """Every demo person signs in with the development provider; their subject is their e-mail address."""
    provider_id = demo_id(kommune.slug, "idp", "dev")
    async with tenant_transaction(runtime.sessions, tenant_id) as session:
        tenant = await repository.tenant(session, tenant_id)
        assert tenant is not None
        missing = {key: value for key, value in kommune.settings.items() if key not in tenant.settings}
        if missing:  # a demo kommune from an older version gets the settings it has now
            tenant.settings = {**tenant.settings, **missing}
            session.add(tenant)
        if await repository.provider(session, provider_id) is None:
            session.add(
                IdentityProvider(
                    id=provider_id,
                    tenant_id=tenant_id,
                    name="Utviklingsinnlogging",
                    kind=ProviderKind.DEV,
                    issuer=DEV_ISSUER,
                    audience=dev_audience(kommune.slug),
                    jwks_url="http://gateway.invalid/dev/jwks",
                    algorithms=["EdDSA"],
                )
            )
            # The settings of a new kommune are published once, with its defaults.
            await emit(session, tenant_id, [tenant_changed(tenant)])
            await _choose_nynorsk(session, kommune.nynorsk_roles)
        elif missing:
            await emit(session, tenant_id, [tenant_changed(tenant)])
        await session.flush()
        linked = await repository.people_linked_to(session, provider_id)
        for person in await repository.every_person(session):
            if person.id not in linked:
                session.add(
                    PersonIdentity(
                        tenant_id=tenant_id, person_id=person.id, provider_id=provider_id, subject=person.email.lower()
                    )
                )
