"""Events of the documents service: procedures submitted, approved (published), rejected and archived.

Titles and content stay in the documents service; events carry ids, units, the version number and dates, and
person ids only where someone must be told (the approver, the author, the revision owner).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import ClassVar, Literal

from varde_common.events.base import Event

DOCUMENT_TOPIC = "varde.documents.document"

DocumentKindName = Literal["prosedyre", "retningslinje", "skjema", "plan", "instruks", "annet"]
"""The kinds of document (prosedyre, retningslinje, …): the documents service's ``DocumentKind``."""


class DocumentEvent(Event):
    """What every document event says about the document; fields added after v1 have defaults (additive)."""

    topic: ClassVar[str] = DOCUMENT_TOPIC
    key_field: ClassVar[str] = "document_id"

    document_id: uuid.UUID
    kind: DocumentKindName
    owner_unit_id: uuid.UUID
    approver_unit_id: uuid.UUID
    at: datetime


class DocumentSubmitted(DocumentEvent):
    """A draft was sent for approval; ``approver_id`` is the leader who is asked (none if the unit has none)."""

    type: ClassVar[str] = "no.varde.document.submitted.v1"

    version_id: uuid.UUID
    version_number: int
    author_id: uuid.UUID
    approver_id: uuid.UUID | None = None


class DocumentApproved(DocumentEvent):
    """A version was approved and is now the one in force (publisert); the one before it is superseded."""

    type: ClassVar[str] = "no.varde.document.approved.v1"

    version_id: uuid.UUID
    version_number: int
    significant: bool
    author_id: uuid.UUID
    approved_by: uuid.UUID
    revision_owner_id: uuid.UUID
    revision_due: date


class DocumentRejected(DocumentEvent):
    """A submitted draft went back to its author with a comment (the comment stays in the service)."""

    type: ClassVar[str] = "no.varde.document.rejected.v1"

    version_id: uuid.UUID
    version_number: int
    author_id: uuid.UUID
    rejected_by: uuid.UUID


class DocumentArchived(DocumentEvent):
    """The document is no longer in force; its last published version is kept for the record."""

    type: ClassVar[str] = "no.varde.document.archived.v1"

    archived_by: uuid.UUID


class ProcedureDueForRevision(DocumentEvent):
    """The document's revision date is near (the kommune's lead time): its revision owner must revise it or
    confirm that it is still valid. Raised once per revision cycle."""

    type: ClassVar[str] = "no.varde.document.dueforrevision.v1"

    version_id: uuid.UUID | None = None
    revision_owner_id: uuid.UUID
    revision_due: date


class ProcedureRevisionOverdue(DocumentEvent):
    """The revision date has passed: the revision owner and the owning unit's leader (``leader_id``) are told.
    Raised once per revision cycle."""

    type: ClassVar[str] = "no.varde.document.revisionoverdue.v1"

    version_id: uuid.UUID | None = None
    revision_owner_id: uuid.UUID
    revision_due: date
    leader_id: uuid.UUID | None = None


class ProcedureConfirmedValid(DocumentEvent):
    """The revision owner (or a leader) confirmed the version in force is still valid: a new cycle started."""

    type: ClassVar[str] = "no.varde.document.confirmedvalid.v1"

    version_id: uuid.UUID
    confirmed_by: uuid.UUID
    revision_due: date


class ReadingRequested(DocumentEvent):
    """A person is asked to read and confirm a version (leseliste), by ``due_on``: its audience when it came
    into force, or later when the person joined the audience."""

    type: ClassVar[str] = "no.varde.document.readingrequested.v1"

    version_id: uuid.UUID
    version_number: int
    person_id: uuid.UUID
    due_on: date


class ReadingConfirmed(DocumentEvent):
    """A person confirmed "read and understood" for this exact version (lesebekreftelse)."""

    type: ClassVar[str] = "no.varde.document.readingconfirmed.v1"

    version_id: uuid.UUID
    version_number: int
    person_id: uuid.UUID
