"""Every input of every route, of each service and of the gateway itself, is held to the shared input rules of
``varde_common.inputs``, read from the validators pydantic actually runs (the route's core schemas), so a field
added later with a bare ``str``, ``int``, ``bool``, ``date`` or ``datetime`` fails here:

- text, in a body or a parameter, goes through the control-character rule (a NUL was a 500);
- dates and instants are ISO text within the year range (year 1 at +14:00 was a 500; a number was a Unix time);
- whole numbers and yes/no in a body are strict (``"3"`` and ``true`` were a consequence); parameters arrive as
  text and stay lax.

The same rule for text is in the public document as a pattern, for clients that generate code from it.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute

from tests.contracts.openapi_document import HTTP_SERVICES, public_document, service_app
from varde_common.identity import generate_private_key_pem, public_key_pem
from varde_common.inputs import (
    TEXT_PATTERN,
    iso_date_text,
    iso_instant_text,
    refuse_control_characters,
    within_years,
)
from varde_common.settings import Environment
from varde_gateway.app import Gateway
from varde_gateway.config import GatewaySettings

PUBLIC_KEY = public_key_pem(generate_private_key_pem())


def gateway_app() -> FastAPI:
    """The gateway's own routes (login, the development token), as in development, where all of them exist."""
    settings = GatewaySettings(
        env=Environment.DEV,
        internal_token_private_key=generate_private_key_pem(),
        dev_idp_private_key=generate_private_key_pem(),
    )
    gateway = Gateway(settings)
    asyncio.run(gateway.client.aclose())  # nothing is sent: only the routes are read
    return gateway.api


APPS = {**{service: service_app(service, PUBLIC_KEY) for service in HTTP_SERVICES}, "gateway": gateway_app()}


def api_routes(app: FastAPI) -> Iterator[tuple[str, APIRoute]]:
    """The app's routes with their full paths, those of included routers too (FastAPI keeps them apart)."""
    for route in app.routes:
        if isinstance(route, APIRoute):
            yield route.path, route
        for context in getattr(route, "effective_route_contexts", list)():
            if isinstance(context.original_route, APIRoute):
                yield context.path, context.original_route


ROUTES = [(f"{sorted(route.methods)[0]} {path}", route) for app in APPS.values() for path, route in api_routes(app)]

# What each of our validators vouches for, by the function pydantic calls.
VOUCHES: dict[Any, str] = {
    refuse_control_characters: "clean text",
    iso_date_text: "iso text",
    iso_instant_text: "iso text",
    within_years: "year range",
}
SKIPPED_KEYS = {"serialization", "metadata", "ref", "custom_error_type", "custom_error_message"}


def route_inputs(route: APIRoute) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each input of the route (its body and every parameter, its dependencies' too) with its core schema."""
    if route.body_field is not None:
        yield "body", route.body_field._type_adapter.core_schema
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        for location in ("query", "path", "header", "cookie"):
            for param in getattr(dependant, f"{location}_params"):
                yield f"{location} {param.alias}", param._type_adapter.core_schema
        pending.extend(dependant.dependencies)


def vouches_on_top(node: dict[str, Any]) -> frozenset[str]:
    """What the validators wrapped around a schema vouch for (following only the wrapping, not its contents)."""
    found: set[str] = set()
    while str(node.get("type", "")).startswith("function-"):
        if node["function"]["function"] in VOUCHES:
            found.add(VOUCHES[node["function"]["function"]])
        node = node.get("schema", {})
    return frozenset(found)


def rule_breaches(schema: dict[str, Any], *, body: bool) -> list[str]:
    """What in the core schema escapes the input rules, as ``<node type> at <path>``."""
    definitions: dict[str, Any] = {}
    breaches: list[str] = []

    def walk(node: Any, path: str, vouched: frozenset[str], seen: frozenset[str]) -> None:
        if isinstance(node, list | tuple):
            for index, item in enumerate(node):
                walk(item, f"{path}[{index}]", vouched, seen)
            return
        if not isinstance(node, dict):
            return
        kind = node.get("type")
        if kind == "definitions":
            definitions.update({d["ref"]: d for d in node["definitions"]})
        if kind == "definition-ref":
            ref = node["schema_ref"]
            if ref not in seen:
                walk(definitions[ref], f"{path}<{ref.split(':')[0]}>", vouched, seen | {ref})
            return
        if kind == "chain":
            # A constraint pydantic cannot push into our type runs as a later step, on a value already checked.
            for index, step in enumerate(node["steps"]):
                walk(step, f"{path}.steps[{index}]", vouched, seen)
                vouched = vouched | vouches_on_top(step)
            return
        if isinstance(kind, str) and kind.startswith("function-"):
            vouched = vouched | {VOUCHES[f]} if (f := node["function"]["function"]) in VOUCHES else vouched
        if kind == "str" and "clean text" not in vouched:
            breaches.append(f"text without the control-character rule at {path}")
        if kind in ("date", "datetime") and not {"iso text", "year range"} <= vouched:
            breaches.append(f"{kind} without ISO text and the year range at {path}")
        if body and kind in ("int", "bool", "float") and not node.get("strict"):
            breaches.append(f"lax {kind} in a body at {path}")
        for key, value in node.items():
            if key not in SKIPPED_KEYS and key != "function":
                walk(value, f"{path}.{key}" if key not in ("schema",) else path, vouched, seen)

    walk(schema, "", frozenset(), frozenset())
    return breaches


@pytest.mark.parametrize(("operation", "route"), ROUTES, ids=[operation for operation, _ in ROUTES])
def test_every_input_of_the_route_follows_the_input_rules(operation: str, route: APIRoute) -> None:
    breaches = {
        where: found for where, schema in route_inputs(route) if (found := rule_breaches(schema, body=where == "body"))
    }
    assert breaches == {}


def test_the_document_tells_clients_the_text_rule() -> None:
    document = public_document(PUBLIC_KEY)
    patterns = [
        schema["pattern"]
        for schema in document["components"]["schemas"].values()
        for schema in schema.get("properties", {}).values()
        if "pattern" in schema
    ]
    assert TEXT_PATTERN in patterns
    assert re.fullmatch(TEXT_PATTERN, "Linje én\n\tlinje to\r\n")
    assert not re.fullmatch(TEXT_PATTERN, "nul\x00byte")
