"""The OpenAPI document of a service as mobile clients generate code from it: short stable operation ids
(``deviations.report``), one tag per service, and every error an operation can answer documented as
``application/problem+json`` with the one shared ``Problem`` schema and the problem types of each status.

A route names the problems it can answer with ``responses=problems(DeviationNotFound, ...)``; the ones every
route shares (401 for a missing identity, 413 for a body over the limit, 422 for invalid input, 503 while the
service's database is away) are added here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, Literal

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field

from varde_common.errors import (
    DATABASE_OUTAGES,
    PROBLEM_CONTENT_TYPE,
    PROBLEM_TYPES,
    InvalidCursor,
    InvalidRequest,
    PayloadTooLarge,
    ProblemError,
    Unauthenticated,
)

PROBLEM_TYPES_KEY = "x-problem-types"
PROBLEM_SCHEMA_REF = "#/components/schemas/Problem"
OPERATION_ID = re.compile(r"^[a-z]+\.[a-z][A-Za-z0-9]*$")


class ProblemFieldError(BaseModel):
    """What is wrong with one field: its path, the label the form gives it and a Norwegian message."""

    field: str = Field(description="Feltets sti i innholdet, eller parameterens navn")
    label: str = Field(description="Feltets navn slik skjemaet viser det")
    message: str = Field(description="Hva som er galt, på norsk")
    code: str = Field(description="Maskinlesbar kode for feilen")
    pointer: str | None = Field(default=None, description="JSON-peker (RFC 6901) inn i innholdet")
    parameter: str | None = Field(default=None, description="Parameteren, når feilen ikke er i innholdet")
    in_: Literal["query", "path", "header", "cookie"] | None = Field(default=None, alias="in")


class Problem(BaseModel):
    """RFC 9457 problem details. ``type`` is stable per cause; ``title`` and ``detail`` are Norwegian, in the form
    the caller asked for with ``Accept-Language`` (nb or nn)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="Feilens type: urn:varde:problem:<årsak>, fast per årsak")
    title: str = Field(description="Kort tittel for årsaken")
    status: int = Field(description="HTTP-statusen")
    detail: str = Field(description="Hva som gikk galt, for en person")
    instance: str | None = Field(default=None, description="Stien som ble kalt")
    trace_id: str | None = Field(default=None, description="Sporings-id (oppgi den til brukerstøtte)")
    errors: list[ProblemFieldError] | None = Field(default=None, description="Feltene som er feil (422)")


def problems(*causes: type[ProblemError]) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of a route that can answer these problems (grouped by status)."""
    by_status: dict[int, list[type[ProblemError]]] = defaultdict(list)
    for cause in causes:
        by_status[cause.status].append(cause)
    return {status: _response(found) for status, found in sorted(by_status.items())}


def _line(cause: type[ProblemError]) -> str:
    return f"{cause.title.nb} ({cause.slug})"


def _response(causes: list[type[ProblemError]]) -> dict[str, Any]:
    ordered = sorted(set(causes), key=lambda c: c.slug)
    return {
        "description": "; ".join(_line(c) for c in ordered),
        "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": PROBLEM_SCHEMA_REF}}},
        PROBLEM_TYPES_KEY: [c.type_uri() for c in ordered],
    }


def operation_id(service: str, route: APIRoute) -> str:
    """``<service>.<lowerCamel of the route function>``: ``approve_version`` → ``documents.approveVersion``."""
    head, *rest = route.name.split("_")
    return f"{service}.{head}{''.join(part.title() for part in rest)}"


def _merge_problem_response(responses: dict[str, Any], status: int, causes: list[type[ProblemError]]) -> None:
    """Add causes to an operation's response for ``status``. The response may come from another process's
    document (the gateway merges the services'), whose classes this process does not have: what is there is kept
    as written, and the new causes are added to it."""
    key = str(status)
    existing = responses.get(key)
    if existing is None or PROBLEM_TYPES_KEY not in existing:
        responses[key] = _response(causes)
        return
    new = [c for c in sorted(set(causes), key=lambda c: c.slug) if c.type_uri() not in existing[PROBLEM_TYPES_KEY]]
    existing[PROBLEM_TYPES_KEY] = sorted([*existing[PROBLEM_TYPES_KEY], *(c.type_uri() for c in new)])
    existing["description"] = "; ".join([existing["description"], *map(_line, new)]) if new else existing["description"]


def add_problem_responses(operation: dict[str, Any], causes: Any) -> None:
    """Document more problems on an operation (the gateway's own, on every proxied route)."""
    by_status: dict[int, list[type[ProblemError]]] = defaultdict(list)
    for cause in causes:
        by_status[cause.status].append(cause)
    responses = operation.setdefault("responses", {})
    for status, found in by_status.items():
        _merge_problem_response(responses, status, found)


def shape_openapi(app: FastAPI, service: str) -> dict[str, Any]:
    """The app's OpenAPI document in Varde's shape (installed as ``app.openapi``)."""
    document = get_openapi(title=app.title, version=app.version, routes=app.routes, description=app.description or None)
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    problem_schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}", by_alias=True)
    schemas.update(problem_schema.pop("$defs", {}))
    schemas["Problem"] = problem_schema
    catalogue: dict[str, type[ProblemError]] = {}
    for item in document.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            operation["tags"] = [service]
            responses: dict[str, Any] = operation.setdefault("responses", {})
            parameters = operation.get("parameters", [])
            shared: dict[int, list[type[ProblemError]]] = {401: [Unauthenticated], 503: list(DATABASE_OUTAGES)}
            if parameters or "requestBody" in operation:
                shared[422] = [InvalidRequest]
            if any(p.get("name") == "cursor" for p in parameters):
                shared[422].append(InvalidCursor)
            if "requestBody" in operation:
                shared[413] = [PayloadTooLarge]
            if "422" in responses and PROBLEM_TYPES_KEY not in responses["422"]:
                del responses["422"]  # FastAPI's own validation shape: ours replaces it
            for status, causes in shared.items():
                _merge_problem_response(responses, status, causes)
            for response in responses.values():
                for uri in response.get(PROBLEM_TYPES_KEY, []):
                    slug = uri.rsplit(":", 1)[1]
                    catalogue[slug] = PROBLEM_TYPES[slug]
    document[PROBLEM_TYPES_KEY] = problem_catalogue(catalogue.values())
    return document


def problem_catalogue(causes: Any) -> list[dict[str, Any]]:
    """The problem types as the document lists them: type, status and title in both forms."""
    return [
        {
            "type": cause.type_uri(),
            "status": cause.status,
            "title": {"nb": cause.title.nb, "nn": cause.title.nn},
            "detail": {"nb": cause.detail.nb, "nn": cause.detail.nn},
        }
        for cause in sorted(set(causes), key=lambda c: c.slug)
    ]


def install_openapi(app: FastAPI, service: str) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = shape_openapi(app, service)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
