"""A repeated line is said once per interval and key, not once per request."""

from __future__ import annotations

from varde_common.logs import Throttle


def test_a_line_is_due_once_per_key_within_its_interval() -> None:
    throttle = Throttle(3600)
    assert [throttle.due("database-unavailable") for _ in range(3)] == [True, False, False]
    assert throttle.due("database-busy") is True


def test_a_line_is_due_again_once_its_interval_has_passed() -> None:
    throttle = Throttle(0)
    assert [throttle.due() for _ in range(3)] == [True, True, True]
