"""Composition of the directory's HTTP app: one service per capability, the public routes and /internal."""

from fastapi import FastAPI

from varde_common.http import Probes, create_http_app
from varde_common.runtime import Runtime
from varde_directory.importing import HrImportService
from varde_directory.people import PeopleService
from varde_directory.preferences import PreferencesService
from varde_directory.providers import ProviderService
from varde_directory.roles import RoleService
from varde_directory.router import internal, router
from varde_directory.sign_in import SignInService
from varde_directory.tenant import TenantService
from varde_directory.units import UnitService


def create_app(runtime: Runtime, probes: Probes) -> FastAPI:
    app = create_http_app(
        service="directory", routers=[router, internal], verifier=runtime.token_verifier(), probes=probes
    )
    app.state.tenant = TenantService(runtime.sessions)
    app.state.units = UnitService(runtime.sessions)
    app.state.people = PeopleService(runtime.sessions)
    app.state.preferences = PreferencesService(runtime.sessions)
    app.state.roles = RoleService(runtime.sessions)
    app.state.providers = ProviderService(runtime.sessions)
    app.state.hr_import = HrImportService(runtime.sessions)
    app.state.sign_in = SignInService(runtime.sessions)
    return app
