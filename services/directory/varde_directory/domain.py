"""Rules of the directory without I/O: identity provider kinds, tree checks, role dates, settings changes."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from varde_common.tenant_settings import TenantSettings

Clock = Callable[[], datetime]
"""Gives the current instant (UTC); use cases take one so that a test can say when "now" is."""


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
    """Ending a role takes effect at once: its last day is yesterday (in Norway). The row stays, as history."""
    return today - timedelta(days=1)


def role_is_open(ends_on: date | None, today: date) -> bool:
    """Whether a role still runs today (its end date is inclusive)."""
    return ends_on is None or ends_on >= today


def dates_in_order(starts_on: date | None, ends_on: date | None) -> bool:
    return starts_on is None or ends_on is None or starts_on <= ends_on


def changed_settings(current: TenantSettings, change: Mapping[str, Any]) -> TenantSettings:
    """The settings with what ``change`` names and nothing else: a field left out keeps its value, a field given
    as null goes back to its default. A list (``unit_types``) is a value like any other: given, it replaces the
    whole list (merging lists by key could never remove a type)."""
    values = current.model_dump()
    for name, value in change.items():
        if value is None:
            values.pop(name, None)
        else:
            values[name] = value
    return TenantSettings.model_validate(values)


def unit_types_missing(settings: TenantSettings, in_use: Iterable[str]) -> list[str]:
    """The unit types open units have that the settings no longer define."""
    return sorted({key for key in in_use if settings.unit_type(key) is None})
