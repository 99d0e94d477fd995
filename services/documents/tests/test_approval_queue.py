"""What the web's document pages ask of the API beside the workflow: the approval queue of the leader who decides
(never their own drafts, the longest waiting first), the library by owning unit with the units below it, and the
editor's preview, rendered by the same safe rule as a saved version."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.identity import InternalTokenSigner
from varde_common.pages import PageRequest
from varde_common.testing.factories import TinyOrg, bearer, person_with_role
from varde_documents.approvals import ApprovalService
from varde_documents.documents import DocumentService
from varde_documents.models import DocumentCreate, DraftCreate
from varde_documents.versions import VersionService

API = "/api/v1/documents"


async def writer(sessions: async_sessionmaker[AsyncSession], org: TinyOrg) -> uuid.UUID:
    """A kvalitetsrådgiver in the nursing home: writes procedures, approves none."""
    return (await person_with_role(sessions, org, org.unit_id, "kvalitetsradgiver"))[0]


async def submitted(
    documents: DocumentService, versions: VersionService, org: TinyOrg, author: uuid.UUID, title: str
) -> uuid.UUID:
    body = DocumentCreate(title=title, owner_unit_id=org.unit_id, content=f"# {title}\nSlik gjør vi det.")
    created = await documents.create(org.as_(author), body)
    await versions.submit(org.as_(author), created.id, created.versions[0].id)
    return created.id


async def test_the_queue_holds_what_the_leader_may_decide_the_longest_waiting_first_never_their_own(
    documents: DocumentService,
    versions: VersionService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
) -> None:
    queue = ApprovalService(sessions)
    author = await writer(sessions, org)
    first = await submitted(documents, versions, org, author, "Håndhygiene")
    second = await submitted(documents, versions, org, author, "Brannvern")
    own = await submitted(documents, versions, org, org.unit_leader, "Legemidler")

    page = await queue.queue(org.as_(org.unit_leader), PageRequest(limit=1))
    assert [item.document_id for item in page.items] == [first]
    [item] = page.items
    assert (item.author_id, item.owner_unit_name, item.kind_label) == (author, "Solsiden sykehjem", "Prosedyre")
    assert (item.version_number, item.replaces_version) == (1, False)
    rest = await queue.queue(org.as_(org.unit_leader), PageRequest(limit=1, cursor=page.next_cursor))
    assert [item.document_id for item in rest.items] == [second]  # not their own draft: they may not approve it
    assert rest.next_cursor is None

    above = await queue.queue(org.as_(org.sector_leader), PageRequest(limit=10))
    assert [item.document_id for item in above.items] == [first, second, own]
    assert above.items[2].author_name == org.name_of(org.unit_leader)
    assert (await queue.queue(org.as_(org.employee), PageRequest(limit=10))).items == []
    assert (await queue.queue(org.as_(author), PageRequest(limit=10))).items == []  # writes, does not approve

    version_id = (await documents.get(org.as_(org.unit_leader), first)).versions[0].id
    await versions.approve(org.as_(org.unit_leader), first, version_id)
    left = await queue.queue(org.as_(org.sector_leader), PageRequest(limit=10))
    assert [item.document_id for item in left.items] == [second, own]

    draft = await versions.new_draft(org.as_(author), first, DraftCreate())
    await versions.submit(org.as_(author), first, draft.id)
    again = await queue.queue(org.as_(org.unit_leader), PageRequest(limit=10))
    assert [(item.document_id, item.version_number, item.replaces_version) for item in again.items] == [
        (second, 1, False),
        (first, 2, True),
    ]


async def test_http_the_queue_speaks_the_callers_form_and_the_library_filters_by_unit_with_those_below(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    documents: DocumentService,
    versions: VersionService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
) -> None:
    author = await writer(sessions, org)
    document_id = await submitted(documents, versions, org, author, "Retningslinje for smittevern")
    sector_wide = DocumentCreate(title="Beredskapsplan", kind="plan", owner_unit_id=org.sector_id, content="# Plan")
    await documents.create(org.as_(org.sector_leader), sector_wide)
    leader = bearer(token_signer, org, org.sector_leader)

    queue = await client.get(f"{API}/approval-queue", headers={**leader, "accept-language": "nn"})
    assert queue.status_code == 200, queue.text
    [item] = queue.json()["items"]
    assert (item["document_id"], item["approver_unit_name"]) == (str(document_id), "Solsiden sykehjem")
    assert queue.json()["next_cursor"] is None
    refused = await client.get(f"{API}/approval-queue", params={"cursor": "not-ours"}, headers=leader)
    assert refused.status_code == 422

    def titles(answer: httpx.Response) -> list[str]:
        assert answer.status_code == 200, answer.text
        return [line["title"] for line in answer.json()["items"]]

    assert titles(await client.get(API, params={"unit_id": str(org.sector_id)}, headers=leader)) == [
        "Beredskapsplan",
        "Retningslinje for smittevern",
    ]
    assert titles(await client.get(API, params={"unit_id": str(org.unit_id)}, headers=leader)) == [
        "Retningslinje for smittevern"
    ]
    assert titles(await client.get(API, params={"unit_id": str(uuid.uuid4())}, headers=leader)) == []


async def test_http_the_preview_renders_as_a_reader_sees_it_and_lets_no_markup_of_the_author_through(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    employee = bearer(token_signer, org, org.employee)
    content = (
        "# Rutine\n\nVask **hendene**.\n\n<script>alert('x')</script>\n\n"
        '<img src=x onerror="alert(1)">\n\n[Klikk](javascript:alert(1))\n\n| A | B |\n|---|---|\n| 1 | 2 |'
    )
    answer = await client.post(f"{API}/preview", json={"content": content}, headers=employee)
    assert answer.status_code == 200, answer.text
    html = answer.json()["html"]
    assert html.startswith("<h1>Rutine</h1>\n<p>Vask <strong>hendene</strong>.</p>")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<img" not in html
    assert 'href="javascript:' not in html
    assert "[Klikk](javascript:alert(1))" in html
    assert "<table>" in html
    too_long = await client.post(f"{API}/preview", json={"content": "x" * 500_001}, headers=employee)
    assert (too_long.status_code, too_long.json()["errors"][0]["label"]) == (422, "Innhold")
    assert (await client.post(f"{API}/preview", json={"content": "# Hei"})).status_code == 401
