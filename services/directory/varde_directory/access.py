"""Who may see and do what in the directory, from its own tree and roles.

- Everyone in a kommune sees its tree, its people and their roles: who leads what, and whom to ask.
- A systemadministrator changes the units, people and roles of the subtree where the role is held; the kommune's
  own settings, people and identity providers are changed by one at the top unit.
- A person's identities (their subjects at the identity providers) are seen by the person and the kommune's
  administrators; the identity providers only by the administrators: to anyone else a provider does not exist
  (404), while a unit or a person they may see but not change is a 403.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.authz import Action, Authorizer
from varde_common.identity import Identity
from varde_directory import repository
from varde_directory.errors import DirectoryAdministrationForbidden, IdentityProviderNotFound
from varde_directory.models import IdentityProvider

authorizer = Authorizer(repository.DIRECTORY_TREE)


async def administers(session: AsyncSession, person_id: uuid.UUID, today: date, unit_id: uuid.UUID | None) -> bool:
    """Whether the person administers the directory in the unit (the whole kommune when None)."""
    if unit_id is None:
        root = await repository.root_unit(session)
        if root is None:
            return False  # a kommune without a tree has nobody holding a role yet
        unit_id = root.id
    return await authorizer.may(session, person_id, Action.ADMINISTER_DIRECTORY, unit_id, on=today)


async def require_administrator(
    session: AsyncSession, identity: Identity, today: date, unit_id: uuid.UUID | None = None
) -> None:
    """403 unless the person administers the directory in ``unit_id`` (the whole kommune when None)."""
    if not await administers(session, identity.person_id, today, unit_id):
        raise DirectoryAdministrationForbidden()


async def sees_identities(session: AsyncSession, identity: Identity, person_id: uuid.UUID, today: date) -> bool:
    return person_id == identity.person_id or await administers(session, identity.person_id, today, None)


async def visible_provider(
    session: AsyncSession, identity: Identity, provider_id: uuid.UUID, today: date, *, lock: bool = False
) -> IdentityProvider:
    """The identity provider, for an administrator of the kommune; 404 for anyone else, as for an unknown id."""
    found = await repository.provider(session, provider_id, lock=lock)
    if found is None or not await administers(session, identity.person_id, today, None):
        raise IdentityProviderNotFound()
    return found
