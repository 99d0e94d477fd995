"""The gateway's own problem types: what it answers before or instead of a service.

Grouped by what a client does about them: a bearer token that is not accepted (401, one type per reason, so a
client can tell "log in again" from "fix your configuration"), a browser session or login that failed, a person
the kommune does not know (403), and the upstreams that are away (502, 503, 504).
"""

from __future__ import annotations

from typing import Any

from varde_common.errors import FieldError, ProblemError
from varde_common.language import Text

# -- bearer tokens (401) -------------------------------------------------------------------------------------


class TokenMalformed(ProblemError):
    status = 401
    slug = "token-malformed"
    title = Text(nb="Ugyldig token", nn="Ugyldig token")
    detail = Text(
        nb="Tokenet kan ikke leses som et JWT. Send tokenet slik identitetsleverandøren ga det, etter «Bearer ».",
        nn="Tokenet kan ikkje lesast som eit JWT. Send tokenet slik identitetsleverandøren gav det, etter «Bearer ».",
    )


class TokenExpired(ProblemError):
    status = 401
    slug = "token-expired"
    title = Text(nb="Innloggingen er utløpt", nn="Innlogginga har gått ut")
    detail = Text(nb="Tokenet er utløpt. Logg inn på nytt.", nn="Tokenet har gått ut. Logg inn på nytt.")


class TokenNotYetValid(ProblemError):
    status = 401
    slug = "token-not-yet-valid"
    title = Text(nb="Tokenet er ikke gyldig ennå", nn="Tokenet er ikkje gyldig enno")
    detail = Text(
        nb="Tokenet gjelder først fra et senere tidspunkt. Sjekk at klokken går riktig der tokenet ble laget, "
        "og prøv igjen.",
        nn="Tokenet gjeld først frå eit seinare tidspunkt. Sjekk at klokka går rett der tokenet vart laga, "
        "og prøv igjen.",
    )


class TokenIssuerNotConfigured(ProblemError):
    """Issuer and audience name no identity provider of the kommune (or of any kommune)."""

    status = 401
    slug = "token-issuer-not-configured"
    title = Text(nb="Ukjent identitetsleverandør", nn="Ukjend identitetsleverandør")
    detail = Text(
        nb="Tokenet er ikke utstedt av en identitetsleverandør som kommunen har satt opp for Varde (utsteder og "
        "målgruppe må stemme). Logg inn gjennom kommunens egen innlogging.",
        nn="Tokenet er ikkje utferda av ein identitetsleverandør som kommunen har sett opp for Varde (utferdar og "
        "målgruppe må stemme). Logg inn gjennom kommunen si eiga innlogging.",
    )


class TokenTenantAmbiguous(ProblemError):
    """Several kommuner share the provider and the audience (ID-porten, Feide): the caller must name one."""

    status = 401
    slug = "token-tenant-ambiguous"
    title = Text(nb="Kommunen er ikke oppgitt", nn="Kommunen er ikkje oppgjeven")
    detail = Text(
        nb="Flere kommuner bruker denne innloggingen. Oppgi kommunens kortnavn i feltet X-Varde-Tenant i "
        "forespørselen.",
        nn="Fleire kommunar bruker denne innlogginga. Oppgje kortnamnet til kommunen i feltet X-Varde-Tenant i "
        "førespurnaden.",
    )


class TokenAlgorithmRefused(ProblemError):
    """Only asymmetric algorithms the provider allows: ``none`` and HMAC "signed" with a public key prove nothing."""

    status = 401
    slug = "token-algorithm-refused"
    title = Text(nb="Signeringsalgoritmen er ikke tillatt", nn="Signeringsalgoritmen er ikkje tillaten")
    detail = Text(
        nb="Tokenet er signert med «{algorithm}», som ikke er tillatt for denne identitetsleverandøren. Varde godtar "
        "bare asymmetriske algoritmer (for eksempel RS256, ES256 og EdDSA).",
        nn="Tokenet er signert med «{algorithm}», som ikkje er tillaten for denne identitetsleverandøren. Varde "
        "godtek berre asymmetriske algoritmar (til dømes RS256, ES256 og EdDSA).",
    )


class TokenSigningKeyUnknown(ProblemError):
    status = 401
    slug = "token-signing-key-unknown"
    title = Text(nb="Ukjent signeringsnøkkel", nn="Ukjend signeringsnøkkel")
    detail = Text(
        nb="Tokenet er signert med en nøkkel som identitetsleverandøren ikke oppgir (kid). Logg inn på nytt; "
        "hjelper ikke det, kontakt kommunens systemadministrator.",
        nn="Tokenet er signert med ein nøkkel som identitetsleverandøren ikkje oppgjev (kid). Logg inn på nytt; "
        "hjelper ikkje det, kontakt systemadministratoren i kommunen.",
    )


