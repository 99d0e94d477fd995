"""Tables and API models of documents: folders, documents, their versions, attachments, history and reading.

Every input field has the label the form gives it (``title``), the one validation messages name it by; every
public model that carries an id of a person or a unit carries the name beside it, and every key a label in the
caller's målform."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, field_validator, model_validator
from pydantic import Field as PydanticField
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field, SQLModel

from varde_common.calendar import now_utc
from varde_common.inputs import InputText, WholeNumber, YesNo
from varde_common.language import Text
from varde_common.pages import Page
from varde_common.roles import Role
from varde_common.text import distinct_nonblank
from varde_common.text_search import HighlightPart
from varde_common.validation import FieldRuleError
from varde_documents.difference import DiffOp
from varde_documents.domain import (
    DEFAULT_READING_DAYS,
    DEFAULT_REVISION_MONTHS,
    DocumentAction,
    DocumentKind,
    DocumentStatus,
    HistoryAction,
    ReadingStatus,
    VersionStatus,
)

TZ = sa.DateTime(timezone=True)
_FORBID = ConfigDict(extra="forbid", str_strip_whitespace=True)


def now() -> datetime:
    return now_utc()


class Folder(SQLModel, table=True):
    """A folder (mappe) of the kommune's document archive; folders nest."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID
    parent_id: uuid.UUID | None = Field(default=None, foreign_key="folder.id")
    name: str
    created_at: datetime = Field(default_factory=now, sa_type=TZ)


