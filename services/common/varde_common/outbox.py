"""The transactional outbox: a use case writes its rows and its events in one transaction.

The outbox is also the service's event log: published rows stay, and can be published again, for as long as
``varde_common.retention`` keeps them.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op
from opentelemetry import propagate
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from varde_common.calendar import now_utc
from varde_common.events.base import Event
from varde_common.tenancy import enable_tenant_rls

OUTBOX_TABLE = "outbox"
OUTBOX_CHANNEL = "varde_outbox"
RELAY_SETTING = "varde.outbox_relay"

metadata = sa.MetaData()


def _columns() -> list[sa.Column[object]]:
    return [
        sa.Column("seq", sa.BigInteger, sa.Identity(always=True), primary_key=True),
        sa.Column("id", sa.Uuid, nullable=False, unique=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("topic", sa.Text, nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("subject", sa.Text),
        sa.Column("time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", JSONB, nullable=False),
        sa.Column("traceparent", sa.Text),
        sa.Column("published_at", sa.DateTime(timezone=True)),
    ]


outbox_table = sa.Table(OUTBOX_TABLE, metadata, *_columns())


def create_outbox_table() -> None:
    """Migration step: the outbox table, its index of unpublished rows, row-level security and the wake-up."""
    op.create_table(
        OUTBOX_TABLE,
        *_columns(),
    )
    op.create_index("ix_outbox_unpublished", OUTBOX_TABLE, ["seq"], postgresql_where=sa.text("published_at IS NULL"))
    enable_tenant_rls(OUTBOX_TABLE, also_when=f"current_setting('{RELAY_SETTING}', true) = 'on'")
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION varde_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_notify('{OUTBOX_CHANNEL}', ''); RETURN NULL; END $$
        """
    )
    op.execute(
        f"CREATE TRIGGER outbox_notify AFTER INSERT ON {OUTBOX_TABLE} "
        "FOR EACH STATEMENT EXECUTE FUNCTION varde_outbox_notify()"
    )


def unpublished(limit: int) -> sa.Select[Any]:
    """The relay's query: the oldest rows not yet sent, in order (``ix_outbox_unpublished`` holds only those, so
    the rows already sent, however many, are not read)."""
    return (
        sa.select(outbox_table).where(outbox_table.c.published_at.is_(None)).order_by(outbox_table.c.seq).limit(limit)
    )


def current_traceparent() -> str | None:
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get("traceparent")


def outbox_row(
    event: Event,
    *,
    tenant_id: uuid.UUID,
    source: str,
    subject: str | None = None,
    traceparent: str | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "tenant_id": tenant_id,
        "topic": event.topic,
        "key": event.key(),
        "type": event.type,
        "source": source,
        "subject": subject,
        "time": at or now_utc(),
        "data": _json_data(event),
        "traceparent": traceparent if traceparent is not None else current_traceparent(),
    }


def _json_data(event: Event) -> Any:
    return event.model_dump(mode="json")


# The outbox insert as a CTE, for a hot path that writes its rows and its events in one statement (one round trip
# instead of one per table). Arrays keep the statement's text the same for any number of events, so PostgreSQL
# and asyncpg prepare it once.
OUTBOX_INSERT_CTE = """
    outbox_rows AS (
        INSERT INTO outbox (id, tenant_id, topic, key, type, source, subject, time, data, traceparent)
        SELECT e.id, :outbox_tenant_id, e.topic, e.key, e.type, :outbox_source, e.key, :outbox_time, e.data::jsonb,
               :outbox_traceparent
          FROM unnest(CAST(:outbox_ids AS uuid[]), CAST(:outbox_topics AS text[]), CAST(:outbox_keys AS text[]),
                      CAST(:outbox_types AS text[]), CAST(:outbox_data AS text[])) AS e(id, topic, key, type, data)
    )"""


def outbox_cte_params(events: list[Event], *, tenant_id: uuid.UUID, source: str) -> dict[str, Any]:
    """The parameters of :data:`OUTBOX_INSERT_CTE`: the same rows :func:`add_events` writes."""
    return {
        "outbox_tenant_id": tenant_id,
        "outbox_source": source,
        "outbox_time": now_utc(),
        "outbox_traceparent": current_traceparent(),
        "outbox_ids": [uuid.uuid4() for _ in events],
        "outbox_topics": [e.topic for e in events],
        "outbox_keys": [e.key() for e in events],
        "outbox_types": [e.type for e in events],
        "outbox_data": [e.model_dump_json() for e in events],
    }


async def add_events(
    session: AsyncSession, events: list[Event], *, tenant_id: uuid.UUID, source: str
) -> list[uuid.UUID]:
    """Record events in the caller's transaction; the relay publishes them after commit."""
    if not events:
        return []
    traceparent, at = current_traceparent(), now_utc()
    rows = [
        outbox_row(e, tenant_id=tenant_id, source=source, subject=e.key(), traceparent=traceparent, at=at)
        for e in events
    ]
    if rows:
        await session.execute(sa.insert(outbox_table), rows)
    return [row["id"] for row in rows]


def events_per_row_cte(
    name: str, rows: str, *, data: str, key: str = ":outbox_key", tenant: str = ":outbox_tenant_id"
) -> str:
    """A CTE ``name`` writing one event per row of ``rows`` (a table or CTE with its alias), for a statement that
    makes many rows and their events in one round trip (a reading list of 5 000 people). ``data``, ``key`` and
    ``tenant`` are SQL over ``rows``: each event's JSON, its key and its kommune; topic, type, source, time and
    trace come from :func:`events_per_row_params`. The outbox's columns are written here and nowhere else."""
    return f"""{name} AS (
        INSERT INTO outbox (id, tenant_id, topic, key, type, source, subject, time, data, traceparent)
        SELECT gen_random_uuid(), {tenant}, :outbox_topic, {key}, :outbox_type, :outbox_source, {key},
               :outbox_time, {data}, :outbox_traceparent
          FROM {rows}
        RETURNING 1
    )"""  # noqa: S608 - the parts are SQL of the caller's own constant statement; every value is bound


def events_per_row_params(
    event_class: type[Event], *, source: str, at: datetime | None = None, **fixed: Any
) -> dict[str, Any]:
    """The parameters of :func:`events_per_row_cte` for events of ``event_class`` (``fixed`` adds the key or the
    kommune when they are the same for every row: ``outbox_key=…``, ``outbox_tenant_id=…``)."""
    return {
        "outbox_topic": event_class.topic,
        "outbox_type": event_class.type,
        "outbox_source": source,
        "outbox_time": at or now_utc(),
        "outbox_traceparent": current_traceparent(),
        **fixed,
    }
