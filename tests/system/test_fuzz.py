"""Schemathesis against the gateway's public OpenAPI document on a stack of its own, as two people of a demo
kommune: an employee and the kommune's quality adviser (who may write catalogues and documents). Every operation
gets a bounded number of generated requests, valid and schema-breaking ones; no answer is a server error, and every
status answered is one the document lists for the operation.

The run is derandomized (the same document gives the same requests); ``VARDE_FUZZ_EXAMPLES`` sets the number per
operation and mode (``make fuzz`` runs deeper). The stack is its own, so what the fuzzer creates, changes or closes
touches no other test's kommune.
"""

from __future__ import annotations

import os

import pytest

from tests.system.fuzzing import ROLES, FuzzReport, bearer, fuzz, fuzzed_stack
from varde_devstack.stack import Stack

pytestmark = pytest.mark.system

EXAMPLES = int(os.environ.get("VARDE_FUZZ_EXAMPLES", "5"))
__all__ = ["fuzzed_stack"]  # the module's own stack, a fixture


@pytest.mark.timeout(1800)
@pytest.mark.parametrize("role", ROLES, ids=ROLES.values())
def test_no_server_error_and_no_undocumented_status_for_generated_requests(fuzzed_stack: Stack, role: str) -> None:
    report: FuzzReport = fuzz(fuzzed_stack.gateway_url, bearer(fuzzed_stack, role), examples=EXAMPLES)
    print(f"\n{ROLES[role]}: {report.summary()}")
    assert report.operations, "the document lists no operation"
    assert (len(report.server_errors), len(report.undocumented)) == (0, 0), report.failures()
