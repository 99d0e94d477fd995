"""Deviation (avvik) rules without I/O: kinds and statuses with their labels, the workflow table, deadlines in
Norwegian time, the default catalogue, receipt codes and text checks."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from varde_common.calendar import OSLO, utc
from varde_common.events.deviations import DeviationKind, DeviationStatus
from varde_common.language import Text

__all__ = ["DeviationKind", "DeviationStatus"]  # the values are the event contract's; defined with the events

KIND_LABELS: dict[DeviationKind, Text] = {
    DeviationKind.DEVIATION: Text(nb="Avvik", nn="Avvik"),
    DeviationKind.ADVERSE_EVENT: Text(nb="Uønsket hendelse", nn="Uønskt hending"),
    DeviationKind.NEAR_MISS: Text(nb="Nestenuhell", nn="Nestenuhell"),
    DeviationKind.IMPROVEMENT: Text(nb="Forbedringsforslag", nn="Forbetringsforslag"),
}

STATUS_LABELS: dict[DeviationStatus, Text] = {
    DeviationStatus.REGISTERED: Text(nb="Registrert", nn="Registrert"),
    DeviationStatus.UNDER_TREATMENT: Text(nb="Under behandling", nn="Under handsaming"),
    DeviationStatus.MEASURES: Text(nb="Tiltak", nn="Tiltak"),
    DeviationStatus.CLOSED: Text(nb="Lukket", nn="Lukka"),
    DeviationStatus.REJECTED: Text(nb="Avvist", nn="Avvist"),
}

OPEN_STATUSES = frozenset({DeviationStatus.REGISTERED, DeviationStatus.UNDER_TREATMENT, DeviationStatus.MEASURES})


class HandlingAction(StrEnum):
    ACKNOWLEDGE = "acknowledge"  # ta til behandling
    FORWARD = "forward"  # videresend til en annen enhet
    ESCALATE = "escalate"  # løft opp i linjen
    ADD_MEASURE = "add_measure"  # legg til tiltak
    CLOSE = "close"  # lukk med konklusjon
    REJECT = "reject"  # avvis med begrunnelse
    REOPEN = "reopen"  # gjenåpne


_R, _U, _M, _C, _X = (
    DeviationStatus.REGISTERED,
    DeviationStatus.UNDER_TREATMENT,
    DeviationStatus.MEASURES,
    DeviationStatus.CLOSED,
    DeviationStatus.REJECTED,
)

TRANSITIONS: dict[tuple[DeviationStatus, HandlingAction], DeviationStatus] = {
    (_R, HandlingAction.ACKNOWLEDGE): _U,
    (_R, HandlingAction.FORWARD): _R,
    (_U, HandlingAction.FORWARD): _R,
    (_M, HandlingAction.FORWARD): _R,
    (_R, HandlingAction.ESCALATE): _R,
    (_U, HandlingAction.ESCALATE): _R,
    (_M, HandlingAction.ESCALATE): _R,
    (_R, HandlingAction.ADD_MEASURE): _M,  # a leader who sets a measure has taken the case in
    (_U, HandlingAction.ADD_MEASURE): _M,
    (_M, HandlingAction.ADD_MEASURE): _M,
    (_U, HandlingAction.CLOSE): _C,
    (_M, HandlingAction.CLOSE): _C,
    (_R, HandlingAction.REJECT): _X,
    (_U, HandlingAction.REJECT): _X,
    (_C, HandlingAction.REOPEN): _U,
    (_X, HandlingAction.REOPEN): _U,
}
"""(from, action) → to. A forwarded or escalated case starts over as registered with the new unit's leader, who
must acknowledge it within the kommune's deadline. Anything not in the table is an illegal transition (409)."""


class IllegalTransitionError(ValueError):
    def __init__(self, status: DeviationStatus, action: HandlingAction) -> None:
        super().__init__(f"{action.value} is not allowed from {status.value}")
        self.status = status
        self.action = action


def next_status(status: DeviationStatus, action: HandlingAction) -> DeviationStatus:
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise IllegalTransitionError(status, action) from None


def allowed_actions(status: DeviationStatus) -> list[HandlingAction]:
    return [action for (source, action) in TRANSITIONS if source == status]


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


