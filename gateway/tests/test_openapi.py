"""The merged OpenAPI document: two services that name different models alike each keep their own shape."""

from __future__ import annotations

from typing import Any

from varde_gateway.openapi import merge_openapi


def service_document(path: str, field: str) -> dict[str, Any]:
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/RejectBody"}}}}
    return {
        "paths": {path: {"post": {"requestBody": body, "responses": {}}}},
        "components": {
            "schemas": {
                "RejectBody": {"type": "object", "required": [field], "properties": {field: {"type": "string"}}},
                "Shared": {"type": "string"},
            }
        },
    }


def test_schemas_with_the_same_name_and_another_shape_are_told_apart() -> None:
    merged, missing = merge_openapi(
        {
            "deviations": service_document("/api/v1/deviations/{id}/reject", "reason"),
            "documents": service_document("/api/v1/documents/{id}/reject", "comment"),
        },
        dev=False,
    )
    assert missing == []
    schemas = merged["components"]["schemas"]

    def required(path: str) -> list[str]:
        ref = merged["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        return list(schemas[ref.rsplit("/", 1)[1]]["required"])

    assert required("/api/v1/deviations/{id}/reject") == ["reason"]
    assert required("/api/v1/documents/{id}/reject") == ["comment"]
    assert set(schemas) == {"RejectBody", "DocumentsRejectBody", "Shared"}  # equal ones are merged, not doubled
