"""RFC 9457 problem details (``application/problem+json``) for every error a service or the gateway returns."""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from opentelemetry import trace
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:varde:problem:"

# Norwegian titles for the statuses users meet; the `type` stays stable English for machines.
_TITLES: dict[int, str] = {
    400: "Ugyldig forespørsel",
    401: "Ikke innlogget",
    403: "Ingen tilgang",
    404: "Finnes ikke",
    405: "Metoden er ikke tillatt",
    409: "Konflikt",
    413: "Forespørselen er for stor",
    415: "Ugyldig innholdstype",
    422: "Ugyldige data",
    429: "For mange forespørsler",
    500: "Intern feil",
    502: "Feil fra bakenforliggende tjeneste",
    503: "Tjenesten er ikke tilgjengelig",
    504: "Tjenesten svarte ikke i tide",
}

_SLUGS: dict[int, str] = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation-error",
    429: "too-many-requests",
    500: "internal-error",
    502: "bad-gateway",
    503: "service-unavailable",
    504: "gateway-timeout",
}


def current_trace_id() -> str | None:
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None


def problem_body(
    status: int,
    *,
    slug: str | None = None,
    title: str | None = None,
    detail: str | None = None,
    instance: str | None = None,
    extra: dict[str, Any] | None = None,
    trace_id: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_PREFIX + (slug or _SLUGS.get(status, "error")),
        "title": title or _TITLES.get(status) or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail or _TITLES.get(status) or HTTPStatus(status).phrase,
    }
    if instance:
        body["instance"] = instance
    body["trace_id"] = trace_id or current_trace_id()
    if extra:
        body.update(extra)
    return body


def problem_response(status: int, headers: Mapping[str, str] | None = None, **kwargs: Any) -> Response:
    return Response(
        orjson.dumps(problem_body(status, **kwargs)),
        status_code=status,
        media_type=PROBLEM_CONTENT_TYPE,
        headers=headers,
    )


class ProblemError(Exception):
    """A failure that maps to one problem response; raise it from use cases."""

    status: int = 400
    slug: str | None = None

    def __init__(self, detail: str, *, extra: dict[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotFoundError(ProblemError):
    status = 404


class ConflictError(ProblemError):
    """A business rule forbids this change now (illegal transition, duplicate)."""

    status = 409


class ForbiddenError(ProblemError):
    status = 403


class UnauthorizedError(ProblemError):
    status = 401


class InvalidInputError(ProblemError):
    """Input that is well-formed but refers to something that does not exist or is not allowed."""

    status = 422


def _field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or str(loc[0] if loc else "body")


def validation_errors(errors: list[Any]) -> list[dict[str, str]]:
    result = []
    for err in errors:
        if err.get("type") == "json_invalid":
            # The location of a JSON syntax error is a character offset, not a field.
            result.append({"field": "body", "message": "Ugyldig JSON", "code": "json_invalid"})
        else:
            result.append(
                {
                    "field": _field_path(err.get("loc", ())),
                    "message": str(err.get("msg", "")),
                    "code": err.get("type", ""),
                }
            )
    return result


def install_problem_handlers(app: FastAPI) -> None:
    async def on_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ProblemError)
        return problem_response(
            exc.status, slug=exc.slug, detail=exc.detail, instance=request.url.path, extra=exc.extra
        )

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = validation_errors(list(exc.errors()))
        fields = ", ".join(sorted({e["field"] for e in errors}))
        return problem_response(
            422,
            detail=f"Ugyldige eller manglende felt: {fields}",
            instance=request.url.path,
            extra={"errors": errors},
        )

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        detail = (
            exc.detail if isinstance(exc.detail, str) and exc.detail != HTTPStatus(exc.status_code).phrase else None
        )
        return problem_response(exc.status_code, detail=detail, instance=request.url.path, headers=exc.headers)

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        return problem_response(500, instance=request.url.path)

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_unexpected)
