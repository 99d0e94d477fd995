"""The demo history of ``make run``: two years of documents for a demo kommune, made through the use cases, with
versions approved by the leader the approval asks, reading lists and confirmations, every state a document can
be in, once per kommune and the same every time."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.demo_kommuner import demo_id, demo_kommuner
from varde_common.directory_replica import apply_org_unit_changed, apply_person_changed, apply_tenant_changed
from varde_common.events import OrgUnitChanged, PersonChanged, TenantChanged
from varde_common.tenant_settings import TenantSettings
from varde_common.testing.demo_kommune import Rows, rolled_back, rows_of, without_ids
from varde_common.testing.factories import grant_role
from varde_documents.demo_history import load_kommune

UNTIL = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)  # the start of 1 December in Oslo
TODAY = date(2026, 12, 1)
SLUG = "tonsberg"
TENANT = demo_id(SLUG)
# (name, unit type, parent, leader role, other roles held there): a small Tønsberg, as the directory's demo has it.
TREE = [
    ("Tønsberg kommune", "kommune", None, "kommunedirektor", ("kvalitetsradgiver",)),
    ("Helse og velferd", "kommunalsjefsomrade", "Tønsberg kommune", "kommunalsjef", ("kvalitetskoordinator",)),
    ("Oppvekst", "kommunalsjefsomrade", "Tønsberg kommune", "kommunalsjef", ("tilrettelegger",)),
    ("Tønsberg helsehus", "virksomhet", "Helse og velferd", "virksomhetsleder", ()),
    ("Helsehuset – Korttid", "avdeling", "Tønsberg helsehus", "avdelingsleder", ()),
    ("Helsehuset – Rehabilitering", "avdeling", "Tønsberg helsehus", "avdelingsleder", ()),
    ("Hjemmetjenester", "virksomhet", "Helse og velferd", "virksomhetsleder", ()),
    ("Hjemmetjenester – Sone nord", "tjeneste", "Hjemmetjenester", "tjenesteleder", ()),
    ("Presterød skole", "virksomhet", "Oppvekst", "virksomhetsleder", ()),
    ("Presterød skole – Småtrinn", "avdeling", "Presterød skole", "avdelingsleder", ()),
    ("Nøtterøy barnehage", "virksomhet", "Oppvekst", "virksomhetsleder", ()),
    ("Digitalisering", "virksomhet", "Tønsberg kommune", "virksomhetsleder", ()),
]


async def seed_kommune(sessions: async_sessionmaker[AsyncSession]) -> None:
    """The kommune in the service's copy of the directory, with the same ids every time."""
    at = UNTIL - timedelta(days=800)
    async with tenant_transaction(sessions, TENANT) as session:
        await apply_tenant_changed(session, TenantChanged(tenant_id=TENANT, slug=SLUG, name="Tønsberg",
                                                          settings=TenantSettings()), at)  # fmt: skip
        for depth, (name, unit_type, parent, leader_role, others) in enumerate(TREE):
            unit, leader = demo_id(SLUG, name), demo_id(SLUG, name, "leder")
            event = OrgUnitChanged(unit_id=unit, parent_id=demo_id(SLUG, parent) if parent else None, name=name,
                                   unit_type=unit_type, leader_person_id=leader)  # fmt: skip
            await apply_org_unit_changed(session, TENANT, event, at)
            staff = [(leader, leader_role, f"Leder {depth}")]
            staff += [(demo_id(SLUG, name, role), role, f"{role.title()} {depth}") for role in others]
            staff += [(demo_id(SLUG, name, str(i)), "ansatt", f"Ansatt {depth}-{i}") for i in range(2) if depth >= 3]
            for person, role, person_name in staff:
                await apply_person_changed(session, TENANT, PersonChanged(person_id=person, name=person_name), at)
                await grant_role(session, TENANT, person, unit, role, at)


QUERIES = {
    "documents": "SELECT id, title, kind, status, owner_unit_id, folder_id IS NOT NULL AS filed, tags, "
    "created_at, revision_due, published_version_id IS NOT NULL AS in_force FROM document "
    "ORDER BY created_at, title",
    "versions": "SELECT d.title, v.number, v.status, v.author_id, v.decided_by, v.submitted_at, "
    "v.decided_at, v.rejection_comment, v.significant, v.content, v.created_at FROM document_version v "
    "JOIN document d ON d.id = v.document_id ORDER BY d.created_at, d.title, v.number",
    "history": "SELECT d.title, h.at, h.action, h.actor_id, h.details FROM document_history h "
    "JOIN document d ON d.id = h.document_id ORDER BY d.created_at, d.title, h.at, h.id",
    "reading": "SELECT d.title, v.number, r.person_id, r.requested_at, r.due_on, r.confirmed_at "
    "FROM reading_request r JOIN document_version v ON v.id = r.version_id "
    "JOIN document d ON d.id = r.document_id ORDER BY d.created_at, d.title, v.number, r.person_id",
}


