"""Reading lists (leseliste): publishing asks the audience to read, each person confirms the exact version, a
minor version does not ask again and a significant one does, a newcomer gets what is in force, and leaders see
who has not read."""

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

from varde_common.db import tenant_transaction
from varde_common.directory_replica import apply_role_assignment_changed
from varde_common.errors import ConflictError, ForbiddenError
from varde_common.events import RoleAssignmentChanged
from varde_common.identity import InternalTokenSigner
from varde_common.testing.factories import TinyOrg, bearer, grant_role, outbox_events
from varde_documents.coverage import CoverageService
from varde_documents.models import Audience, AudienceEntry, DocumentCreate, DraftCreate, DraftEdit
from varde_documents.reading import ReadingService, request_for_new_member
from varde_documents.service import DocumentService

API = "/api/v1/documents"


@pytest.fixture
def reading(sessions: async_sessionmaker[AsyncSession]) -> ReadingService:
    return ReadingService(sessions)


@pytest.fixture
def coverage(sessions: async_sessionmaker[AsyncSession]) -> CoverageService:
    return CoverageService(sessions)


Worker = Callable[[TinyOrg], Awaitable[None]]


async def in_force(
    service: DocumentService, reading: ReadingService, org: TinyOrg, audience: list[AudienceEntry], worker: Worker
) -> tuple[uuid.UUID, uuid.UUID]:
    """A procedure of the nursing home with its audience, written by the unit leader and approved above."""
    created = await service.create(
        org.as_(org.unit_leader), DocumentCreate(title="Smittevern", owner_unit_id=org.unit_id, content="# Vask")
    )
    await reading.set_audience(org.as_(org.unit_leader), created.id, Audience(entries=audience))
    return created.id, await publish(service, org, created.id, created.versions[0].id, worker)


async def publish(
    service: DocumentService, org: TinyOrg, document_id: uuid.UUID, version_id: uuid.UUID, worker: Worker
) -> uuid.UUID:
    await service.submit(org.as_(org.unit_leader), document_id, version_id)
    await service.approve(org.as_(org.sector_leader), document_id, version_id)
    await worker(org)  # the approval comes back through Kafka, and the audience is asked
    return version_id


async def new_version(
    service: DocumentService, org: TinyOrg, document_id: uuid.UUID, worker: Worker, *, significant: bool
) -> uuid.UUID:
    draft = await service.new_draft(org.as_(org.unit_leader), document_id, DraftCreate(significant=significant))
    await service.edit_draft(org.as_(org.unit_leader), document_id, draft.id, DraftEdit(content="# Vask godt"))
    return await publish(service, org, document_id, draft.id, worker)


async def test_the_unit_is_asked_to_read_each_confirms_the_exact_version_once(
    service: DocumentService,
    reading: ReadingService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
    worker: Worker,
) -> None:
    document_id, version_id = await in_force(service, reading, org, [AudienceEntry(unit_id=org.unit_id)], worker)

    mine = await reading.reading_list(org.as_(org.employee), include_confirmed=False)
    assert [(item.document_id, item.version_number, item.overdue) for item in mine] == [(document_id, 1, False)]
    assert mine[0].due_on == datetime.now(UTC).date() + timedelta(days=14)
    assert await reading.reading_list(org.as_(org.sector_leader), include_confirmed=False) == []  # not in the unit

    confirmed = await reading.confirm(org.as_(org.employee), document_id, version_id)
    await reading.confirm(org.as_(org.employee), document_id, version_id)  # twice is once
    assert confirmed.confirmed_at is not None
    assert await reading.reading_list(org.as_(org.employee), include_confirmed=False) == []
    assert len(await reading.reading_list(org.as_(org.employee), include_confirmed=True)) == 1

    events = await outbox_events(sessions, org, document_id, but=("submitted", "approved"))
    asked = sorted(e["person_id"] for e in events if e["type"] == "readingrequested")
    assert asked == sorted([str(org.employee), str(org.unit_leader)])
    assert [e["person_id"] for e in events if e["type"] == "readingconfirmed"] == [str(org.employee)]


async def test_a_minor_version_does_not_ask_again_a_significant_one_asks_everyone(
    service: DocumentService,
    reading: ReadingService,
    org: TinyOrg,
    worker: Worker,
) -> None:
    document_id, first = await in_force(service, reading, org, [AudienceEntry(unit_id=org.unit_id)], worker)
    await reading.confirm(org.as_(org.unit_leader), document_id, first)

    second = await new_version(service, org, document_id, worker, significant=False)
    assert await reading.reading_list(org.as_(org.unit_leader), include_confirmed=False) == []  # read is still read
    pending = await reading.reading_list(org.as_(org.employee), include_confirmed=False)
    assert [(item.version_id, item.version_number) for item in pending] == [(second, 2)]  # moved to what is in force
    with pytest.raises(ConflictError):  # the old version is no longer the one to confirm
        await reading.confirm(org.as_(org.employee), document_id, first)

    third = await new_version(service, org, document_id, worker, significant=True)
    for person in (org.unit_leader, org.employee):
        pending = await reading.reading_list(org.as_(person), include_confirmed=False)
        assert [item.version_id for item in pending] == [third]


