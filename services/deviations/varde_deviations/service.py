"""Use cases of deviations. A use case owns its transaction, writes the case's history and its events (to the
outbox) in it, and decides access from the directory copy (``access.py``)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.directory_replica import find_unit, replica_role_assignment, tenant_settings
from varde_common.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from varde_common.events import (
    DeviationAcknowledged,
    DeviationAssigned,
    DeviationClosed,
    DeviationEscalated,
    DeviationForwarded,
    DeviationRejected,
    DeviationReopened,
    DeviationReported,
    Event,
    MeasureAdded,
    MeasureChanged,
    MeasureCompleted,
    PersonalDataBreachRegistered,
    SeriousEventRegistered,
)
from varde_common.identity import Identity
from varde_common.outbox import add_events, outbox_cte_params
from varde_common.tenant_settings import TenantSettings
from varde_deviations import catalogue, idempotency, repository
from varde_deviations.access import CaseAccess, case_access
from varde_deviations.domain import (
    KIND_LABELS,
    OPEN_STATUSES,
    STATUS_LABELS,
    DeviationKind,
    DeviationStatus,
    HandlingAction,
    IllegalTransitionError,
    allowed_actions,
    breach_notification_deadline,
    contains_national_id,
    is_serious_patient_event,
    next_status,
    severity,
)
from varde_deviations.models import (
    AttachmentPublic,
    BreachClock,
    CloseBody,
    Comment,
    Deviation,
    DeviationClassify,
    DeviationCreate,
    DeviationHistory,
    DeviationPublic,
    DeviationRestricted,
    ForwardBody,
    Measure,
    MeasureChange,
    MeasureComplete,
    MeasureCreate,
    MeasurePublic,
    RejectBody,
    ReopenBody,
    Restricted,
    RestrictedAccess,
    TextWarning,
    now,
)

SOURCE = "/varde/deviations"
deviation_table: sa.Table = Deviation.__table__  # type: ignore[attr-defined]
restricted_table: sa.Table = DeviationRestricted.__table__  # type: ignore[attr-defined]
history_table: sa.Table = DeviationHistory.__table__  # type: ignore[attr-defined]
NOT_FOUND = "Avviket finnes ikke."
FREE_TEXT_FIELDS = ("title", "description", "location", "immediate_action", "persons_involved")
FNR_WARNING = (
    "Teksten ser ut til å inneholde et fødselsnummer. Meldingen skal handle om hendelsen, ikke om personen: "
    "fjern nummeret om det ikke er nødvendig."
)


def receipt_hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def new_receipt_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def national_id_warnings(values: dict[str, Any]) -> list[TextWarning]:
    return [
        TextWarning(field=name, code="possible_fodselsnummer", message=FNR_WARNING)
        for name in FREE_TEXT_FIELDS
        if isinstance(values.get(name), str) and contains_national_id(values[name])
    ]


def facts(deviation: Deviation, at: datetime) -> dict[str, Any]:
    """What every event says about the case: ids, unit, classification, severity and times; never content."""
    return {
        "deviation_id": deviation.id,
        "unit_id": deviation.unit_id,
        "handling_unit_id": deviation.handling_unit_id,
        "status": deviation.status,
        "kind": deviation.kind,
        "area": deviation.area,
        "category_id": deviation.category_id,
        "severity": deviation.severity,
        "occurred_at": deviation.occurred_at,
        "reported_at": deviation.reported_at,
        "at": at,
    }


def history_row(
    deviation: Deviation, actor: uuid.UUID | None, action: str, at: datetime, **details: Any
) -> dict[str, Any]:
    return {
        "tenant_id": deviation.tenant_id,
        "deviation_id": deviation.id,
        "at": at,
        "actor_id": actor,
        "action": action,
        "details": {k: (str(v) if isinstance(v, uuid.UUID) else v) for k, v in details.items() if v is not None},
    }


def _history_value(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def record(
    session: AsyncSession, deviation: Deviation, actor: uuid.UUID | None, action: str, at: datetime, **details: Any
) -> None:
    session.add(DeviationHistory(**history_row(deviation, actor, action, at, **details)))


def flag_events(deviation: Deviation, at: datetime, *, was_breach: bool, was_serious: bool) -> list[Event]:
    """The alarms: serious harm to a patient or user, and a personal-data breach with its 72-hour clock."""
    events: list[Event] = []
    if is_serious_patient_event(deviation.area, deviation.actual_consequence) and not was_serious:
        events.append(SeriousEventRegistered(**facts(deviation, at)))
    if deviation.personal_data_breach and not was_breach:
        # The clock runs from the report, as the case shows it (``build_public``), also when it is marked later.
        aware = deviation.reported_at
        events.append(
            PersonalDataBreachRegistered(
                **facts(deviation, at), aware_at=aware, notify_authority_by=breach_notification_deadline(aware)
            )
        )
    return events


@dataclass(frozen=True)
class Created:
    deviation: DeviationPublic
    replayed: bool


class DeviationService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    # ---- reporting --------------------------------------------------------------------------------------------

    async def report(self, identity: Identity, data: DeviationCreate, idempotency_key: str | None = None) -> Created:
        """An employee reports an avvik. The case is assigned to the leader of the unit at once (or the nearest
        leader above), with the kommune's deadline to acknowledge it."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            claim = None
            if idempotency_key is not None:
                claim = idempotency.Claim(
                    tenant_id=identity.tenant_id,
                    scope=idempotency.ANONYMOUS_SCOPE if data.anonymous else str(identity.person_id),
                    key=idempotency_key,
                    request_hash=idempotency.request_hash(data.model_dump(mode="json")),
                )
                stored = await idempotency.claim(session, claim)
                if stored is not None:
                    return Created(DeviationPublic.model_validate(stored), replayed=True)
            public = await self._report(session, identity, data)
            if claim is not None:
                await idempotency.remember(session, claim, 201, public.model_dump(mode="json"))
            return Created(public, replayed=False)

    async def _report(self, session: AsyncSession, identity: Identity, data: DeviationCreate) -> DeviationPublic:
        """The hot path of the service: one query reads what the report is checked against, one statement
        per table writes it (no ORM unit of work), and the answer is built from what was written."""
        context = await repository.report_context(
            session, identity.tenant_id, data.unit_id, data.area, data.category_id
        )
        settings = TenantSettings.model_validate(context.settings or {})
        if data.anonymous and not settings.anonymous_reporting:
            raise InvalidInputError(
                "Kommunen tillater ikke anonyme meldinger.",
                extra={"errors": [{"field": "anonymous", "message": "ikke tillatt i kommunen", "code": "not_allowed"}]},
            )
        if not context.unit_found or context.unit_closed:
            raise InvalidInputError(
                "Enheten finnes ikke i kommunen.",
                extra={"errors": [{"field": "unit_id", "message": "ukjent enhet", "code": "unknown_unit"}]},
            )
        if not context.area_active or (data.category_id is not None and context.category_area != data.area):
            # The slow path also seeds the catalogue of a kommune that has none yet, and names what is wrong.
            await catalogue.check_classification(session, identity.tenant_id, data.area, data.category_id)
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
            reported_by=None if data.anonymous else identity.person_id,
            handling_unit_id=data.unit_id,
            reported_at=at,
            updated_at=at,
        )
        receipt = None
        if data.anonymous:
            receipt = new_receipt_code()
            deviation.receipt_hash = receipt_hash(receipt)
        events: list[Event] = []
        if context.leader_id is not None and context.handling_unit_id is not None:
            deviation.handling_unit_id, deviation.assignee_id = context.handling_unit_id, context.leader_id
            deviation.acknowledge_due_at = at + timedelta(hours=settings.acknowledge_deadline_hours)
        history = [(deviation.reported_by, "reported", {"kind": data.kind, "area": data.area})]
        events.append(DeviationReported(**facts(deviation, at), anonymous=data.anonymous))
        if deviation.assignee_id is not None:
            history.append((None, "assigned", {"assignee_id": str(deviation.assignee_id)}))
            events.append(self._assigned(deviation, at, "reported"))
        events += flag_events(deviation, at, was_breach=False, was_serious=False)
        await repository.insert_report(
            session,
            deviation.model_dump(),
            data.persons_involved,
            history,
            outbox_cte_params(events, tenant_id=identity.tenant_id, source=SOURCE),
        )
        access = CaseAccess(
            read=True, restricted=True, handle=False, follow_up=False, measure_owner=False, reporter=True
        )
        public = build_public(
            deviation, access, at, [], Restricted(persons_involved=data.persons_involved, attachments=[])
        )
        public.warnings = national_id_warnings(data.model_dump())
        public.receipt_code = receipt
        return public

    @staticmethod
    def _assigned(deviation: Deviation, at: datetime, reason: str) -> DeviationAssigned:
        assert deviation.assignee_id is not None
        return DeviationAssigned(
            **facts(deviation, at),
            assignee_id=deviation.assignee_id,
            acknowledge_due_at=deviation.acknowledge_due_at,
            reason=reason,
        )

    # ---- reading ----------------------------------------------------------------------------------------------

    async def _readable(
        self, session: AsyncSession, identity: Identity, deviation_id: uuid.UUID, *, for_update: bool = False
    ) -> tuple[Deviation, CaseAccess]:
        deviation = await repository.get(session, deviation_id, for_update=for_update)
        if deviation is None:
            raise NotFoundError(NOT_FOUND)
        access = await case_access(session, identity.person_id, deviation)
        if not access.read:
            raise NotFoundError(NOT_FOUND)
        return deviation, access

    async def get(self, identity: Identity, deviation_id: uuid.UUID) -> DeviationPublic:
        """The case as this person may see it; a read of the restricted part is written to the access log."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            deviation, access = await self._readable(session, identity, deviation_id)
            return await self._public(session, deviation, access, now(), reader=identity.person_id)

    async def timeline(self, identity: Identity, deviation_id: uuid.UUID) -> list[DeviationHistory]:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            await self._readable(session, identity, deviation_id)
            return await repository.history(session, deviation_id)

    async def _public(
        self,
        session: AsyncSession,
        deviation: Deviation,
        access: CaseAccess,
        at: datetime,
        *,
        reader: uuid.UUID | None = None,
        log_restricted: bool = True,
    ) -> DeviationPublic:
        measures = await repository.measures(session, deviation.id)
        restricted: Restricted | None = None
        if access.restricted:
            stored = await repository.restricted(session, deviation.id)
            files = await repository.attachments(session, deviation.id)
            restricted = Restricted(
                persons_involved=stored.persons_involved if stored else None,
                attachments=[AttachmentPublic.model_validate(f, from_attributes=True) for f in files],
            )
            if log_restricted and reader is not None:
                session.add(
                    RestrictedAccess(
                        tenant_id=deviation.tenant_id,
                        deviation_id=deviation.id,
                        reader_id=reader,
                        at=at,
                        purpose="read",
                    )
                )
        return build_public(deviation, access, at, measures, restricted)

    # ---- handling ---------------------------------------------------------------------------------------------

    async def _handle(
        self,
        identity: Identity,
        deviation_id: uuid.UUID,
        action: HandlingAction,
        apply: Callable[[AsyncSession, Deviation, datetime], Awaitable[list[Event]]],
    ) -> DeviationPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            deviation, access = await self._readable(session, identity, deviation_id, for_update=True)
            if not access.handle:
                raise ForbiddenError("Du kan se saken, men ikke behandle den.")
            try:
                target = next_status(DeviationStatus(deviation.status), action)
            except IllegalTransitionError:
                label = STATUS_LABELS[DeviationStatus(deviation.status)].lower()
                raise ConflictError(
                    f"Dette kan ikke gjøres med et avvik som er {label}.",
                    extra={"case_status": deviation.status, "action": action.value},
                ) from None
            at = now()
            events = await apply(session, deviation, at)
            deviation.status = target
            deviation.updated_at = at
            session.add(deviation)
            await session.flush()
            # The events carry the state after the change.
            events = [type(e).model_validate({**e.model_dump(), "status": target.value}) for e in events]
            await add_events(session, events, tenant_id=identity.tenant_id, source=SOURCE)
            access = await case_access(session, identity.person_id, deviation)
            return await self._public(session, deviation, access, at, log_restricted=False)

    async def _reassign(
        self, session: AsyncSession, deviation: Deviation, unit_id: uuid.UUID, at: datetime
    ) -> uuid.UUID | None:
        settings = await tenant_settings(session, deviation.tenant_id)
        leader = await repository.leader_at_or_above(session, unit_id)
        deviation.handling_unit_id = unit_id
        deviation.assignee_id = leader[1] if leader else None
        deviation.acknowledge_due_at = at + timedelta(hours=settings.acknowledge_deadline_hours) if leader else None
        return deviation.assignee_id

    async def acknowledge(self, identity: Identity, deviation_id: uuid.UUID, body: Comment) -> DeviationPublic:
        """Take the case into treatment (ta til behandling); whoever does so becomes its assignee."""

        async def apply(session: AsyncSession, deviation: Deviation, at: datetime) -> list[Event]:
            deviation.assignee_id = identity.person_id
            deviation.acknowledged_at = deviation.acknowledged_at or at
            deviation.acknowledge_due_at = None
            record(session, deviation, identity.person_id, "acknowledged", at, comment=body.comment)
            return [DeviationAcknowledged(**facts(deviation, at))]

        return await self._handle(identity, deviation_id, HandlingAction.ACKNOWLEDGE, apply)

    async def forward(self, identity: Identity, deviation_id: uuid.UUID, body: ForwardBody) -> DeviationPublic:
        """Send the case to another unit; its leader must acknowledge it within the kommune's deadline."""

        async def apply(session: AsyncSession, deviation: Deviation, at: datetime) -> list[Event]:
            unit = await find_unit(session, body.unit_id)
            if unit is None or unit.closed:
                raise InvalidInputError(
                    "Enheten finnes ikke i kommunen.",
                    extra={"errors": [{"field": "unit_id", "message": "ukjent enhet", "code": "unknown_unit"}]},
                )
            if unit.id == deviation.handling_unit_id:
                raise ConflictError("Saken behandles allerede i denne enheten.")
            source = deviation.handling_unit_id
            if await self._reassign(session, deviation, unit.id, at) is None:
                raise InvalidInputError(
                    "Enheten har ingen leder som kan behandle saken.",
                    extra={"errors": [{"field": "unit_id", "message": "ingen leder", "code": "no_leader"}]},
                )
            record(
                session,
                deviation,
                identity.person_id,
                "forwarded",
                at,
                from_unit_id=source,
                to_unit_id=unit.id,
                comment=body.comment,
            )
            return [
                DeviationForwarded(**facts(deviation, at), from_unit_id=source),
                self._assigned(deviation, at, "forwarded"),
            ]

        return await self._handle(identity, deviation_id, HandlingAction.FORWARD, apply)

    async def escalate(self, identity: Identity, deviation_id: uuid.UUID, body: Comment) -> DeviationPublic:
        """Lift the case to the unit above the one handling it (løft i linjen)."""

        async def apply(session: AsyncSession, deviation: Deviation, at: datetime) -> list[Event]:
            events = await escalate_case(session, deviation, at, actor=identity.person_id, comment=body.comment)
            if events is None:
                raise ConflictError("Det finnes ingen enhet over denne å løfte saken til.")
            return events

        return await self._handle(identity, deviation_id, HandlingAction.ESCALATE, apply)

    async def close(self, identity: Identity, deviation_id: uuid.UUID, body: CloseBody) -> DeviationPublic:
        async def apply(session: AsyncSession, deviation: Deviation, at: datetime) -> list[Event]:
            open_measures = [m for m in await repository.measures(session, deviation.id) if m.done_at is None]
            if open_measures:
                raise ConflictError(
                    f"Saken har {len(open_measures)} tiltak som ikke er utført. Fullfør dem før saken lukkes.",
                    extra={"open_measures": [str(m.id) for m in open_measures]},
                )
            deviation.conclusion = body.conclusion
            deviation.closed_at = at
            deviation.acknowledge_due_at = None
            record(session, deviation, identity.person_id, "closed", at)
            return [DeviationClosed(**facts(deviation, at), reporter_id=deviation.reported_by)]

        return await self._handle(identity, deviation_id, HandlingAction.CLOSE, apply)

    async def reject(self, identity: Identity, deviation_id: uuid.UUID, body: RejectBody) -> DeviationPublic:
        async def apply(session: AsyncSession, deviation: Deviation, at: datetime) -> list[Event]:
            deviation.rejection_reason = body.reason
            deviation.closed_at = at
            deviation.acknowledge_due_at = None
            record(session, deviation, identity.person_id, "rejected", at, reason=body.reason)
            return [DeviationRejected(**facts(deviation, at), reporter_id=deviation.reported_by)]

        return await self._handle(identity, deviation_id, HandlingAction.REJECT, apply)

    async def reopen(self, identity: Identity, deviation_id: uuid.UUID, body: ReopenBody) -> DeviationPublic:
        async def apply(session: AsyncSession, deviation: Deviation, at: datetime) -> list[Event]:
            deviation.closed_at = None
            if deviation.assignee_id is None:
                deviation.assignee_id = identity.person_id
            record(session, deviation, identity.person_id, "reopened", at, reason=body.reason)
            events: list[Event] = [DeviationReopened(**facts(deviation, at), assignee_id=deviation.assignee_id)]
            events.append(self._assigned(deviation, at, "reopened"))
            return events

        return await self._handle(identity, deviation_id, HandlingAction.REOPEN, apply)

    async def add_measure(self, identity: Identity, deviation_id: uuid.UUID, body: MeasureCreate) -> MeasurePublic:
        """A tiltak on the case. Adding one to a registered case takes it into treatment as well."""
        created: list[Measure] = []

        async def apply(session: AsyncSession, deviation: Deviation, at: datetime) -> list[Event]:
            owner = body.owner_id or identity.person_id
            if owner != identity.person_id and not await _holds_any_role(session, owner):
                raise InvalidInputError(
                    "Den ansvarlige finnes ikke i kommunen.",
                    extra={"errors": [{"field": "owner_id", "message": "ukjent person", "code": "unknown_person"}]},
                )
            events: list[Event] = []
            if deviation.status == DeviationStatus.REGISTERED:
                deviation.acknowledged_at = deviation.acknowledged_at or at
                deviation.acknowledge_due_at = None
                record(session, deviation, identity.person_id, "acknowledged", at)
                events.append(DeviationAcknowledged(**facts(deviation, at)))
            measure = Measure(
                tenant_id=deviation.tenant_id,
                deviation_id=deviation.id,
                description=body.description,
                owner_id=owner,
                deadline=body.deadline,
                effectiveness_check=body.effectiveness_check,
                created_by=identity.person_id,
                created_at=at,
            )
            session.add(measure)
            await session.flush()
            created.append(measure)
            record(
                session,
                deviation,
                identity.person_id,
                "measure_added",
                at,
                measure_id=measure.id,
                owner_id=owner,
                deadline=body.deadline.isoformat() if body.deadline else None,
            )
            events.append(
                MeasureAdded(**facts(deviation, at), measure_id=measure.id, owner_id=owner, deadline=body.deadline)
            )
            return events

        await self._handle(identity, deviation_id, HandlingAction.ADD_MEASURE, apply)
        return _measure_public(created[0], now())

    async def _open_measure(
        self, session: AsyncSession, identity: Identity, deviation_id: uuid.UUID, measure_id: uuid.UUID
    ) -> tuple[Deviation, CaseAccess, Measure]:
        """A measure that is not done, of a case that is open in any status (also after a forward or an
        escalation: the tiltak is still someone's work to finish), both locked for the change."""
        deviation, access = await self._readable(session, identity, deviation_id, for_update=True)
        measure = await session.get(Measure, measure_id, with_for_update=True)
        if measure is None or measure.deviation_id != deviation.id:
            raise NotFoundError("Tiltaket finnes ikke.")
        if measure.done_at is not None:
            raise ConflictError("Tiltaket er allerede utført.")
        if deviation.status not in OPEN_STATUSES:
            raise ConflictError("Saken er lukket eller avvist.")
        return deviation, access, measure

    async def complete_measure(
        self, identity: Identity, deviation_id: uuid.UUID, measure_id: uuid.UUID, body: MeasureComplete
    ) -> MeasurePublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            deviation, access, measure = await self._open_measure(session, identity, deviation_id, measure_id)
            if not (access.handle or measure.owner_id == identity.person_id):
                raise ForbiddenError("Bare den ansvarlige for tiltaket eller behandleren kan fullføre det.")
            at = now()
            measure.done_at, measure.done_by = at, identity.person_id
            measure.effectiveness_result = body.effectiveness_result
            session.add(measure)
            record(session, deviation, identity.person_id, "measure_completed", at, measure_id=measure.id)
            event = MeasureCompleted(
                **facts(deviation, at), measure_id=measure.id, owner_id=measure.owner_id, deadline=measure.deadline
            )
            await add_events(session, [event], tenant_id=identity.tenant_id, source=SOURCE)
            return _measure_public(measure, at)

    async def change_measure(
        self, identity: Identity, deviation_id: uuid.UUID, measure_id: uuid.UUID, body: MeasureChange
    ) -> MeasurePublic:
        """A handler moves a deadline, rewords a measure or gives it to someone else; the history keeps what was."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            deviation, access, measure = await self._open_measure(session, identity, deviation_id, measure_id)
            if not access.handle:
                raise ForbiddenError("Bare behandleren av saken kan endre tiltaket.")
            changes = {
                name: value
                for name, value in body.model_dump(exclude_unset=True).items()
                if getattr(measure, name) != value
            }
            owner = changes.get("owner_id")
            if owner is not None and owner != identity.person_id and not await _holds_any_role(session, owner):
                raise InvalidInputError(
                    "Den ansvarlige finnes ikke i kommunen.",
                    extra={"errors": [{"field": "owner_id", "message": "ukjent person", "code": "unknown_person"}]},
                )
            at = now()
            if changes:
                before = {name: getattr(measure, name) for name in changes}
                for name, value in changes.items():
                    setattr(measure, name, value)
                session.add(measure)
                record(
                    session,
                    deviation,
                    identity.person_id,
                    "measure_changed",
                    at,
                    measure_id=measure.id,
                    changed=sorted(changes),
                    **{
                        f"{name}_before": _history_value(value)
                        for name, value in before.items()
                        if name != "description"
                    },
                )
                event = MeasureChanged(
                    **facts(deviation, at),
                    measure_id=measure.id,
                    owner_id=measure.owner_id,
                    deadline=measure.deadline,
                    owner_changed="owner_id" in changes,
                )
                await add_events(session, [event], tenant_id=identity.tenant_id, source=SOURCE)
            return _measure_public(measure, at)

    async def classify(self, identity: Identity, deviation_id: uuid.UUID, body: DeviationClassify) -> DeviationPublic:
        """A handler corrects kind, area, category, consequences or the personal-data-breach flag."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            deviation, access = await self._readable(session, identity, deviation_id, for_update=True)
            if not access.handle:
                raise ForbiddenError("Du kan se saken, men ikke behandle den.")
            if deviation.status in (DeviationStatus.CLOSED, DeviationStatus.REJECTED):
                raise ConflictError("En lukket eller avvist sak kan ikke endres; gjenåpne den først.")
            changes = body.model_dump(exclude_unset=True)
            area = changes.get("area", deviation.area)
            category_id = changes.get("category_id", deviation.category_id)
            if "area" in changes or "category_id" in changes:
                await catalogue.check_classification(session, identity.tenant_id, area, category_id)
            was_breach = deviation.personal_data_breach
            was_serious = is_serious_patient_event(deviation.area, deviation.actual_consequence)
            for name, value in changes.items():
                setattr(deviation, name, value)
            deviation.severity = severity(deviation.actual_consequence, deviation.potential_consequence)
            at = now()
            deviation.updated_at = at
            session.add(deviation)
            await session.flush()
            record(
                session,
                deviation,
                identity.person_id,
                "classified",
                at,
                changes={k: str(v) if isinstance(v, uuid.UUID) else v for k, v in changes.items()},
            )
            events = flag_events(deviation, at, was_breach=was_breach, was_serious=was_serious)
            await add_events(session, events, tenant_id=identity.tenant_id, source=SOURCE)
            return await self._public(session, deviation, access, at, log_restricted=False)


