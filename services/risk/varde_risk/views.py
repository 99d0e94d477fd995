"""Rows of risk turned into what a reader gets: labels in the reader's målform, the names of people and units
beside their ids, the markers the matrix draws, and whether a measure is overdue by today's date in Norway.
No I/O: the use cases read the rows and the names (``directory_replica.names_of``) first."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from varde_common.directory_replica import Names
from varde_common.language import Language
from varde_risk.domain import (
    DIMENSION_LABELS,
    LEVEL_LABELS,
    STATUS_LABELS,
    ZONE_LABELS,
    AssessmentKind,
    AssessmentStatus,
    Matrix,
    ScopeKind,
    Zone,
    history_label,
    risk_label,
)
from varde_risk.links import Links
from varde_risk.models import (
    AssessmentPublic,
    AssessmentSummary,
    HistoryEntry,
    MatrixPublic,
    MeasurePublic,
    PersonPublic,
    PlacedRisk,
    Risk,
    RiskAssessment,
    RiskHistory,
    RiskMeasure,
    RiskPublic,
)

if TYPE_CHECKING:
    # Only a type here: access reads the repository, and views do no I/O.
    from varde_risk.access import AssessmentAccess

# History details that name a person: the reader gets ``<name>_name`` beside each.
PERSON_DETAILS = ("approver_id", "leader_id")


@dataclass(frozen=True)
class Reading:
    """What a row's public form depends on besides the row: the kommune's matrix, what the risks link to, today's
    date in Norway, the reader's målform and the names they may see."""

    matrix: Matrix
    links: Links
    today: date
    language: Language
    names: Names


def matrix_public(matrix: Matrix, is_default: bool, language: Language) -> MatrixPublic:
    return MatrixPublic(
        grid=[list(row) for row in matrix.grid],
        colours=dict(matrix.colours),
        zone_labels={zone: label.render(language) for zone, label in ZONE_LABELS.items()},
        level_labels=[label.render(language) for label in LEVEL_LABELS],
        dimension_labels={dimension: label.render(language) for dimension, label in DIMENSION_LABELS.items()},
        is_default=is_default,
    )


def measure_public(measure: RiskMeasure, today: date, names: Names) -> MeasurePublic:
    """``today`` is the date in Norway: a measure is overdue from the day after its deadline."""
    return MeasurePublic(
        id=measure.id,
        risk_id=measure.risk_id,
        title=measure.title,
        owner_id=measure.owner_id,
        owner_name=names.person(measure.owner_id),
        deadline=measure.deadline,
        done_at=measure.done_at,
        done_by=measure.done_by,
        done_by_name=names.person(measure.done_by),
        overdue=measure.done_at is None and measure.deadline is not None and measure.deadline < today,
    )


def markers(number: int, has_target: bool, assessment_number: int | None = None) -> tuple[str, str | None]:
    """The risk's marks on the matrix, now (X) and after its measures (Y): the same in the SVG and the JSON."""
    label = risk_label(number, assessment_number)
    return f"X{label}", (f"Y{label}" if has_target else None)


def target_zone(matrix: Matrix, probability: int | None, consequence: int | None) -> Zone | None:
    return matrix.zone(probability, consequence) if probability is not None and consequence is not None else None


def risk_public(risk: Risk, measures: Sequence[RiskMeasure], reading: Reading) -> RiskPublic:
    zone = Zone(risk.zone)
    target = target_zone(reading.matrix, risk.target_probability, risk.target_consequence)
    marker, target_marker = markers(risk.number, target is not None)
    deviations, documents = reading.links
    return RiskPublic(
        id=risk.id,
        assessment_id=risk.assessment_id,
        number=risk.number,
        marker=marker,
        target_marker=target_marker,
        title=risk.title,
        description=risk.description,
        causes=risk.causes,
        barriers=risk.barriers,
        probability=risk.probability,
        consequence=risk.consequence,
        consequences=risk.consequences,
        level_label=ZONE_LABELS[zone].render(reading.language),
        zone=zone,
        above_acceptance=zone == Zone.UNACCEPTABLE,
        target_probability=risk.target_probability,
        target_consequence=risk.target_consequence,
        target_zone=target,
        deviation_ids=risk.deviation_ids,
        document_ids=risk.document_ids,
        deviations=[deviations[i] for i in risk.deviation_ids if i in deviations],
        documents=[documents[i] for i in risk.document_ids if i in documents],
        measures=[measure_public(m, reading.today, reading.names) for m in measures if m.risk_id == risk.id],
    )


