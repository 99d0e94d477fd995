"""Risk (ROS-analyse): kinds, the assessment's workflow as a table, the 5×5 matrix and its acceptance criteria.
No I/O here.

A risk (uønsket hendelse) sits in a cell of the matrix: probability (sannsynlighet) 1–5 across, consequence
(konsekvens) 1–5 up. Each cell has a zone from the kommune's acceptance criteria: green is acceptable, yellow
asks for measures where reasonable, red lies above the acceptance line and must be visible to the leader above.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from varde_common.language import Text


class AssessmentKind(StrEnum):
    OVERALL = "overordnet_ros"  # helhetlig/overordnet ROS for kommunen
    GOVERNANCE = "virksomhetsstyring"
    HSE = "hms"
    INFORMATION_SECURITY = "informasjonssikkerhet"
    PROJECT = "prosjekt"


class ScopeKind(StrEnum):
    UNIT = "unit"  # en enhet
    PLAN_GOAL = "plan_goal"  # et mål i kommuneplanen
    PROJECT = "project"
    INFORMATION_SYSTEM = "information_system"


class AssessmentStatus(StrEnum):
    PREPARATION = "preparation"  # under arbeid
    ACTIVE = "active"  # godkjent og gjeldende
    ARCHIVED = "archived"


class AssessmentAction(StrEnum):
    APPROVE = "approve"
    REOPEN = "reopen"  # an active assessment taken back into preparation for a revision
    ARCHIVE = "archive"


_P, _A, _X = AssessmentStatus.PREPARATION, AssessmentStatus.ACTIVE, AssessmentStatus.ARCHIVED

ASSESSMENT_TRANSITIONS: dict[tuple[AssessmentStatus, AssessmentAction], AssessmentStatus] = {
    (_P, AssessmentAction.APPROVE): _A,
    (_A, AssessmentAction.REOPEN): _P,
    (_P, AssessmentAction.ARCHIVE): _X,
    (_A, AssessmentAction.ARCHIVE): _X,
}
"""(from, action) → to. Risks and measures change while an assessment is in preparation or active, never once
it is archived."""

STATUS_LABELS: dict[AssessmentStatus, Text] = {
    _P: Text(nb="Under arbeid", nn="Under arbeid"),
    _A: Text(nb="Aktiv", nn="Aktiv"),
    _X: Text(nb="Arkivert", nn="Arkivert"),
}


class IllegalAssessmentTransitionError(ValueError):
    def __init__(self, status: AssessmentStatus, action: AssessmentAction) -> None:
        super().__init__(f"{action.value} is not allowed from {status.value}")
        self.status = status
        self.action = action


def next_assessment_status(status: AssessmentStatus, action: AssessmentAction) -> AssessmentStatus:
    try:
        return ASSESSMENT_TRANSITIONS[(status, action)]
    except KeyError:
        raise IllegalAssessmentTransitionError(status, action) from None


class Dimension(StrEnum):
    """Consequence dimensions (konsekvensområder)."""

    LIFE_AND_HEALTH = "liv_og_helse"
    SERVICE_DELIVERY = "tjenesteleveranse"
    ECONOMY = "okonomi"
    REPUTATION = "omdomme"
    ENVIRONMENT = "miljo"


DIMENSION_LABELS: dict[Dimension, Text] = {
    Dimension.LIFE_AND_HEALTH: Text(nb="Liv og helse", nn="Liv og helse"),
    Dimension.SERVICE_DELIVERY: Text(nb="Tjenesteleveranse", nn="Tenesteleveranse"),
    Dimension.ECONOMY: Text(nb="Økonomi", nn="Økonomi"),
    Dimension.REPUTATION: Text(nb="Omdømme", nn="Omdøme"),
    Dimension.ENVIRONMENT: Text(nb="Miljø", nn="Miljø"),
}

LEVEL_LABELS: tuple[Text, ...] = (
    Text(nb="Svært lav", nn="Svært låg"),
    Text(nb="Lav", nn="Låg"),
    Text(nb="Middels", nn="Middels"),
    Text(nb="Høy", nn="Høg"),
    Text(nb="Svært høy", nn="Svært høg"),
)
"""The label of level 1–5 (index level − 1), for probability and consequence alike."""


class Zone(StrEnum):
    ACCEPTABLE = "green"
    MEASURES = "yellow"  # tiltak vurderes
    UNACCEPTABLE = "red"  # over akseptgrensen


ZONE_LABELS: dict[Zone, Text] = {
    Zone.ACCEPTABLE: Text(nb="Akseptabel risiko", nn="Akseptabel risiko"),
    Zone.MEASURES: Text(nb="Tiltak skal vurderes", nn="Tiltak skal vurderast"),
    Zone.UNACCEPTABLE: Text(nb="Ikke akseptabel risiko", nn="Ikkje akseptabel risiko"),
}

DEFAULT_COLOURS: dict[Zone, str] = {Zone.ACCEPTABLE: "#2e7d32", Zone.MEASURES: "#f9a825", Zone.UNACCEPTABLE: "#c62828"}

Grid = tuple[tuple[Zone, ...], ...]
"""``grid[consequence - 1][probability - 1]``: five rows of five zones, the lowest consequence first."""

_G, _Y, _R = Zone.ACCEPTABLE, Zone.MEASURES, Zone.UNACCEPTABLE
DEFAULT_GRID: Grid = (
    (_G, _G, _G, _G, _Y),  # konsekvens 1
    (_G, _G, _Y, _Y, _Y),
    (_G, _Y, _Y, _R, _R),
    (_Y, _Y, _R, _R, _R),
    (_Y, _R, _R, _R, _R),  # konsekvens 5
)
"""The default acceptance criteria, what ``GET /matrix`` shows a kommune that has set none of its own: probability ×
consequence up to 4 acceptable, 12 and above unacceptable, measures between; and, since a severe outcome weighs
more than a frequent nuisance, a consequence of Høy (4) or worse is never acceptable and one of Svært høy (5) is
unacceptable from probability Lav (2) up. Risk owns the matrix: the directory's kommune settings have none."""


