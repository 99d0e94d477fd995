"""When a notification is dated and when it no longer asks anything of anyone (settled). No I/O.

A notification is dated by the event that caused it (its CloudEvent ``time``), not by when this service got
round to it: a worker that was down for an hour, or a history replayed from the outbox, must not put old news
on top of the inbox. An event stamped ahead of this service's clock is dated when it arrives, so a clock
running ahead elsewhere cannot pin a notice to the top.

A notice about something that happened long ago arrives read: a person opening Varde after a replay of two
years of events is told of what is theirs to act on now, not of every case since. And a later event about the
same thing settles the notices it answers (the case taken into treatment, the draft approved, the measure
done, the procedure read): they are marked read, for everyone they were sent to, at the time of that event.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from varde_notifications.domain import NotificationKind

STALE_AFTER = timedelta(days=30)


def dated(event_time: datetime, arrived_at: datetime) -> datetime:
    """The time a notification shows: its event's, unless that lies ahead of its arrival."""
    return min(event_time, arrived_at)


def arrives_read(event_time: datetime, arrived_at: datetime) -> bool:
    """A notice of an event more than ``STALE_AFTER`` old is stored as read."""
    return arrived_at - event_time > STALE_AFTER


@dataclass(frozen=True)
class Settles:
    """The earlier unread notices of the same subject an event answers: of these ``kinds``, and only those of
    ``recipient_id`` or about ``detail_id`` when given."""

    kinds: frozenset[NotificationKind]
    recipient_id: uuid.UUID | None = None
    detail_id: uuid.UUID | None = None


def settles(
    *kinds: NotificationKind, recipient_id: uuid.UUID | None = None, detail_id: uuid.UUID | None = None
) -> Settles:
    return Settles(frozenset(kinds), recipient_id=recipient_id, detail_id=detail_id)


K = NotificationKind
# A case that is taken, moved on, closed or rejected no longer waits for the person it was given to.
CASE_TAKEN = settles(K.DEVIATION_TO_HANDLE)
CASE_ENDED = settles(K.DEVIATION_TO_HANDLE, K.MEASURE_ASSIGNED, K.MEASURE_OVERDUE)
DRAFT_DECIDED = settles(K.DOCUMENT_TO_APPROVE)
DOCUMENT_ARCHIVED = settles(
    K.DOCUMENT_TO_APPROVE, K.DOCUMENT_TO_READ, K.DOCUMENT_REVISION_DUE, K.DOCUMENT_REVISION_OVERDUE
)
REVISION_DONE = settles(K.DOCUMENT_REVISION_DUE, K.DOCUMENT_REVISION_OVERDUE)
# A version approved is also the revision done.
DRAFT_APPROVED = settles(K.DOCUMENT_TO_APPROVE, K.DOCUMENT_REVISION_DUE, K.DOCUMENT_REVISION_OVERDUE)
ASSESSMENT_DECIDED = settles(K.RISK_ASSESSMENT_TO_APPROVE, K.RISK_REVIEW_DUE, K.RISK_REVIEW_OVERDUE)
ASSESSMENT_ARCHIVED = settles(
    K.RISK_ASSESSMENT_OWNED,
    K.RISK_ASSESSMENT_TO_APPROVE,
    K.RISK_REVIEW_DUE,
    K.RISK_REVIEW_OVERDUE,
    K.RISK_ABOVE_ACCEPTANCE,
    K.RISK_MEASURE_ASSIGNED,
    K.RISK_MEASURE_OVERDUE,
)


def measure_settled(measure_id: uuid.UUID) -> Settles:
    """A measure done, or given to someone else: its earlier notices ask nothing more of whom they went to."""
    return settles(K.MEASURE_ASSIGNED, K.MEASURE_OVERDUE, detail_id=measure_id)


def risk_measure_settled(measure_id: uuid.UUID) -> Settles:
    return settles(K.RISK_MEASURE_ASSIGNED, K.RISK_MEASURE_OVERDUE, detail_id=measure_id)


def reading_done(person_id: uuid.UUID) -> Settles:
    return settles(K.DOCUMENT_TO_READ, recipient_id=person_id)
