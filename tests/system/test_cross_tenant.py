"""Isolation between kommuner, generated from the public OpenAPI document so that routes added later are covered
without editing this test.

For every route with an object id, the object is created as kommune A (Hustadvika) by the route that creates
it (the collection's POST, or another POST answering with the same schema), then every method on every path
of that object is called as kommune B's most powerful person (Lillestrøm's systemadministrator): each answer
is 404. Every list and search of kommune B leaks none of A's ids, and no create route accepts ``tenant_id``,
``created_by`` or ``status`` from the caller. A route this test cannot create an object for fails the test:
give its create body an example (``json_schema_extra={"examples": [...]}``), with ``{unit_id}`` standing
for a unit of the caller and ``{unique}`` for a fresh value. A multipart route gets a small PNG for each file
field. An object that only a leader may create (a measure on a case) is created by kommune A's
kommunedirektør when the systemadministrator is refused. An object no route creates, because an event makes it
(a notification), is taken from its collection's list as the first of kommune A's callers who has one: the
kommunedirektør is told of the case the systemadministrator reported in the unit the kommunedirektør leads.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.conftest import DemoPerson, person, wait_until

PARAM = re.compile(r"\{[^}]+\}")
METHODS = ("get", "put", "patch", "post", "delete")
FORBIDDEN_FIELDS = {"tenant_id": str(uuid.uuid4()), "created_by": str(uuid.uuid4()), "status": "closed"}
# The smallest valid PNG (1×1 pixel): what a file field receives.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002"
    "000154a24f5d0000000049454e44ae426082"
)


@dataclass
class Caller:
    headers: dict[str, str]
    unit_id: str
    stand_ins: list[Caller] = field(default_factory=list)  # asked, in order, when this caller is refused (403/404)


@dataclass
class Api:
    document: dict[str, Any]
    gateway: httpx.Client
    created: dict[str, str] = field(default_factory=dict)  # object template → id created as kommune A
    ids_of_a: set[str] = field(default_factory=set)

    def operation(self, path: str, method: str) -> dict[str, Any] | None:
        found: dict[str, Any] | None = self.document["paths"].get(path, {}).get(method)
        return found

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self.document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def lists(self, path: str) -> str | None:
        """The schema of the items of the page GET ``path`` answers, if it answers a page."""
        ref = self.response_ref(path, "get", "200")
        items = self.resolve({"$ref": ref}).get("properties", {}).get("items", {}) if ref else {}
        item_ref = items.get("items", {}).get("$ref")
        return str(item_ref) if item_ref else None

    def response_ref(self, path: str, method: str, status: str) -> str | None:
        operation = self.operation(path, method) or {}
        schema = operation.get("responses", {}).get(status, {}).get("content", {}).get("application/json", {})
        ref = schema.get("schema", {}).get("$ref")
        return str(ref) if ref else None

    def request_body(self, path: str, method: str, caller: Caller) -> dict[str, Any] | None:
        """httpx keyword arguments for a body the route accepts (JSON, or multipart with a PNG per file field)."""
        operation = self.operation(path, method) or {}
        content = operation.get("requestBody", {}).get("content", {})
        if "multipart/form-data" in content:
            schema = self.resolve(content["multipart/form-data"].get("schema", {}))
            files = {
                name: ("probe.png", PNG, "image/png")
                for name, prop in schema.get("properties", {}).items()
                if prop.get("format") == "binary" or prop.get("contentMediaType") == "application/octet-stream"
            }
            return {"files": files}
        body = self.example_body(path, method, caller)
        return None if body is None else {"json": body}

    def example_body(self, path: str, method: str, caller: Caller) -> dict[str, Any] | None:
        operation = self.operation(path, method) or {}
        content = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if content is None:
            return None
        schema = self.resolve(content.get("schema", {}))
        examples = schema.get("examples") or []
        if not examples:
            return {} if not schema.get("required") else None
        return fill(examples[0], caller)


def fill(value: Any, caller: Caller) -> Any:
    if isinstance(value, dict):
        return {k: fill(v, caller) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, caller) for v in value]
    if isinstance(value, str):
        return value.replace("{unit_id}", caller.unit_id).replace("{unique}", uuid.uuid4().hex[:12])
    return value


def object_templates(document: dict[str, Any]) -> list[str]:
    """``/a/{x}`` for every path with an id, and ``/a/{x}/b/{y}`` for nested ones: each object once."""
    templates: set[str] = set()
    for path in document["paths"]:
        for match in PARAM.finditer(path):
            templates.add(path[: match.end()])
    return sorted(templates)


def create(api: Api, template: str, caller: Caller) -> str:
    """The id of an object of ``template`` created as ``caller``, through the public API."""
    if template in api.created:
        return api.created[template]
    collection = PARAM.sub("", template).rstrip("/") if template.count("{") == 1 else template.rsplit("/", 1)[0]
    wanted = {api.response_ref(path, "get", "200") for path in api.document["paths"] if path.startswith(template)}
    wanted |= {api.response_ref(path, "post", "200") for path in api.document["paths"] if path.startswith(template)}
    candidates = []
    if api.operation(collection, "post") and "201" in (api.operation(collection, "post") or {}).get("responses", {}):
        candidates.append(collection)
    else:
        candidates += [
            path for path in api.document["paths"] if api.response_ref(path, "post", "201") in wanted - {None}
        ]
    if not candidates and api.lists(collection) in wanted - {None}:
        return remember(api, template, taken_from_list(api, collection, caller))
    assert candidates, f"no route creates the object of {template}: add a POST on its collection answering 201"
    creator = candidates[0]
    concrete = fill_path(api, creator, caller)
    for who in (caller, *caller.stand_ins):
        body = api.request_body(creator, "post", who)
        assert body is not None, f"POST {creator} has no example body: add one to its model (see the docstring)"
        response = api.gateway.post(concrete, headers=who.headers, **body)
        # Refused, or the parent is not visible to this caller (a document with only a draft is its writers'
        # business): the next stand-in, who may have created the parent, is asked.
        if response.status_code not in (403, 404):
            break
    assert response.status_code == 201, f"creating via POST {creator}: {response.status_code} {response.text}"
    # The object's id is its "id", or the field its path parameter names (an area's "{key}").
    parameter = PARAM.findall(template)[-1].strip("{}")
    created = response.json()
    return remember(api, template, str(created[parameter] if parameter in created else created["id"]))


def remember(api: Api, template: str, object_id: str) -> str:
    api.created[template] = object_id
    api.ids_of_a.add(object_id)
    return object_id


def taken_from_list(api: Api, collection: str, caller: Caller) -> str:
    """The id of an object an event made, from the first page of ``collection`` of the first of ``caller`` and
    their stand-ins who has one (the event may still be on its way)."""

    def first_listed() -> str | None:
        for who in (caller, *caller.stand_ins):
            response = api.gateway.get(collection, params={"limit": 1}, headers=who.headers)
            assert response.status_code == 200, f"GET {collection}: {response.status_code} {response.text}"
            if response.json()["items"]:
                return str(response.json()["items"][0]["id"])
        return None

    return wait_until(first_listed, what=f"an object in GET {collection} of one of kommune A's callers")


def fill_path(api: Api, path: str, caller: Caller) -> str:
    """``path`` with each parameter replaced by the id of an object created as ``caller``."""
    for match in reversed(list(PARAM.finditer(path))):
        path = path[: match.start()] + create(api, path[: match.end()], caller) + path[match.end() :]
    return path


@pytest.fixture(scope="module")
def callers(
    gateway: httpx.Client, people: list[DemoPerson], login: Callable[[DemoPerson], dict[str, str]]
) -> tuple[Caller, Caller]:
    def caller(tenant: str) -> Caller:
        admin = person(people, tenant, "systemadministrator")
        chief = person(people, tenant, "kommunedirektor")
        stand_in = Caller(login(chief), chief.unit_where("kommunedirektor"))
        return Caller(login(admin), admin.unit_where("systemadministrator"), [stand_in])

    return caller("hustadvika"), caller("lillestrom")


@pytest.fixture(scope="module")
def api(gateway: httpx.Client) -> Api:
    return Api(gateway.get("/api/v1/openapi.json").json(), gateway)


def test_every_object_of_one_kommune_is_404_to_another_on_every_route(api: Api, callers: tuple[Caller, Caller]) -> None:
    a, b = callers
    templates = object_templates(api.document)
    assert len(templates) >= 5  # the document is really there
    calls = 0
    for template in templates:
        object_path = fill_path(api, template, a)
        for path, operations in api.document["paths"].items():
            if not path.startswith(template) or PARAM.search(path[len(template) :]):
                continue
            concrete = object_path + path[len(template) :]
            for method in METHODS:
                if method not in operations:
                    continue
                body = api.request_body(path, method, b) or {}
                response = api.gateway.request(method.upper(), concrete, headers=b.headers, **body)
                calls += 1
                assert response.status_code == 404, f"{method.upper()} {path} as another kommune: {response.text}"
    assert calls >= 10


def test_lists_and_searches_of_another_kommune_leak_nothing(api: Api, callers: tuple[Caller, Caller]) -> None:
    a, b = callers
    for template in object_templates(api.document):
        create(api, template, a)
    assert api.ids_of_a
    listed = 0
    for path, operations in api.document["paths"].items():
        if "{" in path or "get" not in operations:
            continue
        parameters = operations["get"].get("parameters", [])
        # A word from kommune A's example objects ("Legemiddelhåndtering i sykehjem"): a search that leaked would
        # find it. A route whose search word is required is only asked with it.
        params = {p["name"]: "sykehjem" for p in parameters if p["name"] in ("q", "search")}
        # A route about one unit is asked about B's own unit by whoever of B may see it (answered), and about
        # A's unit (refused, or empty).
        unit_scoped = any(p["name"] == "unit_id" and p.get("required") for p in parameters)
        required = any(p.get("required") and p.get("in") == "query" for p in parameters)
        asks: list[tuple[Caller, dict[str, str], tuple[int, ...]]] = [
            (b, query, (200,)) for query in ((params,) if required else ({}, params) if params else ({},))
        ]
        if unit_scoped:
            who = next(
                (
                    c
                    for c in (b, *b.stand_ins)
                    if api.gateway.get(path, params={**params, "unit_id": c.unit_id}, headers=c.headers).status_code
                    == 200
                ),
                b,
            )
            asks = [
                (who, {**params, "unit_id": who.unit_id}, (200,)),
                (b, {**params, "unit_id": a.unit_id}, (200, 403)),
            ]
        for caller, query, expected in asks:
            response = api.gateway.get(path, params=query, headers=caller.headers)
            assert response.status_code in expected, f"GET {path}: {response.text}"
            leaked = [object_id for object_id in api.ids_of_a if object_id in response.text]
            assert not leaked, f"GET {path} as another kommune shows {leaked}"
            listed += 1
    assert listed >= 4


def test_no_create_route_accepts_tenant_creator_or_status_from_the_caller(
    api: Api, callers: tuple[Caller, Caller]
) -> None:
    a, _ = callers
    checked = 0
    for path, operations in api.document["paths"].items():
        if "post" not in operations or "201" not in operations["post"].get("responses", {}):
            continue
        body = api.request_body(path, "post", a)
        assert body is not None, f"POST {path} has no example body"
        concrete = fill_path(api, path, a)
        for name, value in FORBIDDEN_FIELDS.items():
            if "files" in body:
                response = api.gateway.post(concrete, headers=a.headers, files=body["files"], data={name: value})
            else:
                response = api.gateway.post(concrete, json={**body["json"], name: value}, headers=a.headers)
            assert response.status_code == 422, f"POST {path} with {name}: {response.status_code} {response.text}"
            assert any(e["field"] == name for e in response.json()["errors"])
            checked += 1
    assert checked >= 9