class InvalidMatrixError(ValueError):
    """Criteria that cannot be a kommune's matrix."""


class MatrixShapeError(InvalidMatrixError):
    def __init__(self) -> None:
        super().__init__("the grid must be 5 rows of 5 zones")


class MatrixOrderError(InvalidMatrixError):
    """``worse`` (probability, consequence) would be more acceptable than ``better``, a cell next to it."""

    def __init__(self, worse: tuple[int, int], better: tuple[int, int]) -> None:
        super().__init__(f"cell {worse} is more acceptable than {better}")
        self.worse = worse
        self.better = better


@dataclass(frozen=True)
class Matrix:
    """A kommune's matrix: the zone of each cell and the colour of each zone."""

    grid: Grid
    colours: Mapping[Zone, str]

    def zone(self, probability: int, consequence: int) -> Zone:
        return self.grid[consequence - 1][probability - 1]

    def above_acceptance(self, probability: int, consequence: int) -> bool:
        return self.zone(probability, consequence) == Zone.UNACCEPTABLE


DEFAULT_MATRIX = Matrix(DEFAULT_GRID, DEFAULT_COLOURS)


def parse_grid(rows: Sequence[Sequence[str]]) -> Grid:
    """A grid from its stored or posted form; an error names what is wrong. A cell may not be more acceptable than
    one with the same probability and a lower consequence, or the same consequence and a lower probability:
    the line must rise monotonically, or a risk could become acceptable by growing worse."""
    if len(rows) != 5 or any(len(row) != 5 for row in rows):
        raise MatrixShapeError()
    grid = tuple(tuple(Zone(cell) for cell in row) for row in rows)  # a ValueError names an unknown zone
    order = {Zone.ACCEPTABLE: 0, Zone.MEASURES: 1, Zone.UNACCEPTABLE: 2}
    for c in range(5):
        for p in range(5):
            for worse_c, worse_p in ((c, p + 1), (c + 1, p)):
                if worse_c < 5 and worse_p < 5 and order[grid[worse_c][worse_p]] < order[grid[c][p]]:
                    raise MatrixOrderError(worse=(worse_p + 1, worse_c + 1), better=(p + 1, c + 1))
    return grid


