"""The difference between two versions as a reader takes it in: the changed lines with a few unchanged ones around
them, and the long unchanged stretches between them counted, not shown (the API sends every line)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

CONTEXT_LINES = 3


@dataclass
class Hunk:
    """Changed lines with their context, after ``skipped`` unchanged lines that are not shown."""

    skipped: int
    lines: list[Mapping[str, Any]] = field(default_factory=list)


@dataclass
class Difference:
    hunks: list[Hunk]
    skipped_after: int  # unchanged lines after the last hunk
    added: int
    removed: int

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def difference(lines: Sequence[Mapping[str, Any]], context: int = CONTEXT_LINES) -> Difference:
    """Group the API's lines (``op`` equal, added or removed) into hunks with ``context`` unchanged lines on each side
    of a change; two changes closer than twice that share one hunk."""
    changed = [i for i, line in enumerate(lines) if line["op"] != "equal"]
    added = sum(1 for line in lines if line["op"] == "added")
    removed = sum(1 for line in lines if line["op"] == "removed")
    if not changed:
        return Difference(hunks=[], skipped_after=len(lines), added=0, removed=0)
    spans: list[list[int]] = []
    for index in changed:
        start, end = max(index - context, 0), min(index + context + 1, len(lines))
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    hunks, shown_until = [], 0
    for start, end in spans:
        hunks.append(Hunk(skipped=start - shown_until, lines=list(lines[start:end])))
        shown_until = end
    return Difference(hunks=hunks, skipped_after=len(lines) - shown_until, added=added, removed=removed)