async def content(connection: AsyncConnection) -> Rows:
    """What a person would see of the kommune's documents, without the ids the database draws."""
    return await rows_of(connection, TENANT, QUERIES)


async def test_a_demo_kommune_gets_two_years_of_true_documents_once_and_the_same_every_time(
    engine: AsyncEngine,
) -> None:
    async with rolled_back(engine) as (connection, sessions):
        await seed_kommune(sessions)
        [kommune] = [k for k in await demo_kommuner(sessions) if k.slug == SLUG]
        made = await load_kommune(connection, kommune, UNTIL)
        first = await content(connection)
        again = await load_kommune(connection, kommune, UNTIL)
        assert again is None
        assert await content(connection) == first

    documents, versions, reading = first["documents"], first["versions"], first["reading"]
    assert made is not None
    assert made.documents == len(documents)
    assert 90 <= len(documents) <= 110
    assert len({d["title"] for d in documents}) == len(documents)
    assert all(d["filed"] and d["tags"] for d in documents)
    assert len({d["owner_unit_id"] for d in documents}) >= 8
    assert {d["kind"] for d in documents} >= {"prosedyre", "retningslinje", "skjema", "plan", "instruks"}
    assert min(d["created_at"] for d in documents) < UNTIL - timedelta(days=650)

    # Every state: in force, archived, drafts, waiting for approval, overdue and due soon for revision.
    assert Counter(d["status"] for d in documents)["archived"] >= 2
    statuses = Counter(v["status"] for v in versions)
    assert statuses["draft"] >= 3
    assert statuses["submitted"] >= 3
    assert statuses["superseded"] >= 20
    assert statuses["published"] > len(documents) / 2
    active = [d for d in documents if d["status"] == "active" and d["in_force"]]
    assert sum(1 for d in active if d["revision_due"] < TODAY) >= 2
    assert sum(1 for d in active if TODAY <= d["revision_due"] <= TODAY + timedelta(days=30)) >= 2
    per_document = Counter(v["title"] for v in versions if v["status"] in ("published", "superseded", "archived"))
    assert sum(1 for n in per_document.values() if n >= 2) > len(documents) / 3
    assert any(n >= 3 for n in per_document.values())
    assert made.versions == sum(per_document.values())

    # Approved by the leader the submission asked, never by the author; some sent back with a comment first.
    actions = Counter(line["action"] for line in first["history"])
    for action in ("created", "audience_set", "submitted", "rejected", "draft_edited", "approved", "draft_created",
                   "archived", "confirmed_valid"):  # fmt: skip
        assert actions[action] > 0, action
    asked: dict[str, str] = {}
    for line in first["history"]:
        if line["action"] == "submitted":
            asked[line["title"]] = line["details"]["approver_id"]
        if line["action"] in ("approved", "rejected"):
            assert str(line["actor_id"]) == asked[line["title"]]
    decided = [v for v in versions if v["decided_by"] is not None]
    assert all(v["decided_by"] != v["author_id"] for v in decided)
    assert any(v["rejection_comment"] for v in versions) or actions["rejected"] > 0

    # The difference page has something to show: a later version says more than the one before it.
    by_title: dict[str, list[dict[str, Any]]] = {}
    for version in versions:
        by_title.setdefault(version["title"], []).append(version)
    assert all(vs[0]["content"] != vs[1]["content"] for vs in by_title.values() if len(vs) >= 2)

    # Reading lists: most confirm, within days mostly; some not yet, so coverage shows who has not read.
    assert made.confirmations == sum(1 for r in reading if r["confirmed_at"] is not None)
    confirmed = [r for r in reading if r["confirmed_at"] is not None]
    assert len(confirmed) > 0.7 * len(reading)
    assert len(reading) - len(confirmed) >= 10
    assert all(r["requested_at"] <= r["confirmed_at"] < UNTIL for r in confirmed)
    late = [r for r in confirmed if r["confirmed_at"].date() > r["due_on"]]
    assert 0 < len(late) < len(confirmed) / 4

    # Every history in order and before today.
    instants: dict[str, list[datetime]] = {}
    for line in first["history"]:
        instants.setdefault(line["title"], []).append(line["at"])
    assert all(ats == sorted(ats) and ats[-1] < UNTIL for ats in instants.values())

    async with rolled_back(engine) as (connection, sessions):
        await seed_kommune(sessions)
        [kommune] = [k for k in await demo_kommuner(sessions) if k.slug == SLUG]
        await load_kommune(connection, kommune, UNTIL)
        assert without_ids(await content(connection)) == without_ids(first)