class Document(SQLModel, table=True):
    """A document (prosedyre, retningslinje, skjema, plan, …) owned by a unit, approved at its approver unit's
    level, with a revision owner and a revision cycle."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID
    title: str  # the title of the newest version, for lists
    kind: str = DocumentKind.PROCEDURE
    owner_unit_id: uuid.UUID
    approver_unit_id: uuid.UUID  # the owning unit or a unit above it: its leader (or one above) approves
    folder_id: uuid.UUID | None = Field(default=None, foreign_key="folder.id")
    tags: list[str] = Field(default_factory=list, sa_type=ARRAY(sa.Text))
    law_references: list[str] = Field(default_factory=list, sa_type=ARRAY(sa.Text))
    revision_owner_id: uuid.UUID  # revisjonsansvarlig
    revision_interval_months: int = DEFAULT_REVISION_MONTHS
    reading_days: int = DEFAULT_READING_DAYS  # the audience has this long to read a version in force
    status: str = DocumentStatus.ACTIVE
    published_version_id: uuid.UUID | None = None
    revision_cycle_started: date | None = None  # a version was published, or confirmed still valid
    revision_due: date | None = None
    due_notified_for: date | None = None  # the due date ProcedureDueForRevision was raised for
    overdue_notified_for: date | None = None
    created_by: uuid.UUID
    created_at: datetime = Field(default_factory=now, sa_type=TZ)
    updated_at: datetime = Field(default_factory=now, sa_type=TZ)


class DocumentVersion(SQLModel, table=True):
    """One version of a document. Once published it never changes; editing makes a new draft."""

    __tablename__ = "document_version"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID
    document_id: uuid.UUID = Field(foreign_key="document.id")
    number: int
    title: str
    content: str  # Markdown
    change_summary: str | None = None
    significant: bool = True  # a significant version asks its readers to read again; a minor one does not
    status: str = VersionStatus.DRAFT
    author_id: uuid.UUID
    created_at: datetime = Field(default_factory=now, sa_type=TZ)
    updated_at: datetime = Field(default_factory=now, sa_type=TZ)
    submitted_at: datetime | None = Field(default=None, sa_type=TZ)
    decided_by: uuid.UUID | None = None
    decided_at: datetime | None = Field(default=None, sa_type=TZ)
    rejection_comment: str | None = None
    published_at: datetime | None = Field(default=None, sa_type=TZ)


class DocumentHistory(SQLModel, table=True):
    """One change of a document: who, when, what. Rows are never updated or deleted (a trigger refuses it)."""

    __tablename__ = "document_history"

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: uuid.UUID
    document_id: uuid.UUID = Field(foreign_key="document.id")
    version_id: uuid.UUID | None = None
    at: datetime = Field(default_factory=now, sa_type=TZ)
    actor_id: uuid.UUID | None = None  # NULL: the system (revision job)
    action: str
    details: dict[str, Any] = Field(default_factory=dict, sa_type=JSONB)


class DocumentAttachment(SQLModel, table=True):
    """A file attached to one version (a form, a flow chart). It is added to a draft and, like the version, never
    changes once published; a new draft starts with the attachments of the version it was copied from (the rows
    are copied, the bytes under ``storage_key`` are shared)."""

    __tablename__ = "document_attachment"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID
    document_id: uuid.UUID = Field(foreign_key="document.id")
    version_id: uuid.UUID = Field(foreign_key="document_version.id")
    filename: str
    content_type: str
    size: int
    sha256: str
    storage_key: str
    uploaded_by: uuid.UUID
    uploaded_at: datetime = Field(default_factory=now, sa_type=TZ)


class DocumentAudience(SQLModel, table=True):
    """Who must read the document's versions: a person; the people of a unit (with its subtree), optionally only
    those holding a role there; or a role across the kommune."""

    __tablename__ = "document_audience"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID
    document_id: uuid.UUID = Field(foreign_key="document.id")
    unit_id: uuid.UUID | None = None
    role: str | None = None
    person_id: uuid.UUID | None = None
    include_subtree: bool = True


class ReadingRequest(SQLModel, table=True):
    """One person asked to read one version (leseliste), and their confirmation (lesebekreftelse)."""

    __tablename__ = "reading_request"

    version_id: uuid.UUID = Field(foreign_key="document_version.id", primary_key=True)
    person_id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID
    document_id: uuid.UUID = Field(foreign_key="document.id")
    requested_at: datetime = Field(default_factory=now, sa_type=TZ)
    due_on: date
    confirmed_at: datetime | None = Field(default=None, sa_type=TZ)
    superseded_at: datetime | None = Field(default=None, sa_type=TZ)


# ---- API models: input -----------------------------------------------------------------------------------------


class DocumentCreate(BaseModel):
    """A new document with its first draft."""

    model_config = ConfigDict(
        **_FORBID,
        json_schema_extra={
            "examples": [
                {
                    "title": "Legemiddelhåndtering i sykehjem",
                    "kind": "prosedyre",
                    "owner_unit_id": "{unit_id}",
                    "content": "# Formål\nSikker håndtering av legemidler.\n\n## Ansvar\nAvdelingsleder.",
                    "tags": ["legemidler", "pasientsikkerhet"],
                    "law_references": ["Forskrift om legemiddelhåndtering § 4"],
                }
            ]
        },
    )

    title: InputText = PydanticField(min_length=3, max_length=300, title="Tittel")
    kind: DocumentKind = PydanticField(default=DocumentKind.PROCEDURE, title="Dokumenttype")
    owner_unit_id: uuid.UUID = PydanticField(title="Eierenhet")
    approver_unit_id: uuid.UUID | None = PydanticField(
        default=None,
        title="Godkjenningsenhet",
        description="Enheten hvis leder godkjenner: eierenheten eller en enhet over; eierenheten om tomt",
    )
    folder_id: uuid.UUID | None = PydanticField(default=None, title="Mappe")
    tags: list[InputText] = PydanticField(default_factory=list, max_length=30, title="Stikkord")
    law_references: list[InputText] = PydanticField(default_factory=list, max_length=30, title="Lovhenvisninger")
    revision_owner_id: uuid.UUID | None = PydanticField(
        default=None, title="Revisjonsansvarlig", description="Revisjonsansvarlig; du selv om tomt"
    )
    revision_interval_months: WholeNumber = PydanticField(
        default=DEFAULT_REVISION_MONTHS, ge=1, le=60, title="Revisjonsintervall (måneder)"
    )
    content: InputText = PydanticField(default="", max_length=500_000, title="Innhold", description="Markdown")
    change_summary: InputText | None = PydanticField(default=None, max_length=2_000, title="Endringsbeskrivelse")

    _lists = field_validator("tags", "law_references")(distinct_nonblank)


class DocumentChange(BaseModel):
    """What may change on the document itself (not its content: that is a new version)."""

    model_config = ConfigDict(**_FORBID, json_schema_extra={"examples": [{"tags": ["hms"]}]})

    folder_id: uuid.UUID | None = PydanticField(default=None, title="Mappe")
    tags: list[InputText] | None = PydanticField(default=None, max_length=30, title="Stikkord")
    law_references: list[InputText] | None = PydanticField(default=None, max_length=30, title="Lovhenvisninger")
    revision_owner_id: uuid.UUID | None = PydanticField(default=None, title="Revisjonsansvarlig")
    revision_interval_months: WholeNumber | None = PydanticField(
        default=None, ge=1, le=60, title="Revisjonsintervall (måneder)"
    )
    approver_unit_id: uuid.UUID | None = PydanticField(default=None, title="Godkjenningsenhet")


class DraftCreate(BaseModel):
    """A new draft of a document, from its published version unless content is given."""

    model_config = ConfigDict(**_FORBID, json_schema_extra={"examples": [{"significant": False}]})

    title: InputText | None = PydanticField(default=None, min_length=3, max_length=300, title="Tittel")
    content: InputText | None = PydanticField(default=None, max_length=500_000, title="Innhold")
    change_summary: InputText | None = PydanticField(default=None, max_length=2_000, title="Endringsbeskrivelse")
    significant: YesNo = PydanticField(
        default=True, title="Vesentlig endring", description="En vesentlig endring ber alle lese på nytt"
    )


class DraftEdit(BaseModel):
    model_config = ConfigDict(
        **_FORBID,
        json_schema_extra={"examples": [{"content": "# Formål\nOppdatert tekst.", "change_summary": "Nytt avsnitt"}]},
    )

    title: InputText | None = PydanticField(default=None, min_length=3, max_length=300, title="Tittel")
    content: InputText | None = PydanticField(default=None, max_length=500_000, title="Innhold")
    change_summary: InputText | None = PydanticField(default=None, max_length=2_000, title="Endringsbeskrivelse")
    significant: YesNo | None = PydanticField(default=None, title="Vesentlig endring")


class StillValid(BaseModel):
    model_config = ConfigDict(**_FORBID, json_schema_extra={"examples": [{"comment": "Gjennomgått, ingen endringer."}]})

    comment: InputText | None = PydanticField(default=None, max_length=2_000, title="Kommentar")


class VersionRejection(BaseModel):
    model_config = ConfigDict(**_FORBID, json_schema_extra={"examples": [{"comment": "Mangler ansvarsfordeling."}]})

    comment: InputText = PydanticField(min_length=3, max_length=5_000, title="Begrunnelse")


class MarkdownPreviewRequest(BaseModel):
    """Text to render as a reader would see it, before it is saved: the editor's preview."""

    model_config = ConfigDict(**_FORBID, json_schema_extra={"examples": [{"content": "# Formål\nSikker håndtering."}]})

    content: InputText = PydanticField(max_length=500_000, title="Innhold", description="Markdown")


