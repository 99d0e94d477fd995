"""The public OpenAPI document holds every operation to the contract a mobile developer builds on, generated
from the document itself (like the cross-tenant test), so a route added later is held to it unedited:

- a short, stable ``operationId`` (``<service>.<lowerCamel>``, unique) and one tag, its service;
- every error it can answer documented as ``application/problem+json`` with the shared ``Problem`` schema and
  the problem types of each status, each listed in the document's catalogue: 401 always, 404 where the path
  names an object, 413 where it takes a body, 422 where it takes input;
- one list shape: no response is a bare array; a list is ``{"items", "next_cursor"}`` asked for with
  ``limit`` (one maximum everywhere) and ``cursor``;
- every input field and parameter has a Norwegian label (``title``), the one error messages name it by.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.contracts.openapi_document import public_document
from varde_common.field_labels import FIELD_LABELS_NN
from varde_common.identity import generate_private_key_pem, public_key_pem
from varde_common.openapi import OPERATION_ID, PROBLEM_SCHEMA_REF, PROBLEM_TYPES_KEY
from varde_common.pages import MAX_LIMIT

DOCUMENT = public_document(public_key_pem(generate_private_key_pem()))
METHODS = ("get", "put", "patch", "post", "delete")
OPERATIONS = [
    (path, method, operation)
    for path, item in sorted(DOCUMENT["paths"].items())
    for method, operation in item.items()
    if method in METHODS
]
IDS = [f"{method.upper()} {path}" for path, method, _ in OPERATIONS]
CATALOGUE = {entry["type"]: entry for entry in DOCUMENT[PROBLEM_TYPES_KEY]}
PROBLEM_CONTENT = "application/problem+json"


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = DOCUMENT["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def service_of(path: str) -> str:
    return path.split("/")[3]


def automatic_title(name: str) -> str:
    """The title pydantic makes up from a field's name when it has none of its own."""
    return name.replace("_", " ").title()


@pytest.mark.parametrize(("path", "method", "operation"), OPERATIONS, ids=IDS)
def test_the_operation_has_a_short_stable_id_and_its_service_as_its_one_tag(
    path: str, method: str, operation: dict[str, Any]
) -> None:
    operation_id = operation.get("operationId", "")
    assert OPERATION_ID.match(operation_id), f"{operation_id!r} is not <service>.<lowerCamel>"
    assert operation_id.split(".")[0] == service_of(path)
    assert len(operation_id) <= 40
    assert operation["tags"] == [service_of(path)]


def test_operation_ids_are_unique() -> None:
    ids = [operation["operationId"] for _, _, operation in OPERATIONS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(("path", "method", "operation"), OPERATIONS, ids=IDS)
def test_the_errors_it_can_answer_are_problems_of_known_types(
    path: str, method: str, operation: dict[str, Any]
) -> None:
    responses: dict[str, Any] = operation["responses"]
    wanted = {"401"}
    if re.search(r"\{[^}]+\}", path):
        wanted.add("404")
    if "requestBody" in operation:
        wanted |= {"413", "422"}
    if operation.get("parameters"):
        wanted.add("422")
    if method in ("post", "put", "patch", "delete"):
        wanted.add("429")  # every write is rate-limited at the gateway
    assert wanted <= set(responses), f"undocumented: {sorted(wanted - set(responses))}"
    for status, response in responses.items():
        if int(status) < 400:
            continue
        assert set(response.get("content", {})) == {PROBLEM_CONTENT}, status
        assert response["content"][PROBLEM_CONTENT]["schema"] == {"$ref": PROBLEM_SCHEMA_REF}, status
        types = response.get(PROBLEM_TYPES_KEY, [])
        assert types, f"{status} names no problem type"
        for problem_type in types:
            assert CATALOGUE[problem_type]["status"] == int(status), problem_type


@pytest.mark.parametrize(("path", "method", "operation"), OPERATIONS, ids=IDS)
def test_a_list_has_the_one_list_shape(path: str, method: str, operation: dict[str, Any]) -> None:
    for status, response in operation["responses"].items():
        if not status.startswith("2"):
            continue
        for content in response.get("content", {}).values():
            schema = resolve(content.get("schema", {}))
            assert schema.get("type") != "array", f"{status} is a bare array: answer a page"
            if "items" in schema.get("properties", {}):
                assert set(schema["required"]) >= {"items", "next_cursor"}
                parameters = {p["name"]: p for p in operation.get("parameters", [])}
                assert {"limit", "cursor"} <= set(parameters), "a page is asked for with limit and cursor"
                assert parameters["limit"]["schema"]["maximum"] == MAX_LIMIT


@pytest.mark.parametrize(("path", "method", "operation"), OPERATIONS, ids=IDS)
def test_every_input_has_a_norwegian_label(path: str, method: str, operation: dict[str, Any]) -> None:
    unlabelled = [
        f"parameter {p['name']}"
        for p in operation.get("parameters", [])
        if p.get("in") != "header"
        and p["schema"].get("title", automatic_title(p["name"])) == automatic_title(p["name"])
    ]
    body = operation.get("requestBody", {}).get("content", {})
    for content in body.values():
        schema = resolve(content.get("schema", {}))
        for name, field in schema.get("properties", {}).items():
            if field.get("title", "") in ("", automatic_title(name)):
                unlabelled.append(f"field {name}")
    assert unlabelled == []


def test_the_catalogue_lists_every_type_once_in_both_forms() -> None:
    types = [entry["type"] for entry in DOCUMENT[PROBLEM_TYPES_KEY]]
    assert len(types) == len(set(types))
    for entry in DOCUMENT[PROBLEM_TYPES_KEY]:
        assert entry["title"]["nb"]
        assert entry["title"]["nn"]
    counted = {t for _, _, op in OPERATIONS for r in op["responses"].values() for t in r.get(PROBLEM_TYPES_KEY, [])}
    print(f"\n{len(OPERATIONS)} operations, {len(counted)} problem types documented on them")


def input_titles() -> set[str]:
    """Every label of an input field or parameter in the public document (nested models included)."""
    titles: set[str] = set()
    seen: set[str] = set()

    def walk(schema: dict[str, Any]) -> None:
        name = schema.get("$ref", "")
        if name in seen:
            return
        seen.add(name)
        for field in resolve(schema).get("properties", {}).values():
            if "title" in field:
                titles.add(field["title"])
            for part in [field, field.get("items", {}), *field.get("anyOf", [])]:
                for candidate in (part, part.get("items", {})):
                    if "$ref" in candidate:
                        walk(candidate)

    for _, _, operation in OPERATIONS:
        titles.update(
            p["schema"]["title"]
            for p in operation.get("parameters", [])
            if p["in"] != "header" and "title" in p["schema"]
        )
        for content in operation.get("requestBody", {}).get("content", {}).values():
            walk(content["schema"])
    return titles


def test_every_label_has_its_nynorsk_form() -> None:
    assert sorted(input_titles() - set(FIELD_LABELS_NN)) == []
