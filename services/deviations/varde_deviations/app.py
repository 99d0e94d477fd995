"""Composition of the deviations HTTP app."""

from fastapi import FastAPI

from varde_common.http import Probes, create_http_app
from varde_common.runtime import Runtime
from varde_deviations.router import router
from varde_deviations.service import DeviationService


def create_app(runtime: Runtime, probes: Probes) -> FastAPI:
    app = create_http_app(service="deviations", routers=[router], verifier=runtime.token_verifier(), probes=probes)
    app.state.deviations = DeviationService(runtime.sessions)
    return app
