"""Read-only use cases over many cases: the lists, the anonymous receipt, and the access log."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.authz import Action
from varde_common.db import tenant_transaction
from varde_common.errors import ForbiddenError, InvalidInputError, NotFoundError
from varde_common.identity import Identity
from varde_common.text_search import highlight_parts
from varde_deviations import repository
from varde_deviations.access import authorizer, case_access, reach
from varde_deviations.domain import STATUS_LABELS, DeviationKind, DeviationStatus
from varde_deviations.models import (
    AccessLogEntry,
    DeviationPage,
    DeviationSummary,
    ReceiptStatus,
    now,
)
from varde_deviations.repository import ListFilters
from varde_deviations.service import NOT_FOUND, receipt_hash


def _invalid(field: str, message: str) -> InvalidInputError:
    return InvalidInputError(message, extra={"errors": [{"field": field, "message": message, "code": "invalid"}]})


class ListingService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def page(
        self, identity: Identity, filters: ListFilters, cursor: str | None, limit: int, subtree_of: uuid.UUID | None
    ) -> DeviationPage:
        """One page of the cases this person may see, newest first; ``next_cursor`` continues after the last."""
        try:
            after = repository.decode_cursor(cursor) if cursor else None
        except ValueError:
            raise _invalid("cursor", "Ugyldig markør; start fra første side.") from None
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            if subtree_of is not None:
                filters.unit_ids = await repository.subtree(session, subtree_of)
            person_reach = await reach(session, identity.person_id)
            at = now()
            rows = await repository.page(session, person_reach, filters, after=after, limit=limit + 1, now=at)
            items = [
                DeviationSummary(
                    id=r.id,
                    kind=DeviationKind(r.kind),
                    area=r.area,
                    category_id=r.category_id,
                    title=r.title,
                    unit_id=r.unit_id,
                    handling_unit_id=r.handling_unit_id,
                    status=DeviationStatus(r.status),
                    severity=r.severity,
                    assignee_id=r.assignee_id,
                    occurred_at=r.occurred_at,
                    reported_at=r.reported_at,
                    acknowledge_due_at=r.acknowledge_due_at,
                    overdue=(
                        r.status == DeviationStatus.REGISTERED
                        and r.acknowledge_due_at is not None
                        and r.acknowledge_due_at < at
                    )
                    or r.late_measure,
                    title_highlight=highlight_parts(r.title_highlight) if filters.text else None,
                    highlight=highlight_parts(r.highlight) if filters.text else None,
                )
                for r in rows[:limit]
            ]
            last = rows[limit - 1] if len(rows) > limit else None
            next_cursor = repository.encode_cursor(last.reported_at, last.id) if last is not None else None
            return DeviationPage(items=items, next_cursor=next_cursor)

    async def receipt(self, identity: Identity, code: str) -> ReceiptStatus:
        """Where an anonymous report stands, for whoever holds its receipt code."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            deviation = await repository.by_receipt(session, receipt_hash(code))
            if deviation is None:
                raise NotFoundError("Ingen melding har denne kvitteringskoden.")
            status = DeviationStatus(deviation.status)
            return ReceiptStatus(
                status=status,
                status_label=STATUS_LABELS[status],
                reported_at=deviation.reported_at,
                closed_at=deviation.closed_at,
                conclusion=deviation.conclusion if status == DeviationStatus.CLOSED else None,
            )

    async def case_access_log(self, identity: Identity, deviation_id: uuid.UUID) -> list[AccessLogEntry]:
        """Who read the restricted part of this case, for the quality roles over it."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            deviation = await repository.get(session, deviation_id)
            if deviation is None:
                raise NotFoundError(NOT_FOUND)
            access = await case_access(session, identity.person_id, deviation)
            if not access.read:
                raise NotFoundError(NOT_FOUND)
            if not access.follow_up:
                raise ForbiddenError("Bare kvalitetsrådgiver og kvalitetskoordinator ser tilgangsloggen.")
            rows = await repository.access_log(session, deviation_id=deviation_id)
            return [AccessLogEntry.model_validate(r, from_attributes=True) for r in rows]

    async def access_log(self, identity: Identity, reader_id: uuid.UUID | None, limit: int) -> list[AccessLogEntry]:
        """The access log of every case in the caller's quality scope, optionally for one reader; empty for others."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            scope = await authorizer.units_where(session, identity.person_id, Action.FOLLOW_UP_DEVIATIONS)
            if not scope:
                return []
            rows = await repository.access_log(session, reader_id=reader_id, in_units=sorted(scope), limit=limit)
            return [AccessLogEntry.model_validate(r, from_attributes=True) for r in rows]