class FolderCreate(BaseModel):
    model_config = ConfigDict(**_FORBID, json_schema_extra={"examples": [{"name": "Helse og omsorg"}]})

    name: InputText = PydanticField(min_length=1, max_length=200, title="Navn")
    parent_id: uuid.UUID | None = PydanticField(default=None, title="Overordnet mappe")


class AudienceEntry(BaseModel):
    """One line of a document's audience: ``person_id`` alone; or ``unit_id`` (with ``include_subtree``) and
    optionally ``role``; or ``role`` alone for the whole kommune."""

    model_config = ConfigDict(**_FORBID, json_schema_extra={"examples": [{"unit_id": "{unit_id}"}]})

    unit_id: uuid.UUID | None = PydanticField(default=None, title="Enhet")
    role: Role | None = PydanticField(default=None, title="Rolle")
    person_id: uuid.UUID | None = PydanticField(default=None, title="Person")
    include_subtree: YesNo = PydanticField(default=True, title="Med enhetene under")

    @model_validator(mode="after")
    def one_kind(self) -> AudienceEntry:
        if self.person_id is not None and (self.unit_id is not None or self.role is not None):
            raise FieldRuleError(
                Text(
                    nb="En person står alene på linjen; enhet og rolle hører til en annen linje.",
                    nn="Ein person står åleine på linja; eining og rolle høyrer til ei anna linje.",
                )
            )
        if self.person_id is None and self.unit_id is None and self.role is None:
            raise FieldRuleError(
                Text(nb="Oppgi en enhet, en rolle eller en person.", nn="Oppgje ei eining, ei rolle eller ein person.")
            )
        return self


