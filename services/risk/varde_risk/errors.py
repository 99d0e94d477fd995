"""Every problem risk can answer, one class per cause (``urn:varde:problem:<slug>``), in bokmål and nynorsk.

Grouped by status: what does not exist for the caller (404), what they may see but not do (403), what the
assessment's state does not allow (409), and input the kommune's data refuses (422). The shared causes (invalid
input, a bad cursor, a missing login) are in ``varde_common.errors``.
"""

from __future__ import annotations

from typing import Any

from varde_common.errors import ProblemError
from varde_common.language import Text

# -- 404: the caller may not know of it -----------------------------------------------------------------------


class AssessmentNotFound(ProblemError):
    """Also for an assessment the person may not read: its existence is information."""

    status = 404
    slug = "risk-assessment-not-found"
    title = Text(nb="ROS-analysen finnes ikke", nn="ROS-analysen finst ikkje")
    detail = Text(
        nb="ROS-analysen finnes ikke, eller du har ikke tilgang til den.",
        nn="ROS-analysen finst ikkje, eller du har ikkje tilgang til han.",
    )


class RiskNotFound(ProblemError):
    status = 404
    slug = "risk-not-found"
    title = Text(nb="Risikoen finnes ikke", nn="Risikoen finst ikkje")
    detail = Text(nb="Risikoen finnes ikke i denne ROS-analysen.", nn="Risikoen finst ikkje i denne ROS-analysen.")


class MeasureNotFound(ProblemError):
    status = 404
    slug = "risk-measure-not-found"
    title = Text(nb="Tiltaket finnes ikke", nn="Tiltaket finst ikkje")
    detail = Text(nb="Tiltaket finnes ikke for denne risikoen.", nn="Tiltaket finst ikkje for denne risikoen.")


# -- 403: seen, but not the caller's to do ----------------------------------------------------------------------


class OwningNotAllowed(ProblemError):
    status = 403
    slug = "risk-assessment-owning-not-allowed"
    title = Text(nb="Du kan ikke eie ROS-analyser her", nn="Du kan ikkje eige ROS-analysar her")
    detail = Text(
        nb="Du kan ikke eie ROS-analyser for denne enheten. Be en leder for enheten om å opprette ROS-analysen.",
        nn="Du kan ikkje eige ROS-analysar for denne eininga. Be ein leiar for eininga om å opprette ROS-analysen.",
    )


class AssessmentReadOnly(ProblemError):
    status = 403
    slug = "risk-assessment-read-only"
    title = Text(nb="Du kan bare lese ROS-analysen", nn="Du kan berre lese ROS-analysen")
    detail = Text(
        nb="Du kan lese ROS-analysen, men ikke endre den. Det kan bare eieren, deltakerne og lederne over enheten.",
        nn="Du kan lese ROS-analysen, men ikkje endre han. Det kan berre eigaren, deltakarane og leiarane over "
        "eininga.",
    )


class OwnApprovalNotAllowed(ProblemError):
    status = 403
    slug = "risk-assessment-own-approval"
    title = Text(nb="Eieren kan ikke godkjenne selv", nn="Eigaren kan ikkje godkjenne sjølv")
    detail = Text(
        nb="Eieren kan ikke godkjenne sin egen ROS-analyse. Lederen over enheten godkjenner den.",
        nn="Eigaren kan ikkje godkjenne sin eigen ROS-analyse. Leiaren over eininga godkjenner han.",
    )


class ApprovalNotAllowed(ProblemError):
    status = 403
    slug = "risk-assessment-approval-not-allowed"
    title = Text(nb="Du kan ikke godkjenne", nn="Du kan ikkje godkjenne")
    detail = Text(
        nb="Bare ledere over enheten kan godkjenne ROS-analysen.",
        nn="Berre leiarar over eininga kan godkjenne ROS-analysen.",
    )


class ArchivingNotAllowed(ProblemError):
    status = 403
    slug = "risk-assessment-archiving-not-allowed"
    title = Text(nb="Du kan ikke arkivere", nn="Du kan ikkje arkivere")
    detail = Text(
        nb="Bare eieren eller ledere over enheten kan arkivere ROS-analysen.",
        nn="Berre eigaren eller leiarar over eininga kan arkivere ROS-analysen.",
    )


class CriteriaChangeNotAllowed(ProblemError):
    status = 403
    slug = "risk-criteria-change-not-allowed"
    title = Text(nb="Du kan ikke endre akseptkriteriene", nn="Du kan ikkje endre akseptkriteria")
    detail = Text(
        nb="Bare kvalitetsrådgivere, kvalitetskoordinatorer og systemadministratorer på kommunenivå kan endre "
        "kommunens akseptkriterier.",
        nn="Berre kvalitetsrådgjevarar, kvalitetskoordinatorar og systemadministratorar på kommunenivå kan endre "
        "akseptkriteria til kommunen.",
    )


class PictureNotAllowed(ProblemError):
    status = 403
    slug = "risk-picture-not-allowed"
    title = Text(nb="Du kan ikke se dette risikobildet", nn="Du kan ikkje sjå dette risikobiletet")
    detail = Text(
        nb="Du kan se risikobildet for enheter der du er leder eller følger opp kvalitet.",
        nn="Du kan sjå risikobiletet for einingar der du er leiar eller følgjer opp kvalitet.",
    )


# -- 409: the assessment's state does not allow it ----------------------------------------------------------------


class AssessmentConflict(ProblemError):
    """A step the assessment's status does not allow. The body names that status as ``assessment_status`` (RFC
    9457 keeps ``status`` for the HTTP status)."""

    status = 409

    def __init__(self, *, assessment_status: str, **params: Any) -> None:
        super().__init__(extra={"assessment_status": assessment_status}, **params)


