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
    RISK_ASSESSMENT_OWNED = "risk.assessment_owned"  # du er eier av en ROS-analyse
    RISK_ASSESSMENT_TO_APPROVE = "risk.to_approve"  # en ROS-analyse å godkjenne
    RISK_ASSESSMENT_APPROVED = "risk.approved"  # ROS-analysen din er godkjent
    RISK_ASSESSMENT_ARCHIVED = "risk.archived"  # ROS-analysen din er arkivert
    RISK_REVIEW_DUE = "risk.review_due"  # ROS-analysen skal gjennomgås
    RISK_REVIEW_OVERDUE = "risk.review_overdue"  # gjennomgangen er forsinket
    RISK_ABOVE_ACCEPTANCE = "risk.above_acceptance"  # en risiko over akseptgrensen
    RISK_MEASURE_ASSIGNED = "risk.measure_assigned"  # et risikotiltak til deg
    RISK_MEASURE_COMPLETED = "risk.measure_completed"  # et tiltak i ROS-analysen din er gjennomført
    RISK_MEASURE_OVERDUE = "risk.measure_overdue"  # et risikotiltak har passert fristen


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


def risk_assessment_owned_text() -> tuple[str, str]:
    return (
        "Du er eier av en ROS-analyse",
        "Du er satt som eier av en risikovurdering. Fullfør den og send den til godkjenning.",
    )


def risk_to_approve_text() -> tuple[str, str]:
    return "ROS-analyse til godkjenning", "En risikovurdering i enheten din venter på din godkjenning."


def risk_approved_text(review_due: date) -> tuple[str, str]:
    return (
        "ROS-analysen din er godkjent",
        f"Risikovurderingen er godkjent og gjelder nå. Neste gjennomgang: {review_due.strftime('%d.%m.%Y')}.",
    )


def risk_archived_text() -> tuple[str, str]:
    return "ROS-analysen din er arkivert", "En risikovurdering du eier er arkivert av en leder."


def risk_review_due_text(due: date) -> tuple[str, str]:
    return (
        "ROS-analyse skal gjennomgås",
        "En risikovurdering du eier skal gjennomgås og godkjennes på nytt." + _deadline(due),
    )


def risk_review_overdue_text(due: date) -> tuple[str, str]:
    return (
        "Gjennomgang av ROS-analyse er forsinket",
        "En risikovurdering har passert datoen for gjennomgang." + _deadline(due),
    )


def risk_above_acceptance_text(probability: int, consequence: int) -> tuple[str, str]:
    return (
        "Risiko over akseptgrensen",
        f"En risiko er vurdert til sannsynlighet {probability} og konsekvens {consequence}, over kommunens "
        "akseptgrense. Sett tiltak som bringer den ned.",
    )


def risk_measure_assigned_text(deadline: date | None) -> tuple[str, str]:
    return "Nytt risikotiltak til deg", "Du er ansvarlig for et tiltak i en risikovurdering." + _deadline(deadline)


def risk_measure_completed_text() -> tuple[str, str]:
    return (
        "Tiltak gjennomført",
        "Et tiltak i en risikovurdering du eier er gjennomført. Vurder risikoen på nytt.",
    )


def risk_measure_overdue_text(deadline: date | None) -> tuple[str, str]:
    return "Risikotiltak har passert fristen", "Et tiltak i en risikovurdering er ikke gjennomført." + _deadline(
        deadline
    )
