"""Composition of the deviations HTTP app: one service per capability."""

from functools import partial

from fastapi import FastAPI

from varde_common.attachments import PostgresAttachmentStore
from varde_common.http import Probes, create_http_app
from varde_common.runtime import Runtime
from varde_common.text_search import search_check
from varde_deviations.access_log import AccessLogService
from varde_deviations.attachments import AttachmentService
from varde_deviations.cases import CaseService
from varde_deviations.catalogue import CatalogueService
from varde_deviations.config import DeviationsSettings
from varde_deviations.handling import HandlingService
from varde_deviations.listing import ListingService
from varde_deviations.measures import MeasureService
from varde_deviations.reporting import ReportingService
from varde_deviations.router import router


def create_app(runtime: Runtime, probes: Probes) -> FastAPI:
    probes.checks["search"] = partial(search_check, runtime.engine)
    app = create_http_app(service="deviations", routers=[router], verifier=runtime.token_verifier(), probes=probes)
    settings = runtime.settings
    max_bytes = settings.attachment_max_bytes if isinstance(settings, DeviationsSettings) else 10 * 1_048_576
    sessions = runtime.sessions
    app.state.reporting = ReportingService(sessions)
    app.state.cases = CaseService(sessions)
    app.state.handling = HandlingService(sessions)
    app.state.measures = MeasureService(sessions)
    app.state.listing = ListingService(sessions)
    app.state.access_log = AccessLogService(sessions)
    app.state.catalogue = CatalogueService(sessions)
    app.state.attachments = AttachmentService(sessions, PostgresAttachmentStore(), max_bytes)
    return app
