"""What a notification says: the catalogue of texts in bokmål and nynorsk, and the facts each one is told with.
No I/O.

A notification is stored as a catalogue key and its facts (``Said``), never as finished text, and is put into
words when a person reads it, in the målform they ask for. The facts are language-neutral strings (names,
numbers, dates written the Norwegian way, which bokmål and nynorsk share), so either form can be rendered from
them at any later time. A key once stored is never removed or given other placeholders; a new wording is a new
key, or the same key with the same facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from varde_common.calendar import OSLO, utc
from varde_common.language import Language, Text


class NotificationKind(StrEnum):
    """What the notification is about, for clients to sort and show it by (stable, part of the API)."""

    DEVIATION_TO_HANDLE = "deviation.to_handle"
    DEVIATION_CLOSED = "deviation.closed"
    DEVIATION_REJECTED = "deviation.rejected"
    MEASURE_ASSIGNED = "measure.assigned"
    MEASURE_OVERDUE = "measure.overdue"
    DOCUMENT_TO_APPROVE = "document.to_approve"
    DOCUMENT_REJECTED = "document.rejected"
    DOCUMENT_APPROVED = "document.approved"
    DOCUMENT_TO_READ = "document.to_read"
    DOCUMENT_REVISION_DUE = "document.revision_due"
    DOCUMENT_REVISION_OVERDUE = "document.revision_overdue"
    RISK_ASSESSMENT_OWNED = "risk.assessment_owned"
    RISK_ASSESSMENT_TO_APPROVE = "risk.to_approve"
    RISK_ASSESSMENT_APPROVED = "risk.approved"
    RISK_ASSESSMENT_ARCHIVED = "risk.archived"
    RISK_REVIEW_DUE = "risk.review_due"
    RISK_REVIEW_OVERDUE = "risk.review_overdue"
    RISK_ABOVE_ACCEPTANCE = "risk.above_acceptance"
    RISK_MEASURE_ASSIGNED = "risk.measure_assigned"
    RISK_MEASURE_COMPLETED = "risk.measure_completed"
    RISK_MEASURE_OVERDUE = "risk.measure_overdue"


class ToHandle(StrEnum):
    """The texts of ``deviation.to_handle``, by why the case came to the person."""

    REPORTED = "deviation.to_handle.reported"
    FORWARDED = "deviation.to_handle.forwarded"
    ESCALATED_BY_LEADER = "deviation.to_handle.escalated_by_leader"
    ESCALATED_NOT_TAKEN_IN_TIME = "deviation.to_handle.escalated_not_taken_in_time"
    REOPENED = "deviation.to_handle.reopened"


# Notifications stored before the catalogue: their bokmål title and body, shown as they were.
STORED = "stored"


@dataclass(frozen=True)
class Message:
    title: Text
    body: Text


@dataclass(frozen=True)
class Said:
    """What one notification tells: its kind, its text and the facts the text is told with. The text is the
    kind's own unless the kind has several (``ToHandle``). A ``deadline`` fact adds "Frist: …"."""

    kind: NotificationKind
    facts: Mapping[str, str] = field(default_factory=dict)
    text: ToHandle | None = None

    @property
    def key(self) -> str:
        return self.text.value if self.text is not None else self.kind.value


def _both(nb: str, nn: str) -> Text:
    return Text(nb=nb, nn=nn)


