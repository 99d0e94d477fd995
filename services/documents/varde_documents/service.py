"""Use cases of documents: a document and its drafts, approval by the right leader, publishing, archiving.

Each use case owns its transaction and writes its history and its events in it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.directory_replica import line_above, nearest_leader
from varde_common.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from varde_common.events import (
    DocumentApproved,
    DocumentArchived,
    DocumentRejected,
    DocumentSubmitted,
    Event,
    ProcedureConfirmedValid,
)
from varde_common.identity import Identity
from varde_common.outbox import add_events
from varde_documents import repository
from varde_documents.access import (
    DocumentAccess,
    document_access,
    draft_units,
    may_write_in,
    readable,
    sees_version,
    writable,
)
from varde_documents.domain import (
    STATUS_LABELS,
    DocumentKind,
    DocumentStatus,
    IllegalVersionTransitionError,
    VersionAction,
    VersionStatus,
    line_diff,
    next_version_status,
    render_markdown,
    revision_due,
)
from varde_documents.models import (
    DiffLinePublic,
    Document,
    DocumentChange,
    DocumentCreate,
    DocumentHistoryEntry,
    DocumentPublic,
    DocumentVersion,
    DraftCreate,
    DraftEdit,
    Folder,
    FolderCreate,
    FolderPublic,
    StillValid,
    VersionAttachmentPublic,
    VersionDiff,
    VersionPublic,
    VersionRejection,
    VersionSummary,
    now,
)
from varde_documents.records import SOURCE, facts, record


def _invalid(field: str, message: str, code: str, detail: str) -> InvalidInputError:
    return InvalidInputError(detail, extra={"errors": [{"field": field, "message": message, "code": code}]})


def start_revision_cycle(document: Document, at: datetime) -> None:
    """A version came into force or was confirmed still valid: the next revision is due one interval later, and
    the revision job may speak again for it."""
    document.revision_cycle_started = at.date()
    document.revision_due = revision_due(at.date(), document.revision_interval_months)
    document.due_notified_for = document.overdue_notified_for = None
    document.updated_at = at


def summary(version: DocumentVersion) -> VersionSummary:
    status = VersionStatus(version.status)
    return VersionSummary(
        id=version.id,
        number=version.number,
        title=version.title,
        status=status,
        status_label=STATUS_LABELS[status],
        significant=version.significant,
        author_id=version.author_id,
        created_at=version.created_at,
        submitted_at=version.submitted_at,
        decided_by=version.decided_by,
        decided_at=version.decided_at,
        rejection_comment=version.rejection_comment,
        published_at=version.published_at,
        change_summary=version.change_summary,
    )


async def version_public(session: AsyncSession, version: DocumentVersion) -> VersionPublic:
    files = await repository.attachments_of(session, version.id)
    return VersionPublic(
        **summary(version).model_dump(),
        document_id=version.document_id,
        content=version.content,
        html=render_markdown(version.content),
        attachments=[VersionAttachmentPublic.model_validate(f, from_attributes=True) for f in files],
    )


def allowed(document: Document, access: DocumentAccess, versions: Sequence[DocumentVersion]) -> list[str]:
    if document.status == DocumentStatus.ARCHIVED:
        return []
    actions: list[str] = []
    if access.write:
        actions += ["new_draft", "change"]
        if any(v.status == VersionStatus.DRAFT for v in versions):
            actions += ["edit", "submit"]
        if any(v.status == VersionStatus.SUBMITTED for v in versions):
            actions.append("withdraw")
    if access.approve:
        if any(v.status == VersionStatus.SUBMITTED for v in versions):
            actions += ["approve", "reject"]
        actions.append("archive")
    if (access.write or access.approve) and document.published_version_id is not None:
        actions.append("confirm_valid")
    return actions


class DocumentService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    # ---- reading ---------------------------------------------------------------------------------------------

    async def _public(self, session: AsyncSession, document: Document, access: DocumentAccess) -> DocumentPublic:
        versions = await repository.versions_of(session, document.id)
        published = next((v for v in versions if v.id == document.published_version_id), None)
        if published is None and document.status == DocumentStatus.ARCHIVED:
            published = next((v for v in versions if v.status == VersionStatus.ARCHIVED), None)
        return DocumentPublic(
            id=document.id,
            title=document.title,
            kind=DocumentKind(document.kind),
            status=DocumentStatus(document.status),
            owner_unit_id=document.owner_unit_id,
            approver_unit_id=document.approver_unit_id,
            folder_id=document.folder_id,
            tags=document.tags,
            law_references=document.law_references,
            revision_owner_id=document.revision_owner_id,
            revision_interval_months=document.revision_interval_months,
            revision_due=document.revision_due,
            published=await version_public(session, published) if published else None,
            versions=[summary(v) for v in versions if sees_version(v, access)],
            allowed_actions=allowed(document, access, versions),
        )

    async def get(self, identity: Identity, document_id: uuid.UUID) -> DocumentPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            document, access = await readable(session, identity.person_id, document_id)
            return await self._public(session, document, access)

    async def version(self, identity: Identity, document_id: uuid.UUID, version_id: uuid.UUID) -> VersionPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            _, access = await readable(session, identity.person_id, document_id)
            version = await repository.get_version(session, document_id, version_id)
            if version is None or not sees_version(version, access):
                raise NotFoundError("Versjonen finnes ikke.")
            return await version_public(session, version)

    async def diff(self, identity: Identity, document_id: uuid.UUID, old: int | None, new: int | None) -> VersionDiff:
        """What changed between two versions (by number), line by line; by default what the version in force
        changed from the one before it."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            _, access = await readable(session, identity.person_id, document_id)
            versions = await repository.versions_of(session, document_id)
            by_number = {v.number: v for v in versions if sees_version(v, access)}
            if new is None:
                in_force = [n for n, v in by_number.items() if v.status == VersionStatus.PUBLISHED]
                new = in_force[0] if in_force else max(by_number)
            if old is None:
                old = max((n for n in by_number if n < new), default=None)
                if old is None:
                    raise NotFoundError("Det finnes ingen tidligere versjon å sammenligne med.")
            if old not in by_number or new not in by_number:
                missing = old if old not in by_number else new
                raise NotFoundError(f"Versjon {missing} finnes ikke.")
            before, after = by_number[old], by_number[new]
            files_before = {(f.filename, f.sha256) for f in await repository.attachments_of(session, before.id)}
            files_after = {(f.filename, f.sha256) for f in await repository.attachments_of(session, after.id)}
            return VersionDiff(
                document_id=document_id,
                old_version=old,
                new_version=new,
                title_changed=before.title != after.title,
                lines=[DiffLinePublic(**line.__dict__) for line in line_diff(before.content, after.content)],
                attachments_added=sorted(name for name, _ in files_after - files_before),
                attachments_removed=sorted(name for name, _ in files_before - files_after),
            )

    async def history(self, identity: Identity, document_id: uuid.UUID) -> list[DocumentHistoryEntry]:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            _, access = await readable(session, identity.person_id, document_id)
            if not access.see_drafts:
                raise ForbiddenError("Historikken er for dem som skriver og godkjenner dokumentet.")
            return [
                DocumentHistoryEntry(
                    at=h.at, actor_id=h.actor_id, action=h.action, version_id=h.version_id, details=h.details
                )
                for h in await repository.history(session, document_id)
            ]

    async def list_documents(
        self,
        identity: Identity,
        *,
        folder_id: uuid.UUID | None,
        tag: str | None,
        kind: str | None,
        include_archived: bool,
        after: tuple[str, uuid.UUID] | None,
        limit: int,
    ) -> Sequence[Document]:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            return await repository.list_documents(
                session,
                owner_units=await draft_units(session, identity.person_id),
                folder_id=folder_id,
                tag=tag,
                kind=kind,
                include_archived=include_archived,
                after_title=after,
                limit=limit,
            )

    # ---- writing ---------------------------------------------------------------------------------------------

    async def _check_units(self, session: AsyncSession, owner_unit_id: uuid.UUID, approver_unit_id: uuid.UUID) -> None:
        line = await line_above(session, owner_unit_id)
        if not line or line[0][2]:
            raise _invalid("owner_unit_id", "ukjent enhet", "unknown_unit", "Enheten finnes ikke i kommunen.")
        if approver_unit_id not in {unit_id for unit_id, _, _ in line}:
            raise _invalid(
                "approver_unit_id",
                "må være eierenheten eller en enhet over den",
                "not_above_owner",
                "Godkjenningen må ligge hos eierenheten eller en enhet over den.",
            )

    async def _check_person(self, session: AsyncSession, field: str, person_id: uuid.UUID) -> None:
        if not await repository.holds_any_role(session, person_id):
            raise _invalid(field, "ukjent person", "unknown_person", "Personen finnes ikke i kommunen.")

    async def create(self, identity: Identity, body: DocumentCreate) -> DocumentPublic:
        """A new document with its first draft, by someone who may write documents in the owning unit."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            approver_unit = body.approver_unit_id or body.owner_unit_id
            await self._check_units(session, body.owner_unit_id, approver_unit)
            if not await may_write_in(session, identity.person_id, body.owner_unit_id):
                raise ForbiddenError("Du kan ikke lage dokumenter for denne enheten.")
            revision_owner = body.revision_owner_id or identity.person_id
            if revision_owner != identity.person_id:
                await self._check_person(session, "revision_owner_id", revision_owner)
            if body.folder_id is not None and await session.get(Folder, body.folder_id) is None:
                raise _invalid("folder_id", "ukjent mappe", "unknown_folder", "Mappen finnes ikke.")
            at = now()
            document = Document(
                tenant_id=identity.tenant_id,
                title=body.title,
                kind=body.kind,
                owner_unit_id=body.owner_unit_id,
                approver_unit_id=approver_unit,
                folder_id=body.folder_id,
                tags=body.tags,
                law_references=body.law_references,
                revision_owner_id=revision_owner,
                revision_interval_months=body.revision_interval_months,
                created_by=identity.person_id,
                created_at=at,
                updated_at=at,
            )
            session.add(document)
            await session.flush()
            draft = DocumentVersion(
                tenant_id=identity.tenant_id,
                document_id=document.id,
                number=1,
                title=body.title,
                content=body.content,
                change_summary=body.change_summary,
                author_id=identity.person_id,
                created_at=at,
                updated_at=at,
            )
            session.add(draft)
            await session.flush()
            record(session, document, identity.person_id, "created", at, draft, kind=body.kind)
            access = await document_access(session, identity.person_id, document)
            return await self._public(session, document, access)

    async def change(self, identity: Identity, document_id: uuid.UUID, body: DocumentChange) -> DocumentPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            document, access = await writable(session, identity.person_id, document_id)
            changes = {
                k: v
                for k, v in body.model_dump(exclude_unset=True).items()
                if v != getattr(document, k) and v is not None
            }
            if "approver_unit_id" in changes:
                await self._check_units(session, document.owner_unit_id, changes["approver_unit_id"])
            if "revision_owner_id" in changes:
                await self._check_person(session, "revision_owner_id", changes["revision_owner_id"])
            if "folder_id" in changes and await session.get(Folder, changes["folder_id"]) is None:
                raise _invalid("folder_id", "ukjent mappe", "unknown_folder", "Mappen finnes ikke.")
            if changes:
                at = now()
                for name, value in changes.items():
                    setattr(document, name, value)
                if "revision_interval_months" in changes and document.revision_cycle_started is not None:
                    document.revision_due = revision_due(
                        document.revision_cycle_started, document.revision_interval_months
                    )
                document.updated_at = at
                session.add(document)
                record(session, document, identity.person_id, "changed", at, changed=sorted(changes))
            return await self._public(session, document, access)

    async def new_draft(self, identity: Identity, document_id: uuid.UUID, body: DraftCreate) -> VersionPublic:
        """A new draft: a copy of the version in force unless other content is given. The version in force stays
        as it is until the draft is approved."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            document, _ = await writable(session, identity.person_id, document_id)
            published = await repository.published_version(session, document.id)
            at = now()
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
            record(session, document, identity.person_id, "draft_created", at, draft, number=draft.number)
            return await version_public(session, draft)

    async def _version_step(
        self,
        session: AsyncSession,
        document_id: uuid.UUID,
        version_id: uuid.UUID,
        action: VersionAction,
    ) -> DocumentVersion:
        version = await repository.get_version(session, document_id, version_id, for_update=True)
        if version is None:
            raise NotFoundError("Versjonen finnes ikke.")
        try:
            version.status = next_version_status(VersionStatus(version.status), action)
        except IllegalVersionTransitionError:
            label = STATUS_LABELS[VersionStatus(version.status)].lower()
            raise ConflictError(
                f"Dette kan ikke gjøres med en versjon som er {label}.",
                extra={"version_status": version.status, "action": action.value},
            ) from None
        return version

    async def edit_draft(
        self, identity: Identity, document_id: uuid.UUID, version_id: uuid.UUID, body: DraftEdit
    ) -> VersionPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            document, _ = await writable(session, identity.person_id, document_id)
            version = await self._version_step(session, document_id, version_id, VersionAction.EDIT)
            changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None}
            at = now()
            for name, value in changes.items():
                setattr(version, name, value)
            version.updated_at = at
            session.add(version)
            record(session, document, identity.person_id, "draft_edited", at, version, changed=sorted(changes))
            return await version_public(session, version)

    async def submit(self, identity: Identity, document_id: uuid.UUID, version_id: uuid.UUID) -> VersionPublic:
        """Send a draft for approval; the leader of the approver unit (or the nearest above) is asked."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            document, _ = await writable(session, identity.person_id, document_id)
            version = await self._version_step(session, document_id, version_id, VersionAction.SUBMIT)
            if not version.content.strip():
                raise _invalid("content", "tomt innhold", "empty", "Et tomt dokument kan ikke sendes til godkjenning.")
            at = now()
            version.submitted_at, version.rejection_comment = at, None
            session.add(version)
            approver = await self._approver(session, document, version.author_id)
            record(session, document, identity.person_id, "submitted", at, version, approver_id=approver)
            event = DocumentSubmitted(
                **facts(document, at),
                version_id=version.id,
                version_number=version.number,
                author_id=version.author_id,
                approver_id=approver,
            )
            await add_events(session, [event], tenant_id=document.tenant_id, source=SOURCE)
            return await version_public(session, version)

    async def _approver(self, session: AsyncSession, document: Document, author: uuid.UUID) -> uuid.UUID | None:
        """The leader nearest at or above the approver unit who did not write the draft."""
        return await nearest_leader(session, document.approver_unit_id, other_than=author)

    async def withdraw(self, identity: Identity, document_id: uuid.UUID, version_id: uuid.UUID) -> VersionPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            document, _ = await writable(session, identity.person_id, document_id)
            version = await self._version_step(session, document_id, version_id, VersionAction.WITHDRAW)
            at = now()
            version.submitted_at = None
            session.add(version)
            record(session, document, identity.person_id, "withdrawn", at, version)
            return await version_public(session, version)

    async def _decidable(
        self, session: AsyncSession, identity: Identity, document_id: uuid.UUID
    ) -> tuple[Document, DocumentAccess]:
        document, access = await readable(session, identity.person_id, document_id, for_update=True)
        if not access.approve:
            raise ForbiddenError("Bare leder for godkjenningsenheten eller over kan godkjenne dette dokumentet.")
        if document.status == DocumentStatus.ARCHIVED:
            raise ConflictError("Dokumentet er arkivert.")
        return document, access

    async def approve(self, identity: Identity, document_id: uuid.UUID, version_id: uuid.UUID) -> DocumentPublic:
        """The version comes into force: the one before it is superseded, and a new revision cycle starts."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            document, access = await self._decidable(session, identity, document_id)
            # One version is in force at a time (a unique index holds it): the old one steps down first. If this
            # approval fails below, the transaction takes that back.
            previous = await repository.published_version(session, document.id)
            if previous is not None:
                previous.status = VersionStatus.SUPERSEDED
                session.add(previous)
                await session.flush()
            version = await self._version_step(session, document_id, version_id, VersionAction.APPROVE)
            if version.author_id == identity.person_id:
                raise ForbiddenError("Du kan ikke godkjenne et utkast du har skrevet selv.")
            at = now()
            version.decided_by, version.decided_at, version.published_at = identity.person_id, at, at
            session.add(version)
            document.published_version_id, document.title = version.id, version.title
            start_revision_cycle(document, at)
            session.add(document)
            record(
                session,
                document,
                identity.person_id,
                "approved",
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
            # The audience is asked by the worker when this event comes back (reading.on_document_approved): the
            # approval returns at once however large the audience is.
            await add_events(session, [event], tenant_id=document.tenant_id, source=SOURCE)
            return await self._public(session, document, access)

    async def reject(
        self, identity: Identity, document_id: uuid.UUID, version_id: uuid.UUID, body: VersionRejection
    ) -> VersionPublic:
        """Back to the author as a draft, with the approver's comment."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            document, _ = await self._decidable(session, identity, document_id)
            version = await self._version_step(session, document_id, version_id, VersionAction.REJECT)
            at = now()
            version.decided_by, version.decided_at, version.rejection_comment = identity.person_id, at, body.comment
            version.submitted_at = None
            session.add(version)
            record(session, document, identity.person_id, "rejected", at, version, comment=body.comment)
            event = DocumentRejected(
                **facts(document, at),
                version_id=version.id,
                version_number=version.number,
                author_id=version.author_id,
                rejected_by=identity.person_id,
            )
            await add_events(session, [event], tenant_id=document.tenant_id, source=SOURCE)
            return await version_public(session, version)

    async def archive(self, identity: Identity, document_id: uuid.UUID) -> DocumentPublic:
        """The document is no longer in force; its last version stays readable, marked archived."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            document, access = await self._decidable(session, identity, document_id)
            at = now()
            published = await repository.published_version(session, document.id)
            if published is not None:
                published.status = VersionStatus.ARCHIVED
                session.add(published)
            document.status, document.published_version_id = DocumentStatus.ARCHIVED, None
            document.revision_due, document.updated_at = None, at
            session.add(document)
            record(session, document, identity.person_id, "archived", at, published)
            events: list[Event] = [DocumentArchived(**facts(document, at), archived_by=identity.person_id)]
            await add_events(session, events, tenant_id=document.tenant_id, source=SOURCE)
            return await self._public(session, document, access)

    async def confirm_still_valid(self, identity: Identity, document_id: uuid.UUID, body: StillValid) -> DocumentPublic:
        """The revision owner (or a writer or leader of the document) looked at the version in force and found it
        still right: a new revision cycle starts, and that is recorded."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            document, access = await readable(session, identity.person_id, document_id, for_update=True)
            if not (access.write or access.approve):
                raise ForbiddenError("Bare revisjonsansvarlig eller ledere for dokumentet kan bekrefte det.")
            if document.status == DocumentStatus.ARCHIVED or document.published_version_id is None:
                raise ConflictError("Dokumentet har ingen gjeldende versjon å bekrefte.")
            at = now()
            start_revision_cycle(document, at)
            session.add(document)
            record(
                session,
                document,
                identity.person_id,
                "confirmed_valid",
                at,
                comment=body.comment,
                revision_due=document.revision_due,
            )
            event = ProcedureConfirmedValid(
                **facts(document, at),
                version_id=document.published_version_id,
                confirmed_by=identity.person_id,
                revision_due=document.revision_due,
            )
            await add_events(session, [event], tenant_id=document.tenant_id, source=SOURCE)
            return await self._public(session, document, access)

    # ---- folders ---------------------------------------------------------------------------------------------

    async def create_folder(self, identity: Identity, body: FolderCreate) -> FolderPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            if not await draft_units(session, identity.person_id):
                raise ForbiddenError("Bare de som skriver dokumenter kan lage mapper.")
            if body.parent_id is not None and await session.get(Folder, body.parent_id) is None:
                raise _invalid("parent_id", "ukjent mappe", "unknown_folder", "Mappen finnes ikke.")
            folder = Folder(tenant_id=identity.tenant_id, name=body.name, parent_id=body.parent_id)
            session.add(folder)
            await session.flush()
            return FolderPublic(id=folder.id, name=folder.name, parent_id=folder.parent_id)

    async def folders(self, identity: Identity) -> list[FolderPublic]:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            return [
                FolderPublic(id=f.id, name=f.name, parent_id=f.parent_id) for f in await repository.folders(session)
            ]
