"""One rule for 404 and 403 on every route: 404 when the caller may not see the object (or it does not exist), 403
when they may see it but not do this. Everyone in a kommune sees its tree and its people; only those who
administer the directory see its identity providers."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

PROVIDER = {
    "name": "Entra ID",
    "kind": "entra_id",
    "issuer": "https://login.example.no/testvik",
    "audience": "varde",
    "jwks_url": "https://login.example.no/jwks",
}


async def test_an_employee_is_told_what_they_may_see_and_nothing_about_what_they_may_not(
    client: httpx.AsyncClient, kommune: Any
) -> None:
    admin, employee = kommune.headers("E4"), kommune.headers("E5")
    provider = await client.post("/api/v1/directory/identity-providers", json=PROVIDER, headers=admin)
    assert provider.status_code == 201, provider.text
    provider_id = provider.json()["id"]
    colleague = kommune.people["E3"]
    nobody = uuid.uuid4()

    answers = {
        # Visible, but not theirs to change: 403.
        ("PATCH", f"/api/v1/directory/people/{colleague}", 403),
        ("POST", f"/api/v1/directory/people/{colleague}/roles", 403),
        # Not there at all: 404, whoever asks (the existence of an id is not news to hide, nor to invent).
        ("PATCH", f"/api/v1/directory/people/{nobody}", 404),
        ("POST", f"/api/v1/directory/people/{nobody}/roles", 404),
        ("POST", f"/api/v1/directory/role-assignments/{nobody}/end", 404),
        ("PATCH", f"/api/v1/directory/units/{nobody}", 404),
        # Identity providers are the administrators' business: an employee does not learn that one exists.
        ("GET", f"/api/v1/directory/identity-providers/{provider_id}", 404),
        ("PUT", f"/api/v1/directory/identity-providers/{provider_id}", 404),
    }
    home = (await client.get(f"/api/v1/directory/people/{kommune.people['E5']}", headers=employee)).json()
    bodies = {
        "PATCH": {"name": "Nytt Navn"},
        "POST": {"role": "verneombud", "unit_id": home["roles"][0]["unit_id"]},
        "PUT": PROVIDER,
    }
    got = set()
    for method, path, _ in answers:
        body = bodies.get(method) if not path.endswith("/end") else None
        response = await client.request(method, path, json=body, headers=employee)
        got.add((method, path, response.status_code))
    assert got == answers
    listed = await client.get("/api/v1/directory/identity-providers", headers=employee)
    assert listed.status_code == 403  # the kommune is theirs to see; its sign-in setup is not theirs to list
