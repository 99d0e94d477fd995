"""Rows → the public models: names beside ids, labels in the caller's målform beside keys, and the pages of a
list with their cursors. No I/O: the use cases read the rows and the names (from the directory copy) first."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TypeVar

from varde_common.language import Language
from varde_common.roles import ROLE_TITLES, Role
from varde_documents.access import DocumentAccess, allowed_actions, sees_version
from varde_documents.domain import (
    DOCUMENT_STATUS_LABELS,
    HISTORY_ACTION_LABELS,
    KIND_LABELS,
    READING_STATUS_LABELS,
    VERSION_STATUS_LABELS,
    DocumentKind,
    DocumentStatus,
    HistoryAction,
    ReadingStatus,
    VersionStatus,
    overdue,
)
from varde_documents.models import (
    ApprovalItem,
    AudienceLine,
    Document,
    DocumentAttachment,
    DocumentAudience,
    DocumentHistory,
    DocumentHistoryEntry,
    DocumentLine,
    DocumentPublic,
    DocumentVersion,
    MyReading,
    ReadingListItem,
    ReadingRequest,
    VersionAttachmentPublic,
    VersionPublic,
    VersionSummary,
)

Row = TypeVar("Row")
Names = Mapping[uuid.UUID, str]

# The people a history step names in its details, and the key their name is given under.
_PEOPLE_IN_DETAILS = {"approver_id": "approver_name", "leader_id": "leader_name"}


# ---- documents and versions ---------------------------------------------------------------------------------


def version_summary(version: DocumentVersion, people: Names, language: Language) -> VersionSummary:
    status = VersionStatus(version.status)
    return VersionSummary(
        id=version.id,
        number=version.number,
        title=version.title,
        status=status,
        status_label=VERSION_STATUS_LABELS[status].render(language),
        significant=version.significant,
        author_id=version.author_id,
        author_name=people.get(version.author_id),
        created_at=version.created_at,
        submitted_at=version.submitted_at,
        decided_by=version.decided_by,
        decided_by_name=people.get(version.decided_by) if version.decided_by else None,
        decided_at=version.decided_at,
        rejection_comment=version.rejection_comment,
        published_at=version.published_at,
        change_summary=version.change_summary,
    )


def version_public(
    version: DocumentVersion, html: str, files: Sequence[DocumentAttachment], people: Names, language: Language
) -> VersionPublic:
    """``html`` is the version's content rendered (``render_markdown``); ``people`` names at least the version's
    author and the one who decided it."""
    return VersionPublic(
        **version_summary(version, people, language).model_dump(),
        document_id=version.document_id,
        content=version.content,
        html=html,
        attachments=[VersionAttachmentPublic.model_validate(f, from_attributes=True) for f in files],
    )


def shown_version(document: Document, versions: Sequence[DocumentVersion]) -> DocumentVersion | None:
    """The version a document shows: the one in force, or, once the document is archived, its last one."""
    shown = next((v for v in versions if v.id == document.published_version_id), None)
    if shown is None and document.status == DocumentStatus.ARCHIVED:
        shown = next((v for v in versions if v.status == VersionStatus.ARCHIVED), None)
    return shown


def seen_versions(versions: Sequence[DocumentVersion], access: DocumentAccess) -> list[DocumentVersion]:
    return [v for v in versions if sees_version(v, access)]


def document_public(
    document: Document,
    access: DocumentAccess,
    versions: Sequence[DocumentVersion],
    shown: VersionPublic | None,
    people: Names,
    units: Names,
    language: Language,
    reading: ReadingRequest | None = None,
) -> DocumentPublic:
    """The document with the version it shows and the versions the person sees; ``people`` names its revision
    owner and the seen versions' authors and deciders, ``units`` its owning and approver units."""
    kind, status = DocumentKind(document.kind), DocumentStatus(document.status)
    return DocumentPublic(
        id=document.id,
        title=document.title,
        kind=kind,
        kind_label=KIND_LABELS[kind].render(language),
        status=status,
        status_label=DOCUMENT_STATUS_LABELS[status].render(language),
        owner_unit_id=document.owner_unit_id,
        owner_unit_name=units.get(document.owner_unit_id),
        approver_unit_id=document.approver_unit_id,
        approver_unit_name=units.get(document.approver_unit_id),
        folder_id=document.folder_id,
        tags=document.tags,
        law_references=document.law_references,
        revision_owner_id=document.revision_owner_id,
        revision_owner_name=people.get(document.revision_owner_id),
        revision_interval_months=document.revision_interval_months,
        revision_due=document.revision_due,
        published=shown,
        versions=[version_summary(v, people, language) for v in seen_versions(versions, access)],
        allowed_actions=allowed_actions(document, access, versions),
        my_reading=MyReading(due_on=reading.due_on, confirmed_at=reading.confirmed_at) if reading else None,
    )