async def test_a_newcomer_to_the_unit_gets_what_is_in_force(
    service: DocumentService,
    reading: ReadingService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
    worker: Worker,
) -> None:
    document_id, version_id = await in_force(service, reading, org, [AudienceEntry(unit_id=org.unit_id)], worker)
    newcomer = uuid.uuid4()
    async with tenant_transaction(sessions, org.tenant_id) as session:  # as the directory's event arrives
        await grant_role(session, org.tenant_id, newcomer, org.unit_id, "ansatt", datetime.now(UTC))
        assert await request_for_new_member(session, org.tenant_id, newcomer) == 1
        assert await request_for_new_member(session, org.tenant_id, newcomer) == 0  # redelivered: asked once
    pending = await reading.reading_list(org.as_(newcomer), include_confirmed=False)
    assert [(item.document_id, item.version_id) for item in pending] == [(document_id, version_id)]


async def test_roles_and_named_people_are_audiences_too(
    service: DocumentService,
    reading: ReadingService,
    org: TinyOrg,
    worker: Worker,
) -> None:
    named = uuid.uuid4()
    await in_force(
        service,
        reading,
        org,
        [
            AudienceEntry(role="kommunalsjef"),
            AudienceEntry(person_id=named),
            AudienceEntry(unit_id=org.unit_id, role="ansatt"),
        ],
        worker,
    )
    for reader in (org.sector_leader, named, org.employee):
        assert len(await reading.reading_list(org.as_(reader), include_confirmed=False)) == 1
    assert await reading.reading_list(org.as_(org.unit_leader), include_confirmed=False) == []  # not an ansatt there
    with pytest.raises(ValidationError):
        AudienceEntry(person_id=named, unit_id=org.unit_id)


async def test_leaders_see_who_has_not_read_employees_do_not(
    service: DocumentService,
    reading: ReadingService,
    coverage: CoverageService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
    worker: Worker,
) -> None:
    document_id, version_id = await in_force(service, reading, org, [AudienceEntry(unit_id=org.sector_id)], worker)
    await reading.confirm(org.as_(org.employee), document_id, version_id)

    whole = await coverage.of_document(org.as_(org.sector_leader), document_id, org.sector_id)
    assert (whole.requested, whole.confirmed) == (3, 1)
    assert sorted(whole.not_read) == sorted([org.sector_leader, org.unit_leader])
    home = await coverage.of_document(org.as_(org.unit_leader), document_id, org.unit_id)
    assert (home.requested, home.confirmed, home.not_read) == (2, 1, [org.unit_leader])
    assert [(u.unit_id, u.requested, u.confirmed) for u in home.units] == [(org.unit_id, 2, 1)]
    with pytest.raises(ForbiddenError):
        await coverage.of_document(org.as_(org.employee), document_id, org.unit_id)

    # The leader's overview over every document in force: the least read first, with the totals.
    all_read, all_read_version = await in_force(service, reading, org, [AudienceEntry(unit_id=org.unit_id)], worker)
    for reader in (org.employee, org.unit_leader):
        await reading.confirm(org.as_(reader), all_read, all_read_version)
    overview = await coverage.of_unit(org.as_(org.unit_leader), org.unit_id, limit=10)
    assert [(d.document_id, d.requested, d.confirmed, d.overdue) for d in overview.documents] == [
        (document_id, 2, 1, 0),
        (all_read, 2, 2, 0),
    ]
    assert (overview.requested, overview.confirmed, overview.documents_in_scope) == (4, 3, 2)
    first_only = await coverage.of_unit(org.as_(org.unit_leader), org.unit_id, limit=1)
    assert (len(first_only.documents), first_only.requested, first_only.documents_in_scope) == (1, 4, 2)
    with pytest.raises(ForbiddenError):
        await coverage.of_unit(org.as_(org.employee), org.unit_id, limit=10)

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
            ends_on=datetime.now(UTC).date() - timedelta(days=1),
        )
        await apply_role_assignment_changed(session, org.tenant_id, ended, datetime.now(UTC))
    after = await coverage.of_unit(org.as_(org.sector_leader), org.unit_id, limit=10)
    assert [(d.requested, d.confirmed) for d in after.documents] == [(1, 1), (1, 1)]
    left = await coverage.of_document(org.as_(org.sector_leader), document_id, org.unit_id)
    assert (left.requested, left.not_read) == (1, [])


async def test_http_audience_reading_list_and_confirmation(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    service: DocumentService,
    org: TinyOrg,
    worker: Worker,
) -> None:
    created = await service.create(
        org.as_(org.unit_leader), DocumentCreate(title="Brannvern", owner_unit_id=org.unit_id, content="# Brann")
    )
    leader, employee = bearer(token_signer, org, org.unit_leader), bearer(token_signer, org, org.employee)
    audience = {"entries": [{"unit_id": str(org.unit_id)}], "reading_days": 7}
    assert (await client.put(f"{API}/{created.id}/audience", json=audience, headers=employee)).status_code == 404
    set_ = await client.put(f"{API}/{created.id}/audience", json=audience, headers=leader)
    assert set_.status_code == 200, set_.text
    assert (set_.json()["reading_days"], set_.json()["requested_now"]) == (7, 0)  # nothing in force yet
    bad = await client.put(f"{API}/{created.id}/audience", json={"entries": [{}]}, headers=leader)
    assert bad.status_code == 422
    await publish(service, org, created.id, created.versions[0].id, worker)

    listed = await client.get(f"{API}/reading-list", headers=employee)
    assert listed.status_code == 200
    item = listed.json()[0]
    assert (item["title"], item["version_number"]) == ("Brannvern", 1)
    confirmed = await client.post(f"{API}/{created.id}/versions/{item['version_id']}/confirm-read", headers=employee)
    assert confirmed.status_code == 200
    assert (await client.get(f"{API}/reading-list", headers=employee)).json() == []
