"""Dates and times as a Norwegian writes them: ``30.11.2026`` and ``30.11.2026 08:15``, in Norwegian time.

A form shows these as plain text with the pattern in its label, not as the browser's date and time pickers:
those show the browser's own locale (``11/30/2026, 08:15 AM`` in an English browser). The ISO forms the API
uses (``2026-11-30``, ``2026-11-30T08:15``) are read too, so a form captured by an older page still sends."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")

_DAY = r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})"
_TIME = r"(?:\s*(?:kl\.?\s*)?(?P<hour>\d{1,2})[:.](?P<minute>\d{2}))"
_NORWEGIAN_DAY = re.compile(rf"^{_DAY}$")
_NORWEGIAN_INSTANT = re.compile(rf"^{_DAY}{_TIME}$", re.IGNORECASE)


def day_text(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def instant_text(instant: datetime) -> str:
    return instant.astimezone(OSLO).strftime("%d.%m.%Y %H:%M")


def parse_day(text: str) -> date | None:
    """The date a person wrote (``30.11.2026``, ``1.3.2027`` or ``2026-11-30``); None when it is not one."""
    text = text.strip()
    found = _NORWEGIAN_DAY.match(text)
    try:
        if found:
            return date(int(found["year"]), int(found["month"]), int(found["day"]))
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse_instant(text: str) -> datetime | None:
    """The moment a person wrote in Norwegian time (``30.11.2026 08:15``, ``30.11.2026 kl. 8.15`` or
    ``2026-11-30T08:15``), with Oslo's offset on that day; None when it is not one."""
    text = text.strip()
    found = _NORWEGIAN_INSTANT.match(text)
    try:
        if found:
            local = datetime(
                int(found["year"]), int(found["month"]), int(found["day"]), int(found["hour"]), int(found["minute"])
            )
        else:
            local = datetime.fromisoformat(text)
    except ValueError:
        return None
    return local.replace(tzinfo=OSLO) if local.tzinfo is None else local
