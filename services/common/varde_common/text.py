"""Small text rules that API models of more than one service share."""

from __future__ import annotations


def distinct_nonblank(values: list[str]) -> list[str]:
    """Each value stripped, blanks dropped, the first of each repeat kept (tags, causes, law references)."""
    seen: list[str] = []
    for value in (v.strip() for v in values):
        if value and value not in seen:
            seen.append(value)
    return seen