class HistoryAction(StrEnum):
    """What a line of an assessment's history says happened."""

    CREATED = "created"
    CHANGED = "changed"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REOPENED = "reopened"
    ARCHIVED = "archived"
    RISK_REGISTERED = "risk_registered"
    RISK_RATED = "risk_rated"
    RISK_CHANGED = "risk_changed"
    ABOVE_ACCEPTANCE = "above_acceptance"
    CRITERIA_CHANGED = "criteria_changed"
    MEASURE_ADDED = "measure_added"
    MEASURE_COMPLETED = "measure_completed"
    MEASURE_OVERDUE = "measure_overdue"
    REVIEW_DUE = "review_due"
    REVIEW_OVERDUE = "review_overdue"


_H = HistoryAction
HISTORY_LABELS: dict[HistoryAction, Text] = {
    _H.CREATED: Text(nb="Opprettet", nn="Oppretta"),
    _H.CHANGED: Text(nb="Endret", nn="Endra"),
    _H.SUBMITTED: Text(nb="Sendt til godkjenning", nn="Sendt til godkjenning"),
    _H.APPROVED: Text(nb="Godkjent", nn="Godkjent"),
    _H.REOPENED: Text(nb="Tatt opp til revisjon", nn="Teken opp til revisjon"),
    _H.ARCHIVED: Text(nb="Arkivert", nn="Arkivert"),
    _H.RISK_REGISTERED: Text(nb="Risiko registrert", nn="Risiko registrert"),
    _H.RISK_RATED: Text(nb="Risiko vurdert på nytt", nn="Risiko vurdert på nytt"),
    _H.RISK_CHANGED: Text(nb="Risiko endret", nn="Risiko endra"),
    _H.ABOVE_ACCEPTANCE: Text(nb="Over akseptgrensen", nn="Over akseptgrensa"),
    _H.CRITERIA_CHANGED: Text(nb="Ny sone etter endrede akseptkriterier", nn="Ny sone etter endra akseptkriterium"),
    _H.MEASURE_ADDED: Text(nb="Tiltak lagt til", nn="Tiltak lagt til"),
    _H.MEASURE_COMPLETED: Text(nb="Tiltak utført", nn="Tiltak utført"),
    _H.MEASURE_OVERDUE: Text(nb="Tiltak over fristen", nn="Tiltak over fristen"),
    _H.REVIEW_DUE: Text(nb="Revisjonsdatoen nærmer seg", nn="Revisjonsdatoen nærmar seg"),
    _H.REVIEW_OVERDUE: Text(nb="Revisjonsdatoen er passert", nn="Revisjonsdatoen er passert"),
}


def history_label(action: str) -> Text:
    """The label of a history line's action; a key this version does not know is shown as it is."""
    try:
        return HISTORY_LABELS[HistoryAction(action)]
    except ValueError:
        return Text(nb=action, nn=action)


def risk_label(number: int, assessment_number: int | None = None) -> str:
    """How a risk is named on the matrix and in its key: its number in its assessment (the Tønsberg programme's X1
    → Y1), qualified by the assessment's number in the kommune where a picture shows several assessments (X14.3
    is risk 3 of ROS 14). Both numbers are given once and never reused, so a label never changes."""
    return f"{assessment_number}.{number}" if assessment_number is not None else str(number)


def overall_consequence(per_dimension: Mapping[Dimension, int], given: int | None) -> int | None:
    """The consequence that places the risk: the worst of its dimensions, or the one given when none are."""
    return max(per_dimension.values()) if per_dimension else given


def score(probability: int, consequence: int) -> int:
    """For ordering a top list: the product, ties broken by consequence (a rare catastrophe before a daily nuisance
    of the same product)."""
    return probability * consequence * 10 + consequence