def case_actions(
    status: DeviationStatus,
    *,
    handle: bool,
    restricted: bool,
    measure_owner: bool,
    open_measures: bool,
    follow_up: bool = False,
) -> list[str]:
    """What this person can do with the case now, as the client offers it: the workflow's steps, ``classify``,
    ``attach``, ``complete_measure`` (a handler any open one, a measure's owner their own), ``change_measure``
    (a handler moves the deadline or gives an open measure to someone else) and ``access_log`` (a quality role
    over the case reads who saw its restricted part)."""
    actions: list[str] = []
    if handle:
        actions = [a.value for a in allowed_actions(status)]
        if is_open(status):
            actions.append("classify")
    if restricted and is_open(status):
        actions.append("attach")
    if (handle or measure_owner) and open_measures:
        actions.append("complete_measure")
    if handle and open_measures and is_open(status):
        actions.append("change_measure")
    if follow_up:
        actions.append("access_log")
    return actions


# ---- time ----------------------------------------------------------------------------------------------------


def acknowledge_deadline(at: datetime, hours: int) -> datetime:
    """When a case given to someone at ``at`` must be acknowledged, for a kommune's deadline in hours.

    Whole days are days in Norway: 72 hours from Saturday 10:00 is Tuesday 10:00 Oslo time, also when summer
    time begins or ends in between (71 or 73 hours on the clock). The hours past whole days are added as they
    pass. A wall time that does not exist (02:30 on the last Sunday of March) comes out an hour later; one that
    comes twice (02:30 on the last Sunday of October) is the first of the two."""
    days, rest = divmod(hours, 24)
    local = utc(at).astimezone(OSLO)
    same_time_later = datetime.combine(local.date() + timedelta(days=days), local.time(), tzinfo=OSLO)
    return utc(same_time_later) + timedelta(hours=rest)


def is_past(deadline: date, today: date) -> bool:
    """A deadline (a date in Norway) has passed once its day is over: the deadline day itself is in time."""
    return deadline < today


def measure_is_overdue(deadline: date | None, done_at: datetime | None, today: date) -> bool:
    return done_at is None and deadline is not None and is_past(deadline, today)


# ---- the timeline ----------------------------------------------------------------------------------------------

ACTION_LABELS: dict[str, Text] = {
    "reported": Text(nb="Meldt", nn="Meldt"),
    "assigned": Text(nb="Tildelt behandler", nn="Tildelt handsamar"),
    "acknowledged": Text(nb="Tatt til behandling", nn="Teke til handsaming"),
    "forwarded": Text(nb="Videresendt", nn="Vidaresendt"),
    "escalated": Text(nb="Løftet i linjen", nn="Løfta i linja"),
    "acknowledgement_overdue": Text(nb="Ikke tatt til behandling i tide", nn="Ikkje teke til handsaming i tide"),
    "classified": Text(nb="Klassifisering endret", nn="Klassifisering endra"),
    "closed": Text(nb="Lukket", nn="Lukka"),
    "rejected": Text(nb="Avvist", nn="Avvist"),
    "reopened": Text(nb="Gjenåpnet", nn="Opna att"),
    "measure_added": Text(nb="Tiltak lagt til", nn="Tiltak lagt til"),
    "measure_changed": Text(nb="Tiltak endret", nn="Tiltak endra"),
    "measure_completed": Text(nb="Tiltak utført", nn="Tiltak utført"),
    "measure_overdue": Text(nb="Tiltak over fristen", nn="Tiltak over fristen"),
    "attachment_added": Text(nb="Vedlegg lagt til", nn="Vedlegg lagt til"),
}
"""The label of every action the history records, in both forms (a key without one is shown as it is)."""

RESTRICTED_ACTIONS = frozenset({"attachment_added"})
"""History lines about the restricted part: who does not see that part is not told of them (that an attachment
exists is itself information, as it is for the download)."""


# ---- the catalogue ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DefaultArea:
    key: str
    name: str
    categories: tuple[str, ...]


HMS_AREA = "hms"
PATIENT_SAFETY_AREA = "pasient_brukersikkerhet"
INFORMATION_SECURITY_AREA = "informasjonssikkerhet"

