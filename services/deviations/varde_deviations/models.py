"""Tables of deviations (avvik): the case, its restricted part, measures, history, access log, attachments,
the kommune's catalogue of areas and categories, and idempotency records; then the API models."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, field_validator, model_validator
from pydantic import Field as PydanticField
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from varde_common.calendar import now_utc
from varde_common.inputs import Day, InputText, Instant, WholeNumber, YesNo
from varde_common.language import Text
from varde_common.pages import Page
from varde_common.text_search import HighlightPart
from varde_common.validation import FieldRuleError, refuse_null
from varde_deviations.domain import DeviationKind, DeviationStatus

TZ = sa.DateTime(timezone=True)


def now() -> datetime:
    return now_utc()


class Deviation(SQLModel, table=True):
    """An avvik: what happened, where and when, who reported it, and where it stands in its handling."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID
    kind: str = DeviationKind.DEVIATION
    area: str
    category_id: uuid.UUID | None = None
    title: str
    description: str
    occurred_at: datetime = Field(sa_type=TZ)
    unit_id: uuid.UUID
    location: str | None = None
    immediate_action: str | None = None
    actual_consequence: int | None = None
    potential_consequence: int | None = None
    severity: int = 0
    personal_data_breach: bool = False
    anonymous: bool = False
    reported_by: uuid.UUID | None = None  # NULL for an anonymous report: nothing identifies the reporter
    receipt_hash: str | None = None
    status: str = DeviationStatus.REGISTERED
    handling_unit_id: uuid.UUID
    assignee_id: uuid.UUID | None = None
    acknowledge_due_at: datetime | None = Field(default=None, sa_type=TZ)
    acknowledged_at: datetime | None = Field(default=None, sa_type=TZ)
    conclusion: str | None = None
    rejection_reason: str | None = None
    closed_at: datetime | None = Field(default=None, sa_type=TZ)
    reported_at: datetime = Field(default_factory=now, sa_type=TZ)
    updated_at: datetime = Field(default_factory=now, sa_type=TZ)


class DeviationRestricted(SQLModel, table=True):
    """The restricted part of a case (persons involved): only the reporter, the handling chain and the quality
    roles see it, and every read is logged."""

    __tablename__ = "deviation_restricted"

    deviation_id: uuid.UUID = Field(primary_key=True, foreign_key="deviation.id")
    tenant_id: uuid.UUID
    persons_involved: str | None = None


class Measure(SQLModel, table=True):
    """A tiltak: what will be done, by whom, by when; done or not; and whether it worked."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID
    deviation_id: uuid.UUID = Field(foreign_key="deviation.id")
    description: str
    owner_id: uuid.UUID
    deadline: date | None = None
    effectiveness_check: str | None = None  # how the effect will be checked (evaluering av tiltak)
    effectiveness_result: str | None = None
    done_at: datetime | None = Field(default=None, sa_type=TZ)
    done_by: uuid.UUID | None = None
    overdue_notified_for: date | None = None  # the deadline an overdue event was raised for
    created_by: uuid.UUID
    created_at: datetime = Field(default_factory=now, sa_type=TZ)


class DeviationHistory(SQLModel, table=True):
    """One change of a case: who, when, what. Rows are never updated or deleted (a trigger refuses it)."""

    __tablename__ = "deviation_history"

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: uuid.UUID
    deviation_id: uuid.UUID = Field(foreign_key="deviation.id")
    at: datetime = Field(default_factory=now, sa_type=TZ)
    actor_id: uuid.UUID | None = None  # NULL: the system (deadline job) or an anonymous reporter
    action: str
    details: dict[str, Any] = Field(default_factory=dict, sa_type=JSONB)


class RestrictedAccess(SQLModel, table=True):
    """An entry in the access log: this person read the restricted part of this case at this time."""

    __tablename__ = "restricted_access"

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: uuid.UUID
    deviation_id: uuid.UUID = Field(foreign_key="deviation.id")
    reader_id: uuid.UUID
    at: datetime = Field(default_factory=now, sa_type=TZ)
    purpose: str


class Attachment(SQLModel, table=True):
    """A photo or PDF on a case. The bytes live in the attachment store under ``storage_key``."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID
    deviation_id: uuid.UUID = Field(foreign_key="deviation.id")
    filename: str
    content_type: str
    size: int
    sha256: str
    storage_key: str
    uploaded_by: uuid.UUID | None = None
    uploaded_at: datetime = Field(default_factory=now, sa_type=TZ)


