"""Searching the documents in force finds what people write, in both målformer, and shows which words matched."""

from __future__ import annotations

import httpx

from varde_common.identity import InternalTokenSigner
from varde_common.testing.factories import TinyOrg, bearer
from varde_documents.documents import DocumentService
from varde_documents.models import DocumentCreate
from varde_documents.versions import VersionService


async def test_a_search_in_nynorsk_finds_a_bokmål_procedure_and_marks_the_words(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    documents: DocumentService,
    versions: VersionService,
    org: TinyOrg,
) -> None:
    content = "# Legemidler\nLegemidlene oppbevares i medisinrommet på sykehjemmet. Beboere får dem av sykepleier."
    created = await documents.create(
        org.as_(org.unit_leader),
        DocumentCreate(title="Legemiddelhåndtering på sykehjem", owner_unit_id=org.unit_id, content=content),
    )
    await versions.submit(org.as_(org.unit_leader), created.id, created.versions[0].id)
    await versions.approve(org.as_(org.sector_leader), created.id, created.versions[0].id)

    response = await client.get(
        "/api/v1/documents/search",
        params={"q": "legemidlar sjukeheim"},
        headers=bearer(token_signer, org, org.employee),
    )
    assert response.status_code == 200, response.text
    (hit,) = response.json()["items"]
    assert hit["document_id"] == str(created.id)
    assert [part["text"] for part in hit["title_highlight"] if part["match"]] == ["Legemiddelhåndtering", "sykehjem"]
    marked = [part["text"] for part in hit["highlight"] if part["match"]]
    assert marked[:2] == ["Legemidler", "Legemidlene"]
    assert "sykehjemmet" in marked
    assert hit["snippet"] == "".join(part["text"] for part in hit["highlight"])
