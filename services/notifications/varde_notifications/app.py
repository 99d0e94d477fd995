"""Composition of the notifications HTTP app."""

from fastapi import FastAPI

from varde_common.http import Probes, create_http_app
from varde_common.runtime import Runtime
from varde_notifications.inbox import InboxService
from varde_notifications.router import router


def create_app(runtime: Runtime, probes: Probes) -> FastAPI:
    app = create_http_app(service="notifications", routers=[router], verifier=runtime.token_verifier(), probes=probes)
    app.state.inbox = InboxService(runtime.sessions)
    return app
