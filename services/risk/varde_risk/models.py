"""Tables and API models of risk: the kommune's matrix, assessments (ROS-analyser), their risks and measures, and
the history that is never rewritten."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic import Field as PydanticField
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field, SQLModel

from varde_common.calendar import now_utc
from varde_common.inputs import Day, InputText, WholeNumber
from varde_common.language import Text
from varde_common.pages import Page
from varde_common.text import distinct_nonblank
from varde_common.validation import FieldRuleError, refuse_null
from varde_risk.domain import AssessmentKind, AssessmentStatus, Dimension, ScopeKind, Zone

TZ = sa.DateTime(timezone=True)
_FORBID = ConfigDict(extra="forbid", str_strip_whitespace=True)
Level = Annotated[WholeNumber, PydanticField(ge=1, le=5)]


def now() -> datetime:
    return now_utc()


Clock = Callable[[], datetime]
"""What a use case asks for the time: ``now`` in the service, a fixed instant in a test across midnight."""


class RiskMatrixSettings(SQLModel, table=True):
    """A kommune's acceptance criteria; no row means the default matrix."""

    __tablename__ = "risk_matrix"

    tenant_id: uuid.UUID = Field(primary_key=True)
    grid: list[list[str]] = Field(sa_type=JSONB)
    colours: dict[str, str] = Field(sa_type=JSONB)
    changed_by: uuid.UUID
    changed_at: datetime = Field(default_factory=now, sa_type=TZ)


class RiskAssessment(SQLModel, table=True):
    """A risk and vulnerability assessment (ROS-analyse) of a scope, owned by a person in a unit."""

    __tablename__ = "risk_assessment"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID
    number: int  # ROS 1, 2, … within the kommune, never reused: it qualifies a risk's label in a unit's picture
    title: str
    description: str | None = None
    kind: str
    scope_kind: str
    scope_name: str | None = None  # the plan goal, project or information system, when the scope is not a unit
    unit_id: uuid.UUID  # the owning unit: who may see and approve follows from it
    owner_id: uuid.UUID
    participants: list[uuid.UUID] = Field(default_factory=list, sa_type=ARRAY(sa.Uuid))
    status: str = AssessmentStatus.PREPARATION
    review_due: date | None = None
    review_notified_for: date | None = None
    review_overdue_notified_for: date | None = None
    submitted_by: uuid.UUID | None = None  # sent for approval; cleared when approved or taken back
    submitted_at: datetime | None = Field(default=None, sa_type=TZ)
    approved_by: uuid.UUID | None = None
    approved_at: datetime | None = Field(default=None, sa_type=TZ)
    created_by: uuid.UUID
    created_at: datetime = Field(default_factory=now, sa_type=TZ)
    updated_at: datetime = Field(default_factory=now, sa_type=TZ)


class Risk(SQLModel, table=True):
    """An unwanted event (uønsket hendelse) with its causes, barriers and cell of the matrix, now and after its
    measures."""

    __tablename__ = "risk"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID
    assessment_id: uuid.UUID = Field(foreign_key="risk_assessment.id")
    number: int  # 1, 2, … within the assessment, never reused: X1 and Y1 on the matrix
    title: str
    description: str | None = None
    causes: list[str] = Field(default_factory=list, sa_type=ARRAY(sa.Text))
    barriers: list[str] = Field(default_factory=list, sa_type=ARRAY(sa.Text))
    probability: int
    consequence: int
    consequences: dict[str, int] = Field(default_factory=dict, sa_type=JSONB)
    target_probability: int | None = None
    target_consequence: int | None = None
    zone: str
    above_acceptance_since: datetime | None = Field(default=None, sa_type=TZ)
    deviation_ids: list[uuid.UUID] = Field(default_factory=list, sa_type=ARRAY(sa.Uuid))
    document_ids: list[uuid.UUID] = Field(default_factory=list, sa_type=ARRAY(sa.Uuid))
    created_at: datetime = Field(default_factory=now, sa_type=TZ)
    updated_at: datetime = Field(default_factory=now, sa_type=TZ)