CATALOGUE: dict[str, Message] = {
    ToHandle.REPORTED: Message(
        _both("Nytt avvik å behandle", "Nytt avvik å handsame"),
        _both(
            "Et nytt avvik er meldt i {unit_name}. Du skal ta det til behandling.",
            "Eit nytt avvik er meldt i {unit_name}. Du skal ta det til handsaming.",
        ),
    ),
    ToHandle.FORWARDED: Message(
        _both("Avvik videresendt til deg", "Avvik vidaresendt til deg"),
        _both(
            "Et avvik er videresendt til {unit_name}. Du skal ta det til behandling.",
            "Eit avvik er vidaresendt til {unit_name}. Du skal ta det til handsaming.",
        ),
    ),
    ToHandle.ESCALATED_BY_LEADER: Message(
        _both("Avvik løftet til deg", "Avvik løfta til deg"),
        _both(
            "En leder har løftet et avvik til {unit_name}. Du skal behandle det.",
            "Ein leiar har løfta eit avvik til {unit_name}. Du skal handsame det.",
        ),
    ),
    ToHandle.ESCALATED_NOT_TAKEN_IN_TIME: Message(
        _both("Avvik løftet til deg", "Avvik løfta til deg"),
        _both(
            "Et avvik ble ikke tatt til behandling i tide og er løftet til {unit_name}. Du skal behandle det.",
            "Eit avvik vart ikkje teke til handsaming i tide og er løfta til {unit_name}. Du skal handsame det.",
        ),
    ),
    ToHandle.REOPENED: Message(
        _both("Avvik gjenåpnet", "Avvik opna att"),
        _both(
            "Et avvik i {unit_name} er åpnet igjen. Du skal ta det til behandling.",
            "Eit avvik i {unit_name} er opna att. Du skal ta det til handsaming.",
        ),
    ),
    NotificationKind.DEVIATION_CLOSED: Message(
        _both("Avviket ditt er lukket", "Avviket ditt er lukka"),
        _both(
            "Avviket du meldte, er behandlet og lukket. Se konklusjonen i saken.",
            "Avviket du melde, er handsama og lukka. Sjå konklusjonen i saka.",
        ),
    ),
    NotificationKind.DEVIATION_REJECTED: Message(
        _both("Avviket ditt er avvist", "Avviket ditt er avvist"),
        _both(
            "Avviket du meldte, er avvist. Se begrunnelsen i saken.",
            "Avviket du melde, er avvist. Sjå grunngjevinga i saka.",
        ),
    ),
    NotificationKind.MEASURE_ASSIGNED: Message(
        _both("Nytt tiltak til deg", "Nytt tiltak til deg"),
        _both("Du er ansvarlig for et tiltak i et avvik.", "Du er ansvarleg for eit tiltak i eit avvik."),
    ),
    NotificationKind.MEASURE_OVERDUE: Message(
        _both("Tiltak har passert fristen", "Tiltak har passert fristen"),
        _both("Et tiltak du er ansvarlig for, er ikke utført.", "Eit tiltak du er ansvarleg for, er ikkje utført."),
    ),
    NotificationKind.DOCUMENT_TO_APPROVE: Message(
        _both("Dokument til godkjenning", "Dokument til godkjenning"),
        _both(
            "Versjon {version} av et dokument venter på din godkjenning.",
            "Versjon {version} av eit dokument ventar på godkjenninga di.",
        ),
    ),
    NotificationKind.DOCUMENT_REJECTED: Message(
        _both("Utkastet ditt er sendt tilbake", "Utkastet ditt er sendt tilbake"),
        _both(
            "Versjon {version} ble ikke godkjent. Se kommentaren i dokumentet.",
            "Versjon {version} vart ikkje godkjent. Sjå kommentaren i dokumentet.",
        ),
    ),
    NotificationKind.DOCUMENT_APPROVED: Message(
        _both("Utkastet ditt er godkjent", "Utkastet ditt er godkjent"),
        _both("Versjon {version} er godkjent og gjelder nå.", "Versjon {version} er godkjent og gjeld no."),
    ),
    NotificationKind.DOCUMENT_TO_READ: Message(
        _both("Nytt på leselisten din", "Nytt på leselista di"),
        _both(
            "Les dokumentet og bekreft at du har lest og forstått det.",
            "Les dokumentet og stadfest at du har lese og forstått det.",
        ),
    ),
    NotificationKind.DOCUMENT_REVISION_DUE: Message(
        _both("Dokument skal revideres", "Dokument skal reviderast"),
        _both(
            "Du er revisjonsansvarlig for et dokument. Revider det eller bekreft at det fortsatt gjelder.",
            "Du er revisjonsansvarleg for eit dokument. Revider det eller stadfest at det framleis gjeld.",
        ),
    ),
    NotificationKind.DOCUMENT_REVISION_OVERDUE: Message(
        _both("Revisjonen er forsinket", "Revisjonen er forseinka"),
        _both(
            "Et dokument har passert revisjonsdatoen og må revideres.",
            "Eit dokument har passert revisjonsdatoen og må reviderast.",
        ),
    ),
    NotificationKind.RISK_ASSESSMENT_OWNED: Message(
        _both("Du er eier av en ROS-analyse", "Du er eigar av ein ROS-analyse"),
        _both(
            "Du er satt opp som eier av en ROS-analyse. Fullfør den og send den til godkjenning.",
            "Du er sett opp som eigar av ein ROS-analyse. Fullfør han og send han til godkjenning.",
        ),
    ),
    NotificationKind.RISK_ASSESSMENT_TO_APPROVE: Message(
        _both("ROS-analyse til godkjenning", "ROS-analyse til godkjenning"),
        _both(
            "En ROS-analyse i enheten din venter på din godkjenning.",
            "Ein ROS-analyse i eininga di ventar på godkjenninga di.",
        ),
    ),
    NotificationKind.RISK_ASSESSMENT_APPROVED: Message(
        _both("ROS-analysen din er godkjent", "ROS-analysen din er godkjent"),
        _both(
            "ROS-analysen er godkjent og gjelder nå. Neste revisjon: {review_due}.",
            "ROS-analysen er godkjent og gjeld no. Neste revisjon: {review_due}.",
        ),
    ),
    NotificationKind.RISK_ASSESSMENT_ARCHIVED: Message(
        _both("ROS-analysen din er arkivert", "ROS-analysen din er arkivert"),
        _both(
            "En ROS-analyse du eier, er arkivert av en leder.",
            "Ein ROS-analyse du eig, er arkivert av ein leiar.",
        ),
    ),
    NotificationKind.RISK_REVIEW_DUE: Message(
        _both("ROS-analyse skal revideres", "ROS-analyse skal reviderast"),
        _both(
            "En ROS-analyse du eier, skal revideres og godkjennes på nytt.",
            "Ein ROS-analyse du eig, skal reviderast og godkjennast på nytt.",
        ),
    ),
    NotificationKind.RISK_REVIEW_OVERDUE: Message(
        _both("Revisjonen av ROS-analysen er forsinket", "Revisjonen av ROS-analysen er forseinka"),
        _both(
            "En ROS-analyse har passert revisjonsdatoen og må revideres.",
            "Ein ROS-analyse har passert revisjonsdatoen og må reviderast.",
        ),
    ),
    NotificationKind.RISK_ABOVE_ACCEPTANCE: Message(
        _both("Risiko over akseptgrensen", "Risiko over akseptgrensa"),
        _both(
            "En risiko er vurdert til sannsynlighet {probability} og konsekvens {consequence}, over kommunens "
            "akseptgrense. Sett i verk tiltak som får risikoen ned.",
            "Ein risiko er vurdert til sannsyn {probability} og konsekvens {consequence}, over akseptgrensa til "
            "kommunen. Set i verk tiltak som får risikoen ned.",
        ),
    ),
    NotificationKind.RISK_MEASURE_ASSIGNED: Message(
        _both("Nytt risikotiltak til deg", "Nytt risikotiltak til deg"),
        _both(
            "Du er ansvarlig for et tiltak i en ROS-analyse.",
            "Du er ansvarleg for eit tiltak i ein ROS-analyse.",
        ),
    ),
    NotificationKind.RISK_MEASURE_COMPLETED: Message(
        _both("Tiltak utført", "Tiltak utført"),
        _both(
            "Et tiltak i en ROS-analyse du eier, er utført. Vurder risikoen på nytt.",
            "Eit tiltak i ein ROS-analyse du eig, er utført. Vurder risikoen på nytt.",
        ),
    ),
    NotificationKind.RISK_MEASURE_OVERDUE: Message(
        _both("Risikotiltak har passert fristen", "Risikotiltak har passert fristen"),
        _both(
            "Et tiltak i en ROS-analyse er ikke utført.",
            "Eit tiltak i ein ROS-analyse er ikkje utført.",
        ),
    ),
    STORED: Message(_both("{title}", "{title}"), _both("{body}", "{body}")),
}

