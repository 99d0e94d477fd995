"""Versions of a document: drafts, sending one for approval, approving it into force (the right leader, never its
author), rejecting it with a comment, withdrawing it; reading one version and what changed between two.

Each use case owns its transaction and writes its history and its events in it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import now_utc
from varde_common.db import tenant_transaction
from varde_common.directory_replica import nearest_leader
from varde_common.events import DocumentApproved, DocumentRejected, DocumentSubmitted
from varde_common.identity import Identity
from varde_common.language import DEFAULT_LANGUAGE, Language
from varde_common.outbox import add_events
from varde_documents import repository
from varde_documents.access import (
    decidable_version,
    sees_version,
    visible,
    visible_version,
    writable,
    writable_version,
)
from varde_documents.comparison import Comparer, ComparerBusy
from varde_documents.difference import DifferenceTooLarge
from varde_documents.documents import load_document, load_version
from varde_documents.domain import (
    HistoryAction,
    IllegalVersionTransitionError,
    VersionAction,
    VersionStatus,
    next_version_status,
)
from varde_documents.errors import (
    DifferenceBusy,
    DifferenceTooLargeToShow,
    DocumentVersionNumberNotFound,
    EmptyDraft,
    IllegalVersionTransition,
    NoEarlierVersion,
)
from varde_documents.models import (
    DocumentPublic,
    DocumentVersion,
    DraftCreate,
    DraftEdit,
    VersionPublic,
    VersionRejection,
)
from varde_documents.records import SOURCE, facts, record
from varde_documents.revision import start_revision_cycle


def next_status(version: DocumentVersion, action: VersionAction) -> VersionStatus:
    """Where the workflow table takes the version; 409 when its status does not allow the step."""
    status = VersionStatus(version.status)
    try:
        return next_version_status(status, action)
    except IllegalVersionTransitionError:
        raise IllegalVersionTransition(version_status=status, action=action) from None


def step(version: DocumentVersion, action: VersionAction) -> None:
    version.status = next_status(version, action)


class VersionService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Callable[[], datetime] = now_utc,
        comparer: Comparer | None = None,
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.comparer = comparer or Comparer()

    async def version(
        self,
        identity: Identity,
        document_id: uuid.UUID,
        version_id: uuid.UUID,
        *,
        language: Language = DEFAULT_LANGUAGE,
    ) -> VersionPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            _, _, version = await visible_version(session, identity.person_id, document_id, version_id)
            return await load_version(session, version, language, self.comparer)

    async def diff(self, identity: Identity, document_id: uuid.UUID, old: int | None, new: int | None) -> bytes:
        """What changed between two versions (by number), line by line, as the JSON document of ``VersionDiff``; by
        default what the version in force changed from the one before it. The lines are compared in the worker
        process, after the transaction: 422 when that would cost more than the cap allows."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            _, access = await visible(session, identity.person_id, document_id)
            versions = await repository.versions_of(session, document_id)
            by_number = {v.number: v for v in versions if sees_version(v, access)}
            if new is None:
                in_force = [n for n, v in by_number.items() if v.status == VersionStatus.PUBLISHED]
                new = in_force[0] if in_force else max(by_number)
            if old is None:
                old = max((n for n in by_number if n < new), default=None)
                if old is None:
                    raise NoEarlierVersion()
            for number in (old, new):
                if number not in by_number:
                    raise DocumentVersionNumberNotFound(number=number)
            before, after = by_number[old], by_number[new]
            files_before = {(f.filename, f.sha256) for f in await repository.attachments_of(session, before.id)}
            files_after = {(f.filename, f.sha256) for f in await repository.attachments_of(session, after.id)}
        header = {
            "document_id": str(document_id),
            "old_version": old,
            "new_version": new,
            "title_changed": before.title != after.title,
            "attachments_added": sorted(name for name, _ in files_after - files_before),
            "attachments_removed": sorted(name for name, _ in files_before - files_after),
        }
        try:
            return await self.comparer.difference_json(header, before.content, after.content)
        except DifferenceTooLarge:
            raise DifferenceTooLargeToShow(old=old, new=new) from None
        except ComparerBusy:
            raise DifferenceBusy() from None

    async def new_draft(
        self,
        identity: Identity,
        document_id: uuid.UUID,
        body: DraftCreate,
        *,
        language: Language = DEFAULT_LANGUAGE,
    ) -> VersionPublic:
        """A new draft: a copy of the version in force unless other content is given. The version in force stays
        as it is until the draft is approved."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            document, _ = await writable(session, identity.person_id, document_id)
            published = await repository.published_version(session, document.id)
            at = self.clock()
            draft = DocumentVersion(
                tenant_id=document.tenant_id,
                document_id=document.id,
                number=await repository.next_version_number(session, document.id),
                title=body.title or (published.title if published else document.title),
                content=body.content if body.content is not None else (published.content if published else ""),
                change_summary=body.change_summary,
                significant=body.significant,
                author_id=identity.person_id,
                created_at=at,
                updated_at=at,
            )
            session.add(draft)
            await session.flush()
            if published is not None:
                await repository.copy_attachments(session, published.id, draft.id)
            record(session, document, identity.person_id, HistoryAction.DRAFT_CREATED, at, draft, number=draft.number)
            return await load_version(session, draft, language, self.comparer)

    async def edit_draft(
        self,
        identity: Identity,
        document_id: uuid.UUID,
        version_id: uuid.UUID,
        body: DraftEdit,
        *,
        language: Language = DEFAULT_LANGUAGE,
    ) -> VersionPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            document, _, version = await writable_version(session, identity.person_id, document_id, version_id)
            step(version, VersionAction.EDIT)
            changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None}
            at = self.clock()
            for name, value in changes.items():
                setattr(version, name, value)
            version.updated_at = at
            session.add(version)
            record(
                session, document, identity.person_id, HistoryAction.DRAFT_EDITED, at, version, changed=sorted(changes)
            )
            return await load_version(session, version, language, self.comparer)

    async def submit(
        self,
        identity: Identity,
        document_id: uuid.UUID,
        version_id: uuid.UUID,
        *,
        language: Language = DEFAULT_LANGUAGE,
    ) -> VersionPublic:
        """Send a draft for approval; the leader of the approver unit (or the nearest above) who did not write it
        is asked."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            document, _, version = await writable_version(session, identity.person_id, document_id, version_id)
            step(version, VersionAction.SUBMIT)
            if not version.content.strip():
                raise EmptyDraft()
            at = self.clock()
            version.submitted_at, version.rejection_comment = at, None
            session.add(version)
            approver = await nearest_leader(session, document.approver_unit_id, other_than=version.author_id)
            record(session, document, identity.person_id, HistoryAction.SUBMITTED, at, version, approver_id=approver)
            event = DocumentSubmitted(
                **facts(document, at),
                version_id=version.id,
                version_number=version.number,
                author_id=version.author_id,
                approver_id=approver,
            )
            await add_events(session, [event], tenant_id=document.tenant_id, source=SOURCE)
            return await load_version(session, version, language, self.comparer)

    async def withdraw(
        self,
        identity: Identity,
        document_id: uuid.UUID,
        version_id: uuid.UUID,
        *,
        language: Language = DEFAULT_LANGUAGE,
    ) -> VersionPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            document, _, version = await writable_version(session, identity.person_id, document_id, version_id)
            step(version, VersionAction.WITHDRAW)
            at = self.clock()
            version.submitted_at = None
            session.add(version)
            record(session, document, identity.person_id, HistoryAction.WITHDRAWN, at, version)
            return await load_version(session, version, language, self.comparer)

    async def approve(
        self,
        identity: Identity,
        document_id: uuid.UUID,
        version_id: uuid.UUID,
        *,
        language: Language = DEFAULT_LANGUAGE,
    ) -> DocumentPublic:
        """The version comes into force: the one before it is superseded, and a new revision cycle starts."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            document, access, version = await decidable_version(
                session, identity.person_id, document_id, version_id, approving=True
            )
            # One version is in force at a time (a unique index holds it): the old one steps down first. If this
            # approval fails below, the transaction takes that back.
            in_force = next_status(version, VersionAction.APPROVE)
            previous = await repository.published_version(session, document.id)
            if previous is not None:
                previous.status = VersionStatus.SUPERSEDED
                session.add(previous)
                await session.flush()
            version.status = in_force
            at = self.clock()
            version.decided_by, version.decided_at, version.published_at = identity.person_id, at, at
            session.add(version)
            document.published_version_id, document.title = version.id, version.title
            start_revision_cycle(document, at)
            session.add(document)
            record(
                session,
                document,
                identity.person_id,
                HistoryAction.APPROVED,
                at,
                version,
                number=version.number,
                superseded=previous.number if previous else None,
                revision_due=document.revision_due,
            )
            event = DocumentApproved(
                **facts(document, at),
                version_id=version.id,
                version_number=version.number,
                significant=version.significant,
                author_id=version.author_id,
                approved_by=identity.person_id,
                revision_owner_id=document.revision_owner_id,
                revision_due=document.revision_due,
            )
            # The audience is asked by the worker when this event comes back (ReadingService.ask_audience): the
            # approval returns at once however large the audience is.
            await add_events(session, [event], tenant_id=document.tenant_id, source=SOURCE)
            return await load_document(session, document, access, language, self.comparer, identity.person_id)

    async def reject(
        self,
        identity: Identity,
        document_id: uuid.UUID,
        version_id: uuid.UUID,
        body: VersionRejection,
        *,
        language: Language = DEFAULT_LANGUAGE,
    ) -> VersionPublic:
        """Back to the author as a draft, with the approver's comment."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            document, _, version = await decidable_version(session, identity.person_id, document_id, version_id)
            step(version, VersionAction.REJECT)
            at = self.clock()
            version.decided_by, version.decided_at, version.rejection_comment = identity.person_id, at, body.comment
            version.submitted_at = None
            session.add(version)
            record(session, document, identity.person_id, HistoryAction.REJECTED, at, version, comment=body.comment)
            event = DocumentRejected(
                **facts(document, at),
                version_id=version.id,
                version_number=version.number,
                author_id=version.author_id,
                rejected_by=identity.person_id,
            )
            await add_events(session, [event], tenant_id=document.tenant_id, source=SOURCE)
            return await load_version(session, version, language, self.comparer)
