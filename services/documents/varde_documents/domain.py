"""Documents (dokumenter): kinds, the version workflow as a table, revision cycles and reading deadlines in
Norwegian time, the labels a person reads beside each key and safe Markdown (the difference between versions is
``difference.py``). No I/O here."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from markdown_it import MarkdownIt

from varde_common.calendar import add_months as add_months  # re-exported for the revision cycle's callers
from varde_common.calendar import oslo_date
from varde_common.language import Text


class DocumentKind(StrEnum):
    """The kinds of document; the events name the same (``varde_common.events.documents.DocumentKindName``)."""

    PROCEDURE = "prosedyre"
    GUIDELINE = "retningslinje"
    FORM = "skjema"
    PLAN = "plan"
    INSTRUCTION = "instruks"
    OTHER = "annet"


class DocumentStatus(StrEnum):
    ACTIVE = "active"
    ARCHIVED = "archived"  # arkivert: no longer in force, kept for the record


class VersionStatus(StrEnum):
    DRAFT = "draft"  # utkast
    SUBMITTED = "submitted"  # sendt til godkjenning
    PUBLISHED = "published"  # godkjent og gjeldende
    SUPERSEDED = "superseded"  # erstattet av en nyere versjon
    ARCHIVED = "archived"  # dokumentet er arkivert


class VersionAction(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    WITHDRAW = "withdraw"  # the author takes a submitted draft back
    APPROVE = "approve"
    REJECT = "reject"  # back to the author, with a comment


_D, _S, _P = VersionStatus.DRAFT, VersionStatus.SUBMITTED, VersionStatus.PUBLISHED

VERSION_TRANSITIONS: dict[tuple[VersionStatus, VersionAction], VersionStatus] = {
    (_D, VersionAction.EDIT): _D,
    (_D, VersionAction.SUBMIT): _S,
    (_S, VersionAction.WITHDRAW): _D,
    (_S, VersionAction.APPROVE): _P,
    (_S, VersionAction.REJECT): _D,
}
"""(from, action) → to. A published version never changes: editing a document makes a new draft. Publishing a
version supersedes the one before it; archiving the document archives its published version."""


class DocumentAction(StrEnum):
    """What a person may do with a document now (``allowed_actions``)."""

    NEW_DRAFT = "new_draft"
    CHANGE = "change"
    EDIT = "edit"
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    APPROVE = "approve"
    REJECT = "reject"
    ARCHIVE = "archive"
    CONFIRM_VALID = "confirm_valid"


class HistoryAction(StrEnum):
    """The steps a document's history records."""

    CREATED = "created"
    CHANGED = "changed"
    DRAFT_CREATED = "draft_created"
    DRAFT_EDITED = "draft_edited"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    APPROVED = "approved"
    REJECTED = "rejected"
    ARCHIVED = "archived"
    CONFIRMED_VALID = "confirmed_valid"
    AUDIENCE_SET = "audience_set"
    ATTACHMENT_ADDED = "attachment_added"
    ATTACHMENT_REMOVED = "attachment_removed"
    DUE_FOR_REVISION = "due_for_revision"
    REVISION_OVERDUE = "revision_overdue"


class ReadingStatus(StrEnum):
    """The reader's own status for a version in force (in a search hit)."""

    TO_READ = "to_read"
    CONFIRMED = "confirmed"


# ---- what a person reads beside the keys, in bokmål and nynorsk ------------------------------------------------

VERSION_STATUS_LABELS: dict[VersionStatus, Text] = {
    VersionStatus.DRAFT: Text(nb="Utkast", nn="Utkast"),
    VersionStatus.SUBMITTED: Text(nb="Til godkjenning", nn="Til godkjenning"),
    VersionStatus.PUBLISHED: Text(nb="Gjeldende", nn="Gjeldande"),
    VersionStatus.SUPERSEDED: Text(nb="Erstattet", nn="Erstatta"),
    VersionStatus.ARCHIVED: Text(nb="Arkivert", nn="Arkivert"),
}

DOCUMENT_STATUS_LABELS: dict[DocumentStatus, Text] = {
    DocumentStatus.ACTIVE: Text(nb="Aktiv", nn="Aktiv"),
    DocumentStatus.ARCHIVED: Text(nb="Arkivert", nn="Arkivert"),
}

