"""Schemathesis against the gateway's public OpenAPI document, as a person of a demo kommune would call it.

Every operation gets a bounded number of generated requests (valid ones and, where asked, ones that break the
schema); each answer is recorded. What counts: a server error (5xx) and a status the document does not list for
the operation. Failures are collected rather than raised, so one run reports all of them with the request that
provoked each (method, path, status, the problem's ``type`` and the case's reproduction as curl).

Hypothesis runs derandomized with no example database: the same document gives the same requests on every run.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.schemas import APIOperation

OPENAPI_PATH = "/api/v1/openapi.json"


@dataclass(frozen=True)
class Finding:
    operation: str
    status: int
    problem_type: str
    reproduction: str

    def __str__(self) -> str:
        return f"{self.operation} -> {self.status} {self.problem_type}\n    {self.reproduction}"


@dataclass
class FuzzReport:
    """What one run sent and got back."""

    requests: int = 0
    operations: set[str] = field(default_factory=set)
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[Finding] = field(default_factory=list)
    undocumented: list[Finding] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.requests} requests to {len(self.operations)} operations: {len(self.server_errors)} server errors,"
            f" {len(self.undocumented)} undocumented statuses; statuses {dict(sorted(self.statuses.items()))}"
        )

    def failures(self, limit: int = 40) -> str:
        # One line per (operation, status, type): the first request that provoked it.
        seen: dict[tuple[str, int, str], Finding] = {}
        for finding in [*self.server_errors, *self.undocumented]:
            seen.setdefault((finding.operation, finding.status, finding.problem_type), finding)
        lines = [str(finding) for finding in list(seen.values())[:limit]]
        return "\n".join([self.summary(), *lines])


def documented(operation: APIOperation, status: int) -> bool:
    responses: Mapping[str, Any] = operation.definition.raw.get("responses", {})
    return str(status) in responses or f"{str(status)[0]}XX" in responses or "default" in responses


def _problem_type(response: schemathesis.Response) -> str:
    content_type = ", ".join(response.headers.get("content-type", []))
    if "json" not in content_type:
        return content_type
    try:
        body = json.loads(response.content)
    except ValueError:
        return "(no JSON)"
    return str(body.get("type", "")) if isinstance(body, dict) else ""


def fuzz(
    gateway_url: str,
    headers: Mapping[str, str],
    *,
    examples: int,
    modes: Iterable[GenerationMode] = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE),
    report: FuzzReport | None = None,
) -> FuzzReport:
    """Send ``examples`` generated requests per operation and mode through the gateway, as the bearer of
    ``headers``."""
    report = report if report is not None else FuzzReport()
    schema = schemathesis.openapi.from_url(gateway_url + OPENAPI_PATH)
    session = requests.Session()
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in modes:
            _fuzz_operation(operation, mode, gateway_url, dict(headers), examples, session, report)
    return report


def _fuzz_operation(
    operation: APIOperation,
    mode: GenerationMode,
    gateway_url: str,
    headers: dict[str, str],
    examples: int,
    session: requests.Session,
    report: FuzzReport,
) -> None:
    label = f"{operation.method.upper()} {operation.path}"

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        case: Case = data.draw(operation.as_strategy(generation_mode=mode))
        response = case.call(base_url=gateway_url, session=session, headers=headers, timeout=60)
        report.requests += 1
        report.operations.add(label)
        report.statuses[response.status_code] += 1
        if response.status_code >= 500 or not documented(operation, response.status_code):
            finding = Finding(label, response.status_code, _problem_type(response), case.as_curl_command())
            if response.status_code >= 500:
                report.server_errors.append(finding)
            else:
                report.undocumented.append(finding)

    run()