class AssessmentArchived(AssessmentConflict):
    slug = "risk-assessment-archived"
    title = Text(nb="ROS-analysen er arkivert", nn="ROS-analysen er arkivert")
    detail = Text(
        nb="ROS-analysen er arkivert og kan ikke endres lenger.",
        nn="ROS-analysen er arkivert og kan ikkje endrast lenger.",
    )


class AssessmentAlreadyApproved(AssessmentConflict):
    slug = "risk-assessment-already-approved"
    title = Text(nb="ROS-analysen er allerede godkjent", nn="ROS-analysen er allereie godkjent")
    detail = Text(
        nb="ROS-analysen er allerede godkjent. Ta den opp til revisjon før du sender den til godkjenning på nytt.",
        nn="ROS-analysen er allereie godkjent. Ta han opp til revisjon før du sender han til godkjenning på nytt.",
    )


class AssessmentNotActive(AssessmentConflict):
    slug = "risk-assessment-not-active"
    title = Text(nb="ROS-analysen er ikke godkjent", nn="ROS-analysen er ikkje godkjent")
    detail = Text(
        nb="Bare en godkjent ROS-analyse kan tas opp til revisjon. Denne er fortsatt under arbeid.",
        nn="Berre ein ROS-analyse som er godkjent, kan takast opp til revisjon. Denne er framleis under arbeid.",
    )


class AssessmentAlreadySubmitted(AssessmentConflict):
    slug = "risk-assessment-already-submitted"
    title = Text(nb="Allerede sendt til godkjenning", nn="Allereie sendt til godkjenning")
    detail = Text(
        nb="ROS-analysen er allerede sendt til godkjenning og venter på lederen over enheten.",
        nn="ROS-analysen er allereie sendt til godkjenning og ventar på leiaren over eininga.",
    )


class MeasureAlreadyCompleted(ProblemError):
    status = 409
    slug = "risk-measure-already-completed"
    title = Text(nb="Tiltaket er allerede utført", nn="Tiltaket er allereie utført")
    detail = Text(nb="Tiltaket er allerede registrert som utført.", nn="Tiltaket er allereie registrert som utført.")


# -- 422: input the kommune's data refuses ------------------------------------------------------------------------


class UnknownUnit(ProblemError):
    status = 422
    slug = "risk-unknown-unit"
    title = Text(nb="Ukjent enhet", nn="Ukjend eining")
    detail = Text(
        nb="Enheten finnes ikke i kommunen, eller den er nedlagt. Velg en enhet fra organisasjonskartet.",
        nn="Eininga finst ikkje i kommunen, eller ho er nedlagt. Vel ei eining frå organisasjonskartet.",
    )
    field = "unit_id"


class UnknownLinks(ProblemError):
    """Links go to ids risk has heard of from the deviations' and documents' events; ``fields`` names each list
    with the unknown ids."""

    status = 422
    slug = "risk-unknown-links"
    title = Text(nb="Ukjente koblinger", nn="Ukjende koplingar")
    detail = Text(
        nb="Noen koblinger går til avvik eller dokumenter som ikke finnes i kommunen.",
        nn="Nokre koplingar går til avvik eller dokument som ikkje finst i kommunen.",
    )

    UNKNOWN_DEVIATIONS = Text(
        nb="Disse avvikene finnes ikke i kommunen, eller Varde har ikke fått melding om dem ennå: {ids}",
        nn="Desse avvika finst ikkje i kommunen, eller Varde har ikkje fått melding om dei enno: {ids}",
    )
    UNKNOWN_DOCUMENTS = Text(
        nb="Disse dokumentene finnes ikke i kommunen, eller Varde har ikke fått melding om dem ennå: {ids}",
        nn="Desse dokumenta finst ikkje i kommunen, eller Varde har ikkje fått melding om dei enno: {ids}",
    )


class CriteriaNotFiveByFive(ProblemError):
    status = 422
    slug = "risk-criteria-not-five-by-five"
    title = Text(nb="Akseptkriteriene har feil form", nn="Akseptkriteria har feil form")
    detail = Text(
        nb="Akseptkriteriene må ha 5 rader (konsekvens 1–5) med 5 celler hver (sannsynlighet 1–5).",
        nn="Akseptkriteria må ha 5 rader (konsekvens 1–5) med 5 celler kvar (sannsyn 1–5).",
    )
    field = "grid"


class CriteriaNotRising(ProblemError):
    status = 422
    slug = "risk-criteria-not-rising"
    title = Text(nb="En verre risiko kan ikke bli mer akseptabel", nn="Ein verre risiko kan ikkje bli meir akseptabel")
    detail = Text(
        nb=(
            "Cellen sannsynlighet {probability}, konsekvens {consequence} kan ikke være mer akseptabel enn cellen "
            "sannsynlighet {lower_probability}, konsekvens {lower_consequence}."
        ),
        nn=(
            "Cella sannsyn {probability}, konsekvens {consequence} kan ikkje vere meir akseptabel enn cella "
            "sannsyn {lower_probability}, konsekvens {lower_consequence}."
        ),
    )
    field = "grid"


class MeasureDeadlinePassed(ProblemError):
    status = 422
    slug = "risk-measure-deadline-passed"
    title = Text(nb="Fristen er passert", nn="Fristen er passert")
    detail = Text(
        nb="Fristen {deadline} er allerede passert. Velg dagens dato eller en senere dato.",
        nn="Fristen {deadline} er allereie passert. Vel dagens dato eller ein seinare dato.",
    )
    field = "deadline"
