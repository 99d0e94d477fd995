"""Composition of the risk HTTP app."""

from fastapi import FastAPI

from varde_common.http import Probes, create_http_app
from varde_common.runtime import Runtime
from varde_risk.approval import ApprovalService
from varde_risk.assessments import AssessmentService
from varde_risk.config import review_lead_days
from varde_risk.matrix import MatrixService
from varde_risk.picture import PictureService
from varde_risk.risks import RiskService
from varde_risk.router import router


def create_app(runtime: Runtime, probes: Probes) -> FastAPI:
    app = create_http_app(service="risk", routers=[router], verifier=runtime.token_verifier(), probes=probes)
    app.state.assessments = AssessmentService(runtime.sessions)
    app.state.approval = ApprovalService(runtime.sessions, review_lead_days(runtime.settings))
    app.state.risks = RiskService(runtime.sessions)
    app.state.pictures = PictureService(runtime.sessions)
    app.state.matrix = MatrixService(runtime.sessions)
    return app
