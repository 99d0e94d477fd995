"""Rules of the directory without I/O: identity provider kinds, tree checks, role dates."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, timedelta
from enum import StrEnum


class ProviderKind(StrEnum):
    ENTRA_ID = "entra_id"  # Microsoft Entra ID (the kommune's employees)
    ID_PORTEN = "idporten"
    FEIDE = "feide"
    OIDC = "oidc"  # any other OpenID Connect provider
    DEV = "dev"  # the gateway's development identity provider (VARDE_ENV=dev only)


def would_create_cycle(parents: Mapping[uuid.UUID, uuid.UUID | None], unit: uuid.UUID, new_parent: uuid.UUID) -> bool:
    """Moving ``unit`` under ``new_parent`` is a cycle when ``unit`` is ``new_parent`` or one of its ancestors."""
    current: uuid.UUID | None = new_parent
    seen: set[uuid.UUID] = set()
    while current is not None and current not in seen:
        if current == unit:
            return True
        seen.add(current)
        current = parents.get(current)
    return False


def end_date_for_removal(today: date) -> date:
    """Ending a role takes effect at once: its last day is yesterday. The row stays, as history."""
    return today - timedelta(days=1)


def dates_in_order(starts_on: date | None, ends_on: date | None) -> bool:
    return starts_on is None or ends_on is None or starts_on <= ends_on
