"""The problem types of documents: one class per cause, in bokmål and nynorsk.

The rule for 404 and 403 is the same on every route: 404 when the person may not see the object (a document
with nothing in force is its writers' business, a draft is not a reader's), 403 when they may see it but may
not do this.
"""

from __future__ import annotations

from typing import Any

from varde_common.errors import ProblemError
from varde_common.language import DEFAULT_LANGUAGE, Language, Text
from varde_documents.domain import VERSION_STATUS_LABELS, VersionAction, VersionStatus

# ---- 404: not there, or not yours to know of ---------------------------------------------------------------------


class DocumentNotFound(ProblemError):
    status = 404
    slug = "document-not-found"
    title = Text(nb="Dokumentet finnes ikke", nn="Dokumentet finst ikkje")
    detail = Text(
        nb="Vi finner ikke dokumentet. Det kan være slettet, eller du har ikke tilgang til det.",
        nn="Vi finn ikkje dokumentet. Det kan vere sletta, eller du har ikkje tilgang til det.",
    )


class DocumentVersionNotFound(ProblemError):
    status = 404
    slug = "document-version-not-found"
    title = Text(nb="Versjonen finnes ikke", nn="Versjonen finst ikkje")
    detail = Text(
        nb="Vi finner ikke denne versjonen av dokumentet, eller du har ikke tilgang til den.",
        nn="Vi finn ikkje denne versjonen av dokumentet, eller du har ikkje tilgang til han.",
    )


class DocumentVersionNumberNotFound(ProblemError):
    """A version asked for by its number (the difference between two versions)."""

    status = 404
    slug = "document-version-number-not-found"
    title = Text(nb="Versjonen finnes ikke", nn="Versjonen finst ikkje")
    detail = Text(
        nb="Dokumentet har ingen versjon {number} som du har tilgang til.",
        nn="Dokumentet har ingen versjon {number} som du har tilgang til.",
    )


class NoEarlierVersion(ProblemError):
    status = 404
    slug = "document-no-earlier-version"
    title = Text(nb="Ingen tidligere versjon", nn="Inga tidlegare versjon")
    detail = Text(
        nb="Det finnes ingen tidligere versjon å sammenligne med. Oppgi versjonene med «from» og «to».",
        nn="Det finst inga tidlegare versjon å samanlikne med. Oppgje versjonane med «from» og «to».",
    )


class DocumentAttachmentNotFound(ProblemError):
    status = 404
    slug = "document-attachment-not-found"
    title = Text(nb="Vedlegget finnes ikke", nn="Vedlegget finst ikkje")
    detail = Text(nb="Vedlegget finnes ikke.", nn="Vedlegget finst ikkje.")


# ---- 403: seen, but not yours to do ------------------------------------------------------------------------------


class DocumentCreateForbidden(ProblemError):
    status = 403
    slug = "document-create-forbidden"
    title = Text(nb="Du kan ikke lage dokumenter her", nn="Du kan ikkje lage dokument her")
    detail = Text(
        nb="Du kan ikke lage dokumenter for denne enheten. Spør lederen eller kvalitetsrådgiveren for enheten.",
        nn="Du kan ikkje lage dokument for denne eininga. Spør leiaren eller kvalitetsrådgjevaren for eininga.",
    )


class DocumentChangeForbidden(ProblemError):
    status = 403
    slug = "document-change-forbidden"
    title = Text(nb="Du kan ikke endre dokumentet", nn="Du kan ikkje endre dokumentet")
    detail = Text(
        nb="Du kan lese dokumentet, men ikke endre det. Det kan bare de som skriver dokumenter for enheten som eier "
        "det, og den revisjonsansvarlige.",
        nn="Du kan lese dokumentet, men ikkje endre det. Det kan berre dei som skriv dokument for eininga som eig "
        "det, og den revisjonsansvarlege.",
    )


class DocumentDecisionForbidden(ProblemError):
    """Approving, rejecting and archiving are for the leaders over the approver unit."""

    status = 403
    slug = "document-decision-forbidden"
    title = Text(nb="Du kan ikke godkjenne dokumentet", nn="Du kan ikkje godkjenne dokumentet")
    detail = Text(
        nb="Bare lederen for godkjenningsenheten, eller en leder over den, kan godkjenne dokumentet.",
        nn="Berre leiaren for godkjenningseininga, eller ein leiar over henne, kan godkjenne dokumentet.",
    )


class OwnDraftApproval(ProblemError):
    status = 403
    slug = "document-own-draft-approval"
    title = Text(nb="Du kan ikke godkjenne eget utkast", nn="Du kan ikkje godkjenne eige utkast")
    detail = Text(
        nb="Du kan ikke godkjenne et utkast du har skrevet selv. En annen leder over enheten må godkjenne det.",
        nn="Du kan ikkje godkjenne eit utkast du har skrive sjølv. Ein annan leiar over eininga må godkjenne det.",
    )


