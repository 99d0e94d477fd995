"""Opaque cursors for keyset pagination: the sort key of the last row of a page, so pages stay stable while new
rows arrive. Opaque to clients; anything that is not one of ours is the caller's error."""

from __future__ import annotations

import base64

import orjson


def encode_cursor(*parts: str) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(list(parts))).decode().rstrip("=")


def decode_cursor(cursor: str, parts: int) -> list[str]:
    """The ``parts`` strings of a cursor made by :func:`encode_cursor`; ``ValueError`` for anything else."""
    try:
        values = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except Exception as exc:  # any malformed cursor is the caller's error, reported as such
        raise ValueError("ugyldig markør") from exc
    if not isinstance(values, list) or len(values) != parts or not all(isinstance(v, str) for v in values):
        raise ValueError("ugyldig markør")
    return values
