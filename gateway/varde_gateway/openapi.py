"""The public OpenAPI document of all routes: every service's document, merged at the edge."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from varde_common.errors import PROBLEM_TYPES, ProblemError
from varde_common.openapi import PROBLEM_TYPES_KEY, add_problem_responses, problem_catalogue
from varde_gateway import errors
from varde_gateway.errors import (
    TOKEN_REFUSALS,
    CrossOriginRefused,
    DirectoryUnavailable,
    LoginUnavailable,
    PathNotCanonical,
    PersonNotInKommune,
    SessionEnded,
    SessionInvalid,
    UpstreamBadResponse,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from varde_gateway.proxy import API_PREFIX

# What the gateway itself may answer on any proxied route, before or instead of the service: a path that is not
# written canonically (a path parameter of "..", say), why a token or a session is not accepted, a person the
# kommune does not know, and the upstreams (the service, the directory, the identity provider's keys) that are away.
GATEWAY_PROBLEMS: tuple[type[ProblemError], ...] = (
    PathNotCanonical,
    *TOKEN_REFUSALS,
    SessionInvalid,
    SessionEnded,
    PersonNotInKommune,
    UpstreamBadResponse,
    UpstreamUnavailable,
    UpstreamTimeout,
    LoginUnavailable,
    DirectoryUnavailable,
)
# A change made with the browser's session cookie must come from Varde's own pages.
CHANGING_METHODS = frozenset({"post", "put", "patch", "delete"})

# The catalogue lists every problem the gateway has, the browser login's included.
ALL_GATEWAY_PROBLEMS = tuple(cause for cause in PROBLEM_TYPES.values() if cause.__module__ == errors.__name__)

REF_PREFIX = "#/components/schemas/"


def _renamed_refs(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {
            key: (
                REF_PREFIX + renames.get(value.removeprefix(REF_PREFIX), value.removeprefix(REF_PREFIX))
                if key == "$ref" and isinstance(value, str) and value.startswith(REF_PREFIX)
                else _renamed_refs(value, renames)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_renamed_refs(item, renames) for item in node]
    return node


def _without_clashes(name: str, document: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    """Two services may name different models alike (each has its own ``RejectBody``): the later one is renamed
    with its service's name, in its schemas and every reference to them, so no client reads the wrong shape."""
    own = document.get("components", {}).get("schemas", {})
    renames = {
        schema: f"{name.title()}{schema}"
        for schema, definition in own.items()
        if schemas.get(schema, definition) != definition
    }
    if not renames:
        return document
    renamed: dict[str, Any] = _renamed_refs(document, renames)
    components = renamed.setdefault("components", {})
    components["schemas"] = {renames.get(k, k): v for k, v in components.get("schemas", {}).items()}
    return renamed


# What a rate-limited operation's 429 carries besides the problem (draft-ietf-httpapi-ratelimit-headers-10).
RATE_LIMIT_HEADERS: dict[str, Any] = {
    "Retry-After": {"description": "Sekunder å vente før neste forsøk", "schema": {"type": "integer"}},
    "RateLimit-Policy": {
        "description": 'Kvoten som er brukt opp, f.eks. "writes.person";q=1200;w=60',
        "schema": {"type": "string"},
    },
    "RateLimit": {
        "description": 'Det som er igjen av kvoten, f.eks. "writes.person";r=0;t=12',
        "schema": {"type": "string"},
    },
}
RateLimited = Callable[[str, str], tuple[type[ProblemError], ...]]


def _no_rate_limits(method: str, path: str) -> tuple[type[ProblemError], ...]:
    return ()


def merge_openapi(
    documents: dict[str, dict[str, Any] | None], *, dev: bool, rate_limited: RateLimited = _no_rate_limits
) -> tuple[dict[str, Any], list[str]]:
    """The services' documents as one; ``rate_limited`` gives the 429 problems of an operation (method, path)."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    catalogue: dict[str, dict[str, Any]] = {}
    missing: list[str] = []
    for name, document in sorted(documents.items()):
        if document is None:
            missing.append(name)
            continue
        document = _without_clashes(name, document, schemas)
        for path, item in document.get("paths", {}).items():
            if path.startswith(API_PREFIX):
                for method, operation in item.items():
                    if isinstance(operation, dict):
                        operation.setdefault("security", [{"bearer": []}])
                        add_problem_responses(operation, GATEWAY_PROBLEMS)
                        if method in CHANGING_METHODS:
                            add_problem_responses(operation, [CrossOriginRefused])
                        refusals = rate_limited(method, path)
                        if refusals:
                            add_problem_responses(operation, refusals)
                            operation["responses"]["429"]["headers"] = RATE_LIMIT_HEADERS
                paths[path] = item
        schemas.update(document.get("components", {}).get("schemas", {}))
        for entry in document.get(PROBLEM_TYPES_KEY, []):
            catalogue[entry["type"]] = entry
    for entry in problem_catalogue(ALL_GATEWAY_PROBLEMS):
        catalogue[entry["type"]] = entry
    merged: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "Varde API",
            "version": "v1",
            "description": "Internkontroll og kvalitetssystem for kommuner. Alle kall går gjennom gatewayen "
            "med et Bearer-token fra kommunens identitetsleverandør.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
        PROBLEM_TYPES_KEY: [catalogue[key] for key in sorted(catalogue)],
    }
    if missing:
        merged["x-varde-unavailable-services"] = missing
    if dev:
        merged["info"]["description"] += " I utviklingsmodus gir POST /dev/token et token for en demoperson."
    return merged, missing
