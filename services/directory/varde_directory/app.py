"""Composition of the directory's HTTP app."""

from fastapi import FastAPI

from varde_common.http import Probes, create_http_app
from varde_common.runtime import Runtime
from varde_directory.importing import HrImportService
from varde_directory.router import internal, router
from varde_directory.service import DirectoryService


def create_app(runtime: Runtime, probes: Probes) -> FastAPI:
    app = create_http_app(
        service="directory", routers=[router, internal], verifier=runtime.token_verifier(), probes=probes
    )
    app.state.directory = DirectoryService(runtime.sessions)
    app.state.hr_import = HrImportService(runtime.sessions, app.state.directory)
    return app
