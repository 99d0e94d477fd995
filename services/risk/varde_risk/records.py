"""What every use case of risk writes beside its change: a history line, and the facts its events carry."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.events.base import source_of
from varde_risk.domain import HistoryAction
from varde_risk.models import Risk, RiskAssessment, RiskHistory

SOURCE = source_of("risk")


def record(
    session: AsyncSession,
    assessment: RiskAssessment,
    actor: uuid.UUID | None,
    action: HistoryAction,
    at: datetime,
    risk: Risk | uuid.UUID | None = None,
    **details: Any,
) -> None:
    clean = {k: (str(v) if isinstance(v, uuid.UUID | date) else v) for k, v in details.items() if v is not None}
    session.add(
        RiskHistory(
            tenant_id=assessment.tenant_id,
            assessment_id=assessment.id,
            risk_id=risk.id if isinstance(risk, Risk) else risk,
            at=at,
            actor_id=actor,
            action=action.value,
            details=clean,
        )
    )


def facts(assessment: RiskAssessment, at: datetime) -> dict[str, Any]:
    return {
        "assessment_id": assessment.id,
        "kind": assessment.kind,
        "unit_id": assessment.unit_id,
        "owner_id": assessment.owner_id,
        "at": at,
    }


def cell(risk: Risk) -> dict[str, Any]:
    return {
        "risk_id": risk.id,
        "probability": risk.probability,
        "consequence": risk.consequence,
        "zone": risk.zone,
    }
