"""Risk at scale: the risk picture of a kommune with 2 000 active ROS-analyser and 20 000 risks (half with an open
measure), as JSON and as SVG, through the gateway; beside it, in the same run, the kommune's matrix (one small
authenticated call to the same service) as the baseline, one assessment's picture, and the first page of the
assessment list.

Assessments, risks and measures are written straight into the risk database (a bench needs volume, not the
workflow); zones come from the default acceptance criteria, as the service would place them.
"""

from __future__ import annotations

import random
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from bench.load import run_load
from varde_common.calendar import oslo_today
from varde_devstack.stack import Stack
from varde_risk.domain import DEFAULT_MATRIX

API = "/api/v1/risk"
KINDS = ["overordnet_ros", "virksomhetsstyring", "hms", "informasjonssikkerhet", "prosjekt"]
EVENTS = [
    "Feil legemiddel gis til beboer",
    "Fall i korridor",
    "Brann på kjøkken",
    "Uautorisert tilgang til journal",
    "Smitteutbrudd",
    "Vold mot ansatt",
    "Strømbrudd i sykehjem",
    "Vannlekkasje i skole",
    "Tap av nøkkelpersonell",
    "Forsinket utbetaling",
]


async def seed(stack: Stack, tenant_id: uuid.UUID, assessments: int = 2_000, per: int = 10) -> dict[str, Any]:
    rng = random.Random(2026)
    connection = await asyncpg.connect(stack.database_admin_url("risk"))
    try:
        units = [
            r["id"] for r in await connection.fetch("SELECT id FROM replica_org_unit WHERE tenant_id = $1", tenant_id)
        ]
        owner = uuid.uuid4()
        now = datetime.now(UTC)
        review = oslo_today() + timedelta(days=200)
        numbered = await connection.fetchval(
            "SELECT coalesce(max(number), 0) FROM risk_assessment WHERE tenant_id = $1", tenant_id
        )
        assessment_rows, risk_rows, measure_rows = [], [], []
        for a in range(assessments):
            assessment_id = uuid.uuid4()
            assessment_rows.append(
                (assessment_id, tenant_id, numbered + a + 1, f"ROS {a}", KINDS[a % len(KINDS)], "unit",
                 rng.choice(units), owner, [], "active", review, owner, now, owner, now, now)
            )  # fmt: skip
            for n in range(1, per + 1):
                risk_id = uuid.uuid4()
                p, c = rng.randint(1, 5), rng.randint(1, 5)
                tp, tc = max(1, p - rng.randint(0, 2)), max(1, c - rng.randint(0, 1))
                risk_rows.append(
                    (risk_id, tenant_id, assessment_id, n, f"{EVENTS[n - 1]} {a}", [], [], p, c, "{}", tp, tc,
                     DEFAULT_MATRIX.zone(p, c).value, [], [], now, now)
                )  # fmt: skip
                if n % 2:
                    measure_rows.append(
                        (uuid.uuid4(), tenant_id, assessment_id, risk_id, "Tiltak", owner, review, False, now)
                    )
        started = time.perf_counter()
        await connection.copy_records_to_table(
            "risk_assessment",
            records=assessment_rows,
            columns=["id", "tenant_id", "number", "title", "kind", "scope_kind", "unit_id", "owner_id",
                     "participants", "status", "review_due", "approved_by", "approved_at", "created_by", "created_at",
                     "updated_at"],
        )  # fmt: skip
        await connection.copy_records_to_table(
            "risk",
            records=risk_rows,
            columns=["id", "tenant_id", "assessment_id", "number", "title", "causes", "barriers", "probability",
                     "consequence", "consequences", "target_probability", "target_consequence", "zone",
                     "deviation_ids", "document_ids", "created_at", "updated_at"],
        )  # fmt: skip
        await connection.copy_records_to_table(
            "risk_measure",
            records=measure_rows,
            columns=["id", "tenant_id", "assessment_id", "risk_id", "title", "owner_id", "deadline",
                     "overdue_notified", "created_at"],
        )  # fmt: skip
        for table in ("risk_assessment", "risk", "risk_measure"):
            await connection.execute(f"VACUUM ANALYZE {table}")
        return {
            "assessments": await connection.fetchval(
                "SELECT count(*) FROM risk_assessment WHERE tenant_id = $1", tenant_id
            ),
            "risks": await connection.fetchval("SELECT count(*) FROM risk WHERE tenant_id = $1", tenant_id),
            "measures": len(measure_rows),
            "seconds": round(time.perf_counter() - started, 1),
            "one_assessment": str(assessment_rows[0][0]),
        }
    finally:
        await connection.close()


async def top_unit(stack: Stack, tenant_id: uuid.UUID) -> str:
    connection = await asyncpg.connect(stack.database_admin_url("risk"))
    try:
        return str(
            await connection.fetchval(
                "SELECT id FROM replica_org_unit WHERE tenant_id = $1 AND parent_id IS NULL", tenant_id
            )
        )
    finally:
        await connection.close()


def measure(stack: Stack, token: str, path: str) -> dict[str, Any]:
    load = run_load("127.0.0.1", stack.config.gateway_port, path, {"authorization": f"Bearer {token}"}, 2, 5.0)
    return {k: load[k] for k in ("requests_per_s", "p50_ms", "p95_ms", "p99_ms", "errors")}


def pictures(stack: Stack, token: str, root: str, assessment_id: str) -> dict[str, Any]:
    results: dict[str, Any] = {"baseline GET /matrix": measure(stack, token, f"{API}/matrix")}
    results["kommune picture JSON"] = measure(stack, token, f"{API}/picture?unit_id={root}")
    results["kommune picture SVG"] = measure(stack, token, f"{API}/picture.svg?unit_id={root}")
    results["one assessment's picture SVG"] = measure(stack, token, f"{API}/assessments/{assessment_id}/matrix.svg")
    results["assessment list, first page of 50"] = measure(stack, token, f"{API}/assessments?limit=50")
    baseline = results["baseline GET /matrix"]["p95_ms"]
    results["p95_ratio_to_baseline"] = {
        name: round(figures["p95_ms"] / baseline, 1)
        for name, figures in results.items()
        if name != "baseline GET /matrix" and isinstance(figures, dict) and "p95_ms" in figures
    }
    return results
