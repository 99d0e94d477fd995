"""Bokmål and nynorsk: the two written forms (målformer) every text a person reads comes in.

A request names its form with ``Accept-Language`` (``nb``, ``nn``, ``no``; the web client sends the person's
choice); without one, bokmål. Texts live in catalogues next to the code that uses them, as :class:`Text`: one
entry with both forms, so a missing form is a mistake the type checker and the catalogue tests see.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any, Literal

Language = Literal["nb", "nn"]
LANGUAGES: tuple[Language, ...] = ("nb", "nn")
DEFAULT_LANGUAGE: Language = "nb"

_TAGS: dict[str, Language] = {"nb": "nb", "no": "nb", "nn": "nn"}


@dataclass(frozen=True)
class Text:
    """One message in bokmål and nynorsk; ``{name}`` placeholders are filled by :meth:`render`."""

    nb: str
    nn: str

    def render(self, language: Language, **params: Any) -> str:
        template = self.nn if language == "nn" else self.nb
        return template.format(**params) if params else template

    def placeholders(self) -> tuple[set[str], set[str]]:
        """The placeholder names of each form; a catalogue test holds them equal."""
        return (_names(self.nb), _names(self.nn))


def _names(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def language_of(accept_language: str | None) -> Language:
    """The form the caller asked for first (highest ``q``) among nb, nn and no; bokmål when none is asked for."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    best: tuple[float, int, Language] | None = None
    for position, item in enumerate(accept_language.split(",")):
        tag, _, params = item.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in _TAGS:
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        # "no-NN" and "no-nynorsk" are seen in the wild for nynorsk.
        language = "nn" if primary == "no" and "nn" in tag.lower().split("-")[1:] else _TAGS[primary]
        candidate = (quality, -position, language)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return best[2] if best is not None else DEFAULT_LANGUAGE
