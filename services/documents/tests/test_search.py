"""Search in Norwegian over the versions in force: stemmed words, titles first, drafts and old versions never,
the reader's own reading-list status in each hit, and another kommune's documents not at all."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

import httpx
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.identity import InternalTokenSigner
from varde_common.testing.factories import TinyOrg, bearer, seed_tiny_org
from varde_documents.models import Audience, AudienceEntry, DocumentCreate, DraftCreate, DraftEdit
from varde_documents.reading import ReadingService
from varde_documents.service import DocumentService

API = "/api/v1/documents/search"


async def in_force(service: DocumentService, org: TinyOrg, title: str, content: str) -> uuid.UUID:
    """In force; its readers are asked when the worker sees the approval (the test delivers it itself)."""
    created = await service.create(
        org.as_(org.unit_leader), DocumentCreate(title=title, owner_unit_id=org.unit_id, content=content)
    )
    await service.submit(org.as_(org.unit_leader), created.id, created.versions[0].id)
    await service.approve(org.as_(org.sector_leader), created.id, created.versions[0].id)
    return created.id


async def test_search_finds_what_is_in_force_in_norwegian_with_my_reading_status(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    service: DocumentService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
    worker: Callable[[TinyOrg], Awaitable[None]],
) -> None:
    reading = ReadingService(sessions)
    hygiene = await in_force(service, org, "Håndhygiene", "# Håndhygiene\nVask hendene før stell av pasientene.")
    in_text = await in_force(service, org, "Stell", "# Stell\nHusk god håndhygiene ved hvert stell.")
    await reading.set_audience(
        org.as_(org.unit_leader), hygiene, Audience(entries=[AudienceEntry(unit_id=org.unit_id)])
    )
    await service.create(
        org.as_(org.unit_leader), DocumentCreate(title="Håndhygiene utkast", owner_unit_id=org.unit_id, content="x")
    )  # a draft: never a hit
    old = await in_force(service, org, "Brannvern", "# Brannvern\nGammel regel om håndhygiene.")
    draft = await service.new_draft(org.as_(org.unit_leader), old, DraftCreate())
    await service.edit_draft(org.as_(org.unit_leader), old, draft.id, DraftEdit(content="# Brannvern\nØvelse."))
    await service.submit(org.as_(org.unit_leader), old, draft.id)
    await service.approve(org.as_(org.sector_leader), old, draft.id)

    employee = bearer(token_signer, org, org.employee)
    hits = (await client.get(API, params={"q": "håndhygiene"}, headers=employee)).json()
    assert [hit["document_id"] for hit in hits] == [
        str(hygiene),
        str(in_text),
    ]  # the title weighs more; old text not found
    assert (hits[0]["reading"], hits[1]["reading"]) == ("to_read", None)
    assert "håndhygiene" in hits[1]["snippet"].lower()
    stemmed = (await client.get(API, params={"q": "pasienter"}, headers=employee)).json()  # pasientene, pasienter
    assert [hit["document_id"] for hit in stemmed] == [str(hygiene)]

    stranger = await seed_tiny_org(sessions, slug="annen")
    elsewhere = await client.get(
        API, params={"q": "håndhygiene"}, headers=bearer(token_signer, stranger, stranger.employee)
    )
    assert elsewhere.json() == []
    assert (await client.get(API, params={"q": "x"}, headers=employee)).status_code == 422
