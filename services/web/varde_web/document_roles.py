"""What the signed-in person's roles let them do with documents, for what a page offers: the menu entries, the units
a new document may belong to. The documents service decides every request itself; this only keeps a page from
offering a button that would be refused (the same table, ``varde_common.authz.ROLE_ACTIONS``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from varde_common.authz import ROLE_ACTIONS, Action
from varde_common.roles import Role

Unit = TypeVar("Unit", bound=Mapping[str, Any])


def _roles(person: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    return [role for role in (person or {}).get("roles", []) if role.get("role") in Role.__members__.values()]


def may(person: Mapping[str, Any] | None, action: Action) -> bool:
    """Whether any of the person's roles grants ``action`` somewhere."""
    return any(action in ROLE_ACTIONS[Role(role["role"])] for role in _roles(person))


def units_where(person: Mapping[str, Any] | None, action: Action, units: Sequence[Unit]) -> list[Unit]:
    """The open units, in the order given, where the person may do ``action``: those of a role granting it and every
    unit below them (a role reaches its unit's subtree)."""
    granted = {str(role["unit_id"]) for role in _roles(person) if action in ROLE_ACTIONS[Role(role["role"])]}
    children: dict[str, list[str]] = {}
    for unit in units:
        if unit.get("parent_id"):
            children.setdefault(str(unit["parent_id"]), []).append(str(unit["id"]))
    reach, waiting = set(granted), list(granted)
    while waiting:
        for child in children.get(waiting.pop(), []):
            if child not in reach:
                reach.add(child)
                waiting.append(child)
    return [unit for unit in units if str(unit["id"]) in reach and not unit.get("closed")]


def own_units_first(person: Mapping[str, Any] | None, units: Sequence[Unit]) -> list[Unit]:
    """The units of the person's roles first, then the others, each group in the order given."""
    own = {str(role["unit_id"]) for role in _roles(person)}
    return sorted(units, key=lambda unit: str(unit["id"]) not in own)


@dataclass(frozen=True)
class DocumentPowers:
    """The entries of the documents menu a person gets."""

    write: bool
    approve: bool
    follow_reading: bool  # leaders and quality roles: who has read what

    @classmethod
    def of(cls, person: Mapping[str, Any] | None) -> DocumentPowers:
        return cls(
            write=may(person, Action.WRITE_DOCUMENT),
            approve=may(person, Action.APPROVE_DOCUMENT),
            follow_reading=may(person, Action.VIEW_STATISTICS),
        )
