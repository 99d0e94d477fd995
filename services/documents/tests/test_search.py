"""Search in Norwegian over the versions in force: stemmed words, titles first, drafts and old versions never,
the reader's own reading-list status in each hit, and another kommune's documents not at all."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.identity import InternalTokenSigner
from varde_common.testing.factories import TinyOrg, bearer, seed_tiny_org
from varde_documents.documents import DocumentService
from varde_documents.models import Audience, AudienceEntry, DocumentCreate, DraftCreate, DraftEdit
from varde_documents.reading import ReadingService
from varde_documents.versions import VersionService

API = "/api/v1/documents/search"


async def in_force(
    documents: DocumentService, versions: VersionService, org: TinyOrg, title: str, content: str
) -> uuid.UUID:
    """In force; its readers are asked when the worker sees the approval (the test delivers it itself)."""
    created = await documents.create(
        org.as_(org.unit_leader), DocumentCreate(title=title, owner_unit_id=org.unit_id, content=content)
    )
    await versions.submit(org.as_(org.unit_leader), created.id, created.versions[0].id)
    await versions.approve(org.as_(org.sector_leader), created.id, created.versions[0].id)
    return created.id


async def test_search_finds_what_is_in_force_in_norwegian_with_my_reading_status(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    documents: DocumentService,
    versions: VersionService,
    reading: ReadingService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
) -> None:
    hygiene = await in_force(
        documents, versions, org, "Håndhygiene", "# Håndhygiene\nVask hendene før stell av pasientene."
    )
    in_text = await in_force(documents, versions, org, "Stell", "# Stell\nHusk god håndhygiene ved hvert stell.")
    await reading.set_audience(
        org.as_(org.unit_leader), hygiene, Audience(entries=[AudienceEntry(unit_id=org.unit_id)])
    )
    await documents.create(
        org.as_(org.unit_leader), DocumentCreate(title="Håndhygiene utkast", owner_unit_id=org.unit_id, content="x")
    )  # a draft: never a hit
    old = await in_force(documents, versions, org, "Brannvern", "# Brannvern\nGammel regel om håndhygiene.")
    draft = await versions.new_draft(org.as_(org.unit_leader), old, DraftCreate())
    await versions.edit_draft(org.as_(org.unit_leader), old, draft.id, DraftEdit(content="# Brannvern\nØvelse."))
    await versions.submit(org.as_(org.unit_leader), old, draft.id)
    await versions.approve(org.as_(org.sector_leader), old, draft.id)

    employee = bearer(token_signer, org, org.employee)
    found = (await client.get(API, params={"q": "håndhygiene"}, headers=employee)).json()
    hits = found["items"]
    assert [hit["document_id"] for hit in hits] == [
        str(hygiene),
        str(in_text),
    ]  # the title weighs more; old text not found
    assert (hits[0]["reading"], hits[0]["reading_label"], hits[1]["reading"]) == ("to_read", "Skal leses", None)
    assert (hits[0]["owner_unit_name"], hits[0]["kind_label"]) == ("Solsiden sykehjem", "Prosedyre")
    assert "håndhygiene" in hits[1]["snippet"].lower()
    assert found["next_cursor"] is None
    # A page at a time, in the order of the ranking.
    first = (await client.get(API, params={"q": "håndhygiene", "limit": 1}, headers=employee)).json()
    rest = (
        await client.get(API, params={"q": "håndhygiene", "limit": 1, "cursor": first["next_cursor"]}, headers=employee)
    ).json()
    assert [hit["document_id"] for hit in first["items"] + rest["items"]] == [str(hygiene), str(in_text)]
    assert rest["next_cursor"] is None
    stemmed = (await client.get(API, params={"q": "pasienter"}, headers=employee)).json()  # pasientene, pasienter
    assert [hit["document_id"] for hit in stemmed["items"]] == [str(hygiene)]

    stranger = await seed_tiny_org(sessions, slug="annen")
    elsewhere = await client.get(
        API, params={"q": "håndhygiene"}, headers=bearer(token_signer, stranger, stranger.employee)
    )
    assert elsewhere.json() == {"items": [], "next_cursor": None}
    assert (await client.get(API, params={"q": "x"}, headers=employee)).status_code == 422
