"""After the in-memory broker lost its log: every service publishes its outbox again.

The outbox is each service's event log (the relay marks a row only once the broker acknowledged it), so what the
broker had acknowledged is all still there. Marked unpublished again, the relays publish it in order; consumers
find every event again, and their inboxes skip the ones they had already handled.

Only the events published within the consumers' inbox window go again: an inbox row is written when an event is
handled, after it was published, so an event published within the window that was handled still has its inbox
row, while an older one may have lost it to the inbox's retention and would be applied a second time. What the
broker lost and nobody had consumed was published moments before, well inside the window.
"""

from __future__ import annotations

import asyncpg

from varde_common.outbox import OUTBOX_CHANNEL, OUTBOX_TABLE
from varde_common.settings import ServiceSettings

INBOX_WINDOW_DAYS: int = ServiceSettings.model_fields["inbox_retention_days"].default


async def republish_outboxes(
    admin_urls: dict[str, str], lock_timeout_s: float = 2.0, window_days: int = INBOX_WINDOW_DAYS
) -> int:
    """Mark the events each database's outbox published within the inbox window unpublished and wake its relay;
    how many there were.

    Raises ``asyncpg.LockNotAvailableError`` when a relay holds rows it is marking (a relay stopped in the middle
    of its transaction cannot let go until it runs again)."""
    total = 0
    for url in admin_urls.values():
        connection = await asyncpg.connect(url)
        try:
            await connection.execute(f"SET lock_timeout = '{int(lock_timeout_s * 1000)}ms'")
            if not await connection.fetchval("SELECT to_regclass($1) IS NOT NULL", OUTBOX_TABLE):
                continue
            status = await connection.execute(
                f"UPDATE {OUTBOX_TABLE} SET published_at = NULL "  # noqa: S608 - a constant
                "WHERE published_at > now() - make_interval(days => $1)",
                window_days,
            )
            total += int(status.rsplit(" ", 1)[-1])
            await connection.execute(f"NOTIFY {OUTBOX_CHANNEL}")
        finally:
            await connection.close()
    return total
