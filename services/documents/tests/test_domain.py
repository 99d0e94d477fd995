"""Rules without I/O: the version workflow, revision dates, safe Markdown, the difference between versions."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import pytest

from varde_documents.domain import (
    VERSION_TRANSITIONS,
    IllegalVersionTransitionError,
    VersionAction,
    VersionStatus,
    add_months,
    line_diff,
    next_version_status,
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


def test_the_difference_shows_removed_and_added_lines_in_reading_order() -> None:
    lines = line_diff("Formål\nGammel regel\nAnsvar", "Formål\nNy regel\nAnsvar\nVedlegg")
    assert [(d.op, d.text) for d in lines] == [
        ("equal", "Formål"),
        ("removed", "Gammel regel"),
        ("added", "Ny regel"),
        ("equal", "Ansvar"),
        ("added", "Vedlegg"),
    ]
    assert (lines[2].old_line, lines[2].new_line) == (None, 2)
