"""A risk links to the deviations it learns from and the procedures that are its barriers. Risk knows them only
from their events (here through FastStream's TestKafkaBroker and the real subscribers): a link to an id no event
has named, or to another kommune's case, is refused with the ids named; a linked case shows what it is now."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import httpx
from faststream.kafka import KafkaBroker, TestKafkaBroker
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.envelope import encode_data, encode_headers
from varde_common.events import (
    DeviationClosed,
    DeviationReported,
    DocumentApproved,
    DocumentSubmitted,
    Event,
    ProcedureRevisionOverdue,
    ReadingRequested,
    owner_of,
    source_of,
)
from varde_common.identity import InternalTokenSigner
from varde_common.kafka import EventRouter
from varde_common.settings import ServiceSettings
from varde_common.testing.factories import TinyOrg, bearer, seed_tiny_org
from varde_risk.subscribers import register

API = "/api/v1/risk"


async def deliver(
    sessions: async_sessionmaker[AsyncSession], events: list[tuple[TinyOrg, Event, datetime]]
) -> EventRouter:
    """Publish the events, each of its kommune and at its time, to the risk worker's subscribers."""
    broker = KafkaBroker("127.0.0.1:1")
    router = EventRouter(broker, service="risk", settings=ServiceSettings(consumer_retry_delays_s=[0.01]))
    register(router, sessions)
    router.subscribe()
    async with TestKafkaBroker(broker) as test_broker:
        for org, event, at in events:
            headers = encode_headers(
                event_id=uuid.uuid4(),
                event_type=event.type,
                source=source_of(owner_of(type(event))),
                time=at,
                tenant_id=org.tenant_id,
                subject=event.key(),
                traceparent=None,
            )
            await test_broker.publish(
                encode_data(event),
                topic=event.topic,
                key=event.key().encode(),
                headers={k: v.decode() for k, v in headers},
            )
    return router


async def test_links_are_checked_against_what_the_events_told(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    org: TinyOrg,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    elsewhere = await seed_tiny_org(sessions, slug="nabokommune")
    fall, theirs, procedure = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    now = datetime.now(UTC)
    case = {"deviation_id": fall, "unit_id": org.unit_id, "kind": "uonsket_hendelse", "area": "hms", "severity": 4}
    document = {"document_id": procedure, "kind": "prosedyre", "owner_unit_id": org.unit_id}
    document |= {"approver_unit_id": org.sector_id}
    version = {"version_id": uuid.uuid4(), "version_number": 3, "author_id": org.employee}
    router = await deliver(
        sessions,
        [
            (org, DeviationReported(**case, status="registered", reported_at=now), now),
            (org, DeviationClosed(**case, status="closed", reported_at=now), now + timedelta(seconds=5)),
            # Redelivered late: an older event does not undo the newer one.
            (org, DeviationReported(**case, status="registered", reported_at=now), now),
            (elsewhere, DeviationReported(**{**case, "deviation_id": theirs}, status="registered"), now),
            (org, DocumentSubmitted(**document, **version, at=now), now),
            (
                org,
                DocumentApproved(
                    **document,
                    **version,
                    at=now,
                    significant=True,
                    approved_by=org.unit_leader,
                    revision_owner_id=org.unit_leader,
                    revision_due=date(2027, 6, 1),
                ),
                now + timedelta(seconds=1),
            ),
            (
                org,
                ProcedureRevisionOverdue(
                    **document, at=now, revision_owner_id=org.unit_leader, revision_due=date(2027, 6, 1)
                ),
                now + timedelta(seconds=2),
            ),
            (org, ReadingRequested(**document, **version, at=now, person_id=org.employee, due_on=now.date()), now),
        ],
    )
    assert router.dead_lettered == 0

    leader = bearer(token_signer, org, org.unit_leader)
    body = {"title": "ROS fall", "kind": "hms", "unit_id": str(org.unit_id)}
    assessment = (await client.post(f"{API}/assessments", json=body, headers=leader)).json()
    risks = f"{API}/assessments/{assessment['id']}/risks"
    risk = {"title": "Fall i korridor", "probability": 3, "consequence": 3}

    unknown = uuid.uuid4()
    refused = await client.post(
        risks, json={**risk, "deviation_ids": [str(fall), str(unknown), str(theirs)]}, headers=leader
    )
    assert refused.status_code == 422, refused.text
    errors = refused.json()["errors"]
    assert [e["field"] for e in errors] == ["deviation_ids"]
    assert str(unknown) in errors[0]["message"]
    assert str(theirs) in errors[0]["message"]
    assert str(fall) not in errors[0]["message"]

    linked = await client.post(
        risks, json={**risk, "deviation_ids": [str(fall)], "document_ids": [str(procedure)]}, headers=leader
    )
    assert linked.status_code == 201, linked.text
    shown = linked.json()
    assert [(d["id"], d["status"], d["severity"], d["area"]) for d in shown["deviations"]] == [
        (str(fall), "closed", 4, "hms")
    ]
    assert [(d["status"], d["version_number"], d["revision_overdue"]) for d in shown["documents"]] == [
        ("in_force", 3, True)
    ]

    changed = await client.patch(f"{risks}/{shown['id']}", json={"document_ids": [str(uuid.uuid4())]}, headers=leader)
    assert changed.status_code == 422
    assert changed.json()["errors"][0]["field"] == "document_ids"
    read = (await client.get(f"{API}/assessments/{assessment['id']}", headers=leader)).json()
    assert read["risk_list"][0]["document_ids"] == [str(procedure)]  # the refused change changed nothing
