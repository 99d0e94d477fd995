"""Rows as the API shows them to one person: the names a reader may see beside the ids (from the directory copy),
labels in the caller's målform beside keys, and what the person can do now. No I/O: the names come in."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from varde_common.calendar import oslo_date
from varde_common.directory_replica import Names
from varde_common.language import Language
from varde_common.text_search import highlight_parts
from varde_deviations.domain import (
    ACTION_LABELS,
    KIND_LABELS,
    NATIONAL_ID_WARNING,
    STATUS_LABELS,
    DeviationKind,
    DeviationStatus,
    breach_notification_deadline,
    case_actions,
    fields_with_national_id,
    measure_is_overdue,
)
from varde_deviations.models import (
    AccessLogEntry,
    Area,
    AreaPublic,
    BreachClock,
    Category,
    CategoryPublic,
    Deviation,
    DeviationHistory,
    DeviationPublic,
    DeviationSummary,
    HistoryEntry,
    Measure,
    MeasurePublic,
    ReceiptStatus,
    Restricted,
    RestrictedAccess,
    TextWarning,
)

if TYPE_CHECKING:
    from varde_deviations.access import CaseAccess


# ---- one case ---------------------------------------------------------------------------------------------------


def people_of_case(deviation: Deviation, measures: Iterable[Measure]) -> list[uuid.UUID | None]:
    # An anonymous report has no reporter to name: ``reported_by`` is NULL.
    return [deviation.reported_by, deviation.assignee_id, *(m.owner_id for m in measures)]


def units_of_case(deviation: Deviation) -> list[uuid.UUID | None]:
    return [deviation.unit_id, deviation.handling_unit_id]


def measure_public(measure: Measure, today: date, names: Names) -> MeasurePublic:
    return MeasurePublic(
        id=measure.id,
        description=measure.description,
        owner_id=measure.owner_id,
        owner_name=names.person(measure.owner_id),
        deadline=measure.deadline,
        effectiveness_check=measure.effectiveness_check,
        effectiveness_result=measure.effectiveness_result,
        done_at=measure.done_at,
        overdue=measure_is_overdue(measure.deadline, measure.done_at, today),
    )


def case_public(
    deviation: Deviation,
    access: CaseAccess,
    at: datetime,
    measures: list[Measure],
    restricted: Restricted | None,
    names: Names,
    language: Language,
) -> DeviationPublic:
    """The case as the API shows it to one person, from what is already loaded."""
    status, kind = DeviationStatus(deviation.status), DeviationKind(deviation.kind)
    clock = None
    if deviation.personal_data_breach:
        aware = deviation.reported_at
        deadline = breach_notification_deadline(aware)
        clock = BreachClock(
            aware_at=aware, notify_authority_by=deadline, hours_left=round((deadline - at).total_seconds() / 3600, 1)
        )
    today = oslo_date(at)
    return DeviationPublic(
        id=deviation.id,
        kind=kind,
        kind_label=KIND_LABELS[kind].render(language),
        area=deviation.area,
        category_id=deviation.category_id,
        title=deviation.title,
        description=deviation.description,
        unit_id=deviation.unit_id,
        unit_name=names.unit(deviation.unit_id),
        location=deviation.location,
        immediate_action=deviation.immediate_action,
        occurred_at=deviation.occurred_at,
        reported_at=deviation.reported_at,
        reported_by=deviation.reported_by,
        reported_by_name=None if deviation.anonymous else names.person(deviation.reported_by),
        anonymous=deviation.anonymous,
        actual_consequence=deviation.actual_consequence,
        potential_consequence=deviation.potential_consequence,
        severity=deviation.severity,
        personal_data_breach=deviation.personal_data_breach,
        status=status,
        status_label=STATUS_LABELS[status].render(language),
        handling_unit_id=deviation.handling_unit_id,
        handling_unit_name=names.unit(deviation.handling_unit_id),
        assignee_id=deviation.assignee_id,
        assignee_name=names.person(deviation.assignee_id),
        acknowledge_due_at=deviation.acknowledge_due_at,
        acknowledged_at=deviation.acknowledged_at,
        conclusion=deviation.conclusion,
        rejection_reason=deviation.rejection_reason,
        closed_at=deviation.closed_at,
        measures=[measure_public(m, today, names) for m in measures],
        restricted=restricted,
        breach_clock=clock,
        allowed_actions=case_actions(
            status,
            handle=access.handle,
            restricted=access.restricted,
            measure_owner=access.measure_owner,
            open_measures=any(m.done_at is None for m in measures),
            follow_up=access.follow_up,
        ),
    )


def text_warnings(values: dict[str, Any], language: Language) -> list[TextWarning]:
    return [
        TextWarning(field=name, code="possible_fodselsnummer", message=NATIONAL_ID_WARNING.render(language))
        for name in fields_with_national_id(values)
    ]


def receipt_status(deviation: Deviation, language: Language) -> ReceiptStatus:
    status = DeviationStatus(deviation.status)
    return ReceiptStatus(
        status=status,
        status_label=STATUS_LABELS[status].render(language),
        reported_at=deviation.reported_at,
        closed_at=deviation.closed_at,
        conclusion=deviation.conclusion if status == DeviationStatus.CLOSED else None,
    )


# ---- lists ------------------------------------------------------------------------------------------------------


def summary(row: sa.Row[Any], names: Names, *, searched: bool = False) -> DeviationSummary:
    """One line of a list; a search's line also shows where the words matched."""
    return DeviationSummary(
        id=row.id,
        kind=DeviationKind(row.kind),
        area=row.area,
        category_id=row.category_id,
        title=row.title,
        unit_id=row.unit_id,
        unit_name=names.unit(row.unit_id),
        handling_unit_id=row.handling_unit_id,
        handling_unit_name=names.unit(row.handling_unit_id),
        status=DeviationStatus(row.status),
        severity=row.severity,
        assignee_id=row.assignee_id,
        assignee_name=names.person(row.assignee_id),
        occurred_at=row.occurred_at,
        reported_at=row.reported_at,
        acknowledge_due_at=row.acknowledge_due_at,
        overdue=row.overdue,
        closed_at=row.closed_at,
        conclusion=row.conclusion,
        rejection_reason=row.rejection_reason,
        title_highlight=highlight_parts(row.title_highlight) if searched else None,
        highlight=highlight_parts(row.highlight) if searched else None,
    )


