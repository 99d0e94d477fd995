"""Composition of the documents HTTP app."""

from fastapi import FastAPI

from varde_common.http import Probes, create_http_app
from varde_common.runtime import Runtime
from varde_documents.reading import ReadingService
from varde_documents.router import router
from varde_documents.search import SearchService
from varde_documents.service import DocumentService


def create_app(runtime: Runtime, probes: Probes) -> FastAPI:
    app = create_http_app(service="documents", routers=[router], verifier=runtime.token_verifier(), probes=probes)
    app.state.documents = DocumentService(runtime.sessions)
    app.state.reading = ReadingService(runtime.sessions)
    app.state.search = SearchService(runtime.sessions)
    return app
