"""Bad input through the gateway on the real stack is a 422 in Norwegian, never a 500 from the database: a NUL in
any text (PostgreSQL refuses it), year 1 at +14:00 in a filter (it overflowed moving to UTC), and no lax guesses
(``"3"`` as a consequence, a number as a date)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.conftest import DemoPerson, Roles, deviation_body, person

pytestmark = pytest.mark.system

CONTROL_CHARACTER = "Inneholder et tegn som ikke kan lagres (et kontrolltegn)."
YEAR_RANGE = "Året må være mellom 1900 og 2999."


def field_errors(response: httpx.Response) -> list[tuple[str, str, str]]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:varde:problem:validation-error"
    return [(e["field"], e["code"], e["message"]) for e in response.json()["errors"]]


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/deviations", {"q": "fall\x00"}, "q"),
        ("/api/v1/deviations", {"area": "hms\x00"}, "area"),
        ("/api/v1/documents", {"tag": "smitte\x00vern"}, "tag"),
        ("/api/v1/documents/search", {"q": "hånd\x00hygiene"}, "q"),
        ("/api/v1/directory/people", {"q": "ola\x00"}, "q"),
    ],
)
def test_a_nul_in_a_filter_is_a_422_naming_the_filter(
    gateway: httpx.Client,
    people: list[DemoPerson],
    login: Callable[[DemoPerson], dict[str, str]],
    path: str,
    params: dict[str, str],
    field: str,
) -> None:
    adviser = login(person(people, "hustadvika", "kvalitetsradgiver"))
    assert field_errors(gateway.get(path, params=params, headers=adviser)) == [
        (field, "string_control_character", CONTROL_CHARACTER)
    ]


def test_a_nul_in_a_report_or_a_document_is_a_422_and_nothing_is_stored(
    gateway: httpx.Client, people: list[DemoPerson], roles: Roles, login: Callable[[DemoPerson], dict[str, str]]
) -> None:
    employee, adviser = login(roles.employee), login(person(people, "hustadvika", "kvalitetsradgiver"))
    title = "NUL-test \x00 fall"
    report = {**deviation_body(roles.nursing_home, title=title), "description": "Beboer\x00 falt."}
    assert field_errors(gateway.post("/api/v1/deviations", json=report, headers=employee)) == [
        ("title", "string_control_character", CONTROL_CHARACTER),
        ("description", "string_control_character", CONTROL_CHARACTER),
    ]
    document: dict[str, Any] = {"title": "Rutine for NUL", "owner_unit_id": roles.nursing_home, "content": "a\x00b"}
    assert field_errors(gateway.post("/api/v1/documents", json=document, headers=adviser)) == [
        ("content", "string_control_character", CONTROL_CHARACTER)
    ]
    mine = gateway.get("/api/v1/deviations", params={"view": "reported"}, headers=employee).json()["items"]
    assert not [d for d in mine if d["title"].startswith("NUL-test")]


def test_year_one_at_plus_fourteen_in_a_filter_or_an_occurrence_is_a_422(
    gateway: httpx.Client, roles: Roles, login: Callable[[DemoPerson], dict[str, str]]
) -> None:
    leader = login(roles.nursing_home_leader)
    listed = gateway.get("/api/v1/deviations", params={"reported_from": "0001-01-01T00:00:00+14:00"}, headers=leader)
    assert field_errors(listed) == [("reported_from", "date_out_of_range", YEAR_RANGE)]
    report = {**deviation_body(roles.nursing_home), "occurred_at": "0001-01-01T10:00:00+01:00"}
    assert field_errors(gateway.post("/api/v1/deviations", json=report, headers=leader)) == [
        ("occurred_at", "date_out_of_range", YEAR_RANGE)
    ]


def test_a_consequence_as_text_or_yes_and_a_date_as_a_number_are_refused(
    gateway: httpx.Client, roles: Roles, login: Callable[[DemoPerson], dict[str, str]]
) -> None:
    employee = login(roles.employee)
    for value in ("3", True):
        report = {**deviation_body(roles.nursing_home), "actual_consequence": value}
        assert [
            (f, c) for f, c, _ in field_errors(gateway.post("/api/v1/deviations", json=report, headers=employee))
        ] == [("actual_consequence", "int_type")]
    created = gateway.post(
        "/api/v1/deviations", json={**deviation_body(roles.nursing_home), "actual_consequence": 3}, headers=employee
    )
    assert created.status_code == 201, created.text
    leader = login(roles.nursing_home_leader)
    measure = {"description": "Sklisikre matter", "deadline": 20301101}
    answered = gateway.post(f"/api/v1/deviations/{created.json()['id']}/measures", json=measure, headers=leader)
    assert [(f, c) for f, c, _ in field_errors(answered)] == [("deadline", "date_type")]


def test_a_nul_at_the_gateways_own_doors_is_a_422_not_a_directory_outage(gateway: httpx.Client) -> None:
    token = gateway.post("/dev/token", json={"tenant": "hustadvika", "email": "ola\x00@hustadvika.kommune.no"})
    assert field_errors(token) == [("email", "string_control_character", CONTROL_CHARACTER)]
    login = gateway.get("/auth/login", params={"tenant": "hustad\x00vika"})
    assert field_errors(login) == [("tenant", "string_control_character", CONTROL_CHARACTER)]
