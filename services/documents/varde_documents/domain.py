"""Documents (dokumenter): kinds, the version workflow as a table, revision cycles, safe Markdown and a readable
difference between versions. No I/O here."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from markdown_it import MarkdownIt

from varde_common.calendar import add_months as add_months  # re-exported for the revision cycle's callers


class DocumentKind(StrEnum):
    PROCEDURE = "prosedyre"
    GUIDELINE = "retningslinje"
    FORM = "skjema"
    PLAN = "plan"
    INSTRUCTION = "instruks"
    OTHER = "annet"


class DocumentStatus(StrEnum):
    ACTIVE = "active"
    ARCHIVED = "archived"  # arkivert: no longer in force, kept for the record


class VersionStatus(StrEnum):
    DRAFT = "draft"  # utkast
    SUBMITTED = "submitted"  # sendt til godkjenning
    PUBLISHED = "published"  # godkjent og gjeldende
    SUPERSEDED = "superseded"  # erstattet av en nyere versjon
    ARCHIVED = "archived"  # dokumentet er arkivert


class VersionAction(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    WITHDRAW = "withdraw"  # the author takes a submitted draft back
    APPROVE = "approve"
    REJECT = "reject"  # back to the author, with a comment


_D, _S, _P = VersionStatus.DRAFT, VersionStatus.SUBMITTED, VersionStatus.PUBLISHED

VERSION_TRANSITIONS: dict[tuple[VersionStatus, VersionAction], VersionStatus] = {
    (_D, VersionAction.EDIT): _D,
    (_D, VersionAction.SUBMIT): _S,
    (_S, VersionAction.WITHDRAW): _D,
    (_S, VersionAction.APPROVE): _P,
    (_S, VersionAction.REJECT): _D,
}
"""(from, action) → to. A published version never changes: editing a document makes a new draft. Publishing a
version supersedes the one before it; archiving the document archives its published version."""

STATUS_LABELS: dict[VersionStatus, str] = {
    VersionStatus.DRAFT: "Utkast",
    VersionStatus.SUBMITTED: "Til godkjenning",
    VersionStatus.PUBLISHED: "Gjeldende",
    VersionStatus.SUPERSEDED: "Erstattet",
    VersionStatus.ARCHIVED: "Arkivert",
}

DEFAULT_REVISION_MONTHS = 12
DEFAULT_READING_DAYS = 14


class IllegalVersionTransitionError(ValueError):
    def __init__(self, status: VersionStatus, action: VersionAction) -> None:
        super().__init__(f"{action.value} is not allowed from {status.value}")
        self.status = status
        self.action = action


def next_version_status(status: VersionStatus, action: VersionAction) -> VersionStatus:
    try:
        return VERSION_TRANSITIONS[(status, action)]
    except KeyError:
        raise IllegalVersionTransitionError(status, action) from None


def revision_due(cycle_started: date, interval_months: int) -> date:
    """When a document must be revised again: a cycle starts when a version is published or the revision owner
    confirms that it is still valid."""
    return add_months(cycle_started, interval_months)


# CommonMark without raw HTML: a tag in the text is shown as text, never run. Links and images keep only safe
# schemes (markdown-it refuses javascript:, vbscript:, file: and data: other than images by default).
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def render_markdown(text: str) -> str:
    """HTML for a reader: no script, no event handler and no raw HTML from the author can reach it."""
    html: str = _MARKDOWN.render(text)
    return html


@dataclass(frozen=True)
class DiffLine:
    """One line of a difference: ``op`` is ``equal``, ``added`` or ``removed``."""

    op: str
    text: str
    old_line: int | None
    new_line: int | None


def line_diff(old: str, new: str) -> list[DiffLine]:
    """A line-by-line difference between two versions' Markdown, in reading order."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    result: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            result += [
                DiffLine("equal", old_lines[i], i + 1, j + 1) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            ]
            continue
        result += [DiffLine("removed", old_lines[i], i + 1, None) for i in range(i1, i2)]
        result += [DiffLine("added", new_lines[j], None, j + 1) for j in range(j1, j2)]
    return result
