"""Import of an HR export (CSV or JSON): units by their HR key, people by employee number, and their roles.

Everything is validated first and every bad row is reported with its line and reason; on any error nothing is
applied. A dry run returns the plan without applying it. The import is authoritative for what it names: a
listed person's roles become exactly the listed ones (others are ended, never deleted); units and people the
file does not name are left alone. Importing the same file again changes nothing.

CSV (``;`` or ``,``), one row per unit or per role of a person::

    type;key;name;unit_type;parent;leader;email;unit;role
    enhet;H1;Hustadvika kommune;kommune;;E001;;;
    person;E001;Ingrid Aasen;;;;ingrid@hustadvika.kommune.no;H1;systemadministrator

JSON: ``{"units": [{"key", "name", "unit_type", "parent", "leader"}],
"people": [{"employee_number", "name", "email", "roles": [{"role", "unit"}]}]}``.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from email_validator import EmailNotValidError, validate_email
from pydantic import BaseModel

from varde_common.roles import LEADER_ROLES, Role
from varde_common.tenant_settings import TenantSettings

CSV_COLUMNS = ("type", "key", "name", "unit_type", "parent", "leader", "email", "unit", "role")


@dataclass
class UnitRow:
    line: int
    key: str
    name: str
    unit_type: str
    parent: str | None
    leader: str | None


@dataclass
class PersonRow:
    line: int
    employee_number: str
    name: str
    email: str
    roles: list[tuple[Role, str, int]] = field(default_factory=list)  # (role, unit key, line)


class ImportError_(BaseModel):
    """One problem: ``line`` is the line of a CSV file, or the record's number in a JSON file (units first)."""

    line: int
    record: str | None = None
    field: str | None = None
    message: str


@dataclass
class ParsedImport:
    units: list[UnitRow]
    people: list[PersonRow]
    errors: list[ImportError_] = field(default_factory=list)  # row problems found while reading


class InvalidImportError(Exception):
    def __init__(self, errors: list[ImportError_]) -> None:
        super().__init__(f"{len(errors)} feil i importfilen")
        self.errors = errors


class PlannedChange(BaseModel):
    kind: Literal["unit", "person", "role"]
    action: Literal["create", "update", "end"]
    key: str
    detail: str


