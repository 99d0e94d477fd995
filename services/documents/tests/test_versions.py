"""A procedure's life: a draft, sent for approval to the right leader, rejected with a comment, approved and
published, replaced by a new version, compared, archived; who may do what; the history that cannot be rewritten,
with the names of who did what."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import oslo_today
from varde_common.db import tenant_transaction
from varde_common.identity import InternalTokenSigner
from varde_common.pages import PageRequest
from varde_common.testing.factories import TinyOrg, bearer, grant_role, outbox_events
from varde_documents.documents import DocumentService
from varde_documents.domain import DocumentStatus, VersionStatus, add_months
from varde_documents.errors import (
    ApproverNotAboveOwner,
    DocumentCreateForbidden,
    DocumentDecisionForbidden,
    DocumentIsArchived,
    DocumentNotFound,
    DocumentVersionNotFound,
    EmptyDraft,
    IllegalVersionTransition,
    OwnDraftApproval,
    UnknownOwnerUnit,
)
from varde_documents.models import DocumentCreate, DraftCreate, DraftEdit, VersionDiff, VersionRejection
from varde_documents.versions import VersionService

API = "/api/v1/documents"
CONTENT = "# Formål\nSikker håndtering av legemidler.\n\n## Ansvar\nAvdelingsleder."


def new_document(org: TinyOrg, **changes: Any) -> DocumentCreate:
    data: dict[str, Any] = {
        "title": "Legemiddelhåndtering",
        "owner_unit_id": org.unit_id,
        "content": CONTENT,
        "tags": ["legemidler", " legemidler ", "pasientsikkerhet"],
        "law_references": ["Forskrift om legemiddelhåndtering § 4"],
    }
    data.update(changes)
    return DocumentCreate.model_validate(data)


async def writer(sessions: async_sessionmaker[AsyncSession], org: TinyOrg) -> uuid.UUID:
    """A kvalitetsrådgiver in the nursing home: writes procedures, approves none."""
    person = uuid.uuid4()
    async with tenant_transaction(sessions, org.tenant_id) as session:
        await grant_role(session, org.tenant_id, person, org.unit_id, "kvalitetsradgiver", datetime.now(UTC))
    return person


async def test_a_procedure_is_written_sent_rejected_approved_and_then_in_force_for_everyone(
    documents: DocumentService, versions: VersionService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    author = await writer(sessions, org)
    created = await documents.create(org.as_(author), new_document(org))
    assert created.tags == ["legemidler", "pasientsikkerhet"]
    assert created.published is None
    draft = created.versions[0]
    assert (draft.number, draft.status) == (1, VersionStatus.DRAFT)
    with pytest.raises(DocumentNotFound):  # nothing in force yet: not the employee's business
        await documents.get(org.as_(org.employee), created.id)

    await versions.submit(org.as_(author), created.id, draft.id)
    with pytest.raises(IllegalVersionTransition):  # a submitted draft is not edited under the approver's eyes
        await versions.edit_draft(org.as_(author), created.id, draft.id, DraftEdit(content="Endret"))
    with pytest.raises(DocumentDecisionForbidden):  # a kvalitetsrådgiver writes but does not approve
        await versions.approve(org.as_(author), created.id, draft.id)

    rejected = await versions.reject(
        org.as_(org.unit_leader), created.id, draft.id, VersionRejection(comment="Mangler ansvar")
    )
    assert (rejected.status, rejected.rejection_comment) == (VersionStatus.DRAFT, "Mangler ansvar")
    await versions.edit_draft(org.as_(author), created.id, draft.id, DraftEdit(content=CONTENT + "\nSykepleier."))
    await versions.submit(org.as_(author), created.id, draft.id)
    published = await versions.approve(org.as_(org.unit_leader), created.id, draft.id)

    assert published.published is not None
    assert published.published.status == VersionStatus.PUBLISHED
    assert (published.published.decided_by, published.published.decided_by_name) == (
        org.unit_leader,
        org.name_of(org.unit_leader),
    )
    assert (published.owner_unit_name, published.approver_unit_name) == ("Solsiden sykehjem", "Solsiden sykehjem")
    assert published.revision_due == add_months(oslo_today(), 12)
    seen = await documents.get(org.as_(org.employee), created.id)
    assert seen.published is not None
    assert "<h2>Ansvar</h2>" in seen.published.html
    assert seen.allowed_actions == []

    said = await outbox_events(sessions, org, created.id)
    assert [e["type"] for e in said] == ["submitted", "rejected", "submitted", "approved"]
    assert said[0]["approver_id"] == str(org.unit_leader)
    assert said[1]["author_id"] == str(author)
    assert (said[3]["version_number"], said[3]["significant"], said[3]["approved_by"]) == (
        1,
        True,
        str(org.unit_leader),
    )
    assert said[3]["revision_owner_id"] == str(author)
    for event in said:  # titles and content stay in the service
        assert "Legemiddel" not in str(event)
        assert "Formål" not in str(event)


async def test_nobody_approves_their_own_draft_and_the_leader_above_is_asked_instead(
    documents: DocumentService, versions: VersionService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    created = await documents.create(org.as_(org.unit_leader), new_document(org))
    draft = created.versions[0]
    await versions.submit(org.as_(org.unit_leader), created.id, draft.id)
    with pytest.raises(OwnDraftApproval):
        await versions.approve(org.as_(org.unit_leader), created.id, draft.id)
    said = await outbox_events(sessions, org, created.id)
    assert said[0]["approver_id"] == str(org.sector_leader)  # the nearest leader who did not write it
    approved = await versions.approve(org.as_(org.sector_leader), created.id, draft.id)
    assert approved.published is not None
    # The history says who was asked, by name.
    history = await documents.history(org.as_(org.unit_leader), created.id, PageRequest())
    submitted = next(h for h in history.items if h.action == "submitted")
    assert (submitted.actor_name, submitted.action_label) == (org.name_of(org.unit_leader), "Sendt til godkjenning")
    assert submitted.details["approver_name"] == org.name_of(org.sector_leader)


async def test_a_new_version_replaces_the_one_in_force_and_readers_see_what_changed(
    documents: DocumentService, versions: VersionService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    author = await writer(sessions, org)
    created = await documents.create(org.as_(author), new_document(org))
    first = created.versions[0]
    await versions.submit(org.as_(author), created.id, first.id)
    await versions.approve(org.as_(org.unit_leader), created.id, first.id)

    second = await versions.new_draft(org.as_(author), created.id, DraftCreate(significant=False))
    assert (second.number, second.content) == (2, CONTENT)  # a copy of the version in force
    await versions.edit_draft(
        org.as_(author),
        created.id,
        second.id,
        DraftEdit(content=CONTENT.replace("Avdelingsleder.", "Virksomhetsleder.")),
    )
    # While the draft is worked on, readers still have version 1, and do not see the draft.
    meanwhile = await documents.get(org.as_(org.employee), created.id)
    assert meanwhile.published is not None
    assert meanwhile.published.number == 1
    assert [v.number for v in meanwhile.versions] == [1]
    with pytest.raises(DocumentVersionNotFound):
        await versions.version(org.as_(org.employee), created.id, second.id)

    await versions.submit(org.as_(author), created.id, second.id)
    now_in_force = await versions.approve(org.as_(org.unit_leader), created.id, second.id)
    assert now_in_force.published is not None
    assert now_in_force.published.number == 2
    statuses = {v.number: v.status for v in now_in_force.versions}
    assert statuses == {2: VersionStatus.PUBLISHED, 1: VersionStatus.SUPERSEDED}

    # What the version in force changed:
    diff = VersionDiff.model_validate_json(await versions.diff(org.as_(org.employee), created.id, None, None))
    assert (diff.old_version, diff.new_version) == (1, 2)
    changed = [(line.op, line.text) for line in diff.lines if line.op != "equal"]
    assert changed == [("removed", "Avdelingsleder."), ("added", "Virksomhetsleder.")]
    said = await outbox_events(sessions, org, created.id)
    assert said[-1]["significant"] is False


async def test_bad_input_names_the_field(documents: DocumentService, versions: VersionService, org: TinyOrg) -> None:
    with pytest.raises(UnknownOwnerUnit) as unknown:
        await documents.create(org.as_(org.unit_leader), new_document(org, owner_unit_id=uuid.uuid4()))
    assert [error.field for error in unknown.value.fields] == ["owner_unit_id"]
    # The approver must sit at the owning unit or above it: the sector approves for the nursing home, not the reverse.
    with pytest.raises(ApproverNotAboveOwner) as below:
        await documents.create(
            org.as_(org.sector_leader),
            new_document(org, owner_unit_id=org.sector_id, approver_unit_id=org.unit_id),
        )
    assert [error.field for error in below.value.fields] == ["approver_unit_id"]
    with pytest.raises(DocumentCreateForbidden):
        await documents.create(org.as_(org.employee), new_document(org))
    created = await documents.create(org.as_(org.unit_leader), new_document(org, content=""))
    with pytest.raises(EmptyDraft):  # an empty document is not sent for approval
        await versions.submit(org.as_(org.unit_leader), created.id, created.versions[0].id)


async def test_an_archived_document_is_kept_but_no_longer_in_force(
    documents: DocumentService, versions: VersionService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    author = await writer(sessions, org)
    created = await documents.create(org.as_(author), new_document(org))
    await versions.submit(org.as_(author), created.id, created.versions[0].id)
    await versions.approve(org.as_(org.unit_leader), created.id, created.versions[0].id)
    with pytest.raises(DocumentDecisionForbidden):
        await documents.archive(org.as_(author), created.id)

    archived = await documents.archive(org.as_(org.unit_leader), created.id)

    assert (archived.status, archived.revision_due, archived.allowed_actions) == (DocumentStatus.ARCHIVED, None, [])
    assert archived.versions[0].status == VersionStatus.ARCHIVED
    with pytest.raises(DocumentIsArchived):
        await versions.new_draft(org.as_(author), created.id, DraftCreate())
    assert [e["type"] for e in await outbox_events(sessions, org, created.id)][-1] == "archived"


async def test_the_history_cannot_be_rewritten(
    documents: DocumentService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    created = await documents.create(org.as_(org.unit_leader), new_document(org))
    history = await documents.history(org.as_(org.unit_leader), created.id, PageRequest())
    assert [(h.action, h.actor_id, h.actor_name) for h in history.items] == [
        ("created", org.unit_leader, org.name_of(org.unit_leader))
    ]
    with pytest.raises(DBAPIError, match="append-only"):
        async with tenant_transaction(sessions, org.tenant_id) as session:
            await session.execute(sa.text("UPDATE document_history SET action = 'nothing'"))


# ---- through HTTP ----------------------------------------------------------------------------------------------


async def test_http_the_whole_round_with_problem_details(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
) -> None:
    author = bearer(token_signer, org, await writer(sessions, org))
    leader = bearer(token_signer, org, org.unit_leader)
    employee = bearer(token_signer, org, org.employee)
    body = {"title": "Smittevern", "owner_unit_id": str(org.unit_id), "content": "# Håndhygiene\nVask hendene."}

    created = await client.post(API, json=body, headers=author)
    assert created.status_code == 201, created.text
    document = created.json()
    version_url = f"{API}/{document['id']}/versions/{document['versions'][0]['id']}"

    refused = await client.post(API, json=body, headers=employee)
    assert (refused.status_code, refused.headers["content-type"]) == (403, "application/problem+json")
    assert (await client.get(f"{API}/{document['id']}", headers=employee)).status_code == 404
    wrong = await client.post(f"{version_url}/approve", headers=leader)
    assert wrong.status_code == 409
    assert wrong.json()["type"] == "urn:varde:problem:illegal-document-version-transition"
    assert (wrong.json()["version_status"], wrong.json()["action"]) == ("draft", "approve")
    in_nynorsk = await client.post(f"{version_url}/approve", headers={**leader, "accept-language": "nn"})
    assert in_nynorsk.json()["detail"] == "Dette kan ikkje gjerast med ein versjon som har status «utkast»."
    bad = await client.post(API, json={**body, "kind": "roman"}, headers=author)
    assert bad.status_code == 422
    assert (bad.json()["errors"][0]["field"], bad.json()["errors"][0]["label"]) == ("kind", "Dokumenttype")

    assert (await client.post(f"{version_url}/submit", headers=author)).status_code == 200
    approved = await client.post(f"{version_url}/approve", headers=leader)
    assert approved.status_code == 200
    read = await client.get(f"{API}/{document['id']}", headers=employee)
    assert read.json()["published"]["html"].startswith("<h1>Håndhygiene</h1>")

    listed = await client.get(API, headers=employee)
    assert [d["title"] for d in listed.json()["items"]] == ["Smittevern"]
    assert (await client.get(f"{API}?cursor=not-ours", headers=employee)).status_code == 422


async def test_http_lists_page_by_title_and_show_drafts_only_to_their_writers(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, documents: DocumentService, org: TinyOrg
) -> None:
    for title in ("Brannvern", "Avfall", "Delegering"):
        await documents.create(org.as_(org.unit_leader), new_document(org, title=title))
    leader = bearer(token_signer, org, org.unit_leader)
    first = (await client.get(f"{API}?limit=2", headers=leader)).json()
    assert [d["title"] for d in first["items"]] == ["Avfall", "Brannvern"]
    assert (first["items"][0]["owner_unit_name"], first["items"][0]["kind_label"]) == ("Solsiden sykehjem", "Prosedyre")
    rest = (await client.get(f"{API}?limit=2&cursor={first['next_cursor']}", headers=leader)).json()
    assert [d["title"] for d in rest["items"]] == ["Delegering"]
    assert rest["next_cursor"] is None
    nothing = (await client.get(API, headers=bearer(token_signer, org, org.employee))).json()
    assert nothing["items"] == []  # drafts only


async def test_http_history_and_folders_come_a_page_at_a_time_with_labels_in_the_callers_form(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, documents: DocumentService, org: TinyOrg
) -> None:
    leader = bearer(token_signer, org, org.unit_leader)
    created = await documents.create(org.as_(org.unit_leader), new_document(org))
    url = f"{API}/{created.id}"
    assert (await client.patch(url, json={"tags": ["hms"]}, headers=leader)).status_code == 200
    assert (await client.post(f"{url}/versions", json={}, headers=leader)).status_code == 201

    first = (await client.get(f"{url}/history", params={"limit": 2}, headers=leader)).json()
    assert [h["action"] for h in first["items"]] == ["created", "changed"]
    rest = (
        await client.get(f"{url}/history", params={"limit": 2, "cursor": first["next_cursor"]}, headers=leader)
    ).json()
    assert ([h["action"] for h in rest["items"]], rest["next_cursor"]) == (["draft_created"], None)
    nynorsk = {**leader, "accept-language": "nn"}
    changed = (await client.get(f"{url}/history", headers=nynorsk)).json()["items"][1]
    assert (changed["action_label"], changed["actor_name"]) == ("Opplysningar endra", org.name_of(org.unit_leader))
    document = (await client.get(url, headers=nynorsk)).json()
    assert (document["versions"][0]["status_label"], document["kind_label"]) == ("Utkast", "Prosedyre")
    assert document["revision_owner_name"] == org.name_of(org.unit_leader)

    for name in ("Helse", "Oppvekst", "Teknisk"):
        made = await client.post(f"{API}/folders", json={"name": name}, headers=leader)
        assert made.status_code == 201, made.text
    page = (await client.get(f"{API}/folders", params={"limit": 2}, headers=leader)).json()
    assert [f["name"] for f in page["items"]] == ["Helse", "Oppvekst"]
    last = (await client.get(f"{API}/folders", params={"cursor": page["next_cursor"]}, headers=leader)).json()
    assert ([f["name"] for f in last["items"]], last["next_cursor"]) == (["Teknisk"], None)
    unknown = await client.post(
        API, json={**BODY, "owner_unit_id": str(org.unit_id), "folder_id": str(uuid.uuid4())}, headers=leader
    )
    assert (unknown.status_code, unknown.json()["type"]) == (422, "urn:varde:problem:document-unknown-folder")
    assert (unknown.json()["errors"][0]["field"], unknown.json()["errors"][0]["label"]) == ("folder_id", "Mappe")


BODY = {"title": "Smittevern", "content": "# Håndhygiene\nVask hendene."}


async def test_an_author_is_refused_her_own_draft_before_she_is_told_its_state(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    # 404, then 403, then 409: the leader who wrote the draft may never approve it, whatever state it is in.
    leader = bearer(token_signer, org, org.unit_leader)
    body = {"title": "Smittevern", "owner_unit_id": str(org.unit_id), "content": "# Vask hendene"}
    document = (await client.post(API, json=body, headers=leader)).json()
    not_sent = f"{API}/{document['id']}/versions/{document['versions'][0]['id']}/approve"

    refused = await client.post(not_sent, headers=leader)

    assert (refused.status_code, refused.json()["type"]) == (403, "urn:varde:problem:document-own-draft-approval")


async def test_http_the_revision_owner_finds_the_draft_she_may_open_in_the_list(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    # The list follows the rule of the document itself: the revision owner writes it, so she sees its drafts.
    leader, employee = bearer(token_signer, org, org.unit_leader), bearer(token_signer, org, org.employee)
    body = {
        "title": "Nattevakt",
        "owner_unit_id": str(org.unit_id),
        "content": "# Runder",
        "revision_owner_id": str(org.employee),
    }
    document = (await client.post(API, json=body, headers=leader)).json()
    assert (await client.get(f"{API}/{document['id']}", headers=employee)).status_code == 200

    listed = (await client.get(API, headers=employee)).json()

    assert [(d["id"], d["in_force"]) for d in listed["items"]] == [(document["id"], False)]
