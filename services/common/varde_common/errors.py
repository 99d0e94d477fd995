"""RFC 9457 problem details (``application/problem+json``) for every error a service or the gateway returns.

Every cause of failure is one class with a stable ``type`` (``urn:varde:problem:<slug>``), its HTTP status and
its words in bokmål and nynorsk. A service keeps its own causes in its ``errors.py``; the causes every service
shares (validation, authentication, a missing route, an outage) are here. Each class registers itself, so the
catalogue of a service is the set of classes its modules define, and the OpenAPI document lists it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import orjson
from opentelemetry import trace
from starlette.responses import Response

from varde_common.language import DEFAULT_LANGUAGE, Language, Text

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:varde:problem:"
# The members RFC 9457 defines, and ours that every problem carries: an extension may not reuse them.
RESERVED_MEMBERS = frozenset({"type", "title", "status", "detail", "instance", "trace_id", "errors"})

PROBLEM_TYPES: dict[str, type[ProblemError]] = {}
"""Every problem type known to this process, by slug."""


def current_trace_id() -> str | None:
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None


@dataclass(frozen=True)
class FieldError:
    """What is wrong with one input field. ``field`` is the dotted path in the body or the parameter's name
    (``measures.0.deadline``, ``cursor``); the label a person reads is looked up from the form at answer time."""

    field: str
    code: str
    message: Text
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    location: str = "body"  # body, query, path or header

    def pointer(self) -> str:
        if self.location != "body" or not self.field:
            return ""
        return "/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in self.field.split(".") if part)

    def as_json(self, language: Language, label: str) -> dict[str, Any]:
        message = self.message.render(language, **self.params)
        entry: dict[str, Any] = {"field": self.field, "label": label, "message": message, "code": self.code}
        if self.location == "body":
            entry["pointer"] = self.pointer()
        else:
            entry["parameter"] = self.field
            entry["in"] = self.location
        return entry


Labeler = Callable[[FieldError], str]
"""Gives the label a form shows for a field (from the route's models); the field's name without one."""


class ProblemError(Exception):
    """One cause of failure. Subclass per cause with ``slug``, ``status``, ``title`` and ``detail``; raise it with
    the detail's placeholders as keyword arguments: ``raise DeviationNotFound(deviation_id=...)``.

    A 422 about one input field names it in ``field`` (and the detail becomes that field's message); several
    fields are passed as ``fields=[FieldError(...)]``. ``extra`` adds members for clients (never one of RFC
    9457's own, such as ``status``)."""

    status: ClassVar[int] = 400
    slug: ClassVar[str] = "bad-request"
    title: ClassVar[Text] = Text(nb="Ugyldig forespørsel", nn="Ugyldig førespurnad")
    detail: ClassVar[Text] = Text(nb="Forespørselen kan ikke behandles.", nn="Førespurnaden kan ikkje handsamast.")
    field: ClassVar[str | None] = None
    # Seconds a client should wait before trying again (503, 429): sent as ``Retry-After``.
    retry_after_s: ClassVar[int | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        slug = cls.__dict__.get("slug")
        if slug is None:
            return
        known = PROBLEM_TYPES.get(slug)
        if known is not None and (known.__module__, known.__qualname__) != (cls.__module__, cls.__qualname__):
            raise TypeError(f"problem type {slug} is defined twice ({known.__qualname__}, {cls.__qualname__})")
        if "title" not in cls.__dict__ or "detail" not in cls.__dict__:
            raise TypeError(f"problem type {slug} needs its own title and detail")
        PROBLEM_TYPES[slug] = cls

    def __init__(
        self, *, fields: list[FieldError] | None = None, extra: Mapping[str, Any] | None = None, **params: Any
    ) -> None:
        super().__init__(self.detail.render(DEFAULT_LANGUAGE, **params))
        self.params = params
        clashing = RESERVED_MEMBERS.intersection(extra or {})
        if clashing:
            raise ValueError(f"problem extension reuses a reserved member: {sorted(clashing)}")
        self.extra = dict(extra or {})
        if fields is None and self.field is not None:
            fields = [FieldError(field=self.field, code=self.slug, message=self.detail, params=params)]
        self.fields = fields or []

    def own_headers(self) -> dict[str, str]:
        return {"retry-after": str(self.retry_after_s)} if self.retry_after_s is not None else {}

    @classmethod
    def type_uri(cls) -> str:
        return PROBLEM_TYPE_PREFIX + cls.slug

    def body(
        self,
        language: Language = DEFAULT_LANGUAGE,
        *,
        instance: str | None = None,
        label: Labeler | None = None,
    ) -> dict[str, Any]:
        """The problem as JSON. ``label`` turns a :class:`FieldError` into the name the form gives the field."""
        body: dict[str, Any] = {
            "type": self.type_uri(),
            "title": self.title.render(language),
            "status": self.status,
            "detail": self.detail.render(language, **self.params),
        }
        if instance:
            body["instance"] = instance
        body["trace_id"] = current_trace_id()
        if self.fields:
            body["errors"] = [
                error.as_json(language, label(error) if label is not None else error.field) for error in self.fields
            ]
        body.update(self.extra)
        return body

    def response(
        self,
        language: Language = DEFAULT_LANGUAGE,
        *,
        instance: str | None = None,
        label: Labeler | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        return Response(
            orjson.dumps(self.body(language, instance=instance, label=label)),
            status_code=self.status,
            media_type=PROBLEM_CONTENT_TYPE,
            headers={**self.own_headers(), **(headers or {})} or None,
        )


# -- the causes every service shares -------------------------------------------------------------------------


class InvalidRequest(ProblemError):
    status = 422
    slug = "validation-error"
    title = Text(nb="Ugyldige data", nn="Ugyldige data")
    detail = Text(nb="Sjekk feltene: {labels}.", nn="Sjekk felta: {labels}.")


class InvalidCursor(ProblemError):
    status = 422
    slug = "invalid-cursor"
    title = Text(nb="Ugyldig markør", nn="Ugyldig markør")
    detail = Text(
        nb="Markøren for neste side er ikke gyldig. Start listen på nytt.",
        nn="Markøren for neste side er ikkje gyldig. Start lista på nytt.",
    )
    field = "cursor"

    def __init__(self, **params: Any) -> None:
        super().__init__(
            fields=[FieldError(field="cursor", code=self.slug, message=self.detail, location="query")], **params
        )


class Unauthenticated(ProblemError):
    status = 401
    slug = "unauthorized"
    title = Text(nb="Ikke innlogget", nn="Ikkje innlogga")
    detail = Text(
        nb="Du må logge inn. Send et gyldig Bearer-token.", nn="Du må logge inn. Send eit gyldig Bearer-token."
    )


class InternalIdentityInvalid(ProblemError):
    """A service was called without the gateway's internal token, or with one it cannot verify."""

    status = 401
    slug = "internal-identity-invalid"
    title = Text(nb="Ikke innlogget", nn="Ikkje innlogga")
    detail = Text(
        nb="Kallet mangler en gyldig identitet fra gatewayen.", nn="Kallet manglar ein gyldig identitet frå gatewayen."
    )


class PersonRequired(ProblemError):
    status = 401
    slug = "person-required"
    title = Text(nb="Ikke innlogget", nn="Ikkje innlogga")
    detail = Text(nb="Denne adressen krever en innlogget person.", nn="Denne adressa krev ein innlogga person.")


class ServiceCallerRequired(ProblemError):
    status = 401
    slug = "service-caller-required"
    title = Text(nb="Bare for interne tjenester", nn="Berre for interne tenester")
    detail = Text(
        nb="Denne adressen er bare for Vardes egne tjenester.",
        nn="Denne adressa er berre for Varde sine eigne tenester.",
    )


class RouteNotFound(ProblemError):
    status = 404
    slug = "not-found"
    title = Text(nb="Finnes ikke", nn="Finst ikkje")
    detail = Text(nb="Adressen finnes ikke.", nn="Adressa finst ikkje.")


class MethodNotAllowed(ProblemError):
    status = 405
    slug = "method-not-allowed"
    title = Text(nb="Metoden er ikke tillatt", nn="Metoden er ikkje tillaten")
    detail = Text(nb="Adressen tar ikke imot denne metoden.", nn="Adressa tek ikkje imot denne metoden.")


class PayloadTooLarge(ProblemError):
    status = 413
    slug = "payload-too-large"
    title = Text(nb="Forespørselen er for stor", nn="Førespurnaden er for stor")
    detail = Text(nb="Innholdet er større enn {limit_mb} MB.", nn="Innhaldet er større enn {limit_mb} MB.")


class UnsupportedMediaType(ProblemError):
    status = 415
    slug = "unsupported-media-type"
    title = Text(nb="Ugyldig innholdstype", nn="Ugyldig innhaldstype")
    detail = Text(nb="Innholdstypen støttes ikke her.", nn="Innhaldstypen er ikkje støtta her.")


class TooManyRequests(ProblemError):
    status = 429
    slug = "too-many-requests"
    title = Text(nb="For mange forespørsler", nn="For mange førespurnader")
    detail = Text(nb="Vent litt og prøv igjen.", nn="Vent litt og prøv igjen.")


class InternalError(ProblemError):
    status = 500
    slug = "internal-error"
    title = Text(nb="Intern feil", nn="Intern feil")
    detail = Text(
        nb="Noe gikk galt hos oss. Prøv igjen. Skjer det igjen, oppgi sporings-id-en når du melder fra om feilen.",
        nn="Noko gjekk gale hjå oss. Prøv igjen. Skjer det igjen, oppgje sporings-id-en når du melder frå om feilen.",
    )


class ServiceUnavailable(ProblemError):
    status = 503
    slug = "service-unavailable"
    title = Text(nb="Tjenesten er ikke tilgjengelig", nn="Tenesta er ikkje tilgjengeleg")
    detail = Text(
        nb="Tjenesten er ikke tilgjengelig akkurat nå. Prøv igjen om litt.",
        nn="Tenesta er ikkje tilgjengeleg akkurat no. Prøv igjen om litt.",
    )


class DatabaseUnavailable(ProblemError):
    """The service's database refused or did not answer a new connection (stopped, restarting, unreachable)."""

    status = 503
    slug = "database-unavailable"
    title = Text(nb="Tjenesten er ikke tilgjengelig", nn="Tenesta er ikkje tilgjengeleg")
    detail = Text(
        nb="Databasen til tjenesten svarer ikke akkurat nå. Prøv igjen om litt.",
        nn="Databasen til tenesta svarar ikkje akkurat no. Prøv igjen om litt.",
    )
    retry_after_s = 5


class DatabaseConnectionLost(ProblemError):
    """The connection to the database broke while the request used it (the server stopped or restarted)."""

    status = 503
    slug = "database-connection-lost"
    title = Text(nb="Tjenesten er ikke tilgjengelig", nn="Tenesta er ikkje tilgjengeleg")
    detail = Text(
        nb="Forbindelsen til databasen ble brutt underveis. Prøv igjen om litt.",
        nn="Sambandet til databasen vart brote undervegs. Prøv igjen om litt.",
    )
    retry_after_s = 5


class DatabaseBusy(ProblemError):
    """Every connection of the service's pool stayed busy for as long as a request may wait for one."""

    status = 503
    slug = "database-busy"
    title = Text(nb="Tjenesten er ikke tilgjengelig", nn="Tenesta er ikkje tilgjengeleg")
    detail = Text(
        nb="Tjenesten har for mye å gjøre akkurat nå. Prøv igjen om litt.",
        nn="Tenesta har for mykje å gjere akkurat no. Prøv igjen om litt.",
    )
    retry_after_s = 2


DATABASE_OUTAGES: tuple[type[ProblemError], ...] = (DatabaseUnavailable, DatabaseConnectionLost, DatabaseBusy)
"""What any route that reads or writes its database can answer while the database is away or overwhelmed."""


class NotReady(ProblemError):
    """A readiness check failed: the database, the schema, the broker or the search dictionaries (``/readyz``)."""

    status = 503
    slug = "not-ready"
    title = Text(nb="Ikke klar", nn="Ikkje klar")
    detail = Text(nb="Ikke klar: {failing}.", nn="Ikkje klar: {failing}.")
    retry_after_s = 5


_STATUS_PROBLEMS: dict[int, type[ProblemError]] = {
    401: Unauthenticated,
    404: RouteNotFound,
    405: MethodNotAllowed,
    413: PayloadTooLarge,
    415: UnsupportedMediaType,
    422: InvalidRequest,
    429: TooManyRequests,
    500: InternalError,
    503: ServiceUnavailable,
}


def problem_for_status(status: int) -> type[ProblemError]:
    """The shared problem type of a bare HTTP status (a framework's own 404 or 405, say)."""
    return _STATUS_PROBLEMS.get(status, ProblemError)
