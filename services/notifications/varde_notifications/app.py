"""Composition of the notifications HTTP app."""

from fastapi import FastAPI

from varde_common.http import Probes, create_http_app
from varde_common.runtime import Runtime
from varde_notifications.router import router
from varde_notifications.service import NotificationService


def create_app(runtime: Runtime, probes: Probes) -> FastAPI:
    app = create_http_app(service="notifications", routers=[router], verifier=runtime.token_verifier(), probes=probes)
    app.state.notifications = NotificationService(runtime.sessions)
    return app