class Area(SQLModel, table=True):
    """An area (fagområde) of the kommune's catalogue: HMS, pasient- og brukersikkerhet, …"""

    __tablename__ = "deviation_area"

    tenant_id: uuid.UUID = Field(primary_key=True)
    key: str = Field(primary_key=True)
    name: str
    active: bool = True
    position: int = 0


class Category(SQLModel, table=True):
    """A category within an area (Fall, Legemidler, …), per kommune."""

    __tablename__ = "deviation_category"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID
    area: str
    name: str
    active: bool = True


class IdempotencyRecord(SQLModel, table=True):
    """The first answer to a create call with an ``Idempotency-Key``, so a retry gets it again."""

    __tablename__ = "idempotency_record"

    tenant_id: uuid.UUID = Field(primary_key=True)
    scope: str = Field(primary_key=True)  # person id, or "anonymous" so nothing ties the key to a person
    key: str = Field(primary_key=True)
    request_hash: str
    status_code: int
    response: dict[str, Any] = Field(sa_type=JSONB)
    created_at: datetime = Field(default_factory=now, sa_type=TZ)


# ---- API models -------------------------------------------------------------------------------------------------

_FORBID = ConfigDict(extra="forbid", str_strip_whitespace=True)
Consequence = Annotated[WholeNumber, PydanticField(ge=1, le=5)]


class DeviationCreate(BaseModel):
    """What an employee reports. Unknown fields (``tenant_id``, ``status``, …) are rejected, never stored."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "kind": "uonsket_hendelse",
                    "area": "pasient_brukersikkerhet",
                    "title": "Fall i korridor",
                    "description": "Beboer falt på vei til spisesalen; ingen brudd.",
                    "unit_id": "{unit_id}",
                    "occurred_at": "2026-11-01T10:00:00+01:00",
                    "immediate_action": "Beboer undersøkt av sykepleier.",
                    "actual_consequence": 2,
                    "potential_consequence": 4,
                }
            ]
        },
    )

    kind: DeviationKind = PydanticField(default=DeviationKind.DEVIATION, title="Type", description="Type melding")
    area: InputText = PydanticField(
        default="tjenestekvalitet", max_length=40, title="Fagområde", description="Fagområdets nøkkel i katalogen"
    )
    category_id: uuid.UUID | None = PydanticField(
        default=None, title="Kategori", description="Kategori innen fagområdet"
    )
    title: InputText = PydanticField(
        min_length=3, max_length=200, title="Tittel", description="Kort tittel på hendelsen"
    )
    description: InputText = PydanticField(
        min_length=1, max_length=20_000, title="Beskrivelse", description="Hva skjedde"
    )
    unit_id: uuid.UUID = PydanticField(title="Enhet", description="Enheten der hendelsen skjedde")
    occurred_at: Instant = PydanticField(
        title="Tidspunkt", description="Når hendelsen skjedde (med tidssone); svaret gir det i UTC"
    )
    location: InputText | None = PydanticField(
        default=None, max_length=200, title="Sted", description="Sted, for eksempel rom 214"
    )
    immediate_action: InputText | None = PydanticField(
        default=None, max_length=5_000, title="Strakstiltak", description="Hva som ble gjort med en gang"
    )
    actual_consequence: Consequence | None = PydanticField(
        default=None, title="Faktisk konsekvens", description="Faktisk konsekvens 1–5"
    )
    potential_consequence: Consequence | None = PydanticField(
        default=None, title="Mulig konsekvens", description="Mulig konsekvens 1–5"
    )
    persons_involved: InputText | None = PydanticField(
        default=None,
        max_length=5_000,
        title="Involverte personer",
        description="Involverte personer (skjermet: bare melderen og behandlerne ser dette)",
    )
    personal_data_breach: YesNo = PydanticField(
        default=False,
        title="Brudd på personopplysningssikkerheten",
        description="Personopplysninger kan ha kommet på avveie (72-timersfristen til Datatilsynet)",
    )
    anonymous: YesNo = PydanticField(
        default=False, title="Anonym", description="Meld anonymt (hvis kommunen tillater det)"
    )

    @field_validator("occurred_at")
    @classmethod
    def not_in_future(cls, value: datetime) -> datetime:
        if value > now_utc() + timedelta(minutes=5):
            raise FieldRuleError(
                Text(nb="Tidspunktet kan ikke være fram i tid.", nn="Tidspunktet kan ikkje vere fram i tid.")
            )
        return value


class DeviationClassify(BaseModel):
    """A handler corrects the classification of a case."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"actual_consequence": 3, "personal_data_breach": False}]}
    )

    kind: DeviationKind | None = PydanticField(default=None, title="Type")
    area: InputText | None = PydanticField(default=None, max_length=40, title="Fagområde")
    category_id: uuid.UUID | None = PydanticField(default=None, title="Kategori")
    actual_consequence: Consequence | None = PydanticField(default=None, title="Faktisk konsekvens")
    potential_consequence: Consequence | None = PydanticField(default=None, title="Mulig konsekvens")
    personal_data_breach: YesNo | None = PydanticField(default=None, title="Brudd på personopplysningssikkerheten")

    _kept = refuse_null("kind", "area", "personal_data_breach")