class TokenSignatureInvalid(ProblemError):
    status = 401
    slug = "token-signature-invalid"
    title = Text(nb="Signaturen er ikke gyldig", nn="Signaturen er ikkje gyldig")
    detail = Text(
        nb="Signaturen på tokenet stemmer ikke med nøkkelen til identitetsleverandøren. Logg inn på nytt.",
        nn="Signaturen på tokenet stemmer ikkje med nøkkelen til identitetsleverandøren. Logg inn på nytt.",
    )


class TokenClaimMissing(ProblemError):
    status = 401
    slug = "token-claim-missing"
    title = Text(nb="Tokenet mangler opplysninger", nn="Tokenet manglar opplysningar")
    detail = Text(
        nb="Tokenet mangler «{claim}». Logg inn på nytt; hjelper ikke det, kontakt kommunens systemadministrator.",
        nn="Tokenet manglar «{claim}». Logg inn på nytt; hjelper ikkje det, kontakt systemadministratoren i kommunen.",
    )


class DevLoginDisabled(ProblemError):
    status = 401
    slug = "dev-login-disabled"
    title = Text(nb="Utviklingsinnlogging er slått av", nn="Utviklingsinnlogging er slått av")
    detail = Text(
        nb="Denne installasjonen godtar ikke tokens fra utviklingsinnloggingen. Logg inn gjennom kommunens "
        "identitetsleverandør.",
        nn="Denne installasjonen godtek ikkje token frå utviklingsinnlogginga. Logg inn gjennom "
        "identitetsleverandøren til kommunen.",
    )


TOKEN_REFUSALS: tuple[type[ProblemError], ...] = (
    TokenMalformed,
    TokenExpired,
    TokenNotYetValid,
    TokenIssuerNotConfigured,
    TokenTenantAmbiguous,
    TokenAlgorithmRefused,
    TokenSigningKeyUnknown,
    TokenSignatureInvalid,
    TokenClaimMissing,
    DevLoginDisabled,
)
"""Every reason a bearer token is refused."""


# -- browser sessions and the login (401, 422, 502) --------------------------------------------------------------


class SessionInvalid(ProblemError):
    status = 401
    slug = "session-invalid"
    title = Text(nb="Ugyldig økt", nn="Ugyldig økt")
    detail = Text(
        nb="Informasjonskapselen for økten kan ikke leses. Logg inn på nytt.",
        nn="Informasjonskapselen for økta kan ikkje lesast. Logg inn på nytt.",
    )


class SessionEnded(ProblemError):
    status = 401
    slug = "session-ended"
    title = Text(nb="Økten er avsluttet", nn="Økta er avslutta")
    detail = Text(
        nb="Økten er avsluttet eller utløpt. Logg inn på nytt.",
        nn="Økta er avslutta eller har gått ut. Logg inn på nytt.",
    )


class BrowserLoginNotOffered(ProblemError):
    status = 422
    slug = "browser-login-not-offered"
    title = Text(nb="Ingen innlogging for nettleser", nn="Inga innlogging for nettlesar")
    detail = Text(
        nb="Kommunen «{tenant}» har ingen innlogging for nettleser i Varde. Sjekk kortnavnet, eller spør kommunens "
        "systemadministrator.",
        nn="Kommunen «{tenant}» har inga innlogging for nettlesar i Varde. Sjekk kortnamnet, eller spør "
        "systemadministratoren i kommunen.",
    )

    def __init__(self, **params: Any) -> None:
        error = FieldError(field="tenant", code=self.slug, message=self.detail, params=params, location="query")
        super().__init__(fields=[error], **params)


class LoginCancelled(ProblemError):
    status = 401
    slug = "login-cancelled"
    title = Text(nb="Innloggingen ble avbrutt", nn="Innlogginga vart avbroten")
    detail = Text(
        nb="Innloggingen ble avbrutt hos identitetsleverandøren. Start innloggingen på nytt.",
        nn="Innlogginga vart avbroten hjå identitetsleverandøren. Start innlogginga på nytt.",
    )


class LoginExpired(ProblemError):
    status = 401
    slug = "login-expired"
    title = Text(nb="Innloggingen er utløpt", nn="Innlogginga har gått ut")
    detail = Text(
        nb="Innloggingen tok for lang tid eller ble startet i en annen nettleser. Start innloggingen på nytt.",
        nn="Innlogginga tok for lang tid eller vart starta i ein annan nettlesar. Start innlogginga på nytt.",
    )


class LoginStateMismatch(ProblemError):
    status = 401
    slug = "login-state-mismatch"
    title = Text(nb="Innloggingen kan ikke bekreftes", nn="Innlogginga kan ikkje stadfestast")
    detail = Text(
        nb="Svaret fra identitetsleverandøren hører ikke til innloggingen som ble startet her (state). Start "
        "innloggingen på nytt.",
        nn="Svaret frå identitetsleverandøren høyrer ikkje til innlogginga som vart starta her (state). Start "
        "innlogginga på nytt.",
    )


