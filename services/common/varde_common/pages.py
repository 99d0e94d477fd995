"""One list shape for every list that can grow: ``{"items": [...], "next_cursor": ...}``, asked for with
``limit`` (at most :data:`MAX_LIMIT`) and ``cursor`` (the ``next_cursor`` of the page before).

A service names its page per item type (``class DeviationPage(Page[DeviationSummary])``) so the OpenAPI document
has readable schema names, and takes :data:`PageQuery` as the route's parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field

from varde_common.cursor import decode_cursor, encode_cursor
from varde_common.errors import InvalidCursor
from varde_common.inputs import InputText

DEFAULT_LIMIT = 25
MAX_LIMIT = 100

ItemT = TypeVar("ItemT")
RowT = TypeVar("RowT")


class Page(BaseModel, Generic[ItemT]):
    items: list[ItemT] = Field(description="Elementene på denne siden")
    next_cursor: str | None = Field(description="Send som ?cursor= for neste side; null på siste side")


@dataclass(frozen=True)
class PageRequest:
    """Which page the caller asked for."""

    limit: int = DEFAULT_LIMIT
    cursor: str | None = None


def _page_request(
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, title="Antall", description=f"Hvor mange per side (høyst {MAX_LIMIT})")
    ] = DEFAULT_LIMIT,
    cursor: Annotated[
        InputText | None, Query(max_length=500, title="Markør", description="next_cursor fra forrige side")
    ] = None,
) -> PageRequest:
    return PageRequest(limit=limit, cursor=cursor)


PageQuery = Annotated[PageRequest, Depends(_page_request)]
"""The ``limit`` and ``cursor`` parameters of a list route."""


def page_in_memory(items: list[ItemT], request: PageRequest) -> tuple[list[ItemT], str | None]:
    """A page of a short list that is read whole (a kommune's catalogue, its folders): the cursor is the offset.
    Lists read from a large table page by key in SQL instead (``varde_common.cursor``)."""
    offset = 0
    if request.cursor:
        try:
            (value,) = decode_cursor(request.cursor, 1)
            offset = int(value)
        except ValueError:
            raise InvalidCursor() from None
        if offset < 0:
            raise InvalidCursor()
    end = offset + request.limit
    return items[offset:end], (encode_cursor(str(end)) if end < len(items) else None)


def keyset(page: PageRequest, *parse: Callable[[str], Any]) -> tuple[Any, ...] | None:
    """The sort key the page before stopped at, parsed part by part (``keyset(page, str, uuid.UUID)``); None on
    the first page, a 422 on ``cursor`` for anything that is not one of ours."""
    if page.cursor is None:
        return None
    try:
        parts = decode_cursor(page.cursor, len(parse))
        return tuple(convert(part) for convert, part in zip(parse, parts, strict=True))
    except ValueError:
        raise InvalidCursor() from None


def page_of(rows: Sequence[RowT], limit: int, key: Callable[[RowT], Iterable[object]]) -> tuple[list[RowT], str | None]:
    """The page of rows read with ``limit + 1``: the first ``limit``, and the cursor (``key`` of the last row, each
    part as ``str``) when more follow."""
    kept = list(rows[:limit])
    if len(rows) <= limit:
        return kept, None
    return kept, encode_cursor(*(str(part) for part in key(kept[-1])))
