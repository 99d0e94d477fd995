"""``Idempotency-Key`` on create calls: the same key and body get the first answer; the same key with another
body is refused. Mobile clients on bad networks retry; they must not create duplicates.

The record is written in the create's own transaction. Two concurrent calls with one key meet at the primary
key: the second waits for the first to commit and then reads its answer.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.errors import InvalidInputError
from varde_deviations.models import IdempotencyRecord, now

ANONYMOUS_SCOPE = "anonymous"
KEY_PATTERN = r"^[A-Za-z0-9_.:-]{8,200}$"

records: sa.Table = IdempotencyRecord.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Claim:
    tenant_id: uuid.UUID
    scope: str
    key: str
    request_hash: str


def request_hash(body: dict[str, Any]) -> str:
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


async def claim(session: AsyncSession, claim: Claim) -> dict[str, Any] | None:
    """Take the key for this call (None), or return the first call's stored answer for the same body."""
    inserted = await session.execute(
        insert(records)
        .values(
            tenant_id=claim.tenant_id,
            scope=claim.scope,
            key=claim.key,
            request_hash=claim.request_hash,
            status_code=0,
            response={},
            created_at=now(),
        )
        .on_conflict_do_nothing()
        .returning(records.c.key)
    )
    if inserted.first() is not None:
        return None
    stored = (
        await session.execute(
            sa.select(records.c.request_hash, records.c.response).where(
                records.c.tenant_id == claim.tenant_id, records.c.scope == claim.scope, records.c.key == claim.key
            )
        )
    ).one()
    if stored.request_hash != claim.request_hash:
        raise InvalidInputError(
            "Idempotency-Key er brukt før med et annet innhold. Bruk en ny nøkkel for en ny melding.",
            extra={"errors": [{"field": "Idempotency-Key", "message": "brukt med annet innhold", "code": "reused"}]},
        )
    response: dict[str, Any] = stored.response
    return response


async def remember(session: AsyncSession, claim: Claim, status_code: int, response: dict[str, Any]) -> None:
    await session.execute(
        sa.update(records)
        .where(records.c.tenant_id == claim.tenant_id, records.c.scope == claim.scope, records.c.key == claim.key)
        .values(status_code=status_code, response=response)
    )
