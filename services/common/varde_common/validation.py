"""Input errors in words a person understands: pydantic's error codes as Norwegian messages, and each field named
by its label in the form (the ``title`` of the model field or parameter), never by pydantic's English.

The machine-readable part stays: the field's path, a JSON pointer into the body and pydantic's code.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Union

from pydantic import BaseModel, ValidationInfo, field_validator
from pydantic.fields import FieldInfo

from varde_common.errors import FieldError
from varde_common.field_labels import field_label
from varde_common.language import Language, Text

LOCATIONS = ("body", "query", "path", "header", "cookie")

BODY_LABEL = Text(nb="Innhold", nn="Innhald")


class FieldRuleError(ValueError):
    """Raise from a model validator when a value breaks a rule of ours: the message is shown as it is written,
    in the caller's form. ``raise FieldRuleError(Text(nb=..., nn=...))``."""

    def __init__(self, message: Text) -> None:
        super().__init__(message.nb)
        self.message = message


NOT_REMOVABLE = Text(nb="«{label}» kan ikke fjernes, bare endres.", nn="«{label}» kan ikkje fjernast, berre endrast.")


def refuse_null(
    *fields: str, message: Text = NOT_REMOVABLE
) -> Callable[[type[BaseModel], object, ValidationInfo], object]:
    """The validator of a change's fields that may be given a new value but not be emptied: an explicit null is
    refused at the field with ``message``, whose ``{label}`` is the field's label in each form. A field left out
    is not validated, so it stays as it is. ``_kept = refuse_null("title", "owner_id")`` in the model."""

    def check(cls: type[BaseModel], value: object, info: ValidationInfo) -> object:
        if value is None and info.field_name is not None:
            label = cls.model_fields[info.field_name].title or info.field_name
            raise FieldRuleError(
                Text(nb=message.nb.format(label=label), nn=message.nn.format(label=field_label(label, "nn")))
            )
        return value

    return field_validator(*fields)(check)


_T = Text

