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


def test_every_proxied_operation_lists_what_the_gateway_itself_may_answer() -> None:
    merged, _ = merge_openapi(
        {
            "notifications": {
                "paths": {
                    "/api/v1/notifications": {"get": {"responses": {}}},
                    "/api/v1/notifications/read": {"post": {"responses": {}}},
                }
            }
        },
        dev=False,
    )
    listing = merged["paths"]["/api/v1/notifications"]["get"]["responses"]
    marking = merged["paths"]["/api/v1/notifications/read"]["post"]["responses"]
    for responses in (listing, marking):
        assert {"urn:varde:problem:token-expired", "urn:varde:problem:session-ended"} <= set(
            responses["401"]["x-problem-types"]
        )
        assert "urn:varde:problem:upstream-timeout" in responses["504"]["x-problem-types"]
    # A change made with the session cookie from another site is refused; reading is not a change.
    assert listing["403"]["x-problem-types"] == ["urn:varde:problem:person-not-in-kommune"]
    assert marking["403"]["x-problem-types"] == [
        "urn:varde:problem:cross-origin-refused",
        "urn:varde:problem:person-not-in-kommune",
    ]
    catalogue = {entry["type"]: entry for entry in merged["x-problem-types"]}
    login = catalogue["urn:varde:problem:login-state-mismatch"]  # the browser login's, not on any operation
    assert (login["status"], login["title"]["nn"]) == (401, "Innlogginga kan ikkje stadfestast")


def test_problem_types_only_a_service_knows_are_kept_beside_the_gateways_own() -> None:
    # The gateway's process never imports the services' problem classes: it merges their documents as written.
    foreign = "urn:varde:problem:only-the-service-knows-this"
    responses = {
        "401": {
            "description": "Noe tjenesten vet (only-the-service-knows-this)",
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
            "x-problem-types": [foreign],
        }
    }
    document = {
        "paths": {"/api/v1/things/{id}": {"get": {"responses": responses}}},
        "x-problem-types": [{"type": foreign, "status": 401, "title": {"nb": "x", "nn": "x"}}],
    }
    merged, _ = merge_openapi({"things": document}, dev=False)
    unauthorized = merged["paths"]["/api/v1/things/{id}"]["get"]["responses"]["401"]
    assert foreign in unauthorized["x-problem-types"]
    assert "urn:varde:problem:token-expired" in unauthorized["x-problem-types"]
    assert "Noe tjenesten vet (only-the-service-knows-this)" in unauthorized["description"]
    assert foreign in {entry["type"] for entry in merged["x-problem-types"]}
