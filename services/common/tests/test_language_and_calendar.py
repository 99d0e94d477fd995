"""Målform from Accept-Language, and Norwegian calendar dates across summer time."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import BaseModel, ValidationError

from varde_common.calendar import now_utc, oslo_date, oslo_today, simulated_now, wall_clock_utc
from varde_common.inputs import Instant
from varde_common.language import Text, language_of


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "nb"),
        ("", "nb"),
        ("nn", "nn"),
        ("nn-NO,nb;q=0.8", "nn"),
        ("nb-NO,nn;q=0.9", "nb"),
        ("en-GB,en;q=0.9", "nb"),
        ("en,nn;q=0.5", "nn"),
        ("nb;q=0.2,nn;q=0.7", "nn"),
        ("no-NN", "nn"),
        ("no", "nb"),
        ("nn;q=0", "nb"),
    ],
)
def test_the_written_form_is_the_one_asked_for_first(header: str | None, expected: str) -> None:
    assert language_of(header) == expected


def test_a_text_renders_its_placeholders_in_either_form() -> None:
    text = Text(nb="Fristen er {date}.", nn="Fristen er {date}.")
    assert text.render("nn", date="1. april") == "Fristen er 1. april."
    assert text.placeholders() == ({"date"}, {"date"})


def test_an_oslo_date_follows_summer_time() -> None:
    # 22:30 UTC is the next day in Oslo both in winter (+01:00) and summer (+02:00); 21:59 UTC in summer too.
    assert oslo_date(datetime(2026, 1, 31, 23, 30, tzinfo=UTC)) == date(2026, 2, 1)
    assert oslo_date(datetime(2026, 1, 31, 22, 59, tzinfo=UTC)) == date(2026, 1, 31)
    assert oslo_date(datetime(2026, 6, 30, 22, 30, tzinfo=UTC)) == date(2026, 7, 1)
    assert oslo_date(datetime(2026, 6, 30, 21, 59, tzinfo=UTC)) == date(2026, 6, 30)
    assert oslo_date(datetime(2026, 3, 31, 22, 30, tzinfo=UTC)) == date(2026, 4, 1)


class Reported(BaseModel):
    at: Instant


def test_an_instant_is_kept_in_utc_whatever_offset_it_came_with() -> None:
    reported = Reported.model_validate({"at": "2026-11-01T10:00:00+01:00"})
    assert reported.model_dump(mode="json") == {"at": "2026-11-01T09:00:00Z"}
    with pytest.raises(ValidationError) as error:
        Reported.model_validate({"at": "2026-11-01T10:00:00"})
    assert error.value.errors()[0]["type"] == "timezone_aware"


def test_a_simulated_instant_holds_inside_its_context_only_and_the_wall_clock_ignores_it() -> None:
    two_years_ago = datetime(2024, 12, 2, 8, 30, tzinfo=UTC)
    with simulated_now(two_years_ago):
        assert now_utc() == two_years_ago
        assert oslo_today() == date(2024, 12, 2)
        assert wall_clock_utc() > two_years_ago + timedelta(days=365)
    assert now_utc() > two_years_ago + timedelta(days=365)


async def test_a_simulated_instant_does_not_leak_into_a_task_started_outside_it() -> None:
    seen: list[datetime] = []

    async def outside() -> None:
        await asyncio.sleep(0.01)
        seen.append(now_utc())

    task = asyncio.create_task(outside())
    with simulated_now(datetime(2024, 1, 1, tzinfo=UTC)):
        await task
    assert seen[0].year >= 2026
