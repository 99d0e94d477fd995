"""The HR import's rules, without I/O: every problem of a file against the kommune as it is, and the plan.

Everything is validated first and every bad row is reported with its line and reason; on any error nothing is
applied. A dry run returns the plan without applying it. The import is authoritative for what it names: a
listed person's roles become exactly the listed ones (others are ended, never deleted); units and people the
file does not name are left alone. Importing the same file again changes nothing. Reading the file is
``hr_files``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from email_validator import EmailNotValidError, validate_email
from pydantic import BaseModel, Field

from varde_common.language import Language, Text
from varde_common.roles import LEADER_ROLES
from varde_common.tenant_settings import TenantSettings
from varde_directory.hr_files import ParsedImport, PersonRow, RowError, UnitRow

_T = Text
UNIT_KEY_MISSING = _T(nb="Enhetskoden mangler.", nn="Einingskoden manglar.")
UNIT_KEY_TWICE = _T(nb="Enhetskoden {key} står også på linje {line}.", nn="Einingskoden {key} står òg på linje {line}.")
NAME_MISSING = _T(nb="Navnet mangler.", nn="Namnet manglar.")
UNIT_TYPE_UNKNOWN = _T(nb="Ukjent enhetstype «{unit_type}».", nn="Ukjend einingstype «{unit_type}».")
NUMBER_MISSING = _T(nb="Ansattnummeret mangler.", nn="Tilsetjingsnummeret manglar.")
NUMBER_TWICE = _T(
    nb="Ansattnummeret {number} står også på linje {line}.", nn="Tilsetjingsnummeret {number} står òg på linje {line}."
)
EMAIL_INVALID = _T(nb="Ugyldig e-postadresse «{email}».", nn="Ugyldig e-postadresse «{email}».")
LEADER_ROLE_LISTED = _T(
    nb="Lederrollen {role} settes med kolonnen «leader» på enheten.",
    nn="Leiarrolla {role} blir sett med kolonnen «leader» på eininga.",
)
UNIT_UNKNOWN = _T(nb="Ukjent enhet «{unit}».", nn="Ukjend eining «{unit}».")
EMAIL_TWICE = _T(
    nb="E-postadressen brukes også av ansatt {number}.", nn="E-postadressa blir òg brukt av tilsett {number}."
)
EMAIL_OF_ANOTHER = _T(
    nb="E-postadressen tilhører en annen person i kommunen.", nn="E-postadressa høyrer til ein annan person i kommunen."
)
PARENT_UNKNOWN = _T(nb="Ukjent overordnet enhet «{parent}».", nn="Ukjend overordna eining «{parent}».")
ONE_TOP_UNIT = _T(nb="Kommunen kan bare ha én øverste enhet.", nn="Kommunen kan berre ha éi øvste eining.")
LEADER_UNKNOWN = _T(nb="Ukjent leder (ansattnummer {number}).", nn="Ukjend leiar (tilsetjingsnummer {number}).")
CYCLE = _T(nb="Enhetene danner en sløyfe.", nn="Einingane dannar ei sløyfe.")
NO_TOP_UNIT = _T(
    nb="Filen mangler en øverste enhet (uten overordnet).", nn="Fila manglar ei øvste eining (utan overordna)."
)
CHANGED = {
    "name": _T(nb="navn", nn="namn"),
    "type": _T(nb="type", nn="type"),
    "parent": _T(nb="overordnet", nn="overordna"),
    "leader": _T(nb="leder", nn="leiar"),
    "email": _T(nb="e-post", nn="e-post"),
}
ROLE_IN_UNIT = _T(nb="{role} i {unit}", nn="{role} i {unit}")


class PlannedChange(BaseModel):
    kind: Literal["unit", "person", "role"]
    action: Literal["create", "update", "end"]
    key: str = Field(description="Enhetskoden eller ansattnummeret")
    detail: str = Field(description="Hva som endres, på norsk")


class ImportReport(BaseModel):
    dry_run: bool
    applied: bool
    changes: list[PlannedChange]
    units: int
    people: int


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
) -> list[RowError]:
    """Every problem of the file against the kommune as it is; empty when it may be applied."""
    errors: list[RowError] = list(parsed.errors)

    def error(row: UnitRow | PersonRow, field: str, message: Text, at: int | None = None, **params: Any) -> None:
        errors.append(RowError(at or row.line, message, params, record=row.record, field=field))

    file_units: dict[str, UnitRow] = {}
    for unit in parsed.units:
        if not unit.key:
            error(unit, "key", UNIT_KEY_MISSING)
            continue
        if unit.key in file_units:
            error(unit, "key", UNIT_KEY_TWICE, key=unit.key, line=file_units[unit.key].line)
            continue
        file_units[unit.key] = unit
        if not unit.name:
            error(unit, "name", NAME_MISSING)
        if settings.unit_type(unit.unit_type) is None:
            error(unit, "unit_type", UNIT_TYPE_UNKNOWN, unit_type=unit.unit_type)
    file_people: dict[str, PersonRow] = {}
    for person in parsed.people:
        if not person.employee_number:
            error(person, "key", NUMBER_MISSING)
            continue
        if person.employee_number in file_people:
            first = file_people[person.employee_number].line
            error(person, "key", NUMBER_TWICE, number=person.employee_number, line=first)
            continue
        file_people[person.employee_number] = person
        if len(person.name) < 2:
            error(person, "name", NAME_MISSING)
        try:
            validate_email(person.email, check_deliverability=False)
        except EmailNotValidError:
            error(person, "email", EMAIL_INVALID, email=person.email)
        for role, unit_key, line in person.roles:
            if role in LEADER_ROLES:
                error(person, "role", LEADER_ROLE_LISTED, line, role=role.value)
            if unit_key not in file_units and unit_key not in units:
                error(person, "unit", UNIT_UNKNOWN, line, unit=unit_key)
    seen_emails: dict[str, str] = {}
    for number, person in file_people.items():
        email = person.email.lower()
        if email in seen_emails:
            error(person, "email", EMAIL_TWICE, number=seen_emails[email])
        seen_emails[email] = number
        if email in emails_in_use and emails_in_use[email] != number:
            error(person, "email", EMAIL_OF_ANOTHER)

    parents = {key: u.parent_key for key, u in units.items()}
    parents.update({key: u.parent for key, u in file_units.items()})
    roots = [key for key, parent in parents.items() if parent is None]
    for key, unit in file_units.items():
        if unit.parent is not None and unit.parent not in parents:
            error(unit, "parent", PARENT_UNKNOWN, parent=unit.parent)
        elif unit.parent is None and ((has_root and key not in units) or len(roots) > 1):
            error(unit, "parent", ONE_TOP_UNIT)
        if unit.leader is not None and unit.leader not in file_people and unit.leader not in people_by_number:
            error(unit, "leader", LEADER_UNKNOWN, number=unit.leader)
        if _in_cycle(parents, key):
            error(unit, "parent", CYCLE)
    if not has_root and file_units and not roots:
        errors.append(RowError(1, NO_TOP_UNIT, field="parent"))
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
    units: dict[str, ExistingUnit],
    people_by_number: dict[str, ExistingPerson],
    language: Language,
) -> list[PlannedChange]:
    """What applying the file would change, in the order it is applied (parents before children), described in
    the caller's målform."""

    def differences(*compared: tuple[str, object, object]) -> str:
        return ", ".join(CHANGED[name].render(language) for name, old, new in compared if old != new)

    def role_change(action: Literal["create", "end"], number: str, role: str, unit_key: str) -> PlannedChange:
        detail = ROLE_IN_UNIT.render(language, role=role, unit=unit_key)
        return PlannedChange(kind="role", action=action, key=number, detail=detail)

    changes: list[PlannedChange] = []
    for unit in parents_first(parsed.units):
        current = units.get(unit.key)
        if current is None:
            changes.append(PlannedChange(kind="unit", action="create", key=unit.key, detail=unit.name))
            continue
        changed = differences(
            ("name", current.name, unit.name),
            ("type", current.unit_type, unit.unit_type),
            ("parent", current.parent_key, unit.parent),
            ("leader", current.leader_number, unit.leader),
        )
        if changed:
            changes.append(PlannedChange(kind="unit", action="update", key=unit.key, detail=changed))
    for person in parsed.people:
        number = person.employee_number
        existing = people_by_number.get(number)
        wanted = {(role.value, unit) for role, unit, _ in person.roles}
        held: set[tuple[str, str]] = set()
        if existing is None:
            changes.append(PlannedChange(kind="person", action="create", key=number, detail=person.name))
        else:
            held = {r for r in existing.roles if r[0] not in LEADER_ROLES}
            changed = differences(
                ("name", existing.name, person.name), ("email", existing.email.lower(), person.email.lower())
            )
            if changed:
                changes.append(PlannedChange(kind="person", action="update", key=number, detail=changed))
        changes += [role_change("create", number, role, unit_key) for role, unit_key in sorted(wanted - held)]
        changes += [role_change("end", number, role, unit_key) for role, unit_key in sorted(held - wanted)]
    return changes


def parents_first(rows: list[UnitRow]) -> list[UnitRow]:
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
