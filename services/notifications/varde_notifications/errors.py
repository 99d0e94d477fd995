"""The problem types of notifications. A person's inbox is theirs alone: someone else's notification is as
unknown as one that does not exist (its existence is information)."""

from __future__ import annotations

from varde_common.errors import ProblemError
from varde_common.language import Text


class UnknownNotification(ProblemError):
    status = 422
    slug = "notification-unknown"
    field = "notification_ids"
    title = Text(nb="Ukjent varsel", nn="Ukjend varsel")
    detail = Text(
        nb="Du har ikke noe varsel med id {notification_id}. Ingen av varslene er merket som lest. Hent listen på "
        "nytt, og prøv igjen.",
        nn="Du har ikkje noko varsel med id {notification_id}. Ingen av varsla er merkt som lesne. Hent lista på "
        "nytt, og prøv igjen.",
    )


class NotificationNotFound(ProblemError):
    status = 404
    slug = "notification-not-found"
    title = Text(nb="Varselet finnes ikke", nn="Varselet finst ikkje")
    detail = Text(
        nb="Du har ikke noe varsel med id {notification_id}. Hent listen over varslene dine på nytt.",
        nn="Du har ikkje noko varsel med id {notification_id}. Hent lista over varsla dine på nytt.",
    )