class RiskMeasure(SQLModel, table=True):
    """A measure (tiltak) that should move a risk towards its target cell."""

    __tablename__ = "risk_measure"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID
    assessment_id: uuid.UUID = Field(foreign_key="risk_assessment.id")
    risk_id: uuid.UUID = Field(foreign_key="risk.id")
    title: str
    owner_id: uuid.UUID
    deadline: date | None = None
    done_at: datetime | None = Field(default=None, sa_type=TZ)
    done_by: uuid.UUID | None = None
    overdue_notified: bool = False
    created_at: datetime = Field(default_factory=now, sa_type=TZ)


class RiskHistory(SQLModel, table=True):
    """One change of an assessment, its risks or measures: who, when, what. Never updated or deleted."""

    __tablename__ = "risk_history"

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: uuid.UUID
    assessment_id: uuid.UUID = Field(foreign_key="risk_assessment.id")
    risk_id: uuid.UUID | None = None
    at: datetime = Field(default_factory=now, sa_type=TZ)
    actor_id: uuid.UUID | None = None  # NULL: the system (a job, the kommune's criteria changing)
    action: str
    details: dict[str, Any] = Field(default_factory=dict, sa_type=JSONB)


class ReplicaDeviation(SQLModel, table=True):
    """A deviation (avvik) as risk knows it from the deviations' events: enough to check a link and show what
    the linked case is, never its text or the people in it."""

    __tablename__ = "replica_deviation"

    id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID
    unit_id: uuid.UUID
    kind: str
    area: str | None = None
    severity: int
    status: str
    reported_at: datetime | None = Field(default=None, sa_type=TZ)
    changed_at: datetime = Field(sa_type=TZ)


class ReplicaDocument(SQLModel, table=True):
    """A document as risk knows it from the documents' events: a procedure that is a barrier, whether it is in
    force, and whether its revision is overdue."""

    __tablename__ = "replica_document"

    id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID
    kind: str
    owner_unit_id: uuid.UUID
    status: str
    version_number: int | None = None
    revision_due: date | None = None
    revision_overdue: bool = False
    changed_at: datetime = Field(sa_type=TZ)


# ---- API models --------------------------------------------------------------------------------------------------


