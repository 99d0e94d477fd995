"""The matrix's rules without I/O: zones, the acceptance line, criteria that must rise with the risk, the worst
dimension placing a risk, and the workflow table."""

from __future__ import annotations

from typing import get_args

import pytest

from varde_common.events.risk import RiskAssessmentKind, RiskZone
from varde_risk.domain import (
    DEFAULT_GRID,
    DEFAULT_MATRIX,
    AssessmentAction,
    AssessmentKind,
    AssessmentStatus,
    Dimension,
    IllegalAssessmentTransitionError,
    MatrixOrderError,
    MatrixShapeError,
    Zone,
    next_assessment_status,
    overall_consequence,
    parse_grid,
    score,
)


def test_the_default_matrix_puts_the_likely_catastrophe_above_the_line_and_the_rare_nuisance_below() -> None:
    assert DEFAULT_MATRIX.zone(1, 1) == Zone.ACCEPTABLE
    assert DEFAULT_MATRIX.zone(5, 5) == Zone.UNACCEPTABLE
    assert DEFAULT_MATRIX.above_acceptance(4, 3)
    assert not DEFAULT_MATRIX.above_acceptance(3, 3)
    assert DEFAULT_MATRIX.zone(1, 5) == Zone.MEASURES  # the most severe consequence is never simply acceptable
    assert parse_grid([[z.value for z in row] for row in DEFAULT_GRID]) == DEFAULT_GRID


def test_criteria_that_would_make_a_worse_risk_more_acceptable_are_refused() -> None:
    rows = [[z.value for z in row] for row in DEFAULT_GRID]
    rows[4][4] = "green"  # the worst cell acceptable while its neighbours are red
    with pytest.raises(MatrixOrderError) as refused:
        parse_grid(rows)
    assert (refused.value.worse, refused.value.better) == ((5, 5), (5, 4))
    with pytest.raises(MatrixShapeError):
        parse_grid(rows[:4])
    with pytest.raises(ValueError, match="blue"):
        parse_grid([["blue"] * 5] * 5)


def test_the_default_matrix_is_the_one_documented() -> None:
    """p × c up to 4 acceptable, 12 and above unacceptable, measures between; Høy (4) or worse never acceptable,
    Svært høy (5) unacceptable from Lav (2): what the domain and docs/decisions say."""
    for consequence in range(1, 6):
        for probability in range(1, 6):
            product = probability * consequence
            documented = Zone.ACCEPTABLE if product <= 4 else Zone.UNACCEPTABLE if product >= 12 else Zone.MEASURES
            if consequence >= 4 and documented == Zone.ACCEPTABLE:
                documented = Zone.MEASURES
            if consequence == 5 and probability >= 2:
                documented = Zone.UNACCEPTABLE
            assert DEFAULT_MATRIX.zone(probability, consequence) == documented, (probability, consequence)
    assert DEFAULT_MATRIX.zone(5, 2) == Zone.MEASURES  # the cell the directory's copy coloured red


def test_the_events_carry_the_same_zones_and_kinds_as_the_domain() -> None:
    assert set(get_args(RiskZone)) == {zone.value for zone in Zone}
    assert set(get_args(RiskAssessmentKind)) == {kind.value for kind in AssessmentKind}


def test_the_worst_dimension_places_the_risk_and_the_top_list_prefers_the_catastrophe() -> None:
    assert overall_consequence({Dimension.LIFE_AND_HEALTH: 4, Dimension.ECONOMY: 2}, None) == 4
    assert overall_consequence({}, 3) == 3
    assert score(2, 5) > score(5, 2)  # same product: the rarer catastrophe first


def test_an_assessment_is_approved_reopened_and_archived_but_never_revived() -> None:
    assert next_assessment_status(AssessmentStatus.PREPARATION, AssessmentAction.APPROVE) == AssessmentStatus.ACTIVE
    assert next_assessment_status(AssessmentStatus.ACTIVE, AssessmentAction.REOPEN) == AssessmentStatus.PREPARATION
    with pytest.raises(IllegalAssessmentTransitionError):
        next_assessment_status(AssessmentStatus.ARCHIVED, AssessmentAction.APPROVE)
    with pytest.raises(IllegalAssessmentTransitionError):
        next_assessment_status(AssessmentStatus.ACTIVE, AssessmentAction.APPROVE)
