"""Reading lists (leseliste): publishing asks the audience to read, each person confirms the exact version, a
minor version does not ask again and a significant one does, a newcomer gets what is in force, and leaders see
who has not read, by name."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import oslo_today
from varde_common.db import tenant_transaction
from varde_common.directory_replica import apply_role_assignment_changed
from varde_common.events import RoleAssignmentChanged
from varde_common.identity import InternalTokenSigner
from varde_common.pages import PageRequest
from varde_common.testing.factories import TinyOrg, bearer, grant_role, outbox_events
from varde_documents.coverage import CoverageService
from varde_documents.documents import DocumentService
from varde_documents.errors import CoverageForbidden, VersionNotInForce
from varde_documents.models import Audience, AudienceEntry, DocumentCreate, DraftCreate, DraftEdit, ReadingListItem
from varde_documents.reading import ReadingService, request_for_new_member
from varde_documents.versions import VersionService

API = "/api/v1/documents"
Worker = Callable[[TinyOrg], Awaitable[None]]
EVERYTHING = PageRequest(limit=100)


async def in_force(
    documents: DocumentService,
    versions: VersionService,
    reading: ReadingService,
    org: TinyOrg,
    audience: list[AudienceEntry],
    worker: Worker,
) -> tuple[uuid.UUID, uuid.UUID]:
    """A procedure of the nursing home with its audience, written by the unit leader and approved above."""
    created = await documents.create(
        org.as_(org.unit_leader), DocumentCreate(title="Smittevern", owner_unit_id=org.unit_id, content="# Vask")
    )
    await reading.set_audience(org.as_(org.unit_leader), created.id, Audience(entries=audience))
    return created.id, await publish(versions, org, created.id, created.versions[0].id, worker)


async def publish(
    versions: VersionService, org: TinyOrg, document_id: uuid.UUID, version_id: uuid.UUID, worker: Worker
) -> uuid.UUID:
    await versions.submit(org.as_(org.unit_leader), document_id, version_id)
    await versions.approve(org.as_(org.sector_leader), document_id, version_id)
    await worker(org)  # the approval comes back through Kafka, and the audience is asked
    return version_id


async def new_version(
    versions: VersionService, org: TinyOrg, document_id: uuid.UUID, worker: Worker, *, significant: bool
) -> uuid.UUID:
    draft = await versions.new_draft(org.as_(org.unit_leader), document_id, DraftCreate(significant=significant))
    await versions.edit_draft(org.as_(org.unit_leader), document_id, draft.id, DraftEdit(content="# Vask godt"))
    return await publish(versions, org, document_id, draft.id, worker)


async def to_read(
    reading: ReadingService, org: TinyOrg, person: uuid.UUID, *, confirmed: bool = False
) -> list[ReadingListItem]:
    return (await reading.reading_list(org.as_(person), EVERYTHING, include_confirmed=confirmed)).items


async def test_the_unit_is_asked_to_read_each_confirms_the_exact_version_once(
    documents: DocumentService,
    versions: VersionService,
    reading: ReadingService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
    worker: Worker,
) -> None:
    document_id, version_id = await in_force(
        documents, versions, reading, org, [AudienceEntry(unit_id=org.unit_id)], worker
    )

    mine = await to_read(reading, org, org.employee)
    assert [(item.document_id, item.version_number, item.overdue) for item in mine] == [(document_id, 1, False)]
    assert mine[0].due_on == oslo_today() + timedelta(days=14)
    assert await to_read(reading, org, org.sector_leader) == []  # not in the unit

    confirmed = await reading.confirm(org.as_(org.employee), document_id, version_id)
    await reading.confirm(org.as_(org.employee), document_id, version_id)  # twice is once
    assert confirmed.confirmed_at is not None
    assert await to_read(reading, org, org.employee) == []
    assert len(await to_read(reading, org, org.employee, confirmed=True)) == 1

    events = await outbox_events(sessions, org, document_id, but=("submitted", "approved"))
    asked = sorted(e["person_id"] for e in events if e["type"] == "readingrequested")
    assert asked == sorted([str(org.employee), str(org.unit_leader)])
    assert [e["person_id"] for e in events if e["type"] == "readingconfirmed"] == [str(org.employee)]


async def test_the_document_tells_its_reader_whether_they_are_asked_to_read_it_and_have_confirmed(
    documents: DocumentService,
    versions: VersionService,
    reading: ReadingService,
    org: TinyOrg,
    worker: Worker,
) -> None:
    document_id, version_id = await in_force(
        documents, versions, reading, org, [AudienceEntry(unit_id=org.unit_id)], worker
    )

    asked = (await documents.get(org.as_(org.employee), document_id)).my_reading
    assert asked is not None
    assert (asked.due_on, asked.confirmed_at) == (oslo_today() + timedelta(days=14), None)
    assert (await documents.get(org.as_(org.sector_leader), document_id)).my_reading is None  # not in the unit

    await reading.confirm(org.as_(org.employee), document_id, version_id)
    confirmed = (await documents.get(org.as_(org.employee), document_id)).my_reading
    assert confirmed is not None
    assert confirmed.confirmed_at is not None


async def test_a_minor_version_does_not_ask_again_a_significant_one_asks_everyone(
    documents: DocumentService,
    versions: VersionService,
    reading: ReadingService,
    org: TinyOrg,
    worker: Worker,
) -> None:
    document_id, first = await in_force(documents, versions, reading, org, [AudienceEntry(unit_id=org.unit_id)], worker)
    await reading.confirm(org.as_(org.unit_leader), document_id, first)

    second = await new_version(versions, org, document_id, worker, significant=False)
    assert await to_read(reading, org, org.unit_leader) == []  # read is still read
    pending = await to_read(reading, org, org.employee)
    assert [(item.version_id, item.version_number) for item in pending] == [(second, 2)]  # moved to what is in force
    with pytest.raises(VersionNotInForce):  # the old version is no longer the one to confirm
        await reading.confirm(org.as_(org.employee), document_id, first)

    third = await new_version(versions, org, document_id, worker, significant=True)
    for person in (org.unit_leader, org.employee):
        assert [item.version_id for item in await to_read(reading, org, person)] == [third]


async def test_a_newcomer_to_the_unit_gets_what_is_in_force(
    documents: DocumentService,
    versions: VersionService,
    reading: ReadingService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
    worker: Worker,
) -> None:
    document_id, version_id = await in_force(
        documents, versions, reading, org, [AudienceEntry(unit_id=org.unit_id)], worker
    )
    newcomer = uuid.uuid4()
    async with tenant_transaction(sessions, org.tenant_id) as session:  # as the directory's event arrives
        await grant_role(session, org.tenant_id, newcomer, org.unit_id, "ansatt", datetime.now(UTC))
        assert await request_for_new_member(session, org.tenant_id, newcomer) == 1
        assert await request_for_new_member(session, org.tenant_id, newcomer) == 0  # redelivered: asked once
    pending = await to_read(reading, org, newcomer)
    assert [(item.document_id, item.version_id) for item in pending] == [(document_id, version_id)]


async def test_roles_and_named_people_are_audiences_too_shown_by_name(
    documents: DocumentService,
    versions: VersionService,
    reading: ReadingService,
    org: TinyOrg,
    worker: Worker,
) -> None:
    named = uuid.uuid4()
    document_id, _ = await in_force(
        documents,
        versions,
        reading,
        org,
        [
            AudienceEntry(role="kommunalsjef"),
            AudienceEntry(person_id=org.employee),
            AudienceEntry(person_id=named),
            AudienceEntry(unit_id=org.unit_id, role="ansatt"),
        ],
        worker,
    )
    for reader in (org.sector_leader, named, org.employee):
        assert len(await to_read(reading, org, reader)) == 1
    assert await to_read(reading, org, org.unit_leader) == []  # not an ansatt there
    with pytest.raises(ValidationError):
        AudienceEntry(person_id=named, unit_id=org.unit_id)

    audience = await reading.audience(org.as_(org.employee), document_id, language="nn")
    assert {(e.role_label, e.person_name, e.unit_name) for e in audience.entries} == {
        ("Kommunalsjef", None, None),
        (None, org.name_of(org.employee), None),
        (None, None, None),  # the directory has not told us this person's name yet
        ("Tilsett", None, "Solsiden sykehjem"),
    }


async def test_leaders_see_who_has_not_read_employees_do_not(
    documents: DocumentService,
    versions: VersionService,
    reading: ReadingService,
    coverage: CoverageService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
    worker: Worker,
) -> None:
    document_id, version_id = await in_force(
        documents, versions, reading, org, [AudienceEntry(unit_id=org.sector_id)], worker
    )
    await reading.confirm(org.as_(org.employee), document_id, version_id)

    whole = await coverage.of_document(org.as_(org.sector_leader), document_id, org.sector_id, EVERYTHING)
    assert (whole.requested, whole.confirmed) == (3, 1)
    # Who has not read, by name: Kari Kommunalsjef before Lars Leder, a page at a time.
    assert [(r.person_id, r.name) for r in whole.not_read.items] == [
        (org.sector_leader, org.name_of(org.sector_leader)),
        (org.unit_leader, org.name_of(org.unit_leader)),
    ]
    first = await coverage.of_document(org.as_(org.sector_leader), document_id, org.sector_id, PageRequest(limit=1))
    assert [r.person_id for r in first.not_read.items] == [org.sector_leader]
    after = PageRequest(limit=1, cursor=first.not_read.next_cursor)
    rest = await coverage.of_document(org.as_(org.sector_leader), document_id, org.sector_id, after)
    assert ([r.person_id for r in rest.not_read.items], rest.not_read.next_cursor) == ([org.unit_leader], None)
    home = await coverage.of_document(org.as_(org.unit_leader), document_id, org.unit_id, EVERYTHING)
    assert (home.requested, home.confirmed) == (2, 1)
    assert [r.person_id for r in home.not_read.items] == [org.unit_leader]
    assert [(u.unit_id, u.unit_name, u.requested, u.confirmed) for u in home.units] == [
        (org.unit_id, "Solsiden sykehjem", 2, 1)
    ]
    with pytest.raises(CoverageForbidden):
        await coverage.of_document(org.as_(org.employee), document_id, org.unit_id, EVERYTHING)

    # The leader's overview over every document in force: the least read first, with the totals of every page.
    all_read, all_read_version = await in_force(
        documents, versions, reading, org, [AudienceEntry(unit_id=org.unit_id)], worker
    )
    for reader in (org.employee, org.unit_leader):
        await reading.confirm(org.as_(reader), all_read, all_read_version)
    overview = await coverage.of_unit(org.as_(org.unit_leader), org.unit_id, EVERYTHING)
    assert [(d.document_id, d.requested, d.confirmed, d.overdue) for d in overview.documents.items] == [
        (document_id, 2, 1, 0),
        (all_read, 2, 2, 0),
    ]
    totals = (overview.unit_name, overview.requested, overview.confirmed, overview.documents_in_scope)
    assert totals == ("Solsiden sykehjem", 4, 3, 2)
    first_only = await coverage.of_unit(org.as_(org.unit_leader), org.unit_id, PageRequest(limit=1))
    assert [d.document_id for d in first_only.documents.items] == [document_id]
    assert (first_only.requested, first_only.documents_in_scope) == (4, 2)
    second_page = PageRequest(limit=1, cursor=first_only.documents.next_cursor)
    then = await coverage.of_unit(org.as_(org.unit_leader), org.unit_id, second_page)
    assert ([d.document_id for d in then.documents.items], then.documents.next_cursor) == ([all_read], None)
    assert (then.requested, then.documents_in_scope) == (4, 2)
    with pytest.raises(CoverageForbidden):
        await coverage.of_unit(org.as_(org.employee), org.unit_id, EVERYTHING)

    # Someone whose role in the unit has ended no longer counts against it.
    async with tenant_transaction(sessions, org.tenant_id) as session:
        assignment = (
            await session.execute(
                sa.text("SELECT id FROM replica_role_assignment WHERE person_id = :p AND unit_id = :u"),
                {"p": org.unit_leader, "u": org.unit_id},
            )
        ).scalar_one()
        ended = RoleAssignmentChanged(
            assignment_id=assignment,
            person_id=org.unit_leader,
            unit_id=org.unit_id,
            role="virksomhetsleder",
            ends_on=oslo_today() - timedelta(days=1),
        )
        await apply_role_assignment_changed(session, org.tenant_id, ended, datetime.now(UTC))
    later = await coverage.of_unit(org.as_(org.sector_leader), org.unit_id, EVERYTHING)
    assert [(d.requested, d.confirmed) for d in later.documents.items] == [(1, 1), (1, 1)]
    left = await coverage.of_document(org.as_(org.sector_leader), document_id, org.unit_id, EVERYTHING)
    assert (left.requested, left.not_read.items) == (1, [])


async def test_http_audience_reading_list_and_confirmation(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    documents: DocumentService,
    versions: VersionService,
    org: TinyOrg,
    worker: Worker,
) -> None:
    created = await documents.create(
        org.as_(org.unit_leader), DocumentCreate(title="Brannvern", owner_unit_id=org.unit_id, content="# Brann")
    )
    leader, employee = bearer(token_signer, org, org.unit_leader), bearer(token_signer, org, org.employee)
    audience = {"entries": [{"unit_id": str(org.unit_id)}], "reading_days": 7}
    # Nothing in force yet: the document is not the employee's to know of.
    assert (await client.put(f"{API}/{created.id}/audience", json=audience, headers=employee)).status_code == 404
    set_ = await client.put(f"{API}/{created.id}/audience", json=audience, headers=leader)
    assert set_.status_code == 200, set_.text
    assert (set_.json()["reading_days"], set_.json()["requested_now"]) == (7, 0)  # nothing in force yet
    assert set_.json()["entries"][0]["unit_name"] == "Solsiden sykehjem"
    bad = await client.put(f"{API}/{created.id}/audience", json={"entries": [{}]}, headers=leader)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["message"] == "Oppgi en enhet, en rolle eller en person."
    await publish(versions, org, created.id, created.versions[0].id, worker)

    listed = await client.get(f"{API}/reading-list", headers=employee)
    assert listed.status_code == 200
    item = listed.json()["items"][0]
    assert (item["title"], item["version_number"]) == ("Brannvern", 1)
    confirmed = await client.post(f"{API}/{created.id}/versions/{item['version_id']}/confirm-read", headers=employee)
    assert confirmed.status_code == 200
    assert (await client.get(f"{API}/reading-list", headers=employee)).json() == {"items": [], "next_cursor": None}


async def test_the_reading_list_comes_a_page_at_a_time_the_most_urgent_first(
    documents: DocumentService, versions: VersionService, reading: ReadingService, org: TinyOrg, worker: Worker
) -> None:
    for title, days in (("Brannvern", 30), ("Smittevern", 7), ("Avfall", 30)):
        created = await documents.create(
            org.as_(org.unit_leader), DocumentCreate(title=title, owner_unit_id=org.unit_id, content="# Les")
        )
        audience = Audience(entries=[AudienceEntry(unit_id=org.unit_id)], reading_days=days)
        await reading.set_audience(org.as_(org.unit_leader), created.id, audience)
        await publish(versions, org, created.id, created.versions[0].id, worker)

    seen: list[str] = []
    page = PageRequest(limit=2)
    while True:
        found = await reading.reading_list(org.as_(org.employee), page)
        seen += [item.title for item in found.items]
        if found.next_cursor is None:
            break
        page = PageRequest(limit=2, cursor=found.next_cursor)
    assert seen == ["Smittevern", "Avfall", "Brannvern"]  # the shortest deadline, then by title
