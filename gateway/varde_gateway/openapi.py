"""The public OpenAPI document of all routes: every service's document, merged at the edge."""

from __future__ import annotations

from typing import Any

from varde_gateway.proxy import API_PREFIX


def merge_openapi(documents: dict[str, dict[str, Any] | None], *, dev: bool) -> tuple[dict[str, Any], list[str]]:
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    missing: list[str] = []
    for name, document in sorted(documents.items()):
        if document is None:
            missing.append(name)
            continue
        for path, item in document.get("paths", {}).items():
            if path.startswith(API_PREFIX):
                for operation in item.values():
                    if isinstance(operation, dict):
                        operation.setdefault("security", [{"bearer": []}])
                paths[path] = item
        schemas.update(document.get("components", {}).get("schemas", {}))
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
    }
    if missing:
        merged["x-varde-unavailable-services"] = missing
    if dev:
        merged["info"]["description"] += " I utviklingsmodus gir POST /dev/token et token for en demo-person."
    return merged, missing