class LoginNonceMismatch(ProblemError):
    status = 401
    slug = "login-nonce-mismatch"
    title = Text(nb="Innloggingen kan ikke bekreftes", nn="Innlogginga kan ikkje stadfestast")
    detail = Text(
        nb="ID-tokenet hører ikke til innloggingen som ble startet her (nonce). Start innloggingen på nytt.",
        nn="ID-tokenet høyrer ikkje til innlogginga som vart starta her (nonce). Start innlogginga på nytt.",
    )


class LoginProviderWithdrawn(ProblemError):
    status = 401
    slug = "login-provider-withdrawn"
    title = Text(nb="Identitetsleverandøren er ikke i bruk", nn="Identitetsleverandøren er ikkje i bruk")
    detail = Text(
        nb="Identitetsleverandøren som innloggingen ble startet hos, er ikke lenger i bruk for kommunen. Start "
        "innloggingen på nytt.",
        nn="Identitetsleverandøren som innlogginga vart starta hjå, er ikkje lenger i bruk for kommunen. Start "
        "innlogginga på nytt.",
    )


class LoginRefusedByProvider(ProblemError):
    status = 401
    slug = "login-refused-by-provider"
    title = Text(nb="Innloggingen ble ikke godtatt", nn="Innlogginga vart ikkje godteken")
    detail = Text(
        nb="Identitetsleverandøren godtok ikke innloggingen. Start innloggingen på nytt; skjer det igjen, kontakt "
        "kommunens systemadministrator.",
        nn="Identitetsleverandøren godtok ikkje innlogginga. Start innlogginga på nytt; skjer det igjen, kontakt "
        "systemadministratoren i kommunen.",
    )


class IdentityProviderUnreachable(ProblemError):
    status = 502
    slug = "identity-provider-unreachable"
    title = Text(nb="Identitetsleverandøren svarer ikke", nn="Identitetsleverandøren svarar ikkje")
    detail = Text(
        nb="Identitetsleverandøren svarte ikke. Prøv igjen om litt.",
        nn="Identitetsleverandøren svara ikkje. Prøv igjen om litt.",
    )


# -- who the caller is (403, 404) --------------------------------------------------------------------------------


class PersonNotInKommune(ProblemError):
    """A genuine login of someone the kommune's directory does not know (or no longer knows)."""

    status = 403
    slug = "person-not-in-kommune"
    title = Text(nb="Ikke registrert i kommunen", nn="Ikkje registrert i kommunen")
    detail = Text(
        nb="Du er logget inn, men er ikke registrert som ansatt i kommunen i Varde. Kontakt lederen din eller "
        "kommunens systemadministrator for å få tilgang.",
        nn="Du er logga inn, men er ikkje registrert som tilsett i kommunen i Varde. Kontakt leiaren din eller "
        "systemadministratoren i kommunen for å få tilgang.",
    )


class DevPersonNotFound(ProblemError):
    status = 404
    slug = "dev-person-not-found"
    title = Text(nb="Finner ikke demopersonen", nn="Finn ikkje demopersonen")
    detail = Text(
        nb="Det finnes ingen aktiv demoperson med denne e-postadressen i kommunen «{tenant}». Se GET /dev/people.",
        nn="Det finst ingen aktiv demoperson med denne e-postadressa i kommunen «{tenant}». Sjå GET /dev/people.",
    )


class CrossOriginRefused(ProblemError):
    """A change made with the session cookie must come from Varde's own pages (no cross-site request forgery)."""

    status = 403
    slug = "cross-origin-refused"
    title = Text(nb="Ingen tilgang", nn="Ingen tilgang")
    detail = Text(
        nb="Forespørselen kommer ikke fra Vardes egen side.", nn="Førespurnaden kjem ikkje frå Varde si eiga side."
    )


class PathNotCanonical(ProblemError):
    """A path with ``.`` or ``..`` segments, empty segments or an encoded ``/``: it could name another route than
    the one the gateway would choose for it (see ``paths.py``)."""

    status = 400
    slug = "path-not-canonical"
    title = Text(nb="Ugyldig adresse", nn="Ugyldig adresse")
    detail = Text(
        nb="Adressen har ledd som «.» eller «..», tomme ledd («//») eller en kodet skråstrek («%2F»). "
        "Bruk adressen slik API-dokumentasjonen viser den.",
        nn="Adressa har ledd som «.» eller «..», tomme ledd («//») eller ein koda skråstrek («%2F»). "
        "Bruk adressa slik API-dokumentasjonen viser henne.",
    )


# -- the services behind the gateway (502, 503, 504) -------------------------------------------------------------


