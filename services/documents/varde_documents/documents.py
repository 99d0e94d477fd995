"""Documents and their details: making one (with its first draft), reading it, listing, changing its details,
archiving it, and its history.

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
from varde_common.directory_replica import holds_any_role, line_above, person_names, subtree, unit_names
from varde_common.events import DocumentArchived
from varde_common.identity import Identity
from varde_common.language import DEFAULT_LANGUAGE, Language
from varde_common.outbox import add_events
from varde_common.pages import PageRequest, keyset, page_of
from varde_documents import reading_queries, repository, views
from varde_documents.access import (
    DocumentAccess,
    check_may_decide,
    document_access,
    draft_reach,
    may_write_in,
    visible,
    writable,
)
from varde_documents.comparison import Comparer, ComparerBusy
from varde_documents.domain import DocumentKind, DocumentStatus, HistoryAction, VersionStatus, revision_due
from varde_documents.errors import (
    ApproverNotAboveOwner,
    DocumentCreateForbidden,
    DocumentHistoryForbidden,
    PreviewBusy,
    UnknownFolder,
    UnknownOwnerUnit,
    UnknownRevisionOwner,
)
from varde_documents.models import (
    Document,
    DocumentChange,
    DocumentCreate,
    DocumentPage,
    DocumentPublic,
    DocumentVersion,
    HistoryPage,
    MarkdownPreview,
    VersionPublic,
)
from varde_documents.records import SOURCE, facts, record


async def load_version(
    session: AsyncSession, version: DocumentVersion, language: Language, worker: Comparer
) -> VersionPublic:
    """A version as its reader sees it: rendered, with its attachments and the names of who wrote and decided it."""
    files = await repository.attachments_of(session, version.id)
    people = await person_names(session, [version.author_id, version.decided_by])
    return views.version_public(version, await worker.html(version.content), files, people, language)


async def load_document(
    session: AsyncSession,
    document: Document,
    access: DocumentAccess,
    language: Language,
    worker: Comparer,
    reader: uuid.UUID,
) -> DocumentPublic:
    """The document as this reader sees it: the version it shows, the versions they see, the names beside ids,
    and whether they are asked to read the version shown and have confirmed it."""
    versions = await repository.versions_of(session, document.id)
    seen = views.seen_versions(versions, access)
    people = await person_names(
        session, [document.revision_owner_id, *(v.author_id for v in seen), *(v.decided_by for v in seen)]
    )
    units = await unit_names(session, [document.owner_unit_id, document.approver_unit_id])
    shown = views.shown_version(document, versions)
    published = await load_version(session, shown, language, worker) if shown is not None else None
    reading = await reading_queries.reading_request(session, shown.id, reader) if shown is not None else None
    return views.document_public(document, access, versions, published, people, units, language, reading)


async def check_units(session: AsyncSession, owner_unit_id: uuid.UUID, approver_unit_id: uuid.UUID) -> None:
    """The owning unit exists and is open; the approver unit is it or a unit above it."""
    line = await line_above(session, owner_unit_id)
    if not line or line[0][2]:
        raise UnknownOwnerUnit()
    if approver_unit_id not in {unit_id for unit_id, _, _ in line}:
        raise ApproverNotAboveOwner()


async def check_revision_owner(session: AsyncSession, person_id: uuid.UUID) -> None:
    if not await holds_any_role(session, person_id):
        raise UnknownRevisionOwner()


async def check_folder(session: AsyncSession, folder_id: uuid.UUID | None) -> None:
    if folder_id is not None and not await repository.folder_exists(session, folder_id):
        raise UnknownFolder()


class DocumentService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Callable[[], datetime] = now_utc,
        worker: Comparer | None = None,
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.worker = worker or Comparer()

    async def create(
        self, identity: Identity, body: DocumentCreate, *, language: Language = DEFAULT_LANGUAGE
    ) -> DocumentPublic:
        """A new document with its first draft, by someone who may write documents in the owning unit."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            approver_unit = body.approver_unit_id or body.owner_unit_id
            await check_units(session, body.owner_unit_id, approver_unit)
            if not await may_write_in(session, identity.person_id, body.owner_unit_id):
                raise DocumentCreateForbidden()
            revision_owner = body.revision_owner_id or identity.person_id
            if revision_owner != identity.person_id:
                await check_revision_owner(session, revision_owner)
            await check_folder(session, body.folder_id)
            at = self.clock()
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
            record(session, document, identity.person_id, HistoryAction.CREATED, at, draft, kind=body.kind)
            access = await document_access(session, identity.person_id, document)
            return await load_document(session, document, access, language, self.worker, identity.person_id)

    async def get(
        self, identity: Identity, document_id: uuid.UUID, *, language: Language = DEFAULT_LANGUAGE
    ) -> DocumentPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            document, access = await visible(session, identity.person_id, document_id)
            return await load_document(session, document, access, language, self.worker, identity.person_id)

    async def list_documents(
        self,
        identity: Identity,
        page: PageRequest,
        *,
        folder_id: uuid.UUID | None = None,
        unit_id: uuid.UUID | None = None,
        tag: str | None = None,
        kind: DocumentKind | None = None,
        include_archived: bool = False,
        language: Language = DEFAULT_LANGUAGE,
    ) -> DocumentPage:
        """Documents in force, and those whose drafts the person may open (``access.document_access``), by title;
        with ``unit_id``, those owned by that unit or a unit below it."""
        after = keyset(page, str, uuid.UUID)
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            owner_units = await subtree(session, unit_id) if unit_id is not None else None
            drafts = await draft_reach(session, identity.person_id)
            rows = await repository.list_documents(
                session,
                reader_id=drafts.person_id,
                write_units=drafts.write_units,
                approve_units=drafts.approve_units,
                folder_id=folder_id,
                tag=tag,
                kind=kind,
                include_archived=include_archived,
                after_title=(after[0], after[1]) if after else None,
                limit=page.limit + 1,
                owner_units=owner_units,
            )
            shown, cursor = page_of(rows, page.limit, lambda d: (d.title, d.id))
            units = await unit_names(session, [d.owner_unit_id for d in shown])
            return DocumentPage(items=[views.document_line(d, units, language) for d in shown], next_cursor=cursor)

    async def preview(self, content: str) -> MarkdownPreview:
        """The HTML a reader would see of ``content``, rendered by the same rule as a saved version; nothing is
        stored, so anyone signed in may ask (an editor previews before the document exists)."""
        try:
            return MarkdownPreview(html=await self.worker.html(content))
        except ComparerBusy:
            raise PreviewBusy() from None

    async def change(
        self,
        identity: Identity,
        document_id: uuid.UUID,
        body: DocumentChange,
        *,
        language: Language = DEFAULT_LANGUAGE,
    ) -> DocumentPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            document, access = await writable(session, identity.person_id, document_id)
            changes = {
                k: v
                for k, v in body.model_dump(exclude_unset=True).items()
                if v != getattr(document, k) and v is not None
            }
            if "approver_unit_id" in changes:
                await check_units(session, document.owner_unit_id, changes["approver_unit_id"])
            if "revision_owner_id" in changes:
                await check_revision_owner(session, changes["revision_owner_id"])
            await check_folder(session, changes.get("folder_id"))
            if changes:
                at = self.clock()
                for name, value in changes.items():
                    setattr(document, name, value)
                if "revision_interval_months" in changes and document.revision_cycle_started is not None:
                    document.revision_due = revision_due(
                        document.revision_cycle_started, document.revision_interval_months
                    )
                document.updated_at = at
                session.add(document)
                record(session, document, identity.person_id, HistoryAction.CHANGED, at, changed=sorted(changes))
            return await load_document(session, document, access, language, self.worker, identity.person_id)

    async def archive(
        self, identity: Identity, document_id: uuid.UUID, *, language: Language = DEFAULT_LANGUAGE
    ) -> DocumentPublic:
        """The document is no longer in force; its last version stays readable, marked archived."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            document, access = await visible(session, identity.person_id, document_id, for_update=True)
            check_may_decide(document, access)
            at = self.clock()
            published = await repository.published_version(session, document.id)
            if published is not None:
                published.status = VersionStatus.ARCHIVED
                session.add(published)
            document.status, document.published_version_id = DocumentStatus.ARCHIVED, None
            document.revision_due, document.updated_at = None, at
            session.add(document)
            record(session, document, identity.person_id, HistoryAction.ARCHIVED, at, published)
            event = DocumentArchived(**facts(document, at), archived_by=identity.person_id)
            await add_events(session, [event], tenant_id=document.tenant_id, source=SOURCE)
            return await load_document(session, document, access, language, self.worker, identity.person_id)

    async def history(
        self,
        identity: Identity,
        document_id: uuid.UUID,
        page: PageRequest,
        *,
        language: Language = DEFAULT_LANGUAGE,
    ) -> HistoryPage:
        """Every step of the document, oldest first, with who took it: for its writers and approvers."""
        after = keyset(page, datetime.fromisoformat, int)
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            _, access = await visible(session, identity.person_id, document_id)
            if not access.see_drafts:
                raise DocumentHistoryForbidden()
            rows = await repository.history_page(
                session, document_id, (after[0], after[1]) if after else None, page.limit + 1
            )
            shown, cursor = page_of(rows, page.limit, lambda h: (h.at.isoformat(), h.id))
            people = await person_names(session, views.history_people(shown))
            return HistoryPage(items=[views.history_entry(h, people, language) for h in shown], next_cursor=cursor)
