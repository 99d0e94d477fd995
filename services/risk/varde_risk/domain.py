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

STATUS_LABELS: dict[AssessmentStatus, str] = {
    _P: "Under arbeid",
    _A: "Aktiv",
    _X: "Arkivert",
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


DIMENSION_LABELS: dict[Dimension, str] = {
    Dimension.LIFE_AND_HEALTH: "Liv og helse",
    Dimension.SERVICE_DELIVERY: "Tjenesteleveranse",
    Dimension.ECONOMY: "Økonomi",
    Dimension.REPUTATION: "Omdømme",
    Dimension.ENVIRONMENT: "Miljø",
}

LEVEL_LABELS: tuple[str, ...] = ("Svært lav", "Lav", "Medium", "Høy", "Svært høy")
"""The label of level 1–5 (index level − 1), for probability and consequence alike."""


class Zone(StrEnum):
    ACCEPTABLE = "green"
    MEASURES = "yellow"  # tiltak vurderes
    UNACCEPTABLE = "red"  # over akseptgrensen


ZONE_LABELS: dict[Zone, str] = {
    Zone.ACCEPTABLE: "Akseptabel risiko",
    Zone.MEASURES: "Tiltak vurderes",
    Zone.UNACCEPTABLE: "Ikke akseptabel risiko",
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
"""The default acceptance criteria, as many kommuner draw them: probability × consequence up to 4 acceptable,
12 and above unacceptable, and the most severe consequence never acceptable."""


class InvalidMatrixError(ValueError):
    pass


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
        raise InvalidMatrixError("Matrisen må ha 5 rader med 5 celler.")
    try:
        grid = tuple(tuple(Zone(cell) for cell in row) for row in rows)
    except ValueError:
        raise InvalidMatrixError("Hver celle må være green, yellow eller red.") from None
    order = {Zone.ACCEPTABLE: 0, Zone.MEASURES: 1, Zone.UNACCEPTABLE: 2}
    for c in range(5):
        for p in range(5):
            for worse_c, worse_p in ((c, p + 1), (c + 1, p)):
                if worse_c < 5 and worse_p < 5 and order[grid[worse_c][worse_p]] < order[grid[c][p]]:
                    raise InvalidMatrixError(
                        f"Cellen sannsynlighet {worse_p + 1}, konsekvens {worse_c + 1} kan ikke være mer akseptabel "
                        f"enn cellen sannsynlighet {p + 1}, konsekvens {c + 1}."
                    )
    return grid


def overall_consequence(per_dimension: Mapping[Dimension, int], given: int | None) -> int | None:
    """The consequence that places the risk: the worst of its dimensions, or the one given when none are."""
    return max(per_dimension.values()) if per_dimension else given


def score(probability: int, consequence: int) -> int:
    """For ordering a top list: the product, ties broken by consequence (a rare catastrophe before a daily nuisance
    of the same product)."""
    return probability * consequence * 10 + consequence