class UpstreamUnavailable(ProblemError):
    status = 503
    slug = "upstream-unavailable"
    title = Text(nb="Tjenesten er ikke tilgjengelig", nn="Tenesta er ikkje tilgjengeleg")
    detail = Text(
        nb="Tjenesten er ikke tilgjengelig nå. Prøv igjen om litt.",
        nn="Tenesta er ikkje tilgjengeleg no. Prøv igjen om litt.",
    )
    retry_after_s = 5


class UpstreamTimeout(ProblemError):
    status = 504
    slug = "upstream-timeout"
    title = Text(nb="Tjenesten svarte ikke i tide", nn="Tenesta svara ikkje i tide")
    detail = Text(
        nb="Tjenesten svarte ikke i tide. Sjekk om endringen ble lagret før du prøver igjen.",
        nn="Tenesta svara ikkje i tide. Sjekk om endringa vart lagra før du prøver igjen.",
    )


class UpstreamBadResponse(ProblemError):
    status = 502
    slug = "upstream-bad-response"
    title = Text(nb="Feil fra tjenesten", nn="Feil frå tenesta")
    detail = Text(nb="Svaret fra tjenesten var ufullstendig.", nn="Svaret frå tenesta var ufullstendig.")


class LoginUnavailable(ProblemError):
    status = 503
    slug = "login-unavailable"
    title = Text(nb="Innlogging er ikke tilgjengelig", nn="Innlogging er ikkje tilgjengeleg")
    detail = Text(
        nb="Innlogging er ikke tilgjengelig akkurat nå. Prøv igjen om litt.",
        nn="Innlogging er ikkje tilgjengeleg akkurat no. Prøv igjen om litt.",
    )
    retry_after_s = 10


class DirectoryUnavailable(ProblemError):
    status = 503
    slug = "directory-unavailable"
    title = Text(nb="Katalogen er ikke tilgjengelig", nn="Katalogen er ikkje tilgjengeleg")
    detail = Text(
        nb="Katalogtjenesten er ikke tilgjengelig akkurat nå. Prøv igjen om litt.",
        nn="Katalogtenesta er ikkje tilgjengeleg akkurat no. Prøv igjen om litt.",
    )
    retry_after_s = 10


# -- rate limits (429) -------------------------------------------------------------------------------------------


class RateLimitExceeded(ProblemError):
    """Too many requests of one kind in a short time (varde_gateway.ratelimits). ``Retry-After`` says when to
    try again; the ``RateLimit`` fields and ``violated-policies`` (draft-ietf-httpapi-ratelimit-headers-10) say
    which quota ran out."""

    status = 429

    def __init__(self, *, seconds: int, policy: str) -> None:
        super().__init__(extra={"violated-policies": [policy]}, seconds=seconds)
        self.seconds = seconds

    def own_headers(self) -> dict[str, str]:
        return {"retry-after": str(self.seconds)}


class TooManyRequestsFromPerson(RateLimitExceeded):
    slug = "rate-limited-person"
    title = Text(nb="For mange forespørsler", nn="For mange førespurnader")
    detail = Text(
        nb="Du har sendt svært mange forespørsler av denne typen på kort tid. Vent {seconds} s og prøv igjen.",
        nn="Du har sendt svært mange førespurnader av denne typen på kort tid. Vent {seconds} s og prøv igjen.",
    )


class TooManyRequestsFromKommune(RateLimitExceeded):
    slug = "rate-limited-kommune"
    title = Text(nb="Kommunen sender for mange forespørsler", nn="Kommunen sender for mange førespurnader")
    detail = Text(
        nb="Kommunen har til sammen sendt svært mange forespørsler av denne typen på kort tid. Vent {seconds} s "
        "og prøv igjen; skjer det ofte, kontakt kommunens systemadministrator.",
        nn="Kommunen har til saman sendt svært mange førespurnader av denne typen på kort tid. Vent {seconds} s "
        "og prøv igjen; skjer det ofte, kontakt systemadministratoren i kommunen.",
    )


class TooManyRequestsFromAddress(RateLimitExceeded):
    slug = "rate-limited-address"
    title = Text(nb="For mange forsøk", nn="For mange forsøk")
    detail = Text(
        nb="Det er gjort svært mange forsøk fra denne nettverksadressen på kort tid. Vent {seconds} s og prøv igjen.",
        nn="Det er gjort svært mange forsøk frå denne nettverksadressa på kort tid. Vent {seconds} s og prøv igjen.",
    )


RATE_LIMIT_REFUSALS: dict[str, type[RateLimitExceeded]] = {
    "person": TooManyRequestsFromPerson,
    "kommune": TooManyRequestsFromKommune,
    "address": TooManyRequestsFromAddress,
}
"""The refusal for each partition a quota is counted in."""
