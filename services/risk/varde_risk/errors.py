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
    title = Text(nb="Risikovurderingen finnes ikke", nn="Risikovurderinga finst ikkje")
    detail = Text(
        nb="Risikovurderingen finnes ikke, eller du har ikke tilgang til den.",
        nn="Risikovurderinga finst ikkje, eller du har ikkje tilgang til ho.",
    )


class RiskNotFound(ProblemError):
    status = 404
    slug = "risk-not-found"
    title = Text(nb="Risikoen finnes ikke", nn="Risikoen finst ikkje")
    detail = Text(
        nb="Risikoen finnes ikke i denne risikovurderingen.", nn="Risikoen finst ikkje i denne risikovurderinga."
    )


class MeasureNotFound(ProblemError):
    status = 404
    slug = "risk-measure-not-found"
    title = Text(nb="Tiltaket finnes ikke", nn="Tiltaket finst ikkje")
    detail = Text(nb="Tiltaket finnes ikke for denne risikoen.", nn="Tiltaket finst ikkje for denne risikoen.")


# -- 403: seen, but not the caller's to do ----------------------------------------------------------------------


class OwningNotAllowed(ProblemError):
    status = 403
    slug = "risk-assessment-owning-not-allowed"
    title = Text(nb="Du kan ikke eie risikovurderinger her", nn="Du kan ikkje eige risikovurderingar her")
    detail = Text(
        nb="Du kan ikke eie risikovurderinger for denne enheten. Be en leder for enheten om å opprette den.",
        nn="Du kan ikkje eige risikovurderingar for denne eininga. Be ein leiar for eininga om å opprette ho.",
    )


class AssessmentReadOnly(ProblemError):
    status = 403
    slug = "risk-assessment-read-only"
    title = Text(nb="Du kan bare lese risikovurderingen", nn="Du kan berre lese risikovurderinga")
    detail = Text(
        nb="Du kan lese risikovurderingen, men ikke endre den. Eieren, deltakerne og lederne over enheten kan.",
        nn="Du kan lese risikovurderinga, men ikkje endre ho. Eigaren, deltakarane og leiarane over eininga kan.",
    )


class OwnApprovalNotAllowed(ProblemError):
    status = 403
    slug = "risk-assessment-own-approval"
    title = Text(nb="Eieren godkjenner ikke selv", nn="Eigaren godkjenner ikkje sjølv")
    detail = Text(
        nb="Eieren kan ikke godkjenne sin egen risikovurdering. Lederen over enheten godkjenner den.",
        nn="Eigaren kan ikkje godkjenne si eiga risikovurdering. Leiaren over eininga godkjenner ho.",
    )


class ApprovalNotAllowed(ProblemError):
    status = 403
    slug = "risk-assessment-approval-not-allowed"
    title = Text(nb="Du kan ikke godkjenne", nn="Du kan ikkje godkjenne")
    detail = Text(
        nb="Bare ledere over enheten kan godkjenne risikovurderingen.",
        nn="Berre leiarar over eininga kan godkjenne risikovurderinga.",
    )


class ArchivingNotAllowed(ProblemError):
    status = 403
    slug = "risk-assessment-archiving-not-allowed"
    title = Text(nb="Du kan ikke arkivere", nn="Du kan ikkje arkivere")
    detail = Text(
        nb="Bare eieren eller ledere over enheten kan arkivere risikovurderingen.",
        nn="Berre eigaren eller leiarar over eininga kan arkivere risikovurderinga.",
    )


class CriteriaChangeNotAllowed(ProblemError):
    status = 403
    slug = "risk-criteria-change-not-allowed"
    title = Text(nb="Du kan ikke endre akseptkriteriene", nn="Du kan ikkje endre akseptkriteria")
    detail = Text(
        nb="Bare kvalitetsrollene på kommunenivå kan endre kommunens akseptkriterier.",
        nn="Berre kvalitetsrollene på kommunenivå kan endre akseptkriteria til kommunen.",
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
    title = Text(nb="Risikovurderingen er arkivert", nn="Risikovurderinga er arkivert")
    detail = Text(
        nb="Risikovurderingen er arkivert og kan ikke endres lenger.",
        nn="Risikovurderinga er arkivert og kan ikkje endrast lenger.",
    )


class AssessmentAlreadyApproved(AssessmentConflict):
    slug = "risk-assessment-already-approved"
    title = Text(nb="Risikovurderingen er allerede godkjent", nn="Risikovurderinga er allereie godkjend")
    detail = Text(
        nb="Risikovurderingen er allerede godkjent. Ta den opp til revisjon før den sendes og godkjennes på nytt.",
        nn="Risikovurderinga er allereie godkjend. Ta ho opp til revisjon før ho blir send og godkjend på nytt.",
    )


class AssessmentNotActive(AssessmentConflict):
    slug = "risk-assessment-not-active"
    title = Text(nb="Risikovurderingen er ikke godkjent", nn="Risikovurderinga er ikkje godkjend")
    detail = Text(
        nb="Bare en godkjent risikovurdering kan tas opp til revisjon. Denne er fortsatt under arbeid.",
        nn="Berre ei godkjend risikovurdering kan takast opp til revisjon. Denne er framleis under arbeid.",
    )


class AssessmentAlreadySubmitted(AssessmentConflict):
    slug = "risk-assessment-already-submitted"
    title = Text(nb="Allerede sendt til godkjenning", nn="Allereie send til godkjenning")
    detail = Text(
        nb="Risikovurderingen er allerede sendt til godkjenning. Lederen over enheten har den til godkjenning.",
        nn="Risikovurderinga er allereie send til godkjenning. Leiaren over eininga har ho til godkjenning.",
    )


class MeasureAlreadyCompleted(ProblemError):
    status = 409
    slug = "risk-measure-already-completed"
    title = Text(nb="Tiltaket er allerede gjennomført", nn="Tiltaket er allereie gjennomført")
    detail = Text(
        nb="Tiltaket er allerede registrert som gjennomført.", nn="Tiltaket er allereie registrert som gjennomført."
    )


# -- 422: input the kommune's data refuses ------------------------------------------------------------------------


class UnknownUnit(ProblemError):
    status = 422
    slug = "risk-unknown-unit"
    title = Text(nb="Ukjent enhet", nn="Ukjend eining")
    detail = Text(
        nb="Enheten finnes ikke i kommunen, eller den er nedlagt. Velg en enhet fra organisasjonskartet.",
        nn="Eininga finst ikkje i kommunen, eller ho er lagd ned. Vel ei eining frå organisasjonskartet.",
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
        nb="Fristen {deadline} er allerede passert. Velg i dag eller en senere dato.",
        nn="Fristen {deadline} er alt passert. Vel i dag eller ein seinare dato.",
    )
    field = "deadline"