MESSAGES: dict[str, Text] = {
    "missing": _T(nb="Må fylles ut.", nn="Må fyllast ut."),
    "extra_forbidden": _T(nb="Feltet finnes ikke her.", nn="Feltet finst ikkje her."),
    "string_type": _T(nb="Må være tekst.", nn="Må vere tekst."),
    "string_too_short": _T(nb="Må ha minst {min_length} tegn.", nn="Må ha minst {min_length} teikn."),
    "string_too_long": _T(nb="Kan ha høyst {max_length} tegn.", nn="Kan ha høgst {max_length} teikn."),
    "string_pattern_mismatch": _T(nb="Har ikke riktig format.", nn="Har ikkje rett format."),
    "string_unicode": _T(nb="Må være gyldig tekst.", nn="Må vere gyldig tekst."),
    "string_control_character": _T(
        nb="Inneholder et tegn som ikke kan lagres (et kontrolltegn).",
        nn="Inneheld eit teikn som ikkje kan lagrast (eit kontrollteikn).",
    ),
    "int_type": _T(nb="Må være et heltall.", nn="Må vere eit heiltal."),
    "int_parsing": _T(nb="Må være et heltall.", nn="Må vere eit heiltal."),
    "int_from_float": _T(nb="Må være et heltall.", nn="Må vere eit heiltal."),
    "float_type": _T(nb="Må være et tall.", nn="Må vere eit tal."),
    "float_parsing": _T(nb="Må være et tall.", nn="Må vere eit tal."),
    "decimal_parsing": _T(nb="Må være et tall.", nn="Må vere eit tal."),
    "bool_type": _T(nb="Må være ja eller nei (true/false).", nn="Må vere ja eller nei (true/false)."),
    "bool_parsing": _T(nb="Må være ja eller nei (true/false).", nn="Må vere ja eller nei (true/false)."),
    "greater_than": _T(nb="Må være større enn {gt}.", nn="Må vere større enn {gt}."),
    "greater_than_equal": _T(nb="Må være minst {ge}.", nn="Må vere minst {ge}."),
    "less_than": _T(nb="Må være mindre enn {lt}.", nn="Må vere mindre enn {lt}."),
    "less_than_equal": _T(nb="Kan være høyst {le}.", nn="Kan vere høgst {le}."),
    "multiple_of": _T(nb="Må være delelig med {multiple_of}.", nn="Må vere deleleg med {multiple_of}."),
    "too_short": _T(nb="Må ha minst {min_length} i listen.", nn="Må ha minst {min_length} i lista."),
    "too_long": _T(nb="Kan ha høyst {max_length} i listen.", nn="Kan ha høgst {max_length} i lista."),
    "list_type": _T(nb="Må være en liste.", nn="Må vere ei liste."),
    "set_type": _T(nb="Må være en liste.", nn="Må vere ei liste."),
    "dict_type": _T(nb="Må være et objekt.", nn="Må vere eit objekt."),
    "model_type": _T(nb="Må være et objekt.", nn="Må vere eit objekt."),
    "model_attributes_type": _T(nb="Må være et objekt.", nn="Må vere eit objekt."),
    "enum": _T(nb="Må være en av {expected}.", nn="Må vere ein av {expected}."),
    "literal_error": _T(nb="Må være en av {expected}.", nn="Må vere ein av {expected}."),
    "uuid_type": _T(nb="Må være en id (UUID).", nn="Må vere ein id (UUID)."),
    "uuid_parsing": _T(nb="Må være en id (UUID).", nn="Må vere ein id (UUID)."),
    "uuid_version": _T(nb="Må være en id (UUID).", nn="Må vere ein id (UUID)."),
    "datetime_type": _T(nb="Må være et tidspunkt.", nn="Må vere eit tidspunkt."),
    "datetime_parsing": _T(
        nb="Må være et tidspunkt, som 2026-11-01T10:00:00+01:00.",
        nn="Må vere eit tidspunkt, som 2026-11-01T10:00:00+01:00.",
    ),
    "datetime_from_date_parsing": _T(
        nb="Må være et tidspunkt, som 2026-11-01T10:00:00+01:00.",
        nn="Må vere eit tidspunkt, som 2026-11-01T10:00:00+01:00.",
    ),
    "datetime_object_invalid": _T(nb="Må være et gyldig tidspunkt.", nn="Må vere eit gyldig tidspunkt."),
    "timezone_aware": _T(
        nb="Må ha tidssone, som 2026-11-01T10:00:00+01:00.", nn="Må ha tidssone, som 2026-11-01T10:00:00+01:00."
    ),
    "timezone_naive": _T(nb="Skal være uten tidssone.", nn="Skal vere utan tidssone."),
    "datetime_past": _T(nb="Må være tilbake i tid.", nn="Må vere tilbake i tid."),
    "datetime_future": _T(nb="Må være fram i tid.", nn="Må vere fram i tid."),
    "date_type": _T(nb="Må være en dato.", nn="Må vere ein dato."),
    "date_parsing": _T(nb="Må være en dato, som 2026-11-01.", nn="Må vere ein dato, som 2026-11-01."),
    "date_from_datetime_parsing": _T(nb="Må være en dato, som 2026-11-01.", nn="Må vere ein dato, som 2026-11-01."),
    "date_from_datetime_inexact": _T(
        nb="Må være en dato uten klokkeslett, som 2026-11-01.", nn="Må vere ein dato utan klokkeslett, som 2026-11-01."
    ),
    "date_out_of_range": _T(
        nb="Året må være mellom {first_year} og {last_year}.", nn="Året må vere mellom {first_year} og {last_year}."
    ),
    "body_unreadable": _T(nb="Innholdet kan ikke leses.", nn="Innhaldet kan ikkje lesast."),
    "date_past": _T(nb="Må være tilbake i tid.", nn="Må vere tilbake i tid."),
    "date_future": _T(nb="Må være fram i tid.", nn="Må vere fram i tid."),
    "time_parsing": _T(nb="Må være et klokkeslett, som 10:00.", nn="Må vere eit klokkeslett, som 10:00."),
    "url_parsing": _T(nb="Må være en gyldig nettadresse.", nn="Må vere ei gyldig nettadresse."),
    "url_type": _T(nb="Må være en gyldig nettadresse.", nn="Må vere ei gyldig nettadresse."),
    "url_scheme": _T(
        nb="Nettadressen må begynne med {expected_schemes}.", nn="Nettadressa må byrje med {expected_schemes}."
    ),
    "url_too_long": _T(nb="Nettadressen er for lang.", nn="Nettadressa er for lang."),
    "json_invalid": _T(nb="Innholdet er ikke gyldig JSON.", nn="Innhaldet er ikkje gyldig JSON."),
    "json_type": _T(nb="Innholdet er ikke gyldig JSON.", nn="Innhaldet er ikkje gyldig JSON."),
    "union_tag_invalid": _T(nb="Må være en av {expected_tags}.", nn="Må vere ein av {expected_tags}."),
    "union_tag_not_found": _T(nb="Mangler {discriminator}.", nn="Manglar {discriminator}."),
    "value_error": _T(nb="Ugyldig verdi.", nn="Ugyldig verdi."),
    "assertion_error": _T(nb="Ugyldig verdi.", nn="Ugyldig verdi."),
}
UNKNOWN = _T(nb="Ugyldig verdi.", nn="Ugyldig verdi.")