class TextWarning(BaseModel):
    """Something in the text the reporter should look at again (it is stored as sent)."""

    field: str
    code: str
    message: str


class MeasurePublic(BaseModel):
    id: uuid.UUID
    description: str
    owner_id: uuid.UUID
    owner_name: str | None = PydanticField(description="Navnet på den ansvarlige")
    deadline: date | None = PydanticField(description="Frist (dato i Norge)")
    effectiveness_check: str | None
    effectiveness_result: str | None
    done_at: datetime | None
    overdue: bool = PydanticField(description="Ikke utført og fristen er passert (norsk tid)")


class AttachmentPublic(BaseModel):
    id: uuid.UUID
    filename: str
    content_type: str
    size: int
    uploaded_at: datetime


class Restricted(BaseModel):
    """The restricted part, shown only to the reporter, the handling chain and the quality roles."""

    persons_involved: str | None
    attachments: list[AttachmentPublic]


class BreachClock(BaseModel):
    """The 72-hour clock of a personal-data breach (GDPR art. 33)."""

    aware_at: datetime
    notify_authority_by: datetime
    hours_left: float


class DeviationPublic(BaseModel):
    id: uuid.UUID
    kind: DeviationKind
    kind_label: str
    area: str
    category_id: uuid.UUID | None
    title: str
    description: str
    unit_id: uuid.UUID
    unit_name: str | None = PydanticField(description="Enheten der det skjedde")
    location: str | None
    immediate_action: str | None
    occurred_at: datetime
    reported_at: datetime
    reported_by: uuid.UUID | None = PydanticField(description="Melderen; null for en anonym melding")
    reported_by_name: str | None = PydanticField(description="Melderens navn; aldri for en anonym melding")
    anonymous: bool
    actual_consequence: int | None
    potential_consequence: int | None
    severity: int
    personal_data_breach: bool
    status: DeviationStatus
    status_label: str
    handling_unit_id: uuid.UUID
    handling_unit_name: str | None = PydanticField(description="Enheten som behandler saken")
    assignee_id: uuid.UUID | None
    assignee_name: str | None = PydanticField(description="Den som har saken")
    acknowledge_due_at: datetime | None
    acknowledged_at: datetime | None
    conclusion: str | None
    rejection_reason: str | None
    closed_at: datetime | None
    measures: list[MeasurePublic]
    restricted: Restricted | None = PydanticField(description="Skjermede opplysninger; null når du ikke har tilgang")
    breach_clock: BreachClock | None = None
    allowed_actions: list[str] = PydanticField(description="Hva du kan gjøre med saken nå")
    warnings: list[TextWarning] = []
    receipt_code: str | None = PydanticField(
        default=None, description="Kvitteringskode for en anonym melding; vises bare én gang"
    )


