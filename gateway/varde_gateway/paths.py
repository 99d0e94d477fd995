"""Which paths the gateway forwards, and which body limit a path gets.

The route and the body limit are chosen from the path the gateway sees (uvicorn's ``path``, percent-decoded
once), and the service receives the raw path. A path that names the same resource in more than one way would let
those two disagree: httpx resolves ``..`` in the URL it sends, so ``/api/v1/deviations/../../../metrics`` reached a
service's metrics, and ``/api/v1/directory/imports/../people`` got the import's 20 MB limit (issue 15). Such a path
is refused, not normalised: no client that builds its URLs with a library sends one, and a refusal cannot pick
a route the caller did not name.
"""

from __future__ import annotations

# A separator written so that one side decodes it and the other does not.
_ENCODED_SEPARATORS = (b"%2f", b"%5c")
_DOT_SEGMENTS = frozenset({".", ".."})


def is_canonical(path: str, raw_path: bytes | None) -> bool:
    """No ``.`` or ``..`` segment (``%2e`` counts: ``path`` is decoded), no empty segment inside (``//``), no
    encoded ``/`` or ``\\``, no backslash; a trailing slash is allowed."""
    if not path.startswith("/") or "\\" in path:
        return False
    raw = (raw_path if raw_path is not None else path.encode()).partition(b"?")[0].lower()
    if any(separator in raw for separator in _ENCODED_SEPARATORS):
        return False
    segments = path[1:].split("/")
    inner, last = segments[:-1], segments[-1]
    return last not in _DOT_SEGMENTS and all(segment and segment not in _DOT_SEGMENTS for segment in inner)


class BodyLimits:
    """Body limits by path: a pattern matches a path whose first segments are the pattern's, one for one, where
    ``*`` stands for exactly one segment. The first pattern that matches wins; otherwise the default."""

    def __init__(self, default: int, by_pattern: dict[str, int]) -> None:
        self.default = default
        self._patterns = [(pattern.strip("/").split("/"), size) for pattern, size in by_pattern.items()]

    def for_path(self, path: str) -> int:
        segments = path.strip("/").split("/")
        for pattern, size in self._patterns:
            if len(segments) >= len(pattern) and all(p in ("*", s) for p, s in zip(pattern, segments, strict=False)):
                return size
        return self.default
