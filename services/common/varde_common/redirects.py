"""Where a browser may be sent back to after a step (signing in, choosing målform): only a path of this site.

A value that a browser would read as another site's address is replaced by the start page: ``//host`` (a
scheme-relative URL), ``/\\host`` (browsers read a backslash as a slash), and anything with a control character
or a space (browsers drop tabs and newlines from a URL, so ``/\\t/host`` would become ``//host``)."""

from __future__ import annotations

HOME = "/"


def site_path(value: str | None) -> str:
    """``value`` when it is a path of this site, otherwise the start page."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return HOME
    if not value.isprintable() or any(character.isspace() for character in value):
        return HOME
    return value
