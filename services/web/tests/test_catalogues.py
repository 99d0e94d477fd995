"""Every text the web shows is in both målformer: a key used by a template or the code that is missing, or empty,
in bokmål or nynorsk fails here, and so does a text whose placeholders differ between them."""

from __future__ import annotations

import re
import string
from pathlib import Path

from varde_web.admin_hr import ACTIONS, HR_FIELDS
from varde_web.document_pages import KINDS as DOCUMENT_KINDS
from varde_web.handling import KINDS, VIEWS
from varde_web.i18n import LANGUAGES, catalogue
from varde_web.pages import CONSEQUENCES
from varde_web.risk import KINDS as RISK_KINDS
from varde_web.risk import SCOPES, SHOWN, STEPS

from varde_common.events.deviations import DeviationStatus

PACKAGE = Path(__file__).resolve().parents[1] / "varde_web"
KEY_IN_CALL = re.compile(r"""_\(\s*["']([a-z_]+\.[a-z_.0-9]+)["']""")
# Keys a template builds from a value (``_("kind." ~ kind)``): every value of the family.
FAMILIES = {
    "kind": KINDS,
    "consequence": [str(level) for level in CONSEQUENCES],
    "status": [status.value for status in DeviationStatus],
    "document_kind": DOCUMENT_KINDS,
    "risk_kind": RISK_KINDS,
    "scope": SCOPES,
    "risk_shown": SHOWN,
    "risk_step": STEPS,
    "view": VIEWS,
    "yes_no_anonymous": ("ja", "nei"),
    "malform": LANGUAGES,
    "hr_action": ACTIONS,
    "hr_kind": ("unit", "person", "role"),
    "hr_field": HR_FIELDS,
}


def keys_used() -> set[str]:
    used: set[str] = set()
    for path in [*PACKAGE.rglob("*.html"), *PACKAGE.rglob("*.py")]:
        used.update(KEY_IN_CALL.findall(path.read_text()))
    used.update(f"{family}.{value}" for family, values in FAMILIES.items() for value in values)
    return used


def texts(language: str) -> dict[str, str]:
    return {str(message.id): str(message.string) for message in catalogue(language) if message.id}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_the_pages_use_has_a_text_in_bokmal_and_nynorsk() -> None:
    used = keys_used()
    assert len(used) > 50
    for language in LANGUAGES:
        known = texts(language)
        missing = sorted(key for key in used if not known.get(key, "").strip())
        assert missing == [], f"{language}: {missing}"


def test_both_catalogues_hold_the_same_keys_with_the_same_placeholders() -> None:
    bokmal, nynorsk = texts("nb"), texts("nn")
    assert sorted(bokmal) == sorted(nynorsk)
    for key, text in bokmal.items():
        assert placeholders(text) == placeholders(nynorsk[key]), key
