"""Composition of the documents HTTP app: probes and metrics now; its domain routes arrive with its issue."""

from fastapi import FastAPI

from varde_common.http import Probes, create_http_app
from varde_common.runtime import Runtime


def create_app(runtime: Runtime, probes: Probes) -> FastAPI:
    return create_http_app(service="documents", routers=[], verifier=runtime.token_verifier(), probes=probes)
