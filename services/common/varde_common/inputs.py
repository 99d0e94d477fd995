"""The types of what a client sends, shared by every service's API input models and query parameters.

- Text (:data:`InputText`) never holds a control character, a lone surrogate or a Unicode noncharacter:
  PostgreSQL refuses NUL in text (it was a 500), a lone surrogate cannot be stored as UTF-8 (pydantic refuses
  it too), and the rest are nothing a person typed but garbage that breaks exports and XML. Tab, line feed and carriage
  return stay: descriptions are written in text areas. The rule is also in the OpenAPI document, as a
  ``pattern``, so a client's generated code knows it.
- Whole numbers (:data:`WholeNumber`) and yes/no (:data:`YesNo`) in a JSON body are JSON's own numbers and
  booleans: ``"3"`` or ``true`` is not a consequence, ``"true"`` is not yes. Query parameters are text by nature
  and stay lax there (``?limit=20``).
- Dates (:data:`Day`) and instants (:data:`Instant`) are ISO 8601 text (``2026-11-01``,
  ``2026-11-01T10:00:00+01:00``), never a number read as a Unix time, and lie between :data:`FIRST_YEAR` and
  :data:`LAST_YEAR`: year 1 at +14:00 cannot be moved to UTC (it was a 500), and no case in a kommune happened
  before 1900 or is due after 2999.

FastAPI validates a JSON body in pydantic's Python mode, where strict mode would refuse an ISO string for a date
or a UUID; so strictness is per type here rather than one ``strict=True`` on the models.
``tests/contracts/test_input_types.py`` walks every route of every service and fails for an input that does not
use these types.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StrictBool,
    StrictInt,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from varde_common.calendar import utc

FIRST_YEAR = 1900
LAST_YEAR = 2999

# One character class for the check and for the document's pattern (ECMA-262 and Python read it alike):
# C0 controls but tab, LF and CR; DEL and the C1 controls; surrogates; the BMP's noncharacters.
_REFUSED_CLASS = r"\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\uD800-\uDFFF\uFDD0-\uFDEF\uFFFE\uFFFF"
TEXT_PATTERN = rf"^[^{_REFUSED_CLASS}]*$"
_REFUSED = re.compile(rf"[{_REFUSED_CLASS}]")


def refuse_control_characters(value: str) -> str:
    """The text as it is, or a ``string_control_character`` error where it holds a refused character."""
    if _REFUSED.search(value):
        raise PydanticCustomError("string_control_character", "Text holds a control character or a noncharacter")
    return value


class CleanText:
    """Text under :func:`refuse_control_characters`, with the rule as the JSON schema's ``pattern`` (unless the
    field has a stricter pattern of its own, which already leaves these characters out)."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(refuse_control_characters, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema.setdefault("pattern", TEXT_PATTERN)
        return json_schema


InputText = Annotated[str, CleanText()]
"""Any text a client sends: a title, a description, a search word, a key."""

WholeNumber = StrictInt
"""A whole number in a JSON body: a JSON number without a fraction, not ``"3"``, not ``true``."""

YesNo = StrictBool
"""Yes or no in a JSON body: ``true`` or ``false``, not ``"true"``, not ``1``."""


def iso_date_text(value: object) -> object:
    """A date as ISO text (or already a date, from Python): never a number read as a Unix time."""
    if isinstance(value, str | date):
        return value
    raise PydanticCustomError("date_type", "Input should be a date as ISO 8601 text")


def iso_instant_text(value: object) -> object:
    """An instant as ISO text (or already a datetime, from Python): never a number read as a Unix time."""
    if isinstance(value, str | datetime):
        return value
    raise PydanticCustomError("datetime_type", "Input should be an instant as ISO 8601 text")


def within_years(value: date) -> date:
    """The date or instant (by its own offset's calendar) between :data:`FIRST_YEAR` and :data:`LAST_YEAR`."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise PydanticCustomError(
            "date_out_of_range",
            "Year should be between {first_year} and {last_year}",
            {"first_year": FIRST_YEAR, "last_year": LAST_YEAR},
        )
    return value


Day = Annotated[date, BeforeValidator(iso_date_text), AfterValidator(within_years)]
"""A calendar date a client sends (a deadline, a review date): ``2026-11-01``."""

# The range is checked before the move to UTC, which is what overflowed for year 1 at +14:00.
Instant = Annotated[AwareDatetime, BeforeValidator(iso_instant_text), AfterValidator(within_years), AfterValidator(utc)]
"""An instant given by a client: it must name its offset, and is kept and answered in UTC, so a time comes back
in one form whichever offset it was sent with."""