class DocumentHistoryForbidden(ProblemError):
    status = 403
    slug = "document-history-forbidden"
    title = Text(nb="Historikken er ikke tilgjengelig for deg", nn="Historikken er ikkje tilgjengeleg for deg")
    detail = Text(
        nb="Historikken er for dem som skriver og godkjenner dokumentet.",
        nn="Historikken er for dei som skriv og godkjenner dokumentet.",
    )


class ConfirmValidForbidden(ProblemError):
    status = 403
    slug = "document-confirm-valid-forbidden"
    title = Text(nb="Du kan ikke bekrefte at dokumentet gjelder", nn="Du kan ikkje stadfeste at dokumentet gjeld")
    detail = Text(
        nb="Bare den revisjonsansvarlige og de som skriver eller godkjenner dokumentet, kan bekrefte at det fortsatt "
        "gjelder.",
        nn="Berre den revisjonsansvarlege og dei som skriv eller godkjenner dokumentet, kan stadfeste at det framleis "
        "gjeld.",
    )


class CoverageForbidden(ProblemError):
    status = 403
    slug = "document-coverage-forbidden"
    title = Text(nb="Du kan ikke se lesestatus her", nn="Du kan ikkje sjå lesestatus her")
    detail = Text(
        nb="Du kan se lesestatus for enheter du leder, og for dokumenter du skriver eller godkjenner.",
        nn="Du kan sjå lesestatus for einingar du leiar, og for dokument du skriv eller godkjenner.",
    )


class FolderCreateForbidden(ProblemError):
    status = 403
    slug = "document-folder-forbidden"
    title = Text(nb="Du kan ikke lage mapper", nn="Du kan ikkje lage mapper")
    detail = Text(
        nb="Bare de som skriver eller godkjenner dokumenter, kan lage mapper.",
        nn="Berre dei som skriv eller godkjenner dokument, kan lage mapper.",
    )


# ---- 409: not now, in this state -----------------------------------------------------------------------------------


class DocumentIsArchived(ProblemError):
    status = 409
    slug = "document-archived"
    title = Text(nb="Dokumentet er arkivert", nn="Dokumentet er arkivert")
    detail = Text(
        nb="Dokumentet er arkivert og kan ikke endres. Lag et nytt dokument om det trengs igjen.",
        nn="Dokumentet er arkivert og kan ikkje endrast. Lag eit nytt dokument om det trengst igjen.",
    )


class IllegalVersionTransition(ProblemError):
    """The version's status does not allow the step (approving a draft, editing a submitted one). The body names
    the status in the caller's form, and carries ``version_status`` and ``action`` for clients."""

    status = 409
    slug = "illegal-document-version-transition"
    title = Text(nb="Ikke mulig i denne statusen", nn="Ikkje mogleg i denne statusen")
    detail = Text(
        nb="Dette kan ikke gjøres med en versjon som har status «{status}».",
        nn="Dette kan ikkje gjerast med ein versjon som har status «{status}».",
    )

    def __init__(self, *, version_status: VersionStatus, action: VersionAction) -> None:
        self.version_status = version_status
        super().__init__(
            status=self._label(DEFAULT_LANGUAGE),
            extra={"version_status": version_status.value, "action": action.value},
        )

    def _label(self, language: Language) -> str:
        return VERSION_STATUS_LABELS[self.version_status].render(language).lower()

    def body(self, language: Language = DEFAULT_LANGUAGE, **kwargs: Any) -> dict[str, Any]:
        self.params = {"status": self._label(language)}
        return super().body(language, **kwargs)


class AttachmentOnlyOnDraft(ProblemError):
    status = 409
    slug = "document-attachment-not-on-draft"
    title = Text(nb="Vedlegg kan bare endres på utkast", nn="Vedlegg kan berre endrast på utkast")
    detail = Text(
        nb="Vedlegg kan bare legges til eller fjernes på et utkast. Lag et nytt utkast for å endre dem.",
        nn="Vedlegg kan berre leggjast til eller fjernast på eit utkast. Lag eit nytt utkast for å endre dei.",
    )


class NothingInForce(ProblemError):
    status = 409
    slug = "document-nothing-in-force"
    title = Text(nb="Ingen gjeldende versjon", nn="Ingen gjeldande versjon")
    detail = Text(
        nb="Dokumentet har ingen gjeldende versjon å bekrefte. Godkjenn en versjon først.",
        nn="Dokumentet har ingen gjeldande versjon å stadfeste. Godkjenn ein versjon først.",
    )