class DeviationSummary(BaseModel):
    """A line in a list."""

    id: uuid.UUID
    kind: DeviationKind
    area: str
    category_id: uuid.UUID | None
    title: str
    unit_id: uuid.UUID
    unit_name: str | None
    handling_unit_id: uuid.UUID
    handling_unit_name: str | None
    status: DeviationStatus
    severity: int
    assignee_id: uuid.UUID | None
    assignee_name: str | None
    occurred_at: datetime
    reported_at: datetime
    acknowledge_due_at: datetime | None
    overdue: bool
    closed_at: datetime | None = PydanticField(default=None, description="Når saken ble lukket eller avvist")
    conclusion: str | None = PydanticField(default=None, description="Hva som ble konkludert, når saken er lukket")
    rejection_reason: str | None = PydanticField(default=None, description="Hvorfor saken ble avvist")
    title_highlight: list[HighlightPart] | None = PydanticField(
        default=None, description="Tittelen i deler med treffordene markert, når lista er et søk (q)"
    )
    highlight: list[HighlightPart] | None = PydanticField(
        default=None, description="Utdrag av teksten med treffordene markert, når lista er et søk (q)"
    )


class DeviationPage(Page[DeviationSummary]):
    """Cases this person may see, newest first."""


class HistoryEntry(BaseModel):
    """One line of the case's history. ``details`` names the people and units it mentions beside their ids
    (``assignee_id`` and ``assignee_name``, ``to_unit_id`` and ``to_unit_name``, …)."""

    at: datetime
    actor_id: uuid.UUID | None = PydanticField(description="Hvem; null for systemet og for en anonym melder")
    actor_name: str | None
    action: str
    action_label: str = PydanticField(description="Hva som skjedde, på bokmål eller nynorsk (Accept-Language)")
    details: dict[str, Any]


class HistoryPage(Page[HistoryEntry]):
    """The case's history, oldest first."""


class Comment(BaseModel):
    model_config = ConfigDict(**_FORBID, json_schema_extra={"examples": [{"comment": "Tatt til behandling."}]})

    comment: InputText | None = PydanticField(default=None, max_length=5_000, title="Kommentar")


class ForwardBody(BaseModel):
    model_config = ConfigDict(
        **_FORBID, json_schema_extra={"examples": [{"unit_id": "{unit_id}", "comment": "Hører til kjøkkenet."}]}
    )

    unit_id: uuid.UUID = PydanticField(title="Enhet", description="Enheten som skal behandle saken")
    comment: InputText | None = PydanticField(default=None, max_length=5_000, title="Kommentar")


class CloseBody(BaseModel):
    model_config = ConfigDict(**_FORBID, json_schema_extra={"examples": [{"conclusion": "Rutinen er oppdatert."}]})

    conclusion: InputText = PydanticField(min_length=3, max_length=10_000, title="Konklusjon")


class RejectBody(BaseModel):
    model_config = ConfigDict(**_FORBID, json_schema_extra={"examples": [{"reason": "Meldt to ganger."}]})

    reason: InputText = PydanticField(
        min_length=3, max_length=5_000, title="Begrunnelse", description="Hvorfor meldingen avvises"
    )


class ReopenBody(BaseModel):
    model_config = ConfigDict(**_FORBID, json_schema_extra={"examples": [{"reason": "Skjedde igjen."}]})

    reason: InputText = PydanticField(
        min_length=3, max_length=5_000, title="Begrunnelse", description="Hvorfor saken åpnes igjen"
    )


class MeasureCreate(BaseModel):
    model_config = ConfigDict(
        **_FORBID,
        json_schema_extra={
            "examples": [
                {
                    "description": "Sklisikre matter i korridoren",
                    "deadline": "2030-12-01",
                    "effectiveness_check": "Tell fall i korridoren neste kvartal",
                }
            ]
        },
    )

    description: InputText = PydanticField(
        min_length=3, max_length=5_000, title="Tiltak", description="Hva som skal gjøres"
    )
    owner_id: uuid.UUID | None = PydanticField(
        default=None, title="Ansvarlig", description="Den som skal gjøre det; du selv om tomt"
    )
    deadline: Day | None = PydanticField(default=None, title="Frist", description="Dato i Norge; i dag eller senere")
    effectiveness_check: InputText | None = PydanticField(
        default=None, max_length=2_000, title="Evaluering", description="Hvordan virkningen skal sjekkes"
    )


