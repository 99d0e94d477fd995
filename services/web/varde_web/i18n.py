"""Bokmål and nynorsk from Babel message catalogues (``locale/<nb|nn>/LC_MESSAGES/messages.po``).

A message id is a short English key (``report.title``); every key a template or the code uses is in both
catalogues, or a test fails (``tests/test_catalogues.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from starlette.responses import Response

LANGUAGES = ("nb", "nn")
DEFAULT_LANGUAGE = "nb"
LOCALE_DIR = Path(__file__).parent / "locale"
# The målform of the pages nobody is signed in on (the sign-in page, a receipt looked up); a signed-in person's is
# their own choice in the directory, else their kommune's.
LANGUAGE_COOKIE = "varde_malform"
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600

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


def page_language(person: dict[str, Any] | None, tenant: dict[str, Any] | None, cookie: str | None) -> str:
    """Signed in: the person's own choice, else the kommune's målform, else bokmål. Signed out: the browser's."""
    if person is None:
        return language_of(cookie)
    own = (person.get("preferences") or {}).get("malform")
    kommune = ((tenant or {}).get("settings") or {}).get("malform")
    return next((choice for choice in (own, kommune) if choice in LANGUAGES), DEFAULT_LANGUAGE)


def remember_language(response: Response, language: str) -> None:
    """The browser keeps the målform: for the pages after signing out, and for a form's post, which asks the API
    before it knows who is signed in (its refusal comes back in the målform of the page it was sent from)."""
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=LANGUAGE_COOKIE_SECONDS, path="/", samesite="lax")