class VersionNotInForce(ProblemError):
    status = 409
    slug = "document-version-not-in-force"
    title = Text(nb="Versjonen gjelder ikke", nn="Versjonen gjeld ikkje")
    detail = Text(
        nb="Bare den gjeldende versjonen kan bekreftes lest. Les og bekreft den gjeldende versjonen.",
        nn="Berre den gjeldande versjonen kan stadfestast lesen. Les og stadfest den gjeldande versjonen.",
    )


class EmptyDraft(ProblemError):
    """Sending a draft with no content: the draft's state, not the request, is what is wrong."""

    status = 409
    slug = "document-empty-draft"
    title = Text(nb="Utkastet er tomt", nn="Utkastet er tomt")
    detail = Text(
        nb="Et tomt dokument kan ikke sendes til godkjenning. Skriv innholdet først.",
        nn="Eit tomt dokument kan ikkje sendast til godkjenning. Skriv innhaldet først.",
    )


# ---- 422: the versions are there, but comparing them would cost too much ---------------------------------------------


class DifferenceTooLargeToShow(ProblemError):
    """The line-by-line difference would take more work than the documents api allows one request."""

    status = 422
    slug = "document-difference-too-large"
    title = Text(nb="Versjonene er for store til å sammenlignes", nn="Versjonane er for store til å samanliknast")
    detail = Text(
        nb="Versjon {old} og {new} er for lange eller for ulike til at vi kan vise forskjellen linje for linje. "
        "Sammenlign mindre endringer, for eksempel to versjoner som kom rett etter hverandre.",
        nn="Versjon {old} og {new} er for lange eller for ulike til at vi kan vise skilnaden linje for linje. "
        "Samanlikn mindre endringar, til dømes to versjonar som kom rett etter kvarandre.",
    )


class PreviewBusy(ProblemError):
    """A long text's preview waits for the comparison worker, which has as many jobs waiting as it takes."""

    status = 503
    slug = "document-preview-busy"
    retry_after_s = 5
    title = Text(nb="Forhåndsvisningen er opptatt", nn="Førehandsvisinga er oppteken")
    detail = Text(
        nb="Mange lange dokumenter vises akkurat nå. Prøv igjen om litt.",
        nn="Mange lange dokument vert viste akkurat no. Prøv igjen om litt.",
    )


class DifferenceBusy(ProblemError):
    """The documents api's comparison worker has as many comparisons waiting as it takes, or it stopped."""

    status = 503
    slug = "document-difference-busy"
    retry_after_s = 5
    title = Text(nb="Sammenligningen er opptatt", nn="Samanlikninga er oppteken")
    detail = Text(
        nb="Mange versjoner sammenlignes akkurat nå. Prøv igjen om litt.",
        nn="Mange versjonar vert samanlikna akkurat no. Prøv igjen om litt.",
    )


# ---- 422: the input names something that is not there --------------------------------------------------------------


class UnknownOwnerUnit(ProblemError):
    status = 422
    slug = "document-unknown-owner-unit"
    title = Text(nb="Ukjent enhet", nn="Ukjend eining")
    detail = Text(
        nb="Enheten finnes ikke i kommunen, eller den er nedlagt. Velg en annen enhet.",
        nn="Eininga finst ikkje i kommunen, eller ho er nedlagt. Vel ei anna eining.",
    )
    field = "owner_unit_id"


class ApproverNotAboveOwner(ProblemError):
    status = 422
    slug = "document-approver-not-above-owner"
    title = Text(nb="Feil godkjenningsenhet", nn="Feil godkjenningseining")
    detail = Text(
        nb="Godkjenningen må ligge hos enheten som eier dokumentet, eller hos en enhet over den.",
        nn="Godkjenninga må liggje hjå eininga som eig dokumentet, eller hjå ei eining over henne.",
    )
    field = "approver_unit_id"


class UnknownRevisionOwner(ProblemError):
    status = 422
    slug = "document-unknown-revision-owner"
    title = Text(nb="Ukjent person", nn="Ukjend person")
    detail = Text(
        nb="Revisjonsansvarlig må være en person med en rolle i kommunen.",
        nn="Revisjonsansvarleg må vere ein person med ei rolle i kommunen.",
    )
    field = "revision_owner_id"


class UnknownFolder(ProblemError):
    status = 422
    slug = "document-unknown-folder"
    title = Text(nb="Ukjent mappe", nn="Ukjend mappe")
    detail = Text(nb="Mappen finnes ikke. Velg en annen mappe.", nn="Mappa finst ikkje. Vel ei anna mappe.")
    field = "folder_id"


class UnknownParentFolder(ProblemError):
    status = 422
    slug = "document-unknown-parent-folder"
    title = Text(nb="Ukjent mappe", nn="Ukjend mappe")
    detail = Text(
        nb="Mappen den nye mappen skal ligge i, finnes ikke.", nn="Mappa den nye mappa skal liggje i, finst ikkje."
    )
    field = "parent_id"
