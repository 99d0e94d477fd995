"""What a Norwegian writes for a date and a time is read as the moment in Norwegian time, with the right offset
on either side of summer time; what is not a date is None (the page then says how to write it)."""

from __future__ import annotations

from datetime import UTC, date, timedelta

import pytest
from varde_web.norwegian_time import instant_text, parse_day, parse_instant


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("30.11.2026 08:15", "2026-11-30T08:15:00+01:00"),
        ("1.7.2026 8:05", "2026-07-01T08:05:00+02:00"),
        ("01.07.2026 kl. 14.30", "2026-07-01T14:30:00+02:00"),
        ("2026-11-30T08:15", "2026-11-30T08:15:00+01:00"),
    ],
)
def test_a_written_time_is_the_moment_in_norwegian_time(text: str, iso: str) -> None:
    moment = parse_instant(text)
    assert moment is not None
    assert moment.isoformat() == iso
    assert instant_text(moment) == moment.strftime("%d.%m.%Y %H:%M")


@pytest.mark.parametrize("text", ["11/30/2026, 08:15 AM", "31.11.2026 08:15", "30.11.2026 25:00", "i går", ""])
def test_what_is_not_a_time_is_none(text: str) -> None:
    assert parse_instant(text) is None


def test_a_written_date_is_read_in_both_forms() -> None:
    assert parse_day("1.12.2030") == parse_day("2030-12-01") == date(2030, 12, 1)
    assert parse_day("12/01/2030") is None
    assert parse_day("30.02.2030") is None


def test_summer_time_ends_between_two_readings_of_the_same_clock() -> None:
    before, after = parse_instant("24.10.2026 12:00"), parse_instant("25.10.2026 12:00")
    assert before is not None
    assert after is not None
    assert (before.isoformat(), after.isoformat()) == ("2026-10-24T12:00:00+02:00", "2026-10-25T12:00:00+01:00")
    assert after.astimezone(UTC) - before.astimezone(UTC) == timedelta(hours=25)