class Audience(BaseModel):
    model_config = ConfigDict(
        **_FORBID, json_schema_extra={"examples": [{"entries": [{"unit_id": "{unit_id}"}], "reading_days": 14}]}
    )

    entries: list[AudienceEntry] = PydanticField(max_length=200, title="Hvem som skal lese")
    reading_days: WholeNumber | None = PydanticField(
        default=None, ge=1, le=365, title="Lesefrist (dager)", description="Frist for å lese, i dager"
    )


# ---- API models: output ----------------------------------------------------------------------------------------


class VersionSummary(BaseModel):
    id: uuid.UUID
    number: int
    title: str
    status: VersionStatus
    status_label: str
    significant: bool
    author_id: uuid.UUID
    author_name: str | None
    created_at: datetime
    submitted_at: datetime | None
    decided_by: uuid.UUID | None
    decided_by_name: str | None
    decided_at: datetime | None
    rejection_comment: str | None
    published_at: datetime | None
    change_summary: str | None


class VersionAttachmentPublic(BaseModel):
    id: uuid.UUID
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class VersionPublic(VersionSummary):
    document_id: uuid.UUID
    content: str
    html: str  # rendered safely: no script or raw HTML from the author reaches a reader
    attachments: list[VersionAttachmentPublic]


class MyReading(BaseModel):
    """The reader's own reading request on the version shown (leseliste), and whether they have confirmed it."""

    due_on: date = PydanticField(description="Lesefrist (norsk dato)")
    confirmed_at: datetime | None = PydanticField(description="Når du bekreftet «lest og forstått»")


class DocumentPublic(BaseModel):
    id: uuid.UUID
    title: str
    kind: DocumentKind
    kind_label: str
    status: DocumentStatus
    status_label: str
    owner_unit_id: uuid.UUID
    owner_unit_name: str | None
    approver_unit_id: uuid.UUID
    approver_unit_name: str | None
    folder_id: uuid.UUID | None
    tags: list[str]
    law_references: list[str]
    revision_owner_id: uuid.UUID
    revision_owner_name: str | None
    revision_interval_months: int
    revision_due: date | None = PydanticField(description="Revisjonsdato (norsk dato)")
    published: VersionPublic | None
    versions: list[VersionSummary]
    allowed_actions: list[DocumentAction] = PydanticField(description="Det du kan gjøre med dokumentet nå")
    my_reading: MyReading | None = PydanticField(
        default=None, description="Din leseoppgave på versjonen som vises; tom når du ikke er bedt om å lese den"
    )


class DocumentLine(BaseModel):
    """A document in a list: enough to pick it."""

    id: uuid.UUID
    title: str
    kind: DocumentKind
    kind_label: str
    status: DocumentStatus
    owner_unit_id: uuid.UUID
    owner_unit_name: str | None
    folder_id: uuid.UUID | None
    tags: list[str]
    in_force: bool = PydanticField(description="Har en gjeldende (godkjent) versjon")
    revision_due: date | None


class DocumentPage(Page[DocumentLine]):
    pass


class MarkdownPreview(BaseModel):
    html: str = PydanticField(
        description="Innholdet gjengitt trygt, slik leseren ser det: uten rå HTML fra forfatteren"
    )


class VersionLine(BaseModel):
    """One version of a document in a list: enough to name it and open it."""

    document_id: uuid.UUID
    version_id: uuid.UUID
    version_number: int
    title: str
    kind: DocumentKind
    kind_label: str
    owner_unit_id: uuid.UUID
    owner_unit_name: str | None


class ApprovalItem(VersionLine):
    """A version waiting for the caller's decision: submitted, in a unit they approve for, written by someone else."""

    approver_unit_id: uuid.UUID
    approver_unit_name: str | None
    author_id: uuid.UUID
    author_name: str | None
    submitted_at: datetime
    change_summary: str | None
    significant: bool
    replaces_version: bool = PydanticField(description="Dokumentet har en gjeldende versjon som denne skal erstatte")


