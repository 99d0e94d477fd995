"""Every error a FastAPI app answers, as a problem in the caller's målform: our problem types, request
validation (fields named by their labels), the framework's own statuses, a database outage (503 with
``Retry-After``) and anything unexpected."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from varde_common.db import OUTAGE_ERRORS, outage_problem
from varde_common.errors import FieldError, InternalError, InvalidRequest, ProblemError, problem_for_status
from varde_common.language import Language, language_of
from varde_common.logs import Throttle
from varde_common.redaction import describe_error
from varde_common.validation import BODY_LABEL, MESSAGES, field_errors, label_of

log = logging.getLogger("varde.http")

# While the database is away every request fails the same way: one line per cause this often, not one per request.
OUTAGE_LOG_INTERVAL_S = 10.0
_outage_lines = Throttle(OUTAGE_LOG_INTERVAL_S)


def _log_outage(problem: type[ProblemError], error: BaseException) -> None:
    if not _outage_lines.due(problem.slug):
        return
    log.warning("database away or busy; answering 503", extra={"problem": problem.slug, "error": describe_error(error)})


def request_language(request: Request) -> Language:
    return language_of(request.headers.get("accept-language"))


def problem_answer(request: Request, problem: ProblemError, headers: dict[str, str] | None = None) -> Response:
    language = request_language(request)
    route = request.scope.get("route")

    def label(error: FieldError) -> str:
        return label_of(error, route, language)

    return problem.response(language, instance=request.url.path, label=label, headers=headers)


def unreadable_body(exc: StarletteHTTPException, language: Language) -> InvalidRequest:
    """FastAPI's bare 400 for a body it could not parse (JSON that is not UTF-8, a broken multipart form) as the
    validation problem a malformed JSON body already gets: the body named as the field, with a Norwegian message."""
    code = "json_invalid" if isinstance(exc.__cause__, UnicodeDecodeError) else "body_unreadable"
    error = FieldError(field="", code=code, message=MESSAGES[code], location="body")
    return InvalidRequest(fields=[error], labels=BODY_LABEL.render(language))


def install_problem_handlers(app: FastAPI, *, has_database: bool = True) -> None:
    """``has_database``: the app's only outgoing calls on a request's path are to its database, so a refused or
    timed-out connection is a database outage (503); the gateway, which has none, keeps such errors its own."""

    async def on_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ProblemError)
        return problem_answer(request, exc)

    async def on_validation(request: Request, exc: RequestValidationError) -> Response:
        language = request_language(request)
        route = request.scope.get("route")
        fields = field_errors(exc.errors(), route)
        labels = ", ".join(dict.fromkeys(label_of(error, route, language) for error in fields))
        return problem_answer(request, InvalidRequest(fields=fields, labels=labels))

    async def on_http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 400:
            return problem_answer(request, unreadable_body(exc, request_language(request)))
        problem = problem_for_status(exc.status_code)
        return problem_answer(request, problem(), headers=dict(exc.headers) if exc.headers else None)

    async def on_database_error(request: Request, exc: Exception) -> Response:
        problem = outage_problem(exc)
        if problem is None:
            raise exc  # not an outage: a 500, logged with its frames by the server
        _log_outage(problem, exc)
        return problem_answer(request, problem())

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        return problem_answer(request, InternalError())

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, on_http)  # type: ignore[arg-type]
    if has_database:
        for outage in OUTAGE_ERRORS:
            app.add_exception_handler(outage, on_database_error)
    app.add_exception_handler(Exception, on_unexpected)
