"""The gateway's own problem types: what it answers before or instead of a service."""

from __future__ import annotations

from varde_common.errors import ProblemError
from varde_common.language import Text


class CrossOriginRefused(ProblemError):
    status = 403
    slug = "cross-origin-refused"
    title = Text(nb="Ingen tilgang", nn="Inga tilgang")
    detail = Text(
        nb="Forespørselen kommer ikke fra Varde sin egen side.", nn="Førespurnaden kjem ikkje frå Varde si eiga side."
    )


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
