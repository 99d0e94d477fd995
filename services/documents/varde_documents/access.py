"""Who may see and do what with one document, from the directory's roles and tree and the document itself.

- everyone in the kommune reads the version in force (procedures are for everybody);
- writers over the owning unit (leaders, quality roles, tilrettelegger, revisjonsansvarlig) and the document's
  revision owner make and edit drafts and send them for approval; they also see drafts and the history;
- leaders over the approver unit approve or reject a submitted draft, and archive the document, but never
  approve a draft they wrote themselves.

One rule on every route: what the person may not see is 404 (a document with nothing in force, a draft), what
they see but may not do is 403, and what the object's state does not allow is 409 — checked in that order.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.authz import Action, Authorizer, grants
from varde_common.directory_replica import REPLICA_TREE
from varde_documents import repository
from varde_documents.domain import DocumentAction, DocumentStatus, VersionStatus
from varde_documents.errors import (
    DocumentChangeForbidden,
    DocumentDecisionForbidden,
    DocumentIsArchived,
    DocumentNotFound,
    DocumentVersionNotFound,
    OwnDraftApproval,
)
from varde_documents.models import Document, DocumentVersion

authorizer = Authorizer(REPLICA_TREE)


@dataclass(frozen=True)
class DocumentAccess:
    write: bool  # make and edit drafts, submit them, change the document's details and its audience
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


async def may_view_statistics(session: AsyncSession, person_id: uuid.UUID, unit_id: uuid.UUID) -> bool:
    return await authorizer.may(session, person_id, Action.VIEW_STATISTICS, unit_id)


@dataclass(frozen=True)
class DraftReach:
    """Whose drafts a person sees in a list, by the rule of ``document_access``: those of the documents whose
    owning unit is in ``write_units``, whose approver unit is in ``approve_units``, and whose revision they own."""

    person_id: uuid.UUID
    write_units: set[uuid.UUID]
    approve_units: set[uuid.UUID]

    @property
    def by_role(self) -> bool:
        """Whether they write or approve documents anywhere (not only as a revision owner)."""
        return bool(self.write_units or self.approve_units)


async def draft_reach(session: AsyncSession, person_id: uuid.UUID) -> DraftReach:
    reach = await authorizer.units_where_each(session, person_id, [Action.WRITE_DOCUMENT, Action.APPROVE_DOCUMENT])
    return DraftReach(person_id, reach[Action.WRITE_DOCUMENT], reach[Action.APPROVE_DOCUMENT])


def sees_version(version: DocumentVersion, access: DocumentAccess) -> bool:
    """Readers see what has been in force; drafts are for the writers and approvers."""
    return access.see_drafts or version.status in (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)


async def visible(
    session: AsyncSession, person_id: uuid.UUID, document_id: uuid.UUID, *, for_update: bool = False
) -> tuple[Document, DocumentAccess]:
    """The document and what the person may do with it; 404 when they may not even know of it (nothing in force,
    and they neither write nor approve it)."""
    document = await repository.get_document(session, document_id, for_update=for_update)
    if document is None:
        raise DocumentNotFound()
    access = await document_access(session, person_id, document)
    if document.published_version_id is None and not access.see_drafts:
        raise DocumentNotFound()
    return document, access


async def visible_version(
    session: AsyncSession,
    person_id: uuid.UUID,
    document_id: uuid.UUID,
    version_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> tuple[Document, DocumentAccess, DocumentVersion]:
    """The document, what the person may do with it and one of its versions; 404 for a version they may not see
    (a draft, to a reader), whatever they meant to do with it."""
    document, access = await visible(session, person_id, document_id, for_update=for_update)
    version = await repository.get_version(session, document_id, version_id, for_update=for_update)
    if version is None or not sees_version(version, access):
        raise DocumentVersionNotFound()
    return document, access, version


def check_may_write(document: Document, access: DocumentAccess) -> None:
    """403 for a reader, then 409 once the document is archived."""
    if not access.write:
        raise DocumentChangeForbidden()
    if document.status == DocumentStatus.ARCHIVED:
        raise DocumentIsArchived()


def check_may_decide(document: Document, access: DocumentAccess, *, own_draft: bool = False) -> None:
    """403 for anyone but the leaders over the approver unit, and for the author of a draft to approve, then 409
    once the document is archived."""
    if not access.approve:
        raise DocumentDecisionForbidden()
    if own_draft:
        raise OwnDraftApproval()
    if document.status == DocumentStatus.ARCHIVED:
        raise DocumentIsArchived()


async def writable(
    session: AsyncSession, person_id: uuid.UUID, document_id: uuid.UUID
) -> tuple[Document, DocumentAccess]:
    """The document, locked, for someone who may change it."""
    document, access = await visible(session, person_id, document_id, for_update=True)
    check_may_write(document, access)
    return document, access


async def writable_version(
    session: AsyncSession, person_id: uuid.UUID, document_id: uuid.UUID, version_id: uuid.UUID
) -> tuple[Document, DocumentAccess, DocumentVersion]:
    """A version and its document, locked, for someone who may change the document."""
    document, access, version = await visible_version(session, person_id, document_id, version_id, for_update=True)
    check_may_write(document, access)
    return document, access, version


async def decidable_version(
    session: AsyncSession,
    person_id: uuid.UUID,
    document_id: uuid.UUID,
    version_id: uuid.UUID,
    *,
    approving: bool = False,
) -> tuple[Document, DocumentAccess, DocumentVersion]:
    """A version and its document, locked, for a leader who may reject it, or approve it when they did not
    write it (``approving``): nobody approves their own draft, whatever state it is in."""
    document, access, version = await visible_version(session, person_id, document_id, version_id, for_update=True)
    check_may_decide(document, access, own_draft=approving and version.author_id == person_id)
    return document, access, version


def allowed_actions(
    document: Document, access: DocumentAccess, versions: Sequence[DocumentVersion]
) -> list[DocumentAction]:
    """What the person may do with the document now: the buttons a client shows."""
    if document.status == DocumentStatus.ARCHIVED:
        return []
    has = {VersionStatus(v.status) for v in versions}
    actions: list[DocumentAction] = []
    if access.write:
        actions += [DocumentAction.NEW_DRAFT, DocumentAction.CHANGE]
        if VersionStatus.DRAFT in has:
            actions += [DocumentAction.EDIT, DocumentAction.SUBMIT]
        if VersionStatus.SUBMITTED in has:
            actions.append(DocumentAction.WITHDRAW)
    if access.approve:
        if VersionStatus.SUBMITTED in has:
            actions += [DocumentAction.APPROVE, DocumentAction.REJECT]
        actions.append(DocumentAction.ARCHIVE)
    if (access.write or access.approve) and document.published_version_id is not None:
        actions.append(DocumentAction.CONFIRM_VALID)
    return actions
