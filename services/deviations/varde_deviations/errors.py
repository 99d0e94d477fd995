"""Every problem the deviations service answers: one class per cause, with its stable type, its status and its
words in bokmål and nynorsk. 404 means the person may not know the object exists; 403 that they see it but may
not do this (``access.py`` decides which)."""

from __future__ import annotations

from typing import Any

from varde_common.errors import FieldError, ProblemError
from varde_common.language import DEFAULT_LANGUAGE, Language, Text
from varde_deviations.domain import STATUS_LABELS, DeviationStatus, HandlingAction

# ---- 404: not there, or not for this person to know of ------------------------------------------------------


class DeviationNotFound(ProblemError):
    """No such case, or one the person may not see: both answer the same, so existence tells nothing."""

    status = 404
    slug = "deviation-not-found"
    title = Text(nb="Avviket finnes ikke", nn="Avviket finst ikkje")
    detail = Text(
        nb="Avviket finnes ikke, eller du har ikke tilgang til det.",
        nn="Avviket finst ikkje, eller du har ikkje tilgang til det.",
    )


class MeasureNotFound(ProblemError):
    status = 404
    slug = "deviation-measure-not-found"
    title = Text(nb="Tiltaket finnes ikke", nn="Tiltaket finst ikkje")
    detail = Text(nb="Avviket har ikke dette tiltaket.", nn="Avviket har ikkje dette tiltaket.")


class AttachmentNotFound(ProblemError):
    """No such attachment on the case, or the person does not see the restricted part it belongs to."""

    status = 404
    slug = "deviation-attachment-not-found"
    title = Text(nb="Vedlegget finnes ikke", nn="Vedlegget finst ikkje")
    detail = Text(
        nb="Vedlegget finnes ikke, eller du har ikke tilgang til det.",
        nn="Vedlegget finst ikkje, eller du har ikkje tilgang til det.",
    )


class ReceiptNotFound(ProblemError):
    status = 404
    slug = "deviation-receipt-not-found"
    title = Text(nb="Ukjent kvitteringskode", nn="Ukjend kvitteringskode")
    detail = Text(
        nb="Ingen melding har denne kvitteringskoden. Sjekk at koden er skrevet av riktig.",
        nn="Inga melding har denne kvitteringskoden. Sjekk at koden er skriven av rett.",
    )


class AreaNotFound(ProblemError):
    status = 404
    slug = "deviation-area-not-found"
    title = Text(nb="Fagområdet finnes ikke", nn="Fagområdet finst ikkje")
    detail = Text(nb="Kommunen har ikke dette fagområdet.", nn="Kommunen har ikkje dette fagområdet.")


class CategoryNotFound(ProblemError):
    status = 404
    slug = "deviation-category-not-found"
    title = Text(nb="Kategorien finnes ikke", nn="Kategorien finst ikkje")
    detail = Text(nb="Kommunen har ikke denne kategorien.", nn="Kommunen har ikkje denne kategorien.")


# ---- 403: seen, but not this person's to do --------------------------------------------------------------------


class HandlingForbidden(ProblemError):
    status = 403
    slug = "deviation-handling-forbidden"
    title = Text(nb="Du kan ikke behandle avviket", nn="Du kan ikkje handsame avviket")
    detail = Text(
        nb="Du kan se avviket, men bare kvalitetsrådgiverne og lederen som har saken, kan behandle det.",
        nn="Du kan sjå avviket, men berre kvalitetsrådgjevarane og leiaren som har saka, kan handsame det.",
    )


class MeasureChangeForbidden(ProblemError):
    status = 403
    slug = "deviation-measure-change-forbidden"
    title = Text(nb="Du kan ikke endre tiltaket", nn="Du kan ikkje endre tiltaket")
    detail = Text(
        nb="Bare den som behandler avviket, kan endre tiltakene. Ta kontakt med lederen som har saken.",
        nn="Berre den som handsamar avviket, kan endre tiltaka. Ta kontakt med leiaren som har saka.",
    )


class MeasureCompletionForbidden(ProblemError):
    status = 403
    slug = "deviation-measure-completion-forbidden"
    title = Text(nb="Du kan ikke fullføre tiltaket", nn="Du kan ikkje fullføre tiltaket")
    detail = Text(
        nb="Bare den som er ansvarlig for tiltaket, eller den som behandler avviket, kan melde det utført.",
        nn="Berre den som er ansvarleg for tiltaket, eller den som handsamar avviket, kan melde det utført.",
    )


class AttachmentForbidden(ProblemError):
    status = 403
    slug = "deviation-attachment-forbidden"
    title = Text(nb="Du kan ikke legge ved filer", nn="Du kan ikkje leggje ved filer")
    detail = Text(
        nb="Bare den som meldte avviket, og de som behandler det, kan legge ved filer.",
        nn="Berre den som melde avviket, og dei som handsamar det, kan leggje ved filer.",
    )


