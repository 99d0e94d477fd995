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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import FlakyStrategyDefinition
from schemathesis import Case, GenerationMode
from schemathesis.schemas import APIOperation

from varde_devstack.stack import Stack, StackConfig
from varde_gateway.ratepolicies import scaled_policies_json

OPENAPI_PATH = "/api/v1/openapi.json"
ROUND = 10
"""Linked sequences per Hypothesis run in :func:`fuzz_stateful`."""
ROLES = {"ansatt": "an employee", "kvalitetsradgiver": "the quality adviser"}
"""Who fuzzes, by role in the demo kommune Hustadvika: one who reports, one who may also write catalogues and
documents. Not the system administrator: a fuzzed identity-provider change would lock every later request out."""


@pytest.fixture(scope="module")
def fuzzed_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A stack of the fuzzing module's own: what the fuzzer creates, changes or closes touches no other test. Its
    quotas are a thousand times larger: a 429 is documented, so it would pass, and every request after it would
    stop reaching the service it was meant to try."""
    limits = {"VARDE_RATE_LIMITS": scaled_policies_json(1000)}
    with Stack(StackConfig.with_free_ports(tmp_path_factory.mktemp("fuzzed-stack"), extra_env=limits)) as running:
        yield running


def bearer(stack: Stack, role: str) -> dict[str, str]:
    """The Authorization header of the first person in Hustadvika with ``role``."""
    people = httpx.get(stack.gateway_url + "/dev/people", timeout=10).json()
    who = next(p for p in people if p["tenant"] == "hustadvika" and any(r["role"] == role for r in p["roles"]))
    response = httpx.post(
        stack.gateway_url + "/dev/token", json={"tenant": who["tenant"], "email": who["email"]}, timeout=10
    )
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['access_token']}"}


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
    rounds_cut_short: int = 0

    def record(self, operation: APIOperation, case: Case, response: schemathesis.Response) -> None:
        label = f"{operation.method.upper()} {operation.path}"
        self.requests += 1
        self.operations.add(label)
        self.statuses[response.status_code] += 1
        if response.status_code >= 500 or not documented(operation, response.status_code):
            finding = Finding(label, response.status_code, _problem_type(response), case.as_curl_command())
            (self.server_errors if response.status_code >= 500 else self.undocumented).append(finding)

    def summary(self) -> str:
        return (
            f"{self.requests} requests to {len(self.operations)} operations: {len(self.server_errors)} server errors,"
            f" {len(self.undocumented)} undocumented statuses; statuses {dict(sorted(self.statuses.items()))}"
            + (f"; {self.rounds_cut_short} rounds of linked calls cut short" if self.rounds_cut_short else "")
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
    @_settings(examples)
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        case: Case = data.draw(operation.as_strategy(generation_mode=mode))
        report.record(operation, case, case.call(base_url=gateway_url, session=session, headers=headers, timeout=60))

    run()


def fuzz_stateful(
    gateway_url: str, headers: Mapping[str, str], *, scenarios: int, report: FuzzReport | None = None
) -> FuzzReport:
    """Sequences of calls along the links Schemathesis infers from the document (create, then read, change or
    act on what was created), ``scenarios`` of them, recorded like single requests.

    The sequences run in rounds of :data:`ROUND` with fixed seeds (0, 1, …). Within a round Hypothesis replays the
    start of earlier sequences, and against a live server, whose answers fill the links, a replay may draw
    differently: Hypothesis then ends the round with ``FlakyStrategyDefinition``. That is the generator meeting a
    server with state, not an answer of ours: the round ends, is counted in ``rounds_cut_short``, and what it sent
    is recorded and judged like the rest."""
    report = report if report is not None else FuzzReport()
    machine = schemathesis.openapi.from_url(gateway_url + OPENAPI_PATH).as_state_machine()
    session = requests.Session()

    class Recorded(machine):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case: Case) -> dict[str, Any]:
            return {"base_url": gateway_url, "session": session, "headers": dict(headers), "timeout": 60}

        def validate_response(self, response: schemathesis.Response, case: Case, **_: Any) -> None:
            report.record(case.operation, case, response)

    for round_seed in range(max(1, scenarios // ROUND)):
        try:
            seed(round_seed)(Recorded).run(settings=_settings(ROUND, derandomize=False, stateful_step_count=8))
        except FlakyStrategyDefinition:
            report.rounds_cut_short += 1
    return report


def _settings(examples: int, *, derandomize: bool = True, **more: Any) -> settings:
    # Derandomized (or seeded), no example database, no shrinking (nothing is raised to shrink): the same requests
    # every run.
    return settings(
        max_examples=examples,
        derandomize=derandomize,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
        **more,
    )
