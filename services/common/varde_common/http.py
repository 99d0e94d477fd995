"""The HTTP side of a service: FastAPI with problem details, identity, probes, metrics and tracing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from varde_common.errors import NotReady
from varde_common.identity import InternalTokenVerifier
from varde_common.language import Language
from varde_common.openapi import install_openapi, operation_id
from varde_common.problem_handlers import install_problem_handlers, request_language
from varde_common.redaction import describe_error
from varde_common.telemetry import instrument_fastapi

ReadinessCheck = Callable[[], Awaitable[dict[str, Any]]]
Service = TypeVar("Service")


@dataclass
class Probes:
    """Readiness checks by name; each returns details and raises when not ready."""

    checks: dict[str, ReadinessCheck] = field(default_factory=dict)


def app_service(name: str, kind: type[Service]) -> Callable[[Request], Awaitable[Service]]:
    """The app's service ``name`` (put on ``app.state`` in the service's ``app.py``), as a route's dependency:
    ``Documents = Annotated[DocumentService, Depends(app_service("documents", DocumentService))]``."""

    # Async, as every dependency here: FastAPI runs a plain function in a worker thread, per request.
    async def service(request: Request) -> Service:
        found = getattr(request.app.state, name)
        assert isinstance(found, kind)
        return found

    return service


async def _caller_language(request: Request) -> Language:
    return request_language(request)


CallerLanguage = Annotated[Language, Depends(_caller_language)]
"""The målform the caller asked for (``Accept-Language``), as a route parameter."""


def install_probes(app: FastAPI, probes: Probes) -> None:
    """``/livez`` (the process answers), ``/readyz`` (every check passes, else 503 naming the failing ones) and
    ``/metrics`` (Prometheus text), the same on an api and on the probe server of a worker or a relay."""

    @app.get("/livez", include_in_schema=False)
    async def livez() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz(request: Request) -> Any:
        details: dict[str, Any] = {}
        failing: list[str] = []
        for name, check in probes.checks.items():
            try:
                details[name] = await check()
            except Exception as exc:  # a probe reports every failure, whatever it is
                details[name] = {"ok": False, "error": describe_error(exc)}
                failing.append(name)
        if failing:
            not_ready = NotReady(failing=", ".join(failing), extra={"checks": details})
            return not_ready.response(request_language(request), instance=request.url.path)
        return {"status": "ready", "checks": details}

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> PlainTextResponse:
        return PlainTextResponse(generate_latest().decode(), media_type=CONTENT_TYPE_LATEST)


def create_probe_app(service: str, probes: Probes) -> FastAPI:
    """The whole HTTP side of a ``worker`` or ``relay`` process: its probes and metrics, nothing else."""
    app = FastAPI(title=f"Varde {service} probes", openapi_url=None, docs_url=None, redoc_url=None)
    install_problem_handlers(app)
    install_probes(app, probes)
    return app


def create_http_app(
    *,
    service: str,
    routers: list[APIRouter],
    verifier: InternalTokenVerifier,
    probes: Probes,
    version: str = "0.1.0",
) -> FastAPI:
    app = FastAPI(
        title=f"Varde {service}",
        version=version,
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
        generate_unique_id_function=lambda route: operation_id(service, route),
    )
    install_openapi(app, service)
    app.state.token_verifier = verifier
    install_problem_handlers(app)
    for router in routers:
        app.include_router(router)

    install_probes(app, probes)
    instrument_fastapi(app)
    return app