DEADLINE = _both("Frist: {deadline}.", "Frist: {deadline}.")

# A key this version does not know (a row written by a newer replica during a rolling update) still shows.
UNKNOWN = Message(
    _both("Nytt varsel", "Nytt varsel"),
    _both(
        "Du har et nytt varsel. Åpne saken for å se hva det gjelder.",
        "Du har eit nytt varsel. Opne saka for å sjå kva det gjeld.",
    ),
)


def render(key: str, facts: Mapping[str, str], language: Language) -> tuple[str, str]:
    """The title and body of a stored notification in ``language``."""
    message = CATALOGUE.get(key, UNKNOWN)
    body = message.body.render(language, **facts)
    if "deadline" in facts:
        body += " " + DEADLINE.render(language, deadline=facts["deadline"])
    return message.title.render(language, **facts), body


# -- facts as a person reads them -------------------------------------------------------------------------------


def day_text(day: date) -> str:
    """A calendar date the Norwegian way: 01.04.2026."""
    return f"{day:%d.%m.%Y}"


def oslo_time_text(instant: datetime) -> str:
    """An instant as the date and time on a clock in Norway: 23:30 UTC on 31 March 2026 is 01.04.2026 kl. 01.30."""
    local = utc(instant).astimezone(OSLO)
    return f"{local:%d.%m.%Y} kl. {local:%H.%M}"


def with_deadline(kind: NotificationKind, deadline: date | None) -> Said:
    return Said(kind, {"deadline": day_text(deadline)} if deadline else {})


def assigned(reason: str, *, automatic: bool, unit_name: str, acknowledge_due_at: datetime | None) -> Said:
    """An avvik given to a person to take into treatment, by why it came to them: a leader's escalation and the
    deadline job's say different things, the job's that nobody took it in time."""
    if reason == "forwarded":
        text = ToHandle.FORWARDED
    elif reason == "escalated":
        text = ToHandle.ESCALATED_NOT_TAKEN_IN_TIME if automatic else ToHandle.ESCALATED_BY_LEADER
    elif reason == "reopened":
        text = ToHandle.REOPENED
    else:
        text = ToHandle.REPORTED
    facts = {"unit_name": unit_name}
    if acknowledge_due_at is not None:
        facts["deadline"] = oslo_time_text(acknowledge_due_at)
    return Said(NotificationKind.DEVIATION_TO_HANDLE, facts, text)