KIND_LABELS: dict[DocumentKind, Text] = {
    DocumentKind.PROCEDURE: Text(nb="Prosedyre", nn="Prosedyre"),
    DocumentKind.GUIDELINE: Text(nb="Retningslinje", nn="Retningsline"),
    DocumentKind.FORM: Text(nb="Skjema", nn="Skjema"),
    DocumentKind.PLAN: Text(nb="Plan", nn="Plan"),
    DocumentKind.INSTRUCTION: Text(nb="Instruks", nn="Instruks"),
    DocumentKind.OTHER: Text(nb="Annet", nn="Anna"),
}

HISTORY_ACTION_LABELS: dict[HistoryAction, Text] = {
    HistoryAction.CREATED: Text(nb="Opprettet", nn="Oppretta"),
    HistoryAction.CHANGED: Text(nb="Opplysninger endret", nn="Opplysningar endra"),
    HistoryAction.DRAFT_CREATED: Text(nb="Nytt utkast", nn="Nytt utkast"),
    HistoryAction.DRAFT_EDITED: Text(nb="Utkast redigert", nn="Utkast redigert"),
    HistoryAction.SUBMITTED: Text(nb="Sendt til godkjenning", nn="Sendt til godkjenning"),
    HistoryAction.WITHDRAWN: Text(nb="Trukket tilbake fra godkjenning", nn="Trekt tilbake frå godkjenning"),
    HistoryAction.APPROVED: Text(nb="Godkjent og publisert", nn="Godkjent og publisert"),
    HistoryAction.REJECTED: Text(nb="Sendt tilbake til forfatteren", nn="Sendt tilbake til forfattaren"),
    HistoryAction.ARCHIVED: Text(nb="Arkivert", nn="Arkivert"),
    HistoryAction.CONFIRMED_VALID: Text(nb="Bekreftet at det fortsatt gjelder", nn="Stadfesta at det framleis gjeld"),
    HistoryAction.AUDIENCE_SET: Text(nb="Hvem som skal lese, er endret", nn="Kven som skal lese, er endra"),
    HistoryAction.ATTACHMENT_ADDED: Text(nb="Vedlegg lagt til", nn="Vedlegg lagt til"),
    HistoryAction.ATTACHMENT_REMOVED: Text(nb="Vedlegg fjernet", nn="Vedlegg fjerna"),
    HistoryAction.DUE_FOR_REVISION: Text(
        nb="Revisjonsansvarlig varslet om revisjon", nn="Revisjonsansvarleg varsla om revisjon"
    ),
    HistoryAction.REVISION_OVERDUE: Text(nb="Revisjonsdatoen er passert", nn="Revisjonsdatoen er passert"),
}

READING_STATUS_LABELS: dict[ReadingStatus, Text] = {
    ReadingStatus.TO_READ: Text(nb="Skal leses", nn="Skal lesast"),
    ReadingStatus.CONFIRMED: Text(nb="Lest og forstått", nn="Lese og forstått"),
}

DEFAULT_REVISION_MONTHS = 12
DEFAULT_READING_DAYS = 14


class IllegalVersionTransitionError(ValueError):
    def __init__(self, status: VersionStatus, action: VersionAction) -> None:
        super().__init__(f"{action.value} is not allowed from {status.value}")
        self.status = status
        self.action = action


def next_version_status(status: VersionStatus, action: VersionAction) -> VersionStatus:
    try:
        return VERSION_TRANSITIONS[(status, action)]
    except KeyError:
        raise IllegalVersionTransitionError(status, action) from None


def revision_due(cycle_started: date, interval_months: int) -> date:
    """When a document must be revised again: a cycle starts when a version is published or the revision owner
    confirms that it is still valid."""
    return add_months(cycle_started, interval_months)


def reading_due(asked_at: datetime, reading_days: int) -> date:
    """The last day to read a version asked for at ``asked_at``: counted from the day in Norway, so a version
    published at 00:30 on 1 April in Oslo (22:30 UTC on 31 March) is due 14 days after 1 April."""
    return oslo_date(asked_at) + timedelta(days=reading_days)


def overdue(due_on: date, confirmed: bool, today: date) -> bool:
    """Past its last day (``today`` is the Oslo date) and not confirmed."""
    return not confirmed and due_on < today


# CommonMark without raw HTML: a tag in the text is shown as text, never run. Links and images keep only safe
# schemes (markdown-it refuses javascript:, vbscript:, file: and data: other than images by default).
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def render_markdown(text: str) -> str:
    """HTML for a reader: no script, no event handler and no raw HTML from the author can reach it."""
    html: str = _MARKDOWN.render(text)
    return html
