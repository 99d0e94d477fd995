"""Who may do what with one document, from the directory's roles and tree and the document itself.

- everyone in the kommune reads the version in force (procedures are for everybody);
- writers over the owning unit (leaders, quality roles, tilrettelegger, revisjonsansvarlig) and the document's
  revision owner make and edit drafts and send them for approval; they also see drafts and the history;
- leaders over the approver unit approve or reject a submitted draft, and archive the document, but never
  approve a draft they wrote themselves.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.authz import Action, Authorizer, grants
from varde_common.directory_replica import REPLICA_TREE
from varde_common.errors import ConflictError, ForbiddenError, NotFoundError
from varde_documents import repository
from varde_documents.domain import DocumentStatus, VersionStatus
from varde_documents.models import Document, DocumentVersion

authorizer = Authorizer(REPLICA_TREE)


@dataclass(frozen=True)
class DocumentAccess:
    write: bool  # make and edit drafts, submit them, change the document's details
    approve: bool  # approve or reject submitted drafts, archive
    see_drafts: bool  # drafts, submitted drafts and the history


async def document_access(session: AsyncSession, person_id: uuid.UUID, document: Document) -> DocumentAccess:
    over_owner = await authorizer.roles_over(session, person_id, document.owner_unit_id)
    over_approver = (
        over_owner
        if document.approver_unit_id == document.owner_unit_id
        else await authorizer.roles_over(session, person_id, document.approver_unit_id)
    )
    write = grants(over_owner, Action.WRITE_DOCUMENT) or document.revision_owner_id == person_id
    approve = grants(over_approver, Action.APPROVE_DOCUMENT)
    return DocumentAccess(write=write, approve=approve, see_drafts=write or approve)


async def may_write_in(session: AsyncSession, person_id: uuid.UUID, unit_id: uuid.UUID) -> bool:
    return await authorizer.may(session, person_id, Action.WRITE_DOCUMENT, unit_id)


async def draft_units(session: AsyncSession, person_id: uuid.UUID) -> set[uuid.UUID]:
    """The units whose documents' drafts the person sees in lists."""
    reach = await authorizer.units_where_each(session, person_id, [Action.WRITE_DOCUMENT, Action.APPROVE_DOCUMENT])
    return reach[Action.WRITE_DOCUMENT] | reach[Action.APPROVE_DOCUMENT]


async def readable(
    session: AsyncSession, person_id: uuid.UUID, document_id: uuid.UUID, *, for_update: bool = False
) -> tuple[Document, DocumentAccess]:
    """The document and what the person may do with it; 404 when they may not even know of it (nothing in force
    yet, and they neither write nor approve it)."""
    document = await repository.get_document(session, document_id, for_update=for_update)
    if document is None:
        raise NotFoundError("Dokumentet finnes ikke.")
    access = await document_access(session, person_id, document)
    if document.published_version_id is None and not access.see_drafts:
        raise NotFoundError("Dokumentet finnes ikke.")
    return document, access


async def writable(
    session: AsyncSession, person_id: uuid.UUID, document_id: uuid.UUID
) -> tuple[Document, DocumentAccess]:
    """The document, locked, for someone who may change it: 403 for a reader, 409 once it is archived."""
    document, access = await readable(session, person_id, document_id, for_update=True)
    if not access.write:
        raise ForbiddenError("Du kan lese dokumentet, men ikke endre det.")
    if document.status == DocumentStatus.ARCHIVED:
        raise ConflictError("Dokumentet er arkivert.")
    return document, access


def sees_version(version: DocumentVersion, access: DocumentAccess) -> bool:
    """Readers see what has been in force; drafts are for the writers and approvers."""
    return access.see_drafts or version.status in (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)