class ImportReport(BaseModel):
    dry_run: bool
    applied: bool
    changes: list[PlannedChange]
    units: int
    people: int


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def parse(content: bytes, content_type: str) -> ParsedImport:
    """Read the file into rows; structural problems (bad JSON, missing columns) are reported as line errors."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidImportError([ImportError_(line=0, message="filen er ikke UTF-8")]) from exc
    if "json" in content_type:
        return _parse_json(text)
    if "csv" in content_type or "text/plain" in content_type:
        return _parse_csv(text)
    raise InvalidImportError([ImportError_(line=0, message="innholdstypen må være text/csv eller application/json")])


def _parse_json(text: str) -> ParsedImport:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidImportError([ImportError_(line=exc.lineno, message=f"ugyldig JSON: {exc.msg}")]) from exc
    if not isinstance(document, dict):
        raise InvalidImportError([ImportError_(line=1, message="forventet et objekt med «units» og «people»")])
    errors: list[ImportError_] = []
    units: list[UnitRow] = []
    people: list[PersonRow] = []
    for index, item in enumerate(document.get("units") or []):
        if not isinstance(item, dict):
            message = "hver enhet må være et objekt"
            errors.append(ImportError_(line=index + 1, record=f"units[{index}]", message=message))
            continue
        units.append(
            UnitRow(
                line=index + 1,
                key=_text(item.get("key")),
                name=_text(item.get("name")),
                unit_type=_text(item.get("unit_type")),
                parent=_text(item.get("parent")) or None,
                leader=_text(item.get("leader")) or None,
            )
        )
    for index, item in enumerate(document.get("people") or []):
        line = len(units) + index + 1
        if not isinstance(item, dict):
            errors.append(ImportError_(line=line, record=f"people[{index}]", message="hver person må være et objekt"))
            continue
        person = PersonRow(
            line=line,
            employee_number=_text(item.get("employee_number")),
            name=_text(item.get("name")),
            email=_text(item.get("email")),
        )
        for role in item.get("roles") or []:
            parsed = _role(role.get("role") if isinstance(role, dict) else None, line, errors)
            if parsed is not None:
                person.roles.append((parsed, _text(role.get("unit")), line))
        people.append(person)
    return ParsedImport(units, people, errors)


def _role(value: Any, line: int, errors: list[ImportError_]) -> Role | None:
    try:
        return Role(_text(value))
    except ValueError:
        errors.append(ImportError_(line=line, field="role", message=f"ukjent rolle «{_text(value)}»"))
        return None


def _parse_csv(text: str) -> ParsedImport:
    first = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text), delimiter=";" if first.count(";") >= first.count(",") else ",")
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InvalidImportError([ImportError_(line=1, message="mangler kolonner: " + ", ".join(missing))])
    errors: list[ImportError_] = []
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
                errors.append(
                    ImportError_(
                        line=line, message=f"ansatt {number} har ulikt navn eller e-post på linje {person.line}"
                    )
                )
            if _text(row["role"]):
                role = _role(row["role"], line, errors)
                if role is not None:
                    person.roles.append((role, _text(row["unit"]), line))
        else:
            errors.append(ImportError_(line=line, field="type", message="type må være «enhet» eller «person»"))
    return ParsedImport(units, list(people.values()), errors)


@dataclass
class ExistingUnit:
    key: str
    parent_key: str | None
    name: str
    unit_type: str
    leader_number: str | None


@dataclass
class ExistingPerson:
    employee_number: str | None
    name: str
    email: str
    roles: set[tuple[str, str]]  # (role, unit key) of open roles


def validate(
    parsed: ParsedImport,
    settings: TenantSettings,
    units: dict[str, ExistingUnit],
    people_by_number: dict[str, ExistingPerson],
    emails_in_use: dict[str, str | None],
    has_root: bool,
) -> list[ImportError_]:
    """Every problem of the file against the kommune as it is; empty when it may be applied."""
    errors: list[ImportError_] = list(parsed.errors)

    def error(line: int, field: str | None, message: str) -> None:
        errors.append(ImportError_(line=line, field=field, message=message))

    file_units: dict[str, UnitRow] = {}
    for unit in parsed.units:
        if not unit.key:
            error(unit.line, "key", "enhetskode mangler")
            continue
        if unit.key in file_units:
            error(unit.line, "key", f"enhetskoden {unit.key} står også på linje {file_units[unit.key].line}")
            continue
        file_units[unit.key] = unit
        if not unit.name:
            error(unit.line, "name", "navn mangler")
        if settings.unit_type(unit.unit_type) is None:
            error(unit.line, "unit_type", f"ukjent enhetstype «{unit.unit_type}»")
    file_people: dict[str, PersonRow] = {}
    for person in parsed.people:
        if not person.employee_number:
            error(person.line, "key", "ansattnummer mangler")
            continue
        if person.employee_number in file_people:
            error(
                person.line,
                "key",
                f"ansattnummer {person.employee_number} står også på linje {file_people[person.employee_number].line}",
            )
            continue
        file_people[person.employee_number] = person
        if len(person.name) < 2:
            error(person.line, "name", "navn mangler")
        try:
            validate_email(person.email, check_deliverability=False)
        except EmailNotValidError:
            error(person.line, "email", f"ugyldig e-postadresse «{person.email}»")
        for role, unit_key, line in person.roles:
            if role in LEADER_ROLES:
                error(line, "role", f"lederrollen {role} settes med kolonnen «leader» på enheten")
            if unit_key not in file_units and unit_key not in units:
                error(line, "unit", f"ukjent enhet «{unit_key}»")
    seen_emails: dict[str, str] = {}
    for number, person in file_people.items():
        email = person.email.lower()
        if email in seen_emails:
            error(person.line, "email", f"e-postadressen brukes også av ansatt {seen_emails[email]}")
        seen_emails[email] = number
        if email in emails_in_use and emails_in_use[email] != number:
            error(person.line, "email", "e-postadressen tilhører en annen person i kommunen")

    parents = {key: u.parent_key for key, u in units.items()}
    parents.update({key: u.parent for key, u in file_units.items()})
    roots = [key for key, parent in parents.items() if parent is None]
    for key, unit in file_units.items():
        if unit.parent is not None and unit.parent not in parents:
            error(unit.line, "parent", f"ukjent overordnet enhet «{unit.parent}»")
        elif unit.parent is None and ((has_root and key not in units) or len(roots) > 1):
            error(unit.line, "parent", "kommunen kan bare ha én øverste enhet")
        if unit.leader is not None and unit.leader not in file_people and unit.leader not in people_by_number:
            error(unit.line, "leader", f"ukjent leder (ansattnummer {unit.leader})")
        if _in_cycle(parents, key):
            error(unit.line, "parent", "enhetene danner en sløyfe")
    if not has_root and file_units and not roots:
        error(1, "parent", "filen mangler en øverste enhet (uten overordnet)")
    return sorted(errors, key=lambda e: e.line)


def _in_cycle(parents: dict[str, str | None], start: str) -> bool:
    seen = {start}
    current = parents.get(start)
    while current is not None:
        if current in seen:
            return current == start
        seen.add(current)
        current = parents.get(current)
    return False


def plan(
    parsed: ParsedImport,
    settings: TenantSettings,
    units: dict[str, ExistingUnit],
    people_by_number: dict[str, ExistingPerson],
) -> list[PlannedChange]:
    """What applying the file would change, in the order it is applied (parents before children)."""
    changes: list[PlannedChange] = []
    for unit in _parents_first(parsed.units):
        current = units.get(unit.key)
        if current is None:
            changes.append(PlannedChange(kind="unit", action="create", key=unit.key, detail=unit.name))
            continue
        differences = [
            label
            for label, old, new in (
                ("navn", current.name, unit.name),
                ("type", current.unit_type, unit.unit_type),
                ("overordnet", current.parent_key, unit.parent),
                ("leder", current.leader_number, unit.leader),
            )
            if old != new
        ]
        if differences:
            changes.append(PlannedChange(kind="unit", action="update", key=unit.key, detail=", ".join(differences)))
    for person in parsed.people:
        existing = people_by_number.get(person.employee_number)
        wanted = {(role.value, unit) for role, unit, _ in person.roles}
        if existing is None:
            changes.append(
                PlannedChange(kind="person", action="create", key=person.employee_number, detail=person.name)
            )
            held: set[tuple[str, str]] = set()
        else:
            held = {r for r in existing.roles if r[0] not in LEADER_ROLES}
            differences = [
                label
                for label, old, new in (
                    ("navn", existing.name, person.name),
                    ("e-post", existing.email.lower(), person.email.lower()),
                )
                if old != new
            ]
            if differences:
                changes.append(
                    PlannedChange(
                        kind="person", action="update", key=person.employee_number, detail=", ".join(differences)
                    )
                )
        for role, unit_key in sorted(wanted - held):
            changes.append(
                PlannedChange(kind="role", action="create", key=person.employee_number, detail=f"{role} i {unit_key}")
            )
        for role, unit_key in sorted(held - wanted):
            changes.append(
                PlannedChange(kind="role", action="end", key=person.employee_number, detail=f"{role} i {unit_key}")
            )
    return changes


def _parents_first(rows: list[UnitRow]) -> list[UnitRow]:
    by_key = {row.key: row for row in rows}
    ordered: list[UnitRow] = []
    placed: set[str] = set()

    def place(row: UnitRow) -> None:
        if row.key in placed:
            return
        placed.add(row.key)
        if row.parent in by_key:
            place(by_key[row.parent])
        ordered.append(row)

    for row in rows:
        place(row)
    return ordered
