"""Calendar arithmetic that more than one service needs (revision and review dates)."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has fewer (31 January + 1 → 28/29 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