def build_public(
    deviation: Deviation,
    access: CaseAccess,
    at: datetime,
    measures: list[Measure],
    restricted: Restricted | None,
) -> DeviationPublic:
    """The case as the API shows it to one person, from what is already loaded."""
    status = DeviationStatus(deviation.status)
    actions: list[str] = []
    if access.handle:
        actions = [a.value for a in allowed_actions(status)]
        if status != DeviationStatus.CLOSED and status != DeviationStatus.REJECTED:
            actions.append("classify")
    if access.restricted and status not in (DeviationStatus.CLOSED, DeviationStatus.REJECTED):
        actions.append("attach")
    if (access.handle or access.measure_owner) and any(m.done_at is None for m in measures):
        actions.append("complete_measure")
    clock = None
    if deviation.personal_data_breach:
        aware = deviation.reported_at
        deadline = breach_notification_deadline(aware)
        clock = BreachClock(
            aware_at=aware,
            notify_authority_by=deadline,
            hours_left=round((deadline - at).total_seconds() / 3600, 1),
        )
    today = at.date()
    return DeviationPublic(
        id=deviation.id,
        kind=DeviationKind(deviation.kind),
        kind_label=KIND_LABELS[DeviationKind(deviation.kind)],
        area=deviation.area,
        category_id=deviation.category_id,
        title=deviation.title,
        description=deviation.description,
        unit_id=deviation.unit_id,
        location=deviation.location,
        immediate_action=deviation.immediate_action,
        occurred_at=deviation.occurred_at,
        reported_at=deviation.reported_at,
        reported_by=deviation.reported_by,
        anonymous=deviation.anonymous,
        actual_consequence=deviation.actual_consequence,
        potential_consequence=deviation.potential_consequence,
        severity=deviation.severity,
        personal_data_breach=deviation.personal_data_breach,
        status=status,
        status_label=STATUS_LABELS[status],
        handling_unit_id=deviation.handling_unit_id,
        assignee_id=deviation.assignee_id,
        acknowledge_due_at=deviation.acknowledge_due_at,
        acknowledged_at=deviation.acknowledged_at,
        conclusion=deviation.conclusion,
        rejection_reason=deviation.rejection_reason,
        closed_at=deviation.closed_at,
        measures=[
            MeasurePublic(
                id=m.id,
                description=m.description,
                owner_id=m.owner_id,
                deadline=m.deadline,
                effectiveness_check=m.effectiveness_check,
                effectiveness_result=m.effectiveness_result,
                done_at=m.done_at,
                overdue=m.done_at is None and m.deadline is not None and m.deadline < today,
            )
            for m in measures
        ],
        restricted=restricted,
        breach_clock=clock,
        allowed_actions=actions,
    )


