"""What a client may send: text a database can store, numbers and yes/no as JSON writes them, dates as ISO text
within a sensible range; anything else is a 422 naming the field in Norwegian, never a 500 or a silent guess."""

from __future__ import annotations

import json
from typing import Annotated

import httpx
import pytest
from fastapi import APIRouter, File, Query, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from varde_common.http import Probes, create_http_app
from varde_common.identity import InternalTokenVerifier
from varde_common.inputs import Day, InputText, Instant, WholeNumber, YesNo


class Report(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    title: InputText = Field(title="Tittel", max_length=200)
    description: InputText = Field(title="Beskrivelse")
    occurred_at: Instant = Field(title="Tidspunkt")
    deadline: Day | None = Field(default=None, title="Frist")
    consequence: WholeNumber | None = Field(default=None, title="Konsekvens", ge=1, le=5)
    anonymous: YesNo = Field(default=False, title="Anonym")
    tags: list[InputText] = Field(default_factory=list, title="Stikkord")


router = APIRouter(prefix="/api/v1/reports")


@router.post("")
async def create_report(body: Report) -> Report:
    return body


@router.get("")
async def find_reports(
    q: Annotated[InputText | None, Query(title="Søk")] = None,
    reported_from: Annotated[Instant | None, Query(title="Meldt fra")] = None,
) -> dict[str, str | None]:
    return {"q": q, "reported_from": reported_from.isoformat() if reported_from else None}


@router.post("/attachments")
async def attach(file: Annotated[UploadFile, File(title="Fil")]) -> dict[str, str | None]:
    return {"name": file.filename}


@pytest.fixture
def client(token_verifier: InternalTokenVerifier) -> httpx.AsyncClient:
    app = create_http_app(service="reports", routers=[router], verifier=token_verifier, probes=Probes())
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://reports")


VALID = {"title": "Fall i korridor", "description": "Beboer falt.", "occurred_at": "2026-11-01T10:00:00+01:00"}


def errors_of(response: httpx.Response) -> list[tuple[str, str, str]]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return [(e["field"], e["code"], e["message"]) for e in response.json()["errors"]]


@pytest.mark.parametrize(
    ("character", "code", "message"),
    [
        *(
            (character, "string_control_character", "Inneholder et tegn som ikke kan lagres (et kontrolltegn).")
            for character in ("\x00", "\x07", "\x1b", "\x7f", "\x85", "\ufffe", "\uffff")
        ),
        ("\ud800", "string_unicode", "Må være gyldig tekst."),  # a lone surrogate: pydantic's own check
    ],
)
async def test_a_control_character_or_noncharacter_in_any_text_is_a_422_naming_the_field(
    client: httpx.AsyncClient, character: str, code: str, message: str
) -> None:
    body = {**VALID, "title": f"Fa{character}ll", "tags": ["ok", f"x{character}y"]}
    # As JSON escapes (\\u0000, \\ud800): how a client sends what UTF-8 cannot carry raw.
    content = json.dumps(body, ensure_ascii=True).encode()
    response = await client.post("/api/v1/reports", content=content, headers={"content-type": "application/json"})
    assert errors_of(response) == [("title", code, message), ("tags.1", code, message)]


async def test_the_message_is_in_nynorsk_when_asked_for(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/reports", json={**VALID, "description": "a\x00b"}, headers={"accept-language": "nn"}
    )
    assert errors_of(response) == [
        ("description", "string_control_character", "Inneheld eit teikn som ikkje kan lagrast (eit kontrollteikn).")
    ]
    assert response.json()["detail"] == "Sjekk felta: Skildring."


async def test_tabs_and_line_breaks_stay_in_free_text(client: httpx.AsyncClient) -> None:
    description = "Første linje\r\nandre linje\n\tinnrykk, æøå og 😀"
    response = await client.post("/api/v1/reports", json={**VALID, "description": description})
    assert response.status_code == 200, response.text
    assert response.json()["description"] == description


async def test_a_nul_in_a_query_parameter_is_a_422_too(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/reports", params={"q": "sk\x00ade"})
    assert errors_of(response) == [
        ("q", "string_control_character", "Inneholder et tegn som ikke kan lagres (et kontrolltegn).")
    ]
    assert response.json()["errors"][0]["label"] == "Søk"


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("consequence", "3", "int_type"),
        ("consequence", True, "int_type"),
        ("consequence", 3.0, "int_type"),
        ("anonymous", "true", "bool_type"),
        ("anonymous", 1, "bool_type"),
        ("deadline", 20261101, "date_type"),
        ("occurred_at", 1_790_000_000, "datetime_type"),
    ],
)
async def test_numbers_yes_no_and_dates_are_taken_only_as_json_writes_them(
    client: httpx.AsyncClient, field: str, value: object, code: str
) -> None:
    errors = errors_of(await client.post("/api/v1/reports", json={**VALID, field: value}))
    assert [(f, c) for f, c, _ in errors] == [(field, code)]


async def test_what_a_client_sends_as_json_is_taken(client: httpx.AsyncClient) -> None:
    body = {**VALID, "deadline": "2026-12-01", "consequence": 3, "anonymous": True, "tags": ["hms"]}
    response = await client.post("/api/v1/reports", json=body)
    assert response.status_code == 200, response.text
    assert response.json() == {**body, "occurred_at": "2026-11-01T09:00:00Z"}
    listed = await client.get("/api/v1/reports", params={"reported_from": "2026-11-01T00:00:00+14:00"})
    assert listed.json() == {"q": None, "reported_from": "2026-10-31T10:00:00+00:00"}


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("occurred_at", "0001-01-01T00:00:00+14:00"),
        ("occurred_at", "1899-12-31T23:59:59+00:00"),
        ("occurred_at", "9999-12-31T23:59:59-14:00"),
        ("deadline", "0001-01-01"),
        ("deadline", "3000-01-01"),
    ],
)
async def test_a_date_outside_1900_to_2999_is_a_422_in_norwegian(
    client: httpx.AsyncClient, where: str, value: str
) -> None:
    errors = errors_of(await client.post("/api/v1/reports", json={**VALID, where: value}))
    assert errors == [(where, "date_out_of_range", "Året må være mellom 1900 og 2999.")]


async def test_year_one_at_plus_fourteen_in_a_filter_is_a_422_not_an_overflow(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/reports", params={"reported_from": "0001-01-01T00:00:00+14:00"})
    assert errors_of(response) == [("reported_from", "date_out_of_range", "Året må være mellom 1900 og 2999.")]


async def test_a_body_that_is_not_utf_8_is_invalid_json_not_a_bare_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/reports", content=b'{"title": "\xff\xfe"}', headers={"content-type": "application/json"}
    )
    assert errors_of(response) == [("", "json_invalid", "Innholdet er ikke gyldig JSON.")]
    assert response.json()["type"] == "urn:varde:problem:validation-error"


async def test_a_broken_form_is_a_422_naming_the_body_not_a_bare_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/reports/attachments",
        content=b"--abc\r\nTrue--abc--\r\n",
        headers={"content-type": "multipart/form-data; boundary=abc"},
    )
    assert errors_of(response) == [("", "body_unreadable", "Innholdet kan ikke leses.")]
