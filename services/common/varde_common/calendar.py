"""Norwegian time: every calendar date a person sees or a deadline is computed from is a date in Europe/Oslo,
correct across summer time; instants are stored and sent as UTC (``2026-11-01T09:00:00Z``)."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")


def utc(instant: datetime) -> datetime:
    """The same instant in UTC (a naive value is taken to be UTC already)."""
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)


_simulated_now: ContextVar[datetime | None] = ContextVar("simulated_now", default=None)


def now_utc() -> datetime:
    """The instant a use case acts at: the machine's clock, unless a demo history has set another instant."""
    return _simulated_now.get() or datetime.now(UTC)


def wall_clock_utc() -> datetime:
    """The machine's own instant, never simulated: for technical bookkeeping (outbox rows, sessions, retention)."""
    return datetime.now(UTC)


@contextmanager
def simulated_now(at: datetime) -> Iterator[None]:
    """Let every use case in this context act at ``at``: how a demo history is made through the real use cases,
    dated over two years. Only the ``demo-history`` commands may use it (``make lint`` holds that)."""
    token = _simulated_now.set(utc(at))
    try:
        yield
    finally:
        _simulated_now.reset(token)


def oslo_date(instant: datetime) -> date:
    """The date in Norway at this instant (23:30 UTC on 31 March is 1 April in Oslo)."""
    return utc(instant).astimezone(OSLO).date()


def oslo_today(now: datetime | None = None) -> date:
    return oslo_date(now or now_utc())


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has fewer (31 January + 1 → 28/29 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def date_text(day: date) -> str:
    """A calendar date as a person reads it in either målform: 01.04.2026."""
    return day.strftime("%d.%m.%Y")