class AssessmentCreate(BaseModel):
    model_config = ConfigDict(
        **_FORBID,
        json_schema_extra={
            "examples": [
                {
                    "title": "ROS for legemiddelhåndtering i sykehjem",
                    "kind": "virksomhetsstyring",
                    "scope_kind": "unit",
                    "unit_id": "{unit_id}",
                    "review_due": "2027-06-30",
                }
            ]
        },
    )

    title: InputText = PydanticField(title="Tittel", min_length=3, max_length=300)
    description: InputText | None = PydanticField(default=None, title="Beskrivelse", max_length=20_000)
    kind: AssessmentKind = PydanticField(title="Type analyse")
    scope_kind: ScopeKind = PydanticField(default=ScopeKind.UNIT, title="Omfang")
    scope_name: InputText | None = PydanticField(
        default=None,
        title="Hva analysen gjelder",
        description="Målet, prosjektet eller systemet; påkrevd når omfanget ikke er en enhet",
        max_length=300,
        validate_default=True,
    )
    unit_id: uuid.UUID = PydanticField(title="Enhet")
    owner_id: uuid.UUID | None = PydanticField(default=None, title="Eier", description="Den som oppretter, om tomt")
    participants: list[uuid.UUID] = PydanticField(default_factory=list, title="Deltakere", max_length=100)
    review_due: Day | None = PydanticField(default=None, title="Revisjonsdato")

    @field_validator("scope_name")
    @classmethod
    def _scope_named(cls, value: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("scope_kind", ScopeKind.UNIT) != ScopeKind.UNIT and not value:
            raise FieldRuleError(
                Text(
                    nb="Skriv hva analysen gjelder når omfanget ikke er en enhet.",
                    nn="Skriv kva analysen gjeld når omfanget ikkje er ei eining.",
                )
            )
        return value


class AssessmentChange(BaseModel):
    """The details to change; a field left out stays as it is, and only what may be empty may be null."""

    model_config = _FORBID

    title: InputText | None = PydanticField(default=None, title="Tittel", min_length=3, max_length=300)
    description: InputText | None = PydanticField(default=None, title="Beskrivelse", max_length=20_000)
    scope_name: InputText | None = PydanticField(default=None, title="Hva analysen gjelder", max_length=300)
    owner_id: uuid.UUID | None = PydanticField(default=None, title="Eier")
    participants: list[uuid.UUID] | None = PydanticField(default=None, title="Deltakere", max_length=100)
    review_due: Day | None = PydanticField(default=None, title="Revisjonsdato")

    # What an assessment cannot be without: a change may give a new value, never null.
    _title_kept = refuse_null(
        "title",
        message=Text(
            nb="{label} kan ikke fjernes; ROS-analysen må ha en tittel.",
            nn="{label} kan ikkje fjernast; ROS-analysen må ha ein tittel.",
        ),
    )
    _owner_kept = refuse_null(
        "owner_id",
        message=Text(
            nb="{label} kan ikke fjernes; ROS-analysen må ha en eier.",
            nn="{label} kan ikkje fjernast; ROS-analysen må ha ein eigar.",
        ),
    )
    _participants_kept = refuse_null(
        "participants",
        message=Text(
            nb="{label} må være en liste; en tom liste fjerner alle deltakerne.",
            nn="{label} må vere ei liste; ei tom liste fjernar alle deltakarane.",
        ),
    )


class Rating(BaseModel):
    """A cell: probability and consequence 1–5; the consequence may be given per dimension (the worst places it).
    A new rating replaces the old one, its target cell included."""

    model_config = ConfigDict(
        **_FORBID,
        json_schema_extra={
            "examples": [{"probability": 2, "consequence": 4, "target_probability": 1, "target_consequence": 3}]
        },
    )

    probability: Level = PydanticField(title="Sannsynlighet")
    consequence: Level | None = PydanticField(default=None, title="Konsekvens")
    consequences: dict[Dimension, Level] = PydanticField(
        default_factory=dict, title="Konsekvens per område", validate_default=True
    )
    target_probability: Level | None = PydanticField(default=None, title="Sannsynlighet etter tiltak")
    target_consequence: Level | None = PydanticField(
        default=None, title="Konsekvens etter tiltak", validate_default=True
    )

    @field_validator("consequences")
    @classmethod
    def _consequence_given(cls, value: dict[Dimension, int], info: ValidationInfo) -> dict[Dimension, int]:
        # A consequence that failed its own check is not in ``info.data``: that error is enough.
        if not value and "consequence" in info.data and info.data["consequence"] is None:
            raise FieldRuleError(
                Text(
                    nb="Oppgi konsekvensen, samlet eller per område (liv og helse, økonomi, …).",
                    nn="Oppgje konsekvensen, samla eller per område (liv og helse, økonomi, …).",
                )
            )
        return value

    @field_validator("target_consequence")
    @classmethod
    def _target_whole(cls, value: int | None, info: ValidationInfo) -> int | None:
        if "target_probability" in info.data and (value is None) != (info.data["target_probability"] is None):
            raise FieldRuleError(
                Text(
                    nb="Målet etter tiltak trenger både sannsynlighet og konsekvens.",
                    nn="Målet etter tiltak treng både sannsyn og konsekvens.",
                )
            )
        return value


class RiskCreate(Rating):
    model_config = ConfigDict(
        **_FORBID,
        json_schema_extra={
            "examples": [
                {
                    "title": "Feil legemiddel gis til beboer",
                    "causes": ["Travle vakter", "Like pakninger"],
                    "barriers": ["Dobbeltkontroll"],
                    "probability": 3,
                    "consequences": {"liv_og_helse": 4, "omdomme": 3},
                    "target_probability": 2,
                    "target_consequence": 3,
                }
            ]
        },
    )

    title: InputText = PydanticField(title="Uønsket hendelse", min_length=3, max_length=300)
    description: InputText | None = PydanticField(default=None, title="Beskrivelse", max_length=20_000)
    causes: list[InputText] = PydanticField(default_factory=list, title="Årsaker", max_length=50)
    barriers: list[InputText] = PydanticField(default_factory=list, title="Barrierer", max_length=50)
    deviation_ids: list[uuid.UUID] = PydanticField(default_factory=list, title="Avvik", max_length=100)
    document_ids: list[uuid.UUID] = PydanticField(default_factory=list, title="Dokumenter", max_length=100)

    _causes = field_validator("causes", "barriers")(distinct_nonblank)


class RiskChange(BaseModel):
    """Text and links; a new rating goes through ``PUT /rating``."""

    model_config = _FORBID

    title: InputText | None = PydanticField(default=None, title="Uønsket hendelse", min_length=3, max_length=300)
    description: InputText | None = PydanticField(default=None, title="Beskrivelse", max_length=20_000)
    causes: list[InputText] | None = PydanticField(default=None, title="Årsaker", max_length=50)
    barriers: list[InputText] | None = PydanticField(default=None, title="Barrierer", max_length=50)
    deviation_ids: list[uuid.UUID] | None = PydanticField(default=None, title="Avvik", max_length=100)
    document_ids: list[uuid.UUID] | None = PydanticField(default=None, title="Dokumenter", max_length=100)


class MeasureCreate(BaseModel):
    model_config = ConfigDict(
        **_FORBID,
        json_schema_extra={"examples": [{"title": "Innføre strekkodeskanning", "deadline": "2027-03-01"}]},
    )

    title: InputText = PydanticField(title="Tiltak", min_length=3, max_length=500)
    owner_id: uuid.UUID | None = PydanticField(
        default=None, title="Ansvarlig", description="Vurderingens eier, om tomt"
    )
    deadline: Day | None = PydanticField(default=None, title="Frist", description="Dato i Norge; i dag eller senere")


_HEX = "0123456789abcdefABCDEF"


class MatrixChange(BaseModel):
    model_config = _FORBID

    grid: list[list[Zone]] = PydanticField(
        title="Akseptkriterier", description="5 rader (konsekvens 1 først) med 5 soner (sannsynlighet 1–5)"
    )
    colours: dict[Zone, InputText] = PydanticField(
        default_factory=dict, title="Farger", description="Farge per sone, #rrggbb"
    )

    @field_validator("colours")
    @classmethod
    def _hex(cls, value: dict[Zone, str]) -> dict[Zone, str]:
        for colour in value.values():
            if len(colour) != 7 or colour[0] != "#" or any(ch not in _HEX for ch in colour[1:]):
                raise FieldRuleError(
                    Text(
                        nb="Skriv fargene som #rrggbb, for eksempel #c62828.",
                        nn="Skriv fargane som #rrggbb, til dømes #c62828.",
                    )
                )
        return value


class MatrixPublic(BaseModel):
    grid: list[list[Zone]] = PydanticField(description="[konsekvens-1][sannsynlighet-1]: sonen i hver celle")
    colours: dict[Zone, str]
    zone_labels: dict[Zone, str]
    level_labels: list[str] = PydanticField(description="Navnene på nivå 1–5, for sannsynlighet og konsekvens")
    dimension_labels: dict[Dimension, str] = PydanticField(
        description="Konsekvensområdene en risiko kan vurderes i (nøklene i en vurderings consequences), med navn"
    )
    is_default: bool = PydanticField(description="Standardkriteriene: kommunen har ikke satt egne")


class PersonPublic(BaseModel):
    id: uuid.UUID
    name: str | None = PydanticField(description="Navnet fra katalogen; null til katalogen har meldt det")


class MeasurePublic(BaseModel):
    id: uuid.UUID
    risk_id: uuid.UUID
    title: str
    owner_id: uuid.UUID
    owner_name: str | None
    deadline: date | None = PydanticField(description="Dato i Norge")
    done_at: datetime | None
    done_by: uuid.UUID | None
    done_by_name: str | None
    overdue: bool = PydanticField(description="Ikke gjennomført, og fristen var før i dag (norsk tid)")


class LinkedDeviation(BaseModel):
    """A deviation the risk learns from, as the deviations service last told of it."""

    id: uuid.UUID
    kind: str
    area: str | None
    severity: int
    status: str
    unit_id: uuid.UUID
    unit_name: str | None = None
    reported_at: datetime | None


class LinkedDocument(BaseModel):
    """A document that is a barrier against the risk, as the documents service last told of it."""

    id: uuid.UUID
    kind: str
    status: str = PydanticField(description="draft (sendt til godkjenning), in_force eller archived")
    version_number: int | None
    revision_due: date | None
    revision_overdue: bool


class RiskPublic(BaseModel):
    id: uuid.UUID
    assessment_id: uuid.UUID
    number: int
    marker: str = PydanticField(description="Merket på matrisen nå: X1, X2, …")
    target_marker: str | None = PydanticField(description="Merket for målet etter tiltak: Y1, Y2, …")
    title: str
    description: str | None
    causes: list[str]
    barriers: list[str]
    probability: int
    consequence: int
    consequences: dict[str, int]
    level_label: str = PydanticField(description="Risikonivå: sonen cellen ligger i")
    zone: Zone
    above_acceptance: bool
    target_probability: int | None
    target_consequence: int | None
    target_zone: Zone | None
    deviation_ids: list[uuid.UUID]
    document_ids: list[uuid.UUID]
    deviations: list[LinkedDeviation] = PydanticField(description="De koblede avvikene slik avvikstjenesten meldte dem")
    documents: list[LinkedDocument] = PydanticField(description="De koblede dokumentene (barrierene)")
    measures: list[MeasurePublic]


class AssessmentSummary(BaseModel):
    id: uuid.UUID
    number: int = PydanticField(description="ROS-nummeret i kommunen")
    title: str
    kind: AssessmentKind
    status: AssessmentStatus
    status_label: str
    scope_kind: ScopeKind
    scope_name: str | None = PydanticField(description="Målet, prosjektet eller systemet, når omfanget ikke er enheten")
    unit_id: uuid.UUID
    unit_name: str | None
    owner_id: uuid.UUID
    owner_name: str | None
    review_due: date | None = PydanticField(description="Dato i Norge")
    awaiting_approval: bool = PydanticField(description="Sendt til godkjenning og ikke godkjent ennå")
    risks: int
    above_acceptance: int


class AssessmentPage(Page[AssessmentSummary]):
    pass


class AssessmentPublic(AssessmentSummary):
    description: str | None
    participants: list[PersonPublic]
    submitted_at: datetime | None
    approved_by: uuid.UUID | None
    approved_by_name: str | None
    approved_at: datetime | None
    created_at: datetime
    risk_list: list[RiskPublic]
    allowed_actions: list[str] = PydanticField(description="Det du kan gjøre med vurderingen nå")


class HistoryEntry(BaseModel):
    at: datetime
    actor_id: uuid.UUID | None = PydanticField(description="Hvem; null når systemet gjorde det (en frist, kriteriene)")
    actor_name: str | None
    action: str
    action_label: str = PydanticField(description="Hva som skjedde, på norsk")
    risk_id: uuid.UUID | None
    details: dict[str, Any] = PydanticField(
        description="Detaljene; personer står med navn ved siden av id-en (approver_id og approver_name, …)"
    )


class HistoryPage(Page[HistoryEntry]):
    pass


class PlacedRisk(BaseModel):
    """A risk on the picture: where it is and where its measures should take it, under the marks the SVG draws."""

    id: uuid.UUID
    assessment_id: uuid.UUID
    marker: str = PydanticField(description="Merket nå, som i SVG-en: X3, eller X14.3 (ROS 14, risiko 3)")
    target_marker: str | None = PydanticField(description="Merket for målet, som i SVG-en: Y3 eller Y14.3")
    title: str
    probability: int
    consequence: int
    zone: Zone
    target_probability: int | None
    target_consequence: int | None
    target_zone: Zone | None
    open_measures: int


class RiskPicture(BaseModel):
    """The risk picture (risikobildet): every risk of the scope on the matrix, and the top list."""

    scope: str
    matrix: MatrixPublic
    cells: list[list[int]] = PydanticField(description="Antall risikoer per celle nå: [konsekvens-1][sannsynlighet-1]")
    target_cells: list[list[int]] = PydanticField(description="Antall per celle etter tiltak")
    risks: list[PlacedRisk] = PydanticField(
        description="Risikoene som tegnes: alle i en vurdering; topplisten i risikobildet for en enhet"
    )
    top: list[PlacedRisk] = PydanticField(description="De høyeste risikoene nå, inntil 10")
    total: int = PydanticField(description="Antall risikoer i alt (summen av cells)")
