"""Reading an HR export into rows (CSV or JSON), without I/O. What cannot be read is a row error, with its line.

CSV (``;`` or ``,``), one row per unit or per role of a person::

    type;key;name;unit_type;parent;leader;email;unit;role
    enhet;H1;Hustadvika kommune;kommune;;E001;;;
    person;E001;Ingrid Aasen;;;;ingrid@hustadvika.kommune.no;H1;systemadministrator

JSON: ``{"units": [{"key", "name", "unit_type", "parent", "leader"}],
"people": [{"employee_number", "name", "email", "roles": [{"role", "unit"}]}]}``. A JSON record's line is its
number in the file, units first, and its ``record`` says where it is (``people[6]``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from varde_common.language import Language, Text
from varde_common.roles import Role

CSV_COLUMNS = ("type", "key", "name", "unit_type", "parent", "leader", "email", "unit", "role")
FileKind = Literal["csv", "json"]


@dataclass(frozen=True)
class RowError:
    """One problem of the file: ``line`` is the CSV line or the JSON record's number (0: the file as a whole)."""

    line: int
    message: Text
    params: Mapping[str, Any] = field(default_factory=dict)
    record: str | None = None
    field: str | None = None

    def as_json(self, language: Language) -> dict[str, Any]:
        return {
            "line": self.line,
            "record": self.record,
            "field": self.field,
            "message": self.message.render(language, **self.params),
        }


@dataclass
class UnitRow:
    line: int
    key: str
    name: str
    unit_type: str
    parent: str | None
    leader: str | None
    record: str | None = None


@dataclass
class PersonRow:
    line: int
    employee_number: str
    name: str
    email: str
    roles: list[tuple[Role, str, int]] = field(default_factory=list)  # (role, unit key, line)
    record: str | None = None


@dataclass
class ParsedImport:
    units: list[UnitRow]
    people: list[PersonRow]
    errors: list[RowError] = field(default_factory=list)  # row problems found while reading


NOT_UTF8 = Text(nb="Filen er ikke UTF-8.", nn="Fila er ikkje UTF-8.")
NOT_JSON = Text(
    nb="Filen er ikke gyldig JSON (feil på linje {line}, tegn {column}).",
    nn="Fila er ikkje gyldig JSON (feil på linje {line}, teikn {column}).",
)
NOT_A_DOCUMENT = Text(
    nb="Filen må være ett objekt med «units» og «people».", nn="Fila må vere eitt objekt med «units» og «people»."
)
UNIT_NOT_AN_OBJECT = Text(nb="Hver enhet må være et objekt.", nn="Kvar eining må vere eit objekt.")
PERSON_NOT_AN_OBJECT = Text(nb="Hver person må være et objekt.", nn="Kvar person må vere eit objekt.")
UNKNOWN_ROLE = Text(nb="Ukjent rolle «{role}».", nn="Ukjend rolle «{role}».")
MISSING_COLUMNS = Text(nb="Filen mangler kolonnene {columns}.", nn="Fila manglar kolonnane {columns}.")
PERSON_ROWS_DIFFER = Text(
    nb="Ansatt {number} har et annet navn eller en annen e-postadresse enn på linje {line}.",
    nn="Tilsett {number} har eit anna namn eller ei anna e-postadresse enn på linje {line}.",
)
UNKNOWN_ROW_TYPE = Text(nb="Typen må være «enhet» eller «person».", nn="Typen må vere «enhet» eller «person».")


def file_kind(content_type: str) -> FileKind | None:
    if "json" in content_type:
        return "json"
    if "csv" in content_type or "text/plain" in content_type:
        return "csv"
    return None


def parse(content: bytes, kind: FileKind) -> ParsedImport:
    """Read the file into rows; what cannot be read (bad JSON, missing columns) is reported as row errors."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ParsedImport([], [], [RowError(line=0, message=NOT_UTF8)])
    return _parse_json(text) if kind == "json" else _parse_csv(text)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _parse_json(text: str) -> ParsedImport:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        return ParsedImport([], [], [RowError(exc.lineno, NOT_JSON, {"line": exc.lineno, "column": exc.colno})])
    if not isinstance(document, dict):
        return ParsedImport([], [], [RowError(line=1, message=NOT_A_DOCUMENT)])
    errors: list[RowError] = []
    units: list[UnitRow] = []
    people: list[PersonRow] = []
    for index, item in enumerate(document.get("units") or []):
        record = f"units[{index}]"
        if not isinstance(item, dict):
            errors.append(RowError(line=index + 1, message=UNIT_NOT_AN_OBJECT, record=record))
            continue
        units.append(
            UnitRow(
                line=index + 1,
                key=_text(item.get("key")),
                name=_text(item.get("name")),
                unit_type=_text(item.get("unit_type")),
                parent=_text(item.get("parent")) or None,
                leader=_text(item.get("leader")) or None,
                record=record,
            )
        )
    for index, item in enumerate(document.get("people") or []):
        line, record = len(units) + index + 1, f"people[{index}]"
        if not isinstance(item, dict):
            errors.append(RowError(line=line, message=PERSON_NOT_AN_OBJECT, record=record))
            continue
        person = PersonRow(
            line=line,
            employee_number=_text(item.get("employee_number")),
            name=_text(item.get("name")),
            email=_text(item.get("email")),
            record=record,
        )
        for role in item.get("roles") or []:
            parsed = _role(role.get("role") if isinstance(role, dict) else None, line, record, errors)
            if parsed is not None:
                person.roles.append((parsed, _text(role.get("unit")), line))
        people.append(person)
    return ParsedImport(units, people, errors)


def _role(value: Any, line: int, record: str | None, errors: list[RowError]) -> Role | None:
    try:
        return Role(_text(value))
    except ValueError:
        errors.append(RowError(line, UNKNOWN_ROLE, {"role": _text(value)}, record=record, field="role"))
        return None


def _parse_csv(text: str) -> ParsedImport:
    first = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text), delimiter=";" if first.count(";") >= first.count(",") else ",")
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        return ParsedImport([], [], [RowError(1, MISSING_COLUMNS, {"columns": ", ".join(missing)})])
    errors: list[RowError] = []
    units: list[UnitRow] = []
    people: dict[str, PersonRow] = {}
    for row in reader:
        line = reader.line_num
        kind = _text(row.get("type")).lower()
        if kind == "enhet":
            units.append(
                UnitRow(
                    line=line,
                    key=_text(row["key"]),
                    name=_text(row["name"]),
                    unit_type=_text(row["unit_type"]),
                    parent=_text(row["parent"]) or None,
                    leader=_text(row["leader"]) or None,
                )
            )
        elif kind == "person":
            number = _text(row["key"])
            person = people.get(number)
            if person is None:
                person = PersonRow(
                    line=line, employee_number=number, name=_text(row["name"]), email=_text(row["email"])
                )
                people[number] = person
            elif (person.name, person.email) != (_text(row["name"]), _text(row["email"])):
                errors.append(RowError(line, PERSON_ROWS_DIFFER, {"number": number, "line": person.line}))
            if _text(row["role"]):
                role = _role(row["role"], line, None, errors)
                if role is not None:
                    person.roles.append((role, _text(row["unit"]), line))
        else:
            errors.append(RowError(line=line, message=UNKNOWN_ROW_TYPE, field="type"))
    return ParsedImport(units, list(people.values()), errors)
