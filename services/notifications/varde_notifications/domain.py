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
    DOCUMENT_TO_APPROVE = "document.to_approve"  # et dokument å godkjenne
    DOCUMENT_REJECTED = "document.rejected"  # utkastet ditt er sendt tilbake
    DOCUMENT_APPROVED = "document.approved"  # utkastet ditt er godkjent
    DOCUMENT_TO_READ = "document.to_read"  # et dokument på leselisten din
    DOCUMENT_REVISION_DUE = "document.revision_due"  # et dokument skal revideres
    DOCUMENT_REVISION_OVERDUE = "document.revision_overdue"  # revisjonen er forsinket


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


def document_to_approve_text(version: int) -> tuple[str, str]:
    return "Dokument til godkjenning", f"Versjon {version} av et dokument venter på din godkjenning."


def document_rejected_text(version: int) -> tuple[str, str]:
    return "Utkastet ditt er sendt tilbake", f"Versjon {version} ble ikke godkjent. Se kommentaren i dokumentet."


def document_approved_text(version: int) -> tuple[str, str]:
    return "Utkastet ditt er godkjent", f"Versjon {version} er godkjent og gjelder nå."


def revision_due_text(due: date) -> tuple[str, str]:
    return (
        "Dokument skal revideres",
        "Du er revisjonsansvarlig for et dokument. Revider det eller bekreft at det fortsatt gjelder." + _deadline(due),
    )


def revision_overdue_text(due: date) -> tuple[str, str]:
    return "Revisjon er forsinket", "Et dokument har passert revisjonsdatoen og må revideres." + _deadline(due)


def document_to_read_text(due_on: date) -> tuple[str, str]:
    return "Nytt på leselisten din", "Les dokumentet og bekreft at du har lest og forstått det." + _deadline(due_on)
