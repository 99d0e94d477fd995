"""One rule for 404 and 403 on every route: 404 when the person may not see the object (its existence is
information), 403 when they may see it but not do this."""

from __future__ import annotations

import httpx

from varde_common.identity import InternalTokenSigner
from varde_common.testing.factories import TinyOrg, bearer

API = "/api/v1/documents"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"


async def test_an_employee_who_reads_a_procedure_is_refused_what_she_may_not_do_and_not_told_of_drafts(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    leader, above = bearer(token_signer, org, org.unit_leader), bearer(token_signer, org, org.sector_leader)
    employee = bearer(token_signer, org, org.employee)
    body = {"title": "Smittevern", "owner_unit_id": str(org.unit_id), "content": "# Vask hendene"}
    document = (await client.post(API, json=body, headers=leader)).json()
    url = f"{API}/{document['id']}"
    first = f"{url}/versions/{document['versions'][0]['id']}"
    assert (await client.post(f"{first}/submit", headers=leader)).status_code == 200
    assert (await client.post(f"{first}/approve", headers=above)).status_code == 200
    draft = (await client.post(f"{url}/versions", json={}, headers=leader)).json()
    second = f"{url}/versions/{draft['id']}"
    assert (await client.post(f"{second}/submit", headers=leader)).status_code == 200
    assert (await client.get(url, headers=employee)).status_code == 200  # she reads the version in force

    audience = {"entries": [{"unit_id": str(org.unit_id)}]}
    seen_but_not_hers = [
        await client.put(f"{url}/audience", json=audience, headers=employee),
        await client.patch(url, json={"tags": ["hms"]}, headers=employee),
        await client.post(f"{url}/versions", json={}, headers=employee),
        await client.post(f"{url}/archive", headers=employee),
        await client.post(f"{url}/confirm-valid", json={}, headers=employee),
        await client.get(f"{url}/history", headers=employee),
        await client.post(f"{first}/withdraw", headers=employee),
        await client.post(f"{first}/approve", headers=employee),
        await client.post(f"{first}/reject", json={"comment": "Nei takk"}, headers=employee),
        await client.post(f"{first}/attachments", files={"file": ("a.pdf", PDF)}, headers=employee),
    ]
    assert [r.status_code for r in seen_but_not_hers] == [403] * len(seen_but_not_hers)
    assert {r.json()["type"].rsplit(":", 1)[1] for r in seen_but_not_hers} == {
        "document-change-forbidden",
        "document-decision-forbidden",
        "document-confirm-valid-forbidden",
        "document-history-forbidden",
    }

    # The draft under approval is not hers to know of: whatever she asks of it, it does not exist.
    not_seen = [
        await client.get(second, headers=employee),
        await client.post(f"{second}/withdraw", headers=employee),
        await client.post(f"{second}/approve", headers=employee),
        await client.post(f"{second}/reject", json={"comment": "Nei takk"}, headers=employee),
        await client.patch(second, json={"content": "Mitt"}, headers=employee),
        await client.post(f"{second}/attachments", files={"file": ("a.pdf", PDF)}, headers=employee),
    ]
    assert [r.status_code for r in not_seen] == [404] * len(not_seen)
    assert {r.json()["type"] for r in not_seen} == {"urn:varde:problem:document-version-not-found"}
