"""The layout rules of tests/contracts/layout_rules.py hold: queries live in repository modules, and the outbox
is written only through varde_common.outbox."""

from __future__ import annotations

from tests.contracts.layout_rules import violations


def test_queries_and_outbox_writes_are_where_the_rules_say() -> None:
    assert list(violations()) == []
