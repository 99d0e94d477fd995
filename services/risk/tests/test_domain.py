"""The matrix's rules without I/O: zones, the acceptance line, criteria that must rise with the risk, the worst
dimension placing a risk, and the workflow table."""

from __future__ import annotations

import pytest

from varde_risk.domain import (
    DEFAULT_GRID,
    DEFAULT_MATRIX,
    AssessmentAction,
    AssessmentStatus,
    Dimension,
    IllegalAssessmentTransitionError,
    InvalidMatrixError,
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
    with pytest.raises(InvalidMatrixError, match="sannsynlighet 5, konsekvens 5 kan ikke"):
        parse_grid(rows)
    with pytest.raises(InvalidMatrixError, match="5 rader"):
        parse_grid(rows[:4])
    with pytest.raises(InvalidMatrixError, match="green, yellow eller red"):
        parse_grid([["blue"] * 5] * 5)


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