def _message(error: dict[str, Any]) -> tuple[Text, dict[str, Any]]:
    code = str(error.get("type", ""))
    context = dict(error.get("ctx") or {})
    cause = context.get("error")
    if isinstance(cause, FieldRuleError):
        return cause.message, {}
    if code == "value_error" and isinstance(cause, ValueError) and str(cause):
        # A rule of ours written before FieldRuleError: its own words, in both forms.
        text = str(cause)
        return Text(nb=text, nn=text), {}
    if code == "value_error" and "email" in str(error.get("msg", "")).lower():
        return _T(nb="Må være en gyldig e-postadresse.", nn="Må vere ei gyldig e-postadresse."), {}
    message = MESSAGES.get(code, UNKNOWN)
    if "expected" in context and isinstance(context["expected"], str):
        context["expected"] = context["expected"].replace(" or ", " eller ")
    wanted_first, wanted_second = message.placeholders()
    wanted = wanted_first | wanted_second
    if not wanted <= set(context):
        return UNKNOWN, {}
    return message, {name: context[name] for name in wanted}


def _annotation_models(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models an annotation may hold: itself, a list of them, an optional one, a union of them."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _annotation_models(typing.get_args(annotation)[0])
    if origin in (list, set, tuple, Sequence, Iterable, Union, types.UnionType):
        return [model for arg in typing.get_args(annotation) for model in _annotation_models(arg)]
    return []


def _walk(
    models: list[type[BaseModel]], parts: Sequence[Any], *, unknown_is_field: bool = False
) -> tuple[list[str], list[FieldInfo]]:
    """The field path (names and indexes, union tags dropped) and the fields met on the way. A name no model has
    is a union member's tag, unless the error is about a field that should not be there."""
    path: list[str] = []
    met: list[FieldInfo] = []
    for part in parts:
        if isinstance(part, int):
            path.append(str(part))
            continue
        found = next((m.model_fields[part] for m in models if part in m.model_fields), None)
        if found is None:
            found = next((f for m in models for f in m.model_fields.values() if f.alias == part), None)
        if found is None:
            if not models or unknown_is_field:
                path.append(str(part))
            continue  # a union member's tag (``str``, ``function-after[...]``), not a field
        path.append(str(part))
        met.append(found)
        models = _annotation_models(found.annotation)
    return path, met


def field_errors(errors: Iterable[dict[str, Any]], route: Any) -> list[FieldError]:
    """pydantic's errors of a request as :class:`FieldError`s, located by what the route's models call them."""
    result: list[FieldError] = []
    for error in errors:
        location = tuple(error.get("loc", ()))
        where = str(location[0]) if location and location[0] in LOCATIONS else "body"
        rest = location[1:] if location and location[0] in LOCATIONS else location
        message, params = _message(error)
        if error.get("type") in ("json_invalid", "json_type"):
            rest = ()
        if where == "body":
            path, _ = _walk(_body_models(route), rest, unknown_is_field=error.get("type") == "extra_forbidden")
        else:
            path = [str(rest[0])] if rest else []
        result.append(
            FieldError(
                field=".".join(path), code=str(error.get("type", "")), message=message, params=params, location=where
            )
        )
    return result


def _body_models(route: Any) -> list[type[BaseModel]]:
    body_field = getattr(route, "body_field", None)
    return _annotation_models(body_field.field_info.annotation) if body_field is not None else []


def _parameter_title(route: Any, location: str, name: str) -> str | None:
    # Parameters of dependencies count too (a page's limit and cursor).
    pending = [getattr(route, "dependant", None)]
    while pending:
        dependant = pending.pop()
        if dependant is None:
            continue
        for parameter in getattr(dependant, f"{location}_params", []):
            if name in (parameter.alias, parameter.name):
                title = parameter.field_info.title
                return str(title) if title else None
        pending.extend(dependant.dependencies)
    return None


def label_of(error: FieldError, route: Any, language: Language) -> str:
    """The field's label as the form shows it, in the caller's målform: the titles along its path, or its name
    where it has none."""
    if error.location == "body":
        if not error.field:
            return BODY_LABEL.render(language)
        parts = error.field.split(".")
        _, met = _walk(_body_models(route), [int(p) if p.isdigit() else p for p in parts])
        titles = [field_label(str(f.title), language) for f in met if f.title]
        if titles and len(met) == len([p for p in parts if not p.isdigit()]):
            return " › ".join(titles)
        return titles[-1] if titles else parts[-1]
    title = _parameter_title(route, error.location, error.field)
    return field_label(title, language) if title else error.field
