"""What a client and a person read when risk says no, and who they see: one problem type per cause in the form they
asked for (a conflict names the assessment's status as ``assessment_status``, never in RFC 9457's ``status``),
fields named by what the form calls them, and the names of people and units beside their ids."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.identity import InternalTokenSigner
from varde_common.testing.factories import TinyOrg, bearer, person_with_role
from varde_risk.domain import DEFAULT_GRID

API = "/api/v1/risk"
PROBLEM = "urn:varde:problem:"


async def test_a_conflict_says_the_http_status_in_status_and_the_assessments_in_assessment_status(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    leader, above = bearer(token_signer, org, org.unit_leader), bearer(token_signer, org, org.sector_leader)
    body = {"title": "ROS brann", "kind": "hms", "unit_id": str(org.unit_id)}
    url = f"{API}/assessments/{(await client.post(f'{API}/assessments', json=body, headers=leader)).json()['id']}"
    assert (await client.post(f"{url}/approve", headers=above)).status_code == 200

    again = await client.post(f"{url}/approve", headers={**above, "accept-language": "nn"})
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    problem = again.json()
    assert (problem["type"], problem["status"], problem["assessment_status"]) == (
        PROBLEM + "risk-assessment-already-approved",
        409,
        "active",
    )
    assert problem["detail"].startswith("ROS-analysen er allereie godkjent.")

    reopened = await client.post(f"{url}/reopen", headers=leader)
    assert reopened.status_code == 200
    not_active = (await client.post(f"{url}/reopen", headers=leader)).json()
    assert (not_active["type"], not_active["status"], not_active["assessment_status"]) == (
        PROBLEM + "risk-assessment-not-active",
        409,
        "preparation",
    )
    await client.post(f"{url}/archive", headers=leader)
    archived = (await client.patch(url, json={"title": "ROS brann 2027"}, headers=leader)).json()
    assert (archived["type"], archived["status"], archived["assessment_status"]) == (
        PROBLEM + "risk-assessment-archived",
        409,
        "archived",
    )


async def test_each_refusal_has_its_own_type_and_names_the_field_by_its_label(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    leader, employee = bearer(token_signer, org, org.unit_leader), bearer(token_signer, org, org.employee)
    body = {"title": "ROS fall", "kind": "hms", "unit_id": str(org.unit_id)}
    refused = (await client.post(f"{API}/assessments", json=body, headers=employee)).json()
    assert (refused["type"], refused["status"]) == (PROBLEM + "risk-assessment-owning-not-allowed", 403)
    unknown_unit = (
        await client.post(f"{API}/assessments", json={**body, "unit_id": str(org.tenant_id)}, headers=leader)
    ).json()
    assert (unknown_unit["type"], unknown_unit["errors"][0]["field"]) == (PROBLEM + "risk-unknown-unit", "unit_id")
    assessment = (await client.post(f"{API}/assessments", json=body, headers=leader)).json()
    url = f"{API}/assessments/{assessment['id']}"

    no_consequence = await client.post(
        f"{url}/risks", json={"title": "Fall i korridor", "probability": 3}, headers={**leader, "accept-language": "nn"}
    )
    assert no_consequence.status_code == 422
    (error,) = no_consequence.json()["errors"]
    assert (error["field"], error["label"]) == ("consequences", "Konsekvens per område")
    assert error["message"] == "Oppgje konsekvensen, samla eller per område (liv og helse, økonomi, …)."
    half_target = await client.post(
        f"{url}/risks",
        json={"title": "Fall i korridor", "probability": 3, "consequence": 3, "target_probability": 2},
        headers=leader,
    )
    assert [(e["field"], e["label"]) for e in half_target.json()["errors"]] == [
        ("target_consequence", "Konsekvens etter tiltak")
    ]
    other_scope = await client.post(f"{API}/assessments", json={**body, "scope_kind": "project"}, headers=leader)
    assert [e["field"] for e in other_scope.json()["errors"]] == ["scope_name"]

    rated = await client.put(
        f"{url}/risks/{org.tenant_id}/rating", json={"probability": 1, "consequence": 1}, headers=leader
    )
    assert (rated.status_code, rated.json()["type"]) == (404, PROBLEM + "risk-not-found")
    stranger = bearer(token_signer, org, org.tenant_id)
    hidden = await client.get(url, headers=stranger)
    assert (hidden.status_code, hidden.json()["type"]) == (404, PROBLEM + "risk-assessment-not-found")

    grid = [["green"] * 5 for _ in range(5)]
    criteria = await client.put(f"{API}/matrix", json={"grid": grid}, headers=leader)
    assert (criteria.status_code, criteria.json()["type"]) == (403, PROBLEM + "risk-criteria-change-not-allowed")
    picture = await client.get(f"{API}/picture", params={"unit_id": str(org.tenant_id)}, headers=leader)
    assert (picture.status_code, picture.json()["type"]) == (403, PROBLEM + "risk-picture-not-allowed")


async def test_a_reader_sees_names_beside_the_ids_and_labels_in_their_own_form(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    leader, above = bearer(token_signer, org, org.unit_leader), bearer(token_signer, org, org.sector_leader)
    body = {"title": "ROS legemidler", "kind": "hms", "unit_id": str(org.unit_id), "participants": [str(org.employee)]}
    created = (await client.post(f"{API}/assessments", json=body, headers=leader)).json()
    assert (created["number"], created["owner_name"], created["unit_name"]) == (1, "Lars Leder", "Solsiden sykehjem")
    assert created["participants"] == [{"id": str(org.employee), "name": org.name_of(org.employee)}]
    url = f"{API}/assessments/{created['id']}"
    risk = (
        await client.post(
            f"{url}/risks", json={"title": "Feil dose", "probability": 4, "consequence": 4}, headers=leader
        )
    ).json()
    measure = await client.post(
        f"{url}/risks/{risk['id']}/measures",
        json={"title": "Dobbeltkontroll", "owner_id": str(org.employee)},
        headers=leader,
    )
    assert measure.json()["owner_name"] == "Ane Ansatt"
    await client.post(f"{url}/submit", headers=leader)
    approved = (await client.post(f"{url}/approve", headers=above)).json()
    assert (approved["approved_by_name"], approved["status_label"]) == ("Kari Kommunalsjef", "Aktiv")
    assert approved["risk_list"][0]["measures"][0]["owner_name"] == "Ane Ansatt"

    listed = (await client.get(f"{API}/assessments", headers=above)).json()["items"]
    assert [(a["owner_name"], a["unit_name"]) for a in listed] == [("Lars Leder", "Solsiden sykehjem")]

    history = (await client.get(f"{url}/history", headers={**leader, "accept-language": "nn"})).json()["items"]
    lines = [(h["action"], h["action_label"], h["actor_name"]) for h in history]
    assert lines[0] == ("created", "Oppretta", "Lars Leder")
    assert ("approved", "Godkjent", "Kari Kommunalsjef") in lines
    assert ("above_acceptance", "Over akseptgrensa", None) in lines  # the system raised it
    above_line = next(h for h in history if h["action"] == "above_acceptance")
    assert above_line["details"]["leader_name"] == "Kari Kommunalsjef"
    bokmål = (await client.get(f"{url}/history", headers=leader)).json()["items"]
    assert bokmål[0]["action_label"] == "Opprettet"


async def test_the_history_comes_in_pages_that_follow_on(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    leader = bearer(token_signer, org, org.unit_leader)
    body = {"title": "ROS vann", "kind": "hms", "unit_id": str(org.unit_id)}
    url = f"{API}/assessments/{(await client.post(f'{API}/assessments', json=body, headers=leader)).json()['id']}"
    for title in ("Forurenset vann", "Lekkasje", "Frost i rør", "Tørke"):
        await client.post(f"{url}/risks", json={"title": title, "probability": 1, "consequence": 1}, headers=leader)
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get(f"{url}/history", params=params, headers=leader)).json()
        assert len(page["items"]) <= 2
        seen += [(h["action"], h["risk_id"]) for h in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert [action for action, _ in seen] == ["created"] + ["risk_registered"] * 4
    assert len({risk for _, risk in seen[1:]}) == 4
    bad = await client.get(f"{url}/history", params={"cursor": "ikke-en-markør"}, headers=leader)
    assert (bad.status_code, bad.json()["type"]) == (422, PROBLEM + "invalid-cursor")


async def test_what_an_assessment_cannot_be_without_is_refused_as_null_naming_the_field(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    leader = bearer(token_signer, org, org.unit_leader)
    body = {"title": "ROS vold og trusler", "kind": "hms", "unit_id": str(org.unit_id)}
    url = f"{API}/assessments/{(await client.post(f'{API}/assessments', json=body, headers=leader)).json()['id']}"

    refused = {
        field: await client.patch(url, json={field: None}, headers={**leader, "accept-language": language})
        for field, language in (("title", "nb"), ("owner_id", "nn"), ("participants", "nb"))
    }

    assert {field: r.status_code for field, r in refused.items()} == dict.fromkeys(refused, 422)
    assert {field: [(e["field"], e["label"]) for e in r.json()["errors"]] for field, r in refused.items()} == {
        "title": [("title", "Tittel")],
        "owner_id": [("owner_id", "Eigar")],  # asked for in nynorsk
        "participants": [("participants", "Deltakere")],
    }
    assert [r.json()["errors"][0]["message"] for r in refused.values()] == [
        "Tittel kan ikke fjernes; ROS-analysen må ha en tittel.",
        "Eigar kan ikkje fjernast; ROS-analysen må ha ein eigar.",
        "Deltakere må være en liste; en tom liste fjerner alle deltakerne.",
    ]
    # What may be emptied still can be: the description, the review date, and the participants as an empty list.
    emptied = await client.patch(
        url, json={"description": None, "review_due": None, "participants": []}, headers=leader
    )
    assert emptied.status_code == 200, emptied.text


async def test_the_refusal_to_change_the_criteria_names_everyone_who_may(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    org: TinyOrg,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    administrator, _ = await person_with_role(sessions, org, org.sector_id, "systemadministrator")
    grid = [[zone.value for zone in row] for row in DEFAULT_GRID]
    changed = await client.put(f"{API}/matrix", json={"grid": grid}, headers=bearer(token_signer, org, administrator))
    assert changed.status_code == 200, changed.text

    leader = bearer(token_signer, org, org.unit_leader)
    bokmål = (await client.put(f"{API}/matrix", json={"grid": grid}, headers=leader)).json()
    nynorsk = (
        await client.put(f"{API}/matrix", json={"grid": grid}, headers={**leader, "accept-language": "nn"})
    ).json()

    assert "kvalitetsrådgivere, kvalitetskoordinatorer og systemadministratorer" in bokmål["detail"]
    assert "kvalitetsrådgjevarar, kvalitetskoordinatorar og systemadministratorar" in nynorsk["detail"]