class AccessLogForbidden(ProblemError):
    status = 403
    slug = "deviation-access-log-forbidden"
    title = Text(nb="Du kan ikke se tilgangsloggen", nn="Du kan ikkje sjå tilgangsloggen")
    detail = Text(
        nb="Tilgangsloggen er for kvalitetsrådgivere og kvalitetskoordinatorer over enheten.",
        nn="Tilgangsloggen er for kvalitetsrådgjevarar og kvalitetskoordinatorar over eininga.",
    )


class CatalogueForbidden(ProblemError):
    status = 403
    slug = "deviation-catalogue-forbidden"
    title = Text(nb="Du kan ikke endre katalogen", nn="Du kan ikkje endre katalogen")
    detail = Text(
        nb="Bare kvalitetsrådgivere, kvalitetskoordinatorer og systemadministratorer kan endre fagområder og "
        "kategorier.",
        nn="Berre kvalitetsrådgjevarar, kvalitetskoordinatorar og systemadministratorar kan endre fagområde og "
        "kategoriar.",
    )


# ---- 409: not in the state the action needs --------------------------------------------------------------------


class IllegalDeviationTransition(ProblemError):
    """The workflow table has no such step from the case's status. The client is told the status and the action
    (``case_status``, ``action``): ``status`` is the HTTP status in a problem."""

    status = 409
    slug = "illegal-deviation-transition"
    title = Text(nb="Ikke mulig i denne statusen", nn="Ikkje mogleg i denne statusen")
    detail = Text(
        nb="Dette kan ikke gjøres med et avvik som har status «{status_label}».",
        nn="Dette kan ikkje gjerast med eit avvik som har status «{status_label}».",
    )

    def __init__(self, *, case_status: DeviationStatus, action: HandlingAction) -> None:
        super().__init__(
            extra={"case_status": case_status.value, "action": action.value},
            status_label=STATUS_LABELS[case_status].nb.lower(),
        )
        self.case_status = case_status

    def body(self, language: Language = DEFAULT_LANGUAGE, **kwargs: Any) -> dict[str, Any]:
        # The status is named in the caller's own form ("under behandling", "under handsaming").
        self.params["status_label"] = STATUS_LABELS[self.case_status].render(language).lower()
        return super().body(language, **kwargs)


class DeviationNotOpen(ProblemError):
    status = 409
    slug = "deviation-not-open"
    title = Text(nb="Avviket er avsluttet", nn="Avviket er avslutta")
    detail = Text(
        nb="Avviket er lukket eller avvist og kan ikke endres. Gjenåpne det først.",
        nn="Avviket er lukka eller avvist og kan ikkje endrast. Opne det att først.",
    )


class OpenMeasuresRemain(ProblemError):
    """Closing a case with measures not done; ``open_measures`` lists them."""

    status = 409
    slug = "deviation-open-measures"
    title = Text(nb="Tiltak er ikke utført", nn="Tiltak er ikkje utført")
    detail = Text(
        nb="Avviket har {count} tiltak som ikke er utført. Alle tiltakene må være utført før avviket kan lukkes.",
        nn="Avviket har {count} tiltak som ikkje er utført. Alle tiltaka må vere utført før avviket kan lukkast.",
    )


class AlreadyHandledThere(ProblemError):
    status = 409
    slug = "deviation-already-in-unit"
    title = Text(nb="Behandles allerede der", nn="Blir allereie handsama der")
    detail = Text(
        nb="Avviket behandles allerede i denne enheten. Velg en annen enhet.",
        nn="Avviket blir allereie handsama i denne eininga. Vel ei anna eining.",
    )


class AlreadyWithThatLeader(ProblemError):
    """Forwarding to a unit without a leader of its own sends the case to the leader above it; when that is where
    the case is handled now, nothing would change."""

    status = 409
    slug = "deviation-already-with-leader"
    title = Text(nb="Behandles allerede av lederen over", nn="Blir allereie handsama av leiaren over")
    detail = Text(
        nb="Enheten har ingen egen leder, så avviket ville blitt behandlet der det behandles nå. Velg en annen enhet.",
        nn="Eininga har ingen eigen leiar, så avviket ville blitt handsama der det blir handsama no. Vel ei anna "
        "eining.",
    )


class NothingAbove(ProblemError):
    status = 409
    slug = "deviation-nothing-above"
    title = Text(nb="Ingen enhet over", nn="Inga eining over")
    detail = Text(
        nb="Det finnes ingen enhet over denne å løfte avviket til.",
        nn="Det finst inga eining over denne å løfte avviket til.",
    )


class MeasureAlreadyDone(ProblemError):
    status = 409
    slug = "deviation-measure-done"
    title = Text(nb="Tiltaket er utført", nn="Tiltaket er utført")
    detail = Text(
        nb="Tiltaket er allerede meldt utført og kan ikke endres.",
        nn="Tiltaket er allereie meldt utført og kan ikkje endrast.",
    )


