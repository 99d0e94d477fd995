"""Rules without I/O: the version workflow, revision dates, safe Markdown."""

from __future__ import annotations

from datetime import UTC, date, datetime
from html.parser import HTMLParser
from typing import get_args

import pytest

from varde_common.events.documents import DocumentKindName
from varde_documents.domain import (
    HISTORY_ACTION_LABELS,
    KIND_LABELS,
    VERSION_STATUS_LABELS,
    VERSION_TRANSITIONS,
    DocumentKind,
    HistoryAction,
    IllegalVersionTransitionError,
    VersionAction,
    VersionStatus,
    add_months,
    next_version_status,
    overdue,
    reading_due,
    render_markdown,
)


def test_a_published_version_never_changes_and_only_submitted_drafts_are_decided() -> None:
    for action in VersionAction:
        with pytest.raises(IllegalVersionTransitionError):
            next_version_status(VersionStatus.PUBLISHED, action)
    assert {action for (status, action) in VERSION_TRANSITIONS if status == VersionStatus.DRAFT} == {
        VersionAction.EDIT,
        VersionAction.SUBMIT,
    }
    assert next_version_status(VersionStatus.SUBMITTED, VersionAction.REJECT) == VersionStatus.DRAFT
    with pytest.raises(IllegalVersionTransitionError):
        next_version_status(VersionStatus.DRAFT, VersionAction.APPROVE)


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        (date(2026, 3, 15), 12, date(2027, 3, 15)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # no 29 February next year
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
    ],
)
def test_revision_dates_fall_on_a_real_day(start: date, months: int, due: date) -> None:
    assert add_months(start, months) == due


@pytest.mark.parametrize(
    ("asked_at", "due"),
    [
        (datetime(2026, 3, 31, 21, 59, tzinfo=UTC), date(2026, 4, 14)),  # 23:59 on 31 March in Oslo
        (datetime(2026, 3, 31, 22, 0, tzinfo=UTC), date(2026, 4, 15)),  # midnight: 1 April in Oslo
        (datetime(2026, 10, 24, 22, 30, tzinfo=UTC), date(2026, 11, 8)),  # the night summer time ends
        (datetime(2026, 12, 31, 23, 0, tzinfo=UTC), date(2027, 1, 15)),  # new year in Oslo, not yet in UTC
    ],
)
def test_a_reading_deadline_counts_from_the_day_in_norway(asked_at: datetime, due: date) -> None:
    assert reading_due(asked_at, 14) == due


def test_overdue_is_after_the_last_day_and_never_once_confirmed() -> None:
    assert not overdue(date(2026, 4, 14), confirmed=False, today=date(2026, 4, 14))
    assert overdue(date(2026, 4, 14), confirmed=False, today=date(2026, 4, 15))
    assert not overdue(date(2026, 4, 14), confirmed=True, today=date(2026, 4, 15))


def test_the_events_name_the_same_kinds_and_every_key_has_its_words_in_both_forms() -> None:
    assert {kind.value for kind in DocumentKind} == set(get_args(DocumentKindName))
    for catalogue, keys in (
        (KIND_LABELS, DocumentKind),
        (VERSION_STATUS_LABELS, VersionStatus),
        (HISTORY_ACTION_LABELS, HistoryAction),
    ):
        assert set(catalogue) == set(keys)
        assert all(text.nb and text.nn for text in catalogue.values())


class Elements(HTMLParser):
    """The elements and attributes a browser would build from the rendered HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += attrs


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert('x')</script>",
        '<img src="x" onerror="alert(1)">',
        "[klikk](javascript:alert(1))",
        "[klikk](JaVaScRiPt:alert(1))",
        '<a href="https://example.org" onclick="alert(1)">lenke</a>',
        "![bilde](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<iframe src='https://evil.example'></iframe>",
    ],
)
def test_no_script_from_an_author_reaches_a_reader(attack: str) -> None:
    elements = Elements()
    elements.feed(render_markdown(f"# Rutine\n\n{attack}\n"))
    assert elements.tags <= {"h1", "p", "a"}  # what the attack asked for is shown as text, not made an element
    for name, value in elements.attributes:
        assert not name.startswith("on")
        assert not (value or "").strip().lower().startswith(("javascript:", "data:", "vbscript:"))


def test_markdown_keeps_what_a_procedure_needs() -> None:
    html = render_markdown("# Formål\n\n1. Kontroller\n2. Signer\n\n| Hvem | Hva |\n|---|---|\n| Leder | Godkjenner |")
    assert "<h1>Formål</h1>" in html
    assert "<ol>" in html
    assert "<table>" in html
    assert '<a href="https://lovdata.no">' in render_markdown("[Lovdata](https://lovdata.no)")
