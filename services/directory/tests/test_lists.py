"""Every list of the directory is a page (``items``, ``next_cursor``) and names the people and units it refers to."""

from __future__ import annotations

from typing import Any

import httpx


async def every_page(client: httpx.AsyncClient, path: str, headers: dict[str, str], **params: Any) -> list[Any]:
    items: list[Any] = []
    cursor = None
    while True:
        page = await client.get(path, params={**params, **({"cursor": cursor} if cursor else {})}, headers=headers)
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return items


async def test_people_are_paged_by_name_and_found_by_name_or_address(client: httpx.AsyncClient, kommune: Any) -> None:
    employee = kommune.headers("E5")
    people = await every_page(client, "/api/v1/directory/people", employee, limit=2)
    names = [p["name"] for p in people]
    assert names == ["Ane Ansatt", "Dina Direktør", "Kåre Sjef", "Sam Admin", "Vera Leder"]
    found = (await client.get("/api/v1/directory/people", params={"q": "kare@"}, headers=employee)).json()
    assert [p["name"] for p in found["items"]] == ["Kåre Sjef"]
    assert found["next_cursor"] is None


async def test_identities_are_shown_to_the_person_and_to_administrators_only(
    client: httpx.AsyncClient, kommune: Any
) -> None:
    admin = kommune.headers("E4")
    provider = await client.post(
        "/api/v1/directory/identity-providers",
        json={
            "name": "Feide",
            "kind": "feide",
            "issuer": "https://auth.feide.no",
            "audience": "varde",
            "jwks_url": "https://auth.feide.no/jwks",
        },
        headers=admin,
    )
    link = {"provider_id": provider.json()["id"], "subject": "vera@feide"}
    linked = await client.patch(
        f"/api/v1/directory/people/{kommune.people['E3']}", json={"identities": [link]}, headers=admin
    )
    assert linked.status_code == 200, linked.text

    def identities(page: dict[str, Any]) -> list[Any]:
        return next(p["identities"] for p in page["items"] if p["name"] == "Vera Leder")

    query = {"q": "Vera"}
    as_admin = (await client.get("/api/v1/directory/people", params=query, headers=admin)).json()
    as_colleague = (await client.get("/api/v1/directory/people", params=query, headers=kommune.headers("E5"))).json()
    as_herself = (await client.get("/api/v1/directory/people", params=query, headers=kommune.headers("E3"))).json()
    assert identities(as_admin) == identities(as_herself) == [link]
    assert identities(as_colleague) == []


async def test_units_are_paged_by_name_with_the_names_of_their_parent_and_leader(
    client: httpx.AsyncClient, kommune: Any
) -> None:
    units = await every_page(client, "/api/v1/directory/units", kommune.headers("E5"), limit=2)
    assert [u["name"] for u in units] == ["Helse", "Solsiden", "Solsiden A", "Solsiden B", "Testvik kommune"]
    home = next(u for u in units if u["name"] == "Solsiden")
    assert (home["parent_name"], home["leader_name"]) == ("Helse", "Vera Leder")
    assert home["leader_person_id"] == str(kommune.people["E3"])
    top = next(u for u in units if u["name"] == "Testvik kommune")
    assert (top["parent_id"], top["parent_name"], top["leader_name"]) == (None, None, "Dina Direktør")


async def test_a_cursor_that_is_not_ours_is_the_callers_error(client: httpx.AsyncClient, kommune: Any) -> None:
    for path in ("/api/v1/directory/units", "/api/v1/directory/people", "/api/v1/directory/identity-providers"):
        response = await client.get(path, params={"cursor": "tull"}, headers=kommune.headers("E4"))
        assert response.status_code == 422, path
        assert response.json()["type"] == "urn:varde:problem:invalid-cursor"


async def test_a_units_history_is_a_page_with_the_names_of_who_led_it_and_who_changed_it(
    client: httpx.AsyncClient, kommune: Any
) -> None:
    admin = kommune.headers("E4")
    home = (await client.get("/api/v1/directory/units", params={"q": "Solsiden A"}, headers=admin)).json()["items"][0]
    for name in ("Solsiden avdeling A", "Solsiden A"):
        renamed = await client.patch(f"/api/v1/directory/units/{home['id']}", json={"name": name}, headers=admin)
        assert renamed.status_code == 200, renamed.text
    path = f"/api/v1/directory/units/{home['id']}/history"
    periods = await every_page(client, path, admin, limit=1)
    assert [(p["name"], p["changed_by_name"]) for p in periods] == [
        ("Solsiden A", None),  # the HR import
        ("Solsiden avdeling A", "Sam Admin"),
        ("Solsiden A", "Sam Admin"),
    ]
    assert periods[0]["parent_name"] == "Solsiden"