def document_line(document: Document, units: Names, language: Language) -> DocumentLine:
    kind = DocumentKind(document.kind)
    return DocumentLine(
        id=document.id,
        title=document.title,
        kind=kind,
        kind_label=KIND_LABELS[kind].render(language),
        status=DocumentStatus(document.status),
        owner_unit_id=document.owner_unit_id,
        owner_unit_name=units.get(document.owner_unit_id),
        folder_id=document.folder_id,
        tags=document.tags,
        in_force=document.published_version_id is not None,
        revision_due=document.revision_due,
    )


def approval_item(
    version: DocumentVersion, document: Document, people: Names, units: Names, language: Language
) -> ApprovalItem:
    """A submitted version in the approval queue; ``people`` names its author, ``units`` the document's units."""
    assert version.submitted_at is not None, "only a submitted version waits for approval"
    kind = DocumentKind(document.kind)
    return ApprovalItem(
        document_id=document.id,
        version_id=version.id,
        version_number=version.number,
        title=version.title,
        kind=kind,
        kind_label=KIND_LABELS[kind].render(language),
        owner_unit_id=document.owner_unit_id,
        owner_unit_name=units.get(document.owner_unit_id),
        approver_unit_id=document.approver_unit_id,
        approver_unit_name=units.get(document.approver_unit_id),
        author_id=version.author_id,
        author_name=people.get(version.author_id),
        submitted_at=version.submitted_at,
        change_summary=version.change_summary,
        significant=version.significant,
        replaces_version=document.published_version_id is not None,
    )


def kind_label(kind: str, language: Language) -> str:
    return KIND_LABELS[DocumentKind(kind)].render(language)


# ---- history -------------------------------------------------------------------------------------------------


def history_people(rows: Iterable[DocumentHistory]) -> set[uuid.UUID]:
    """Everyone a page of history names: who acted, and the people its details mention."""
    found: set[uuid.UUID] = set()
    for row in rows:
        if row.actor_id is not None:
            found.add(row.actor_id)
        found |= {uuid.UUID(row.details[key]) for key in _PEOPLE_IN_DETAILS if row.details.get(key)}
    return found


def history_entry(row: DocumentHistory, people: Names, language: Language) -> DocumentHistoryEntry:
    """One step of the history: who took it by name, the action's label, and beside each person its details
    name (``approver_id``, ``leader_id``) their name."""
    details = dict(row.details)
    for key, name_key in _PEOPLE_IN_DETAILS.items():
        if row.details.get(key):
            details[name_key] = people.get(uuid.UUID(row.details[key]))
    return DocumentHistoryEntry(
        at=row.at,
        actor_id=row.actor_id,
        actor_name=people.get(row.actor_id) if row.actor_id else None,
        action=HistoryAction(row.action),
        action_label=HISTORY_ACTION_LABELS[HistoryAction(row.action)].render(language),
        version_id=row.version_id,
        details=details,
    )


# ---- reading -------------------------------------------------------------------------------------------------


def audience_line(row: DocumentAudience, units: Names, people: Names, language: Language) -> AudienceLine:
    role = Role(row.role) if row.role else None
    return AudienceLine(
        unit_id=row.unit_id,
        unit_name=units.get(row.unit_id) if row.unit_id else None,
        role=role,
        role_label=ROLE_TITLES[role].render(language) if role else None,
        person_id=row.person_id,
        person_name=people.get(row.person_id) if row.person_id else None,
        include_subtree=row.include_subtree,
    )


def reading_item(request: ReadingRequest, version: DocumentVersion, today: date) -> ReadingListItem:
    """One line of a reading list; ``today`` is the Oslo date the deadline is measured against."""
    return ReadingListItem(
        document_id=request.document_id,
        version_id=request.version_id,
        version_number=version.number,
        title=version.title,
        requested_at=request.requested_at,
        due_on=request.due_on,
        confirmed_at=request.confirmed_at,
        overdue=overdue(request.due_on, request.confirmed_at is not None, today),
    )


def reading_status(asked: bool, confirmed: bool) -> ReadingStatus | None:
    if not asked:
        return None
    return ReadingStatus.CONFIRMED if confirmed else ReadingStatus.TO_READ


def reading_label(status: ReadingStatus | None, language: Language) -> str | None:
    return READING_STATUS_LABELS[status].render(language) if status else None
