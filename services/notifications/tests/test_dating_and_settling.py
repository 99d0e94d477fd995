"""A notification is dated by its event, an old one arrives read, and a later event settles the notices it answers:
the inbox of a person after a worker was down, or after two years of history were replayed, shows what is theirs
to act on now. Handlers on the real database; the inbox over HTTP."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date, datetime, timedelta
from typing import Any

import httpx

from varde_common.calendar import now_utc
from varde_common.events import (
    DeviationAcknowledged,
    DeviationAssigned,
    DeviationClosed,
    MeasureAdded,
    MeasureCompleted,
    ReadingConfirmed,
    ReadingRequested,
)
from varde_common.events.base import Event
from varde_common.identity import InternalTokenSigner
from varde_common.testing.factories import TinyOrg, bearer, envelope_of
from varde_notifications.service import NotificationService
from varde_notifications.settling import STALE_AFTER

from .conftest import Inbox


def at(org: TinyOrg, event: Event, time: datetime) -> Any:
    return dataclasses.replace(envelope_of(org, event), time=time)


def assigned(org: TinyOrg, case: uuid.UUID, to: uuid.UUID, handling_unit: uuid.UUID | None = None) -> DeviationAssigned:
    unit = handling_unit or org.unit_id
    return DeviationAssigned(deviation_id=case, unit_id=org.unit_id, handling_unit_id=unit, status="registered",
                             assignee_id=to)  # fmt: skip


def case_event(kind: type[DeviationAcknowledged] | type[DeviationClosed], org: TinyOrg, case: uuid.UUID) -> Any:
    return kind(deviation_id=case, unit_id=org.unit_id, handling_unit_id=org.unit_id, status="under_treatment")


def measure(kind: type[MeasureAdded] | type[MeasureCompleted], org: TinyOrg, case: uuid.UUID, mid: uuid.UUID) -> Any:
    return kind(deviation_id=case, unit_id=org.unit_id, status="under_treatment", measure_id=mid,
                owner_id=org.employee, deadline=date(2026, 12, 24))  # fmt: skip


def reading(kind: type[ReadingRequested] | type[ReadingConfirmed], org: TinyOrg, doc: uuid.UUID, who: uuid.UUID) -> Any:
    facts: dict[str, Any] = {"due_on": date(2026, 12, 24)} if kind is ReadingRequested else {}
    return kind(document_id=doc, kind="prosedyre", owner_unit_id=org.unit_id, approver_unit_id=org.unit_id,
                at=now_utc(), version_id=uuid.uuid4(), version_number=1, person_id=who, **facts)  # fmt: skip


async def unread(client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg, person: uuid.UUID) -> int:
    response = await client.get("/api/v1/notifications/unread-count", headers=bearer(token_signer, org, person))
    assert response.status_code == 200, response.text
    count: int = response.json()["unread"]
    return count


async def test_a_notification_is_dated_by_its_event_not_by_when_it_arrived(
    service: NotificationService, inbox: Inbox, org: TinyOrg
) -> None:
    three_days_ago = now_utc() - timedelta(days=3)
    event = assigned(org, uuid.uuid4(), org.unit_leader)
    await service.on_deviation_assigned(at(org, event, three_days_ago), event)
    [told] = await inbox(org.unit_leader)
    assert datetime.fromisoformat(told["created_at"]) == three_days_ago
    assert told["read_at"] is None


async def test_an_event_from_a_clock_running_ahead_is_dated_when_it_arrived(
    service: NotificationService, inbox: Inbox, org: TinyOrg
) -> None:
    before = now_utc()
    event = assigned(org, uuid.uuid4(), org.unit_leader)
    await service.on_deviation_assigned(at(org, event, before + timedelta(hours=2)), event)
    [told] = await inbox(org.unit_leader)
    assert before <= datetime.fromisoformat(told["created_at"]) <= now_utc()


async def test_a_notice_of_an_event_older_than_thirty_days_arrives_read_a_younger_one_unread(
    service: NotificationService, inbox: Inbox, org: TinyOrg
) -> None:
    old, recent = assigned(org, uuid.uuid4(), org.unit_leader), assigned(org, uuid.uuid4(), org.unit_leader)
    await service.on_deviation_assigned(at(org, old, now_utc() - STALE_AFTER - timedelta(hours=1)), old)
    await service.on_deviation_assigned(at(org, recent, now_utc() - STALE_AFTER + timedelta(hours=1)), recent)
    read = {n["subject_id"]: n["read_at"] is not None for n in await inbox(org.unit_leader)}
    assert read == {str(old.deviation_id): True, str(recent.deviation_id): False}
    assert [n["subject_id"] for n in await inbox(org.unit_leader, unread_only=True)] == [str(recent.deviation_id)]


async def test_taking_a_case_settles_its_notice_and_closing_it_settles_the_measures_too(
    client: httpx.AsyncClient,
    service: NotificationService,
    token_signer: InternalTokenSigner,
    inbox: Inbox,
    org: TinyOrg,
) -> None:
    case, other_case = uuid.uuid4(), uuid.uuid4()
    for each in (case, other_case):
        event = assigned(org, each, org.unit_leader)
        await service.on_deviation_assigned(envelope_of(org, event), event)
    added = measure(MeasureAdded, org, case, uuid.uuid4())
    await service.on_measure_added(envelope_of(org, added), added)
    assert (
        await unread(client, token_signer, org, org.unit_leader),
        await unread(client, token_signer, org, org.employee),
    ) == (2, 1)

    taken = case_event(DeviationAcknowledged, org, case)
    await service.on_deviation_acknowledged(envelope_of(org, taken), taken)
    assert [n["subject_id"] for n in await inbox(org.unit_leader, unread_only=True)] == [str(other_case)]
    assert await unread(client, token_signer, org, org.employee) == 1

    closed = case_event(DeviationClosed, org, case)
    await service.on_deviation_closed(envelope_of(org, closed), closed)
    assert await unread(client, token_signer, org, org.employee) == 0
    assert await unread(client, token_signer, org, org.unit_leader) == 1


async def test_a_case_forwarded_leaves_the_first_leader_nothing_to_do_and_the_next_one_a_notice(
    service: NotificationService, inbox: Inbox, org: TinyOrg
) -> None:
    case = uuid.uuid4()
    first = assigned(org, case, org.unit_leader)
    await service.on_deviation_assigned(envelope_of(org, first), first)
    onwards = assigned(org, case, org.sector_leader, handling_unit=org.sector_id)
    await service.on_deviation_assigned(envelope_of(org, onwards), onwards)
    assert await inbox(org.unit_leader, unread_only=True) == []
    assert [n["subject_id"] for n in await inbox(org.sector_leader, unread_only=True)] == [str(case)]


async def test_a_late_event_settles_no_notice_newer_than_itself(
    service: NotificationService, inbox: Inbox, org: TinyOrg
) -> None:
    case = uuid.uuid4()
    reassigned = assigned(org, case, org.unit_leader)
    await service.on_deviation_assigned(envelope_of(org, reassigned), reassigned)
    taken_before = case_event(DeviationAcknowledged, org, case)
    await service.on_deviation_acknowledged(at(org, taken_before, now_utc() - timedelta(hours=1)), taken_before)
    assert [n["subject_id"] for n in await inbox(org.unit_leader, unread_only=True)] == [str(case)]


async def test_a_measure_done_settles_its_own_notice_not_another_measure_of_the_same_case(
    service: NotificationService, inbox: Inbox, org: TinyOrg
) -> None:
    case, done, still_open = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    for each in (done, still_open):
        added = measure(MeasureAdded, org, case, each)
        await service.on_measure_added(envelope_of(org, added), added)
    completed = measure(MeasureCompleted, org, case, done)
    await service.on_measure_completed(envelope_of(org, completed), completed)
    assert len(await inbox(org.employee)) == 2
    assert len(await inbox(org.employee, unread_only=True)) == 1


async def test_reading_a_procedure_settles_the_readers_own_request_not_a_colleagues(
    client: httpx.AsyncClient,
    service: NotificationService,
    token_signer: InternalTokenSigner,
    org: TinyOrg,
) -> None:
    document = uuid.uuid4()
    for reader in (org.employee, org.unit_leader):
        asked = reading(ReadingRequested, org, document, reader)
        await service.on_reading_requested(envelope_of(org, asked), asked)
    confirmed = reading(ReadingConfirmed, org, document, org.employee)
    await service.on_reading_confirmed(envelope_of(org, confirmed), confirmed)
    assert await unread(client, token_signer, org, org.employee) == 0
    assert await unread(client, token_signer, org, org.unit_leader) == 1
