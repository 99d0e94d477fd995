"""The deeper fuzz run of ``make fuzz`` (not part of ``make test``: the file name keeps it out of collection):
sequences of calls along the links Schemathesis infers from the gateway's document, so an operation is also
called on an object that exists (a report just made, then acknowledged, closed, reopened), as the two roles of
``test_fuzz``. ``VARDE_FUZZ_SCENARIOS`` sets how many sequences per role."""

from __future__ import annotations

import os

import pytest

from tests.system.fuzzing import ROLES, FuzzReport, bearer, fuzz_stateful, fuzzed_stack
from varde_devstack.stack import Stack

pytestmark = pytest.mark.system

__all__ = ["fuzzed_stack"]  # the module's own stack, a fixture

SCENARIOS = int(os.environ.get("VARDE_FUZZ_SCENARIOS", "100"))


@pytest.mark.timeout(3600)
@pytest.mark.parametrize("role", ROLES, ids=ROLES.values())
def test_no_server_error_and_no_undocumented_status_along_linked_calls(fuzzed_stack: Stack, role: str) -> None:
    report: FuzzReport = fuzz_stateful(fuzzed_stack.gateway_url, bearer(fuzzed_stack, role), scenarios=SCENARIOS)
    print(f"\n{ROLES[role]}, linked calls: {report.summary()}")
    assert report.operations, "no linked operation was called"
    assert (len(report.server_errors), len(report.undocumented)) == (0, 0), report.failures()