DEFAULT_AREAS: tuple[DefaultArea, ...] = (
    DefaultArea(
        HMS_AREA,
        "HMS (helse, miljø og sikkerhet)",
        ("Personskade", "Vold og trusler", "Arbeidsmiljø", "Brann og el-sikkerhet", "Smitte"),
    ),
    DefaultArea(
        PATIENT_SAFETY_AREA,
        "Pasient- og brukersikkerhet",
        ("Fall", "Legemidler", "Feil behandling", "Trykksår", "Forsvinning", "Tvang"),
    ),
    DefaultArea(
        INFORMATION_SECURITY_AREA,
        "Informasjonssikkerhet og personvern",
        ("Brudd på taushetsplikt", "Feilsendt informasjon", "Tilgangsstyring", "Tap av utstyr", "Datainnbrudd"),
    ),
    DefaultArea("miljo", "Miljø", ("Utslipp", "Avfall", "Energi")),
    DefaultArea(
        "tjenestekvalitet",
        "Tjenestekvalitet",
        ("Rutinebrudd", "Samhandling", "Dokumentasjon", "Bemanning", "Ventetid"),
    ),
    DefaultArea("okonomi", "Økonomi og innkjøp", ("Innkjøp", "Fakturering", "Avtalebrudd")),
)

SERIOUS_CONSEQUENCE = 4
"""Actual consequence from this level (1–5) is serious harm: the patient/user safety committee must know."""

BREACH_NOTIFICATION_WINDOW = timedelta(hours=72)
"""GDPR art. 33: notify the data-protection authority (Datatilsynet) within 72 hours of becoming aware."""


def is_serious_patient_event(area: str, actual_consequence: int | None) -> bool:
    return area == PATIENT_SAFETY_AREA and (actual_consequence or 0) >= SERIOUS_CONSEQUENCE


def breach_notification_deadline(aware_at: datetime) -> datetime:
    return aware_at + BREACH_NOTIFICATION_WINDOW


def severity(actual: int | None, potential: int | None) -> int:
    """The case's severity (alvorlighet) 0–5: the worse of what happened and what could have happened."""
    return max(actual or 0, potential or 0)


# ---- receipts of anonymous reports -------------------------------------------------------------------------------

_RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def new_receipt_code() -> str:
    raw = "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def receipt_hash(code: str) -> str:
    """What is stored of a receipt code: its SHA-256, so the database cannot tell the code."""
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


# ---- fødselsnummer in free text ----------------------------------------------------------------------------------

FREE_TEXT_FIELDS = ("title", "description", "location", "immediate_action", "persons_involved")
NATIONAL_ID_WARNING = Text(
    nb="Teksten ser ut til å inneholde et fødselsnummer. Meldingen skal handle om hendelsen, ikke om personen: "
    "fjern nummeret om det ikke er nødvendig.",
    nn="Teksten ser ut til å innehalde eit fødselsnummer. Meldinga skal handle om hendinga, ikkje om personen: "
    "fjern nummeret om det ikkje er naudsynt.",
)

_ELEVEN_DIGITS = re.compile(r"(?<!\d)(\d{6})[ .]?(\d{5})(?!\d)")
_WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _control_digit(digits: list[int], weights: tuple[int, ...]) -> int | None:
    remainder = 11 - sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
    if remainder == 11:
        return 0
    return None if remainder == 10 else remainder


def is_national_id(candidate: str) -> bool:
    """Whether 11 digits pass the fødselsnummer (or D-number) mod-11 checksums and hold a plausible date."""
    if len(candidate) != 11 or not candidate.isdigit():
        return False
    digits = [int(c) for c in candidate]
    day, month = int(candidate[0:2]), int(candidate[2:4])
    if day > 40:  # D-nummer: the day plus 40
        day -= 40
    if month > 40:  # H-nummer / test numbers: the month plus 40 or 80
        month = month - 80 if month > 80 else month - 40
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    return _control_digit(digits, _WEIGHTS_1) == digits[9] and _control_digit(digits, _WEIGHTS_2) == digits[10]


def contains_national_id(text: str | None) -> bool:
    """Free text that seems to hold a fødselsnummer: reports should be about the case, not the person."""
    if not text:
        return False
    return any(is_national_id(a + b) for a, b in _ELEVEN_DIGITS.findall(text))


def fields_with_national_id(values: Mapping[str, object]) -> list[str]:
    found: list[str] = []
    for name in FREE_TEXT_FIELDS:
        value = values.get(name)
        if isinstance(value, str) and contains_national_id(value):
            found.append(name)
    return found
