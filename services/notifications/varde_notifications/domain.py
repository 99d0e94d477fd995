"""What a notification says, per event, in Norwegian. No I/O."""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class NotificationKind(StrEnum):
    DEVIATION_TO_HANDLE = "deviation.to_handle"  # et avvik å behandle
    DEVIATION_CLOSED = "deviation.closed"  # avviket ditt er lukket
    DEVIATION_REJECTED = "deviation.rejected"  # avviket ditt er avvist
    MEASURE_ASSIGNED = "measure.assigned"  # et tiltak til deg
    MEASURE_OVERDUE = "measure.overdue"  # tiltaket har passert fristen


def _deadline(deadline: date | None) -> str:
    return f" Frist: {deadline.strftime('%d.%m.%Y')}." if deadline else ""


def assigned_text(reason: str, unit_name: str) -> tuple[str, str]:
    """An avvik given to a person to take into treatment, by why it came to them."""
    if reason == "forwarded":
        return "Avvik videresendt til deg", f"Et avvik er videresendt til {unit_name}. Du skal ta det til behandling."
    if reason == "escalated":
        return (
            "Avvik løftet til deg",
            f"Et avvik ble ikke tatt til behandling i tide og er løftet til {unit_name}. Du skal behandle det.",
        )
    if reason == "reopened":
        return "Avvik gjenåpnet", f"Et avvik i {unit_name} er åpnet igjen og skal behandles."
    return "Nytt avvik å behandle", f"Et nytt avvik er meldt i {unit_name}. Du skal ta det til behandling."


def closed_text() -> tuple[str, str]:
    return "Avviket ditt er lukket", "Avviket du meldte er behandlet og lukket. Se konklusjonen i saken."


def rejected_text() -> tuple[str, str]:
    return "Avviket ditt er avvist", "Avviket du meldte er avvist. Se begrunnelsen i saken."


def measure_assigned_text(deadline: date | None) -> tuple[str, str]:
    return "Nytt tiltak til deg", "Du er ansvarlig for et tiltak i et avvik." + _deadline(deadline)


def measure_overdue_text(deadline: date | None) -> tuple[str, str]:
    return "Tiltak har passert fristen", "Et tiltak du er ansvarlig for er ikke utført." + _deadline(deadline)