# The ids a history line's details may hold, and the name shown beside each.
_PERSON_DETAILS = {"assignee_id": "assignee_name", "owner_id": "owner_name", "owner_id_before": "owner_name_before"}
_UNIT_DETAILS = {"from_unit_id": "from_unit_name", "to_unit_id": "to_unit_name", "chosen_unit_id": "chosen_unit_name"}


def _ids(values: Iterable[object]) -> list[uuid.UUID]:
    found: list[uuid.UUID] = []
    for value in values:
        if isinstance(value, str):
            try:
                found.append(uuid.UUID(value))
            except ValueError:
                continue
    return found


def people_of_history(rows: Iterable[DeviationHistory]) -> list[uuid.UUID | None]:
    lines = list(rows)
    return [r.actor_id for r in lines] + list(_ids(r.details.get(k) for r in lines for k in _PERSON_DETAILS))


def units_of_history(rows: Iterable[DeviationHistory]) -> list[uuid.UUID | None]:
    return list(_ids(r.details.get(k) for r in rows for k in _UNIT_DETAILS))


def _named(value: object, names: Mapping[uuid.UUID, str]) -> str | None:
    found = _ids([value])
    return names.get(found[0]) if found else None


def history_entry(row: DeviationHistory, names: Names, language: Language) -> HistoryEntry:
    details = dict(row.details)
    for key, name_key in _PERSON_DETAILS.items():
        if key in details:
            details[name_key] = _named(details[key], names.people)
    for key, name_key in _UNIT_DETAILS.items():
        if key in details:
            details[name_key] = _named(details[key], names.units)
    label = ACTION_LABELS.get(row.action)
    return HistoryEntry(
        at=row.at,
        actor_id=row.actor_id,
        actor_name=names.person(row.actor_id),
        action=row.action,
        action_label=label.render(language) if label is not None else row.action,
        details=details,
    )


def access_entry(row: RestrictedAccess, names: Names, title: str | None) -> AccessLogEntry:
    return AccessLogEntry(
        deviation_id=row.deviation_id,
        deviation_title=title,
        reader_id=row.reader_id,
        reader_name=names.person(row.reader_id),
        at=row.at,
        purpose=row.purpose,
    )


def area_public(area: Area, categories: Iterable[Category]) -> AreaPublic:
    return AreaPublic(
        key=area.key,
        name=area.name,
        active=area.active,
        categories=[CategoryPublic.model_validate(c, from_attributes=True) for c in categories if c.area == area.key],
    )