async def escalate_case(
    session: AsyncSession, deviation: Deviation, at: datetime, *, actor: uuid.UUID | None, comment: str | None = None
) -> list[Event] | None:
    """Move the case to the nearest unit above its handling unit that has a leader; None when there is none."""
    unit = await find_unit(session, deviation.handling_unit_id)
    if unit is None or unit.parent_id is None:
        return None
    leader = await repository.leader_at_or_above(session, unit.parent_id)
    if leader is None:
        return None
    settings = await tenant_settings(session, deviation.tenant_id)
    source = deviation.handling_unit_id
    deviation.handling_unit_id, deviation.assignee_id = leader[0].id, leader[1]
    deviation.acknowledge_due_at = at + timedelta(hours=settings.acknowledge_deadline_hours)
    deviation.status = DeviationStatus.REGISTERED
    record(
        session,
        deviation,
        actor,
        "escalated",
        at,
        from_unit_id=source,
        to_unit_id=leader[0].id,
        automatic=actor is None,
        comment=comment,
    )
    return [
        DeviationEscalated(**facts(deviation, at), from_unit_id=source, automatic=actor is None),
        DeviationAssigned(
            **facts(deviation, at),
            assignee_id=leader[1],
            acknowledge_due_at=deviation.acknowledge_due_at,
            reason="escalated",
        ),
    ]


async def _holds_any_role(session: AsyncSession, person_id: uuid.UUID) -> bool:
    import sqlalchemy as sa

    roles = replica_role_assignment
    found = await session.execute(sa.select(roles.c.id).where(roles.c.person_id == person_id).limit(1))
    return found.first() is not None


def _measure_public(measure: Measure, at: datetime) -> MeasurePublic:
    return MeasurePublic(
        id=measure.id,
        description=measure.description,
        owner_id=measure.owner_id,
        deadline=measure.deadline,
        effectiveness_check=measure.effectiveness_check,
        effectiveness_result=measure.effectiveness_result,
        done_at=measure.done_at,
        overdue=measure.done_at is None
        and measure.deadline is not None
        and measure.deadline < at.astimezone(UTC).date(),
    )
