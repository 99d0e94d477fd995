"""Reporting an avvik, from a phone in a minute: checked against the kommune's rules, assigned at once to the
leader of the unit, written with its history and events in one statement; retried safely with an
``Idempotency-Key``; followed by an anonymous reporter through a receipt code."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.events import DeviationReported, Event
from varde_common.events.deviations import AssignmentReason
from varde_common.identity import Identity
from varde_common.language import DEFAULT_LANGUAGE, Language
from varde_common.outbox import outbox_cte_params
from varde_common.tenant_settings import TenantSettings
from varde_deviations import reporting_queries as queries
from varde_deviations.access import access_by_roles
from varde_deviations.catalogue import check_classification
from varde_deviations.domain import acknowledge_deadline, new_receipt_code, receipt_hash, severity
from varde_deviations.errors import AnonymousNotAllowed, IdempotencyKeyReused, ReceiptNotFound, UnknownUnit
from varde_deviations.models import Deviation, DeviationCreate, DeviationPublic, ReceiptStatus, Restricted, now
from varde_deviations.records import SOURCE, alarms, assigned, facts, history_details
from varde_deviations.views import case_public, receipt_status, text_warnings

ANONYMOUS_SCOPE = "anonymous"  # the key of an anonymous report is not tied to the person who sent it
KEY_PATTERN = r"^[A-Za-z0-9_.:-]{8,200}$"


@dataclass(frozen=True)
class Created:
    deviation: DeviationPublic
    replayed: bool


@dataclass(frozen=True)
class IdempotencyClaim:
    tenant_id: uuid.UUID
    scope: str
    key: str
    request_hash: str

    @classmethod
    def of(cls, identity: Identity, data: DeviationCreate, key: str) -> IdempotencyClaim:
        body = orjson.dumps(data.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)
        return cls(
            tenant_id=identity.tenant_id,
            scope=ANONYMOUS_SCOPE if data.anonymous else str(identity.person_id),
            key=key,
            request_hash=hashlib.sha256(body).hexdigest(),
        )

    async def take(self, session: AsyncSession) -> dict[str, Any] | None:
        """Take the key for this call (None), or the first call's answer for the same body (422 for another)."""
        if await queries.claim_key(session, self.tenant_id, self.scope, self.key, self.request_hash):
            return None
        first_hash, answer = await queries.stored_answer(session, self.tenant_id, self.scope, self.key)
        if first_hash != self.request_hash:
            raise IdempotencyKeyReused()
        return answer

    async def remember(self, session: AsyncSession, answer: dict[str, Any]) -> None:
        await queries.remember_answer(session, self.tenant_id, self.scope, self.key, 201, answer)


class ReportingService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def report(
        self,
        identity: Identity,
        data: DeviationCreate,
        idempotency_key: str | None = None,
        language: Language = DEFAULT_LANGUAGE,
    ) -> Created:
        """An employee reports an avvik. The case is assigned to the leader of the unit at once (or the nearest
        leader above), with the kommune's deadline to acknowledge it."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            claim = IdempotencyClaim.of(identity, data, idempotency_key) if idempotency_key is not None else None
            if claim is not None:
                stored = await claim.take(session)
                if stored is not None:
                    return Created(DeviationPublic.model_validate(stored), replayed=True)
            public = await self._report(session, identity, data, language)
            if claim is not None:
                await claim.remember(session, public.model_dump(mode="json"))
            return Created(public, replayed=False)

    async def _report(
        self, session: AsyncSession, identity: Identity, data: DeviationCreate, language: Language
    ) -> DeviationPublic:
        """The hot path of the service: one query reads what the report is checked against, one statement
        writes it (no ORM unit of work), and the answer is built from what was written."""
        reporter = None if data.anonymous else identity.person_id
        context = await queries.report_context(
            session, identity.tenant_id, data.unit_id, data.area, data.category_id, reporter, identity.person_id
        )
        settings = TenantSettings.model_validate(context.settings or {})
        if data.anonymous and not settings.anonymous_reporting:
            raise AnonymousNotAllowed()
        if not context.unit_found or context.unit_closed:
            raise UnknownUnit()
        if not context.area_active or (data.category_id is not None and context.category_area != data.area):
            # The slow path also seeds the catalogue of a kommune that has none yet, and names what is wrong.
            await check_classification(session, identity.tenant_id, data.area, data.category_id)
        at = now()
        deviation = Deviation(
            tenant_id=identity.tenant_id,
            kind=data.kind,
            area=data.area,
            category_id=data.category_id,
            title=data.title,
            description=data.description,
            occurred_at=data.occurred_at,
            unit_id=data.unit_id,
            location=data.location,
            immediate_action=data.immediate_action,
            actual_consequence=data.actual_consequence,
            potential_consequence=data.potential_consequence,
            severity=severity(data.actual_consequence, data.potential_consequence),
            personal_data_breach=data.personal_data_breach,
            anonymous=data.anonymous,
            reported_by=reporter,
            handling_unit_id=data.unit_id,
            reported_at=at,
            updated_at=at,
        )
        receipt = None
        if data.anonymous:
            receipt = new_receipt_code()
            deviation.receipt_hash = receipt_hash(receipt)
        if context.leader_id is not None and context.handling_unit_id is not None:
            deviation.handling_unit_id, deviation.assignee_id = context.handling_unit_id, context.leader_id
            deviation.acknowledge_due_at = acknowledge_deadline(at, settings.acknowledge_deadline_hours)
        history = [(deviation.reported_by, "reported", history_details(kind=data.kind, area=data.area))]
        events: list[Event] = [DeviationReported(**facts(deviation, at), anonymous=data.anonymous)]
        if deviation.assignee_id is not None:
            history.append((None, "assigned", history_details(assignee_id=deviation.assignee_id)))
            events.append(assigned(deviation, at, AssignmentReason.REPORTED))
        events += alarms(deviation, at, was_breach=False, was_serious=False)
        await queries.insert_report(
            session,
            deviation.model_dump(),
            data.persons_involved,
            history,
            outbox_cte_params(events, tenant_id=identity.tenant_id, source=SOURCE),
        )
        # The answer offers what a read right after would: the handling too to a leader of the unit or above it
        # and to the quality roles over it; the restricted part only to whom a read would show it.
        access = access_by_roles(deviation, identity.person_id, *context.roles())
        restricted = Restricted(persons_involved=data.persons_involved, attachments=[]) if access.restricted else None
        names = context.names(deviation.unit_id, reporter)
        public = case_public(deviation, access, at, [], restricted, names, language)
        public.warnings = text_warnings(data.model_dump(), language)
        public.receipt_code = receipt
        return public

    async def receipt(self, identity: Identity, code: str, language: Language = DEFAULT_LANGUAGE) -> ReceiptStatus:
        """Where an anonymous report stands, for whoever holds its receipt code."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            deviation = await queries.by_receipt(session, receipt_hash(code))
            if deviation is None:
                raise ReceiptNotFound()
            return receipt_status(deviation, language)
