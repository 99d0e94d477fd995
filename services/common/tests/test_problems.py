"""Errors as a person and a client read them: one problem type per cause, Norwegian words in the form asked
for, fields named by their labels, and the OpenAPI document listing all of it."""

from __future__ import annotations

import uuid
from typing import Annotated

import httpx
import pytest
from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from varde_common.errors import PROBLEM_TYPES, InvalidCursor, ProblemError
from varde_common.http import Probes, create_http_app
from varde_common.identity import InternalTokenVerifier
from varde_common.inputs import Instant
from varde_common.language import Text
from varde_common.openapi import OPERATION_ID, problems
from varde_common.pages import Page, PageQuery, PageRequest, keyset, page_in_memory, page_of
from varde_common.redaction import CheckFailed
from varde_common.validation import refuse_null


class ThingNotFound(ProblemError):
    status = 404
    slug = "test-thing-not-found"
    title = Text(nb="Tingen finnes ikke", nn="Tingen finst ikkje")
    detail = Text(nb="Ting {thing_id} finnes ikke.", nn="Ting {thing_id} finst ikkje.")


class UnknownPlace(ProblemError):
    status = 422
    slug = "test-unknown-place"
    title = Text(nb="Ukjent sted", nn="Ukjend stad")
    detail = Text(nb="Stedet finnes ikke i kommunen.", nn="Staden finst ikkje i kommunen.")
    field = "place_id"


class Step(BaseModel):
    what: str = Field(title="Hva", min_length=1)


class ThingCreate(BaseModel):
    model_config = {"extra": "forbid"}
    title: str = Field(title="Tittel", max_length=10)
    happened_at: Instant = Field(title="Tidspunkt")
    place_id: uuid.UUID = Field(title="Sted")
    steps: list[Step] = Field(default_factory=list, title="Steg")


class ThingChange(BaseModel):
    model_config = {"extra": "forbid"}
    title: str | None = Field(default=None, title="Tittel")
    place_id: uuid.UUID | None = Field(default=None, title="Sted")
    note: str | None = Field(default=None, title="Merknad")

    _kept = refuse_null("title")
    _placed = refuse_null(
        "place_id",
        message=Text(
            nb="{label} kan ikke fjernes; tingen må ha et sted.",
            nn="{label} kan ikkje fjernast; tingen må ha ein stad.",
        ),
    )


class ThingPage(Page[str]):
    pass


router = APIRouter(prefix="/api/v1/things")


@router.post("", responses=problems(UnknownPlace))
async def create_thing(body: ThingCreate) -> ThingCreate:
    if body.title == "ukjent":
        raise UnknownPlace()
    return body


@router.get("")
async def list_things(page: PageQuery, colour: Annotated[str | None, Query(title="Farge")] = None) -> ThingPage:
    items, next_cursor = page_in_memory([f"ting {i}" for i in range(5)], page)
    return ThingPage(items=items, next_cursor=next_cursor)


@router.patch("/{thing_id}")
async def change_thing(thing_id: uuid.UUID, body: ThingChange) -> dict[str, object]:
    return body.model_dump(mode="json", exclude_unset=True)


@router.get("/{thing_id}", responses=problems(ThingNotFound))
async def get_thing(thing_id: uuid.UUID) -> dict[str, str]:
    raise ThingNotFound(thing_id=thing_id)


@pytest.fixture
def client(token_verifier: InternalTokenVerifier) -> httpx.AsyncClient:
    app = create_http_app(service="things", routers=[router], verifier=token_verifier, probes=Probes())
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://things")


VALID = {"title": "Fall", "happened_at": "2026-11-01T10:00:00+01:00", "place_id": str(uuid.uuid4())}