class ApprovalPage(Page[ApprovalItem]):
    pass


class DiffLinePublic(BaseModel):
    op: DiffOp
    text: str
    old_line: int | None
    new_line: int | None


class VersionDiff(BaseModel):
    document_id: uuid.UUID
    old_version: int
    new_version: int
    title_changed: bool
    lines: list[DiffLinePublic]
    attachments_added: list[str] = PydanticField(description="Filnavn på vedlegg som er nye i den nye versjonen")
    attachments_removed: list[str] = PydanticField(description="Filnavn på vedlegg som er fjernet")


class DocumentHistoryEntry(BaseModel):
    at: datetime
    actor_id: uuid.UUID | None = PydanticField(description="Tom: systemet (revisjonsvarsler)")
    actor_name: str | None
    action: HistoryAction
    action_label: str
    version_id: uuid.UUID | None
    details: dict[str, Any] = PydanticField(
        description="Detaljer om steget; en person-id (approver_id, leader_id) har navnet ved siden av (…_name)"
    )


class HistoryPage(Page[DocumentHistoryEntry]):
    pass


class FolderPublic(BaseModel):
    id: uuid.UUID
    name: str
    parent_id: uuid.UUID | None


class FolderPage(Page[FolderPublic]):
    pass


class AudienceLine(BaseModel):
    """One line of the audience as a reader sees it: the names and labels beside the ids and keys."""

    unit_id: uuid.UUID | None
    unit_name: str | None
    role: Role | None
    role_label: str | None
    person_id: uuid.UUID | None
    person_name: str | None
    include_subtree: bool


class AudiencePublic(BaseModel):
    entries: list[AudienceLine]
    reading_days: int
    requested_now: int = PydanticField(description="Nye lesebekreftelser som ble bedt om nå (nye i målgruppen)")


class ReadingListItem(BaseModel):
    document_id: uuid.UUID
    version_id: uuid.UUID
    version_number: int
    title: str
    requested_at: datetime
    due_on: date = PydanticField(description="Siste dag å lese (norsk dato)")
    confirmed_at: datetime | None
    overdue: bool = PydanticField(description="Ikke bekreftet, og fristen er passert")


class ReadingListPage(Page[ReadingListItem]):
    pass


class SearchHit(VersionLine):
    snippet: str = PydanticField(description="Utdrag med treffordene; ren tekst")
    title_highlight: list[HighlightPart] = PydanticField(description="Tittelen i deler med treffordene markert")
    highlight: list[HighlightPart] = PydanticField(description="Utdraget i deler med treffordene markert")
    reading: ReadingStatus | None = PydanticField(description="Din lesestatus; null når du ikke er bedt om å lese den")
    reading_label: str | None
    due_on: date | None
    confirmed_at: datetime | None


class SearchPage(Page[SearchHit]):
    pass


class UnitCoverage(BaseModel):
    unit_id: uuid.UUID
    unit_name: str | None
    requested: int
    confirmed: int


class Reader(BaseModel):
    person_id: uuid.UUID
    name: str | None


class ReaderPage(Page[Reader]):
    pass


class Coverage(BaseModel):
    """How far a version in force has been read: per unit where the readers hold their roles, and who has not."""

    document_id: uuid.UUID
    version_id: uuid.UUID | None
    version_number: int | None
    requested: int
    confirmed: int
    units: list[UnitCoverage]
    not_read: ReaderPage = PydanticField(description="De som ikke har bekreftet, etter navn; en side (limit, cursor)")


class DocumentCoverageLine(BaseModel):
    document_id: uuid.UUID
    title: str
    version_number: int
    requested: int
    confirmed: int
    overdue: int = PydanticField(description="Ikke bekreftet, og fristen er passert")


class DocumentCoveragePage(Page[DocumentCoverageLine]):
    pass


class CoverageOverview(BaseModel):
    """A unit's (and its subtree's) reading of every document in force it is asked to read, the least read first."""

    unit_id: uuid.UUID
    unit_name: str | None
    requested: int
    confirmed: int
    overdue: int
    documents_in_scope: int
    documents: DocumentCoveragePage = PydanticField(
        description="Dokumentene, minst lest først; en side (limit, cursor)"
    )