def allowed(assessment: RiskAssessment, access: AssessmentAccess) -> list[str]:
    status = AssessmentStatus(assessment.status)
    if status == AssessmentStatus.ARCHIVED:
        return []
    actions: list[str] = []
    if access.work:
        actions += ["change", "add_risk", "rate", "add_measure"]
    if access.work and status == AssessmentStatus.PREPARATION and assessment.submitted_at is None:
        actions.append("submit")
    if access.approve and status == AssessmentStatus.PREPARATION:
        actions.append("approve")
    if access.work and status == AssessmentStatus.ACTIVE:
        actions.append("reopen")
    if access.archive:
        actions.append("archive")
    return actions


def summary(
    assessment: RiskAssessment, counts: tuple[int, int], *, language: Language, names: Names
) -> AssessmentSummary:
    status = AssessmentStatus(assessment.status)
    risks, above_acceptance = counts
    return AssessmentSummary(
        id=assessment.id,
        number=assessment.number,
        title=assessment.title,
        kind=AssessmentKind(assessment.kind),
        status=status,
        status_label=STATUS_LABELS[status].render(language),
        scope_kind=ScopeKind(assessment.scope_kind),
        scope_name=assessment.scope_name,
        unit_id=assessment.unit_id,
        unit_name=names.unit(assessment.unit_id),
        owner_id=assessment.owner_id,
        owner_name=names.person(assessment.owner_id),
        review_due=assessment.review_due,
        awaiting_approval=assessment.submitted_at is not None and status == AssessmentStatus.PREPARATION,
        risks=risks,
        above_acceptance=above_acceptance,
    )


def people_of(assessment: RiskAssessment, measures: Sequence[RiskMeasure]) -> list[uuid.UUID | None]:
    """Everyone an assessment's reader sees named: owner, participants, approver, measure owners."""
    return [
        assessment.owner_id,
        assessment.approved_by,
        *assessment.participants,
        *(m.owner_id for m in measures),
        *(m.done_by for m in measures),
    ]


def assessment_public(
    assessment: RiskAssessment,
    access: AssessmentAccess,
    risks: Sequence[Risk],
    measures: Sequence[RiskMeasure],
    reading: Reading,
) -> AssessmentPublic:
    above = sum(1 for r in risks if r.zone == Zone.UNACCEPTABLE)
    names = reading.names
    return AssessmentPublic(
        **summary(assessment, (len(risks), above), language=reading.language, names=names).model_dump(),
        description=assessment.description,
        participants=[PersonPublic(id=p, name=names.person(p)) for p in assessment.participants],
        submitted_at=assessment.submitted_at,
        approved_by=assessment.approved_by,
        approved_by_name=names.person(assessment.approved_by),
        approved_at=assessment.approved_at,
        created_at=assessment.created_at,
        risk_list=[risk_public(r, measures, reading) for r in risks],
        allowed_actions=allowed(assessment, access),
    )


def detail_people(entries: Iterable[RiskHistory]) -> list[uuid.UUID | None]:
    return [uuid.UUID(h.details[key]) for h in entries for key in PERSON_DETAILS if h.details.get(key)]


def history_entry(entry: RiskHistory, *, language: Language, names: Names) -> HistoryEntry:
    details: dict[str, Any] = dict(entry.details)
    for key in PERSON_DETAILS:
        if details.get(key):
            details[key.removesuffix("_id") + "_name"] = names.person(uuid.UUID(details[key]))
    return HistoryEntry(
        at=entry.at,
        actor_id=entry.actor_id,
        actor_name=names.person(entry.actor_id),
        action=entry.action,
        action_label=history_label(entry.action).render(language),
        risk_id=entry.risk_id,
        details=details,
    )


def placed(row: Any, matrix: Matrix, *, qualified: bool) -> PlacedRisk:
    """A risk row of the picture; ``qualified`` labels it with its assessment's number (a unit's picture)."""
    target = target_zone(matrix, row.target_probability, row.target_consequence)
    marker, target_marker = markers(row.number, target is not None, row.assessment_number if qualified else None)
    return PlacedRisk(
        id=row.id,
        assessment_id=row.assessment_id,
        marker=marker,
        target_marker=target_marker,
        title=row.title,
        probability=row.probability,
        consequence=row.consequence,
        zone=Zone(row.zone),
        target_probability=row.target_probability,
        target_consequence=row.target_consequence,
        target_zone=target,
        open_measures=row.open_measures,
    )
