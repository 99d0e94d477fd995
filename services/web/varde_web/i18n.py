"""Bokmål and nynorsk from Babel message catalogues (``locale/<nb|nn>/LC_MESSAGES/messages.po``).

A message id is a short English key (``report.title``); every key a template or the code uses is in both
catalogues, or a test fails (``tests/test_catalogues.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

LANGUAGES = ("nb", "nn")
DEFAULT_LANGUAGE = "nb"
LOCALE_DIR = Path(__file__).parent / "locale"
# The person's choice of målform, kept in the browser until the directory holds it per person.
LANGUAGE_COOKIE = "varde_malform"

Translate = Callable[..., str]


@cache
def catalogue(language: str) -> Catalog:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=language)


@cache
def translator(language: str) -> Translate:
    """``_("key", name=…)``: the text of ``key`` in ``language``, with its placeholders filled in."""
    messages = {str(message.id): str(message.string) for message in catalogue(language) if message.id}

    def translate(key: str, **values: object) -> str:
        text = messages.get(key) or key  # a missing key shows itself (and the catalogue test fails)
        return text.format(**values) if values else text

    return translate


def language_of(cookie: str | None) -> str:
    return cookie if cookie in LANGUAGES else DEFAULT_LANGUAGE