class AreaExists(ProblemError):
    status = 409
    slug = "deviation-area-exists"
    title = Text(nb="Fagområdet finnes allerede", nn="Fagområdet finst allereie")
    detail = Text(
        nb="Kommunen har allerede et fagområde med denne nøkkelen. Velg en annen nøkkel.",
        nn="Kommunen har allereie eit fagområde med denne nøkkelen. Vel ein annan nøkkel.",
    )


class CategoryExists(ProblemError):
    status = 409
    slug = "deviation-category-exists"
    title = Text(nb="Kategorien finnes allerede", nn="Kategorien finst allereie")
    detail = Text(
        nb="Fagområdet har allerede en kategori med dette navnet. Velg et annet navn.",
        nn="Fagområdet har allereie ein kategori med dette namnet. Vel eit anna namn.",
    )


# ---- 422: input that the rules refuse ----------------------------------------------------------------------


class AnonymousNotAllowed(ProblemError):
    status = 422
    slug = "deviation-anonymous-not-allowed"
    title = Text(nb="Anonym melding er ikke tillatt", nn="Anonym melding er ikkje tillaten")
    detail = Text(
        nb="Kommunen tar ikke imot anonyme meldinger. Meld med navnet ditt, eller ta kontakt med verneombudet.",
        nn="Kommunen tek ikkje imot anonyme meldingar. Meld med namnet ditt, eller ta kontakt med verneombodet.",
    )
    field = "anonymous"


class UnknownUnit(ProblemError):
    status = 422
    slug = "deviation-unknown-unit"
    title = Text(nb="Ukjent enhet", nn="Ukjend eining")
    detail = Text(
        nb="Enheten finnes ikke i kommunen, eller den er nedlagt. Velg en annen enhet.",
        nn="Eininga finst ikkje i kommunen, eller ho er nedlagt. Vel ei anna eining.",
    )
    field = "unit_id"


class UnitWithoutLeader(ProblemError):
    status = 422
    slug = "deviation-unit-without-leader"
    title = Text(nb="Enheten har ingen leder", nn="Eininga har ingen leiar")
    detail = Text(
        nb="Verken enheten eller enhetene over den har en leder som kan behandle avviket.",
        nn="Verken eininga eller einingane over henne har ein leiar som kan handsame avviket.",
    )
    field = "unit_id"


class UnknownArea(ProblemError):
    status = 422
    slug = "deviation-unknown-area"
    title = Text(nb="Ukjent fagområde", nn="Ukjend fagområde")
    detail = Text(
        nb="Fagområdet finnes ikke i kommunens katalog, eller det er ikke i bruk.",
        nn="Fagområdet finst ikkje i katalogen til kommunen, eller det er ikkje i bruk.",
    )
    field = "area"


class UnknownCategory(ProblemError):
    status = 422
    slug = "deviation-unknown-category"
    title = Text(nb="Ukjent kategori", nn="Ukjend kategori")
    detail = Text(
        nb="Kategorien finnes ikke i dette fagområdet, eller den er ikke i bruk.",
        nn="Kategorien finst ikkje i dette fagområdet, eller han er ikkje i bruk.",
    )
    field = "category_id"


class UnknownPerson(ProblemError):
    status = 422
    slug = "deviation-unknown-person"
    title = Text(nb="Ukjent person", nn="Ukjend person")
    detail = Text(
        nb="Den ansvarlige har ingen rolle i kommunen. Velg en ansatt i kommunen.",
        nn="Den ansvarlege har inga rolle i kommunen. Vel ein tilsett i kommunen.",
    )
    field = "owner_id"


class DeadlinePassed(ProblemError):
    """A measure's deadline before today in Norway."""

    status = 422
    slug = "deviation-measure-deadline-passed"
    title = Text(nb="Fristen er passert", nn="Fristen er passert")
    detail = Text(
        nb="Fristen {deadline} er allerede passert. Velg dagens dato eller en senere dato.",
        nn="Fristen {deadline} er allereie passert. Vel dagens dato eller ein seinare dato.",
    )
    field = "deadline"


class IdempotencyKeyReused(ProblemError):
    status = 422
    slug = "deviation-idempotency-key-reused"
    title = Text(nb="Nøkkelen er brukt før", nn="Nøkkelen er brukt før")
    detail = Text(
        nb="Idempotency-Key er brukt før med et annet innhold. Bruk en ny nøkkel for en ny melding.",
        nn="Idempotency-Key er brukt før med eit anna innhald. Bruk ein ny nøkkel for ei ny melding.",
    )

    def __init__(self) -> None:
        header = FieldError(field="Idempotency-Key", code=self.slug, message=self.detail, location="header")
        super().__init__(fields=[header])
