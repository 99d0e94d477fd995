"""The målform a person's pages are in (their own choice, else the kommune's) and the kommune's colour: each person
sets only their own choice, the kommune's målform and colour are the system administrator's settings, and a colour
too light to read on white is refused in Norwegian at its field."""

from __future__ import annotations

from typing import Any

import httpx

ME = "/api/v1/directory/me"
PREFERENCES = "/api/v1/directory/me/preferences"
TENANT = "/api/v1/directory/tenant"


async def test_a_person_follows_the_kommune_until_they_choose_and_can_follow_it_again_and_me_carries_the_kommune(
    client: httpx.AsyncClient, kommune: Any
) -> None:
    ane, admin = kommune.headers("E5"), kommune.headers("E4")
    first = (await client.get(PREFERENCES, headers=ane)).json()
    assert first == {"malform": None, "kommune_malform": "nb", "language": "nb"}

    kommune_nn = await client.patch(TENANT, json={"settings": {"malform": "nn"}}, headers=admin)
    assert kommune_nn.status_code == 200, kommune_nn.text
    assert (await client.get(PREFERENCES, headers=ane)).json()["language"] == "nn"

    chosen = await client.put(PREFERENCES, json={"malform": "nb"}, headers=ane)
    assert chosen.status_code == 200, chosen.text
    assert chosen.json() == {"malform": "nb", "kommune_malform": "nn", "language": "nb"}
    me = (await client.get(ME, headers=ane)).json()
    assert me["name"] == "Ane Ansatt"
    assert me["preferences"]["language"] == "nb"
    # The kommune comes with the person: a page's header needs one call, not two.
    assert me["kommune"] == (await client.get(TENANT, headers=ane)).json()
    assert me["kommune"]["settings"]["malform"] == "nn"
    assert (await client.get(PREFERENCES, headers=admin)).json()["malform"] is None  # Ane's choice is her own

    following = await client.put(PREFERENCES, json={"malform": None}, headers=ane)
    assert following.json() == {"malform": None, "kommune_malform": "nn", "language": "nn"}


async def test_a_malform_that_is_neither_bokmal_nor_nynorsk_is_refused_in_the_callers_form(
    client: httpx.AsyncClient, kommune: Any
) -> None:
    ane = {**kommune.headers("E5"), "accept-language": "nn"}
    refused = await client.put(PREFERENCES, json={"malform": "sv"}, headers=ane)
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["errors"][0]["field"] == "malform"
    assert problem["errors"][0]["message"].startswith("Må vere ein av")
    unknown = await client.put(PREFERENCES, json={"malform": "nn", "farge": "rosa"}, headers=ane)
    assert unknown.status_code == 422
    assert (await client.get(PREFERENCES, headers=ane)).json()["malform"] is None  # nothing was stored


async def test_the_kommunes_colour_has_a_default_is_stored_in_small_letters_and_must_be_readable_on_white(
    client: httpx.AsyncClient, kommune: Any
) -> None:
    admin = kommune.headers("E4")
    assert (await client.get(TENANT, headers=admin)).json()["settings"]["colour"] == "#0b5a8a"

    changed = await client.patch(TENANT, json={"settings": {"colour": "#8A1538"}}, headers=admin)
    assert changed.status_code == 200, changed.text
    assert changed.json()["settings"]["colour"] == "#8a1538"

    for colour, words in (("#ffd700", "for lys"), ("rød", "seks sifre"), ("#12345", "seks sifre")):
        refused = await client.patch(TENANT, json={"settings": {"colour": colour}}, headers=admin)
        assert refused.status_code == 422, colour
        entry = refused.json()["errors"][0]
        assert entry["field"] == "settings.colour"
        assert entry["label"].endswith("Kommunens farge")
        assert words in entry["message"], entry
    assert (await client.get(TENANT, headers=admin)).json()["settings"]["colour"] == "#8a1538"


async def test_only_the_system_administrator_sets_the_kommunes_malform_and_colour(
    client: httpx.AsyncClient, kommune: Any
) -> None:
    refused = await client.patch(
        TENANT, json={"settings": {"malform": "nn", "colour": "#1e6331"}}, headers=kommune.headers("E5")
    )
    assert refused.status_code == 403
    settings = (await client.get(TENANT, headers=kommune.headers("E5"))).json()["settings"]
    assert (settings["malform"], settings["colour"]) == ("nb", "#0b5a8a")
