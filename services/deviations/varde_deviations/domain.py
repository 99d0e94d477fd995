"""Deviation (avvik) rules without I/O: kinds, the default catalogue, the workflow table and text checks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class DeviationKind(StrEnum):
    DEVIATION = "avvik"  # avvik: brudd på krav eller prosedyre
    ADVERSE_EVENT = "uonsket_hendelse"  # uønsket hendelse
    NEAR_MISS = "nestenuhell"  # nestenuhell
    IMPROVEMENT = "forbedringsforslag"  # forbedringsforslag


KIND_LABELS: dict[DeviationKind, str] = {
    DeviationKind.DEVIATION: "Avvik",
    DeviationKind.ADVERSE_EVENT: "Uønsket hendelse",
    DeviationKind.NEAR_MISS: "Nestenuhell",
    DeviationKind.IMPROVEMENT: "Forbedringsforslag",
}


class DeviationStatus(StrEnum):
    REGISTERED = "registered"  # registrert: meldt, ikke tatt til behandling
    UNDER_TREATMENT = "under_treatment"  # under behandling
    MEASURES = "measures"  # tiltak iverksatt
    CLOSED = "closed"  # lukket
    REJECTED = "rejected"  # avvist


STATUS_LABELS: dict[DeviationStatus, str] = {
    DeviationStatus.REGISTERED: "Registrert",
    DeviationStatus.UNDER_TREATMENT: "Under behandling",
    DeviationStatus.MEASURES: "Tiltak",
    DeviationStatus.CLOSED: "Lukket",
    DeviationStatus.REJECTED: "Avvist",
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