class MeasureChange(BaseModel):
    """What a handler may change on a measure that is not done: a new deadline is the usual one."""

    model_config = ConfigDict(**_FORBID, json_schema_extra={"examples": [{"deadline": "2030-12-15"}]})

    description: InputText | None = PydanticField(default=None, min_length=3, max_length=5_000, title="Tiltak")
    owner_id: uuid.UUID | None = PydanticField(default=None, title="Ansvarlig", description="Ny ansvarlig")
    deadline: Day | None = PydanticField(
        default=None, title="Frist", description="Ny frist (dato i Norge; i dag eller senere)"
    )
    effectiveness_check: InputText | None = PydanticField(default=None, max_length=2_000, title="Evaluering")

    _kept = refuse_null("description", "owner_id")

    @model_validator(mode="after")
    def something_changes(self) -> MeasureChange:
        if not self.model_fields_set:
            raise FieldRuleError(
                Text(nb="Oppgi minst ett felt som skal endres.", nn="Oppgje minst eitt felt som skal endrast.")
            )
        return self


class MeasureComplete(BaseModel):
    model_config = ConfigDict(**_FORBID, json_schema_extra={"examples": [{"effectiveness_result": "Ingen nye fall."}]})

    effectiveness_result: InputText | None = PydanticField(
        default=None, max_length=2_000, title="Resultat", description="Hva evalueringen viste"
    )


class ReceiptLookup(BaseModel):
    model_config = ConfigDict(**_FORBID, json_schema_extra={"examples": [{"receipt_code": "ABCD-EFGH-JKLM"}]})

    receipt_code: InputText = PydanticField(min_length=8, max_length=40, title="Kvitteringskode")


class ReceiptStatus(BaseModel):
    """What an anonymous reporter may know about their report: where it stands, nothing more."""

    status: DeviationStatus
    status_label: str
    reported_at: datetime
    closed_at: datetime | None
    conclusion: str | None


class AccessLogEntry(BaseModel):
    deviation_id: uuid.UUID
    deviation_title: str | None = PydanticField(description="Sakens tittel")
    reader_id: uuid.UUID
    reader_name: str | None
    at: datetime
    purpose: str = PydanticField(description="read (saken med de skjermede feltene) eller attachment:<vedleggets id>")


class AccessLogPage(Page[AccessLogEntry]):
    """Reads of the restricted part, newest first."""


class CategoryPublic(BaseModel):
    id: uuid.UUID
    area: str
    name: str
    active: bool


class AreaPublic(BaseModel):
    key: str
    name: str
    active: bool
    categories: list[CategoryPublic]


class AreaPage(Page[AreaPublic]):
    """The kommune's areas with their categories, in the kommune's order."""


class AreaCreate(BaseModel):
    model_config = ConfigDict(**_FORBID, json_schema_extra={"examples": [{"key": "a{unique}", "name": "Beredskap"}]})

    key: InputText = PydanticField(
        pattern=r"^[a-z][a-z0-9_]{1,39}$", title="Nøkkel", description="Små bokstaver, tall og _; fast når satt"
    )
    name: InputText = PydanticField(min_length=2, max_length=120, title="Navn")


class AreaUpdate(BaseModel):
    model_config = ConfigDict(**_FORBID, json_schema_extra={"examples": [{"name": "Beredskap og krise"}]})

    name: InputText | None = PydanticField(default=None, min_length=2, max_length=120, title="Navn")
    active: YesNo | None = PydanticField(default=None, title="I bruk")

    _kept = refuse_null("name", "active")


class CategoryCreate(BaseModel):
    model_config = ConfigDict(**_FORBID, json_schema_extra={"examples": [{"area": "hms", "name": "Kategori {unique}"}]})

    area: InputText = PydanticField(max_length=40, title="Fagområde")
    name: InputText = PydanticField(min_length=2, max_length=120, title="Navn")


class CategoryUpdate(BaseModel):
    model_config = ConfigDict(**_FORBID, json_schema_extra={"examples": [{"name": "Ny kategori", "active": True}]})

    name: InputText | None = PydanticField(default=None, min_length=2, max_length=120, title="Navn")
    active: YesNo | None = PydanticField(default=None, title="I bruk")

    _kept = refuse_null("name", "active")