async def test_a_missing_field_and_a_time_without_zone_are_named_by_their_labels_in_norwegian(
    client: httpx.AsyncClient,
) -> None:
    body = {"happened_at": "2026-11-01T10:00:00", "place_id": VALID["place_id"]}
    response = await client.post("/api/v1/things", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "urn:varde:problem:validation-error"
    assert problem["detail"] == "Sjekk feltene: Tittel, Tidspunkt."
    by_field = {e["field"]: e for e in problem["errors"]}
    assert by_field["title"] == {
        "field": "title",
        "label": "Tittel",
        "message": "Må fylles ut.",
        "code": "missing",
        "pointer": "/title",
    }
    assert by_field["happened_at"]["message"] == "Må ha tidssone, som 2026-11-01T10:00:00+01:00."
    words = [problem["title"], problem["detail"], *(e["message"] for e in problem["errors"])]
    assert not any("Field" in w or "timezone" in w or "Input" in w for w in words)


async def test_nynorsk_is_answered_when_asked_for(client: httpx.AsyncClient) -> None:
    body = {**VALID, "title": "for lang tittel"}
    response = await client.post("/api/v1/things", json=body, headers={"accept-language": "nn-NO"})
    problem = response.json()
    assert problem["title"] == "Ugyldige data"
    assert problem["detail"] == "Sjekk felta: Tittel."
    assert problem["errors"][0]["message"] == "Kan ha høgst 10 teikn."
    missing = (await client.post("/api/v1/things", json={}, headers={"accept-language": "nn"})).json()
    assert "Sted" not in missing["detail"]
    assert missing["detail"] == "Sjekk felta: Tittel, Tidspunkt, Stad."


async def test_nested_fields_unknown_fields_and_query_parameters_are_located(client: httpx.AsyncClient) -> None:
    body = {**VALID, "steps": [{"what": "ok"}, {"what": ""}], "status": "closed"}
    problem = (await client.post("/api/v1/things", json=body)).json()
    by_field = {e["field"]: e for e in problem["errors"]}
    assert by_field["steps.1.what"]["label"] == "Steg › Hva"
    assert by_field["steps.1.what"]["pointer"] == "/steps/1/what"
    assert by_field["status"]["message"] == "Feltet finnes ikke her."
    query = (await client.get("/api/v1/things?limit=0")).json()
    assert query["errors"] == [
        {
            "field": "limit",
            "label": "Antall",
            "message": "Må være minst 1.",
            "code": "greater_than_equal",
            "parameter": "limit",
            "in": "query",
        }
    ]


async def test_a_null_for_what_a_change_may_not_empty_is_refused_at_the_field_in_the_callers_form(
    client: httpx.AsyncClient,
) -> None:
    url = f"/api/v1/things/{uuid.uuid4()}"

    title = (await client.patch(url, json={"title": None})).json()
    place = (await client.patch(url, json={"place_id": None}, headers={"accept-language": "nn"})).json()

    assert [(e["field"], e["label"], e["message"]) for e in title["errors"]] == [
        ("title", "Tittel", "«Tittel» kan ikke fjernes, bare endres.")
    ]
    assert [(e["field"], e["label"], e["message"]) for e in place["errors"]] == [
        ("place_id", "Stad", "Stad kan ikkje fjernast; tingen må ha ein stad.")
    ]
    # What is left out stays as it is, a new value is taken, and a field without the rule may be emptied.
    changed = await client.patch(url, json={"title": "Ny tittel", "note": None})
    assert (changed.status_code, changed.json()) == (200, {"title": "Ny tittel", "note": None})


async def test_a_cause_has_its_own_type_and_a_field_cause_names_its_field(client: httpx.AsyncClient) -> None:
    thing = uuid.uuid4()
    missing = (await client.get(f"/api/v1/things/{thing}")).json()
    assert missing["type"] == "urn:varde:problem:test-thing-not-found"
    assert missing["detail"] == f"Ting {thing} finnes ikke."
    assert missing["status"] == 404
    unknown = (await client.post("/api/v1/things", json={**VALID, "title": "ukjent"})).json()
    assert unknown["type"] == "urn:varde:problem:test-unknown-place"
    assert unknown["errors"][0]["label"] == "Sted"
    assert unknown["errors"][0]["pointer"] == "/place_id"


async def test_malformed_json_and_a_bad_cursor_are_problems_too(client: httpx.AsyncClient) -> None:
    broken = await client.post("/api/v1/things", content=b"{", headers={"content-type": "application/json"})
    assert broken.json()["errors"][0]["message"] == "Innholdet er ikke gyldig JSON."
    assert broken.json()["errors"][0]["pointer"] == ""
    cursor = (await client.get("/api/v1/things?cursor=nonsense")).json()
    assert cursor["type"] == "urn:varde:problem:invalid-cursor"
    pages = (await client.get("/api/v1/things?limit=2")).json()
    assert pages["items"] == ["ting 0", "ting 1"]
    rest = (await client.get(f"/api/v1/things?limit=10&cursor={pages['next_cursor']}")).json()
    assert rest == {"items": ["ting 2", "ting 3", "ting 4"], "next_cursor": None}


async def test_the_openapi_document_names_operations_and_documents_their_problems(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    create = document["paths"]["/api/v1/things"]["post"]
    assert create["operationId"] == "things.createThing"
    assert create["tags"] == ["things"]
    assert set(create["responses"]) >= {"200", "401", "413", "422"}
    unprocessable = create["responses"]["422"]
    assert set(unprocessable["content"]) == {"application/problem+json"}
    assert unprocessable["x-problem-types"] == [
        "urn:varde:problem:test-unknown-place",
        "urn:varde:problem:validation-error",
    ]
    listing = document["paths"]["/api/v1/things"]["get"]
    assert "urn:varde:problem:invalid-cursor" in listing["responses"]["422"]["x-problem-types"]
    assert all(OPERATION_ID.match(op["operationId"]) for item in document["paths"].values() for op in item.values())
    assert "HTTPValidationError" not in document["components"]["schemas"]
    assert "Problem" in document["components"]["schemas"]
    catalogue = {entry["type"]: entry for entry in document["x-problem-types"]}
    assert catalogue["urn:varde:problem:test-thing-not-found"]["title"] == {
        "nb": "Tingen finnes ikke",
        "nn": "Tingen finst ikkje",
    }


def test_every_problem_type_has_both_forms_with_the_same_placeholders() -> None:
    for slug, cause in PROBLEM_TYPES.items():
        for text in (cause.title, cause.detail):
            assert text.nb, slug
            assert text.nn, slug
            first, second = text.placeholders()
            assert first == second, slug


def test_a_problem_may_not_reuse_a_member_rfc_9457_defines() -> None:
    with pytest.raises(ValueError, match="reserved"):
        ThingNotFound(thing_id="x", extra={"status": "active"})


async def test_a_failing_readiness_check_is_a_503_problem_naming_the_check(
    token_verifier: InternalTokenVerifier,
) -> None:
    async def database() -> dict[str, object]:
        raise RuntimeError("connection refused")

    async def broker() -> dict[str, object]:
        return {"ok": True}

    app = create_http_app(
        service="things",
        routers=[],
        verifier=token_verifier,
        probes=Probes(checks={"database": database, "broker": broker}),
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://things") as http:
        response = await http.get("/readyz", headers={"accept-language": "nn"})
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    problem = response.json()
    assert (problem["type"], problem["detail"]) == ("urn:varde:problem:not-ready", "Ikkje klar: database.")
    assert problem["checks"]["broker"] == {"ok": True}
    assert problem["checks"]["database"]["ok"] is False


async def test_a_readiness_check_says_its_own_finding_and_no_value_an_exception_quotes(
    token_verifier: InternalTokenVerifier,
) -> None:
    async def schema() -> dict[str, object]:
        raise CheckFailed("schema is at 0007, code expects 0008: run the migrate role")

    async def lookup() -> dict[str, object]:
        raise KeyError("ola.nordmann@example.no")

    probes = Probes(checks={"schema": schema, "lookup": lookup})
    app = create_http_app(service="things", routers=[], verifier=token_verifier, probes=probes)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://things") as http:
        checks = (await http.get("/readyz")).json()["checks"]
    assert checks["schema"]["error"].endswith("CheckFailed: schema is at 0007, code expects 0008: run the migrate role")
    assert checks["lookup"] == {"ok": False, "error": "KeyError"}


def test_a_keyset_page_continues_after_its_last_row_and_refuses_a_cursor_not_ours() -> None:
    rows = [("Brannvern", uuid.UUID(int=1)), ("Hygiene", uuid.UUID(int=2)), ("Legemidler", uuid.UUID(int=3))]
    shown, cursor = page_of(rows, 2, lambda row: row)
    assert shown == rows[:2]
    assert keyset(PageRequest(cursor=cursor), str, uuid.UUID) == rows[1]
    assert page_of(rows[:2], 2, lambda row: row) == (rows[:2], None)  # read one past the limit: no more, no cursor
    assert keyset(PageRequest(), str, uuid.UUID) is None
    with pytest.raises(InvalidCursor):
        keyset(PageRequest(cursor=cursor), int)  # a cursor of another list
