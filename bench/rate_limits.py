"""What a rate-limit check costs the gateway per request, in-process: ``python -m bench.rate_limits``.

Measures :meth:`varde_gateway.ratelimits.RateLimiter.check` on the embedded Valkey (what the dev stack runs and
production's Valkey/Redis stands for), on in-process memory (one replica only: the floor), and for a request no
policy covers. Beside them, the least a counter in PostgreSQL would cost: one upsert of a counter row per request
(what a PostgreSQL-backed limiter does at the very least), on the embedded PostgreSQL, through asyncpg.
Prints JSON; asserts nothing.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg

from varde_common.embedded import EmbeddedPostgres, free_port
from varde_common.embedded_valkey import EmbeddedValkey
from varde_common.identity import InternalTokenSigner, generate_private_key_pem
from varde_gateway.ratelimits import RateLimiter
from varde_gateway.ratepolicies import default_policies

ROUNDS = 5_000


async def timed(call: Callable[[], Awaitable[Any]], rounds: int = ROUNDS) -> dict[str, float]:
    """Wall time per call (p50, p99) and this process's CPU time per call: on a busy machine the CPU time is the
    steadier figure, and it is what the check takes from the gateway's capacity."""
    for _ in range(200):
        await call()
    samples = []
    cpu_started = time.process_time()
    for _ in range(rounds):
        started = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - started)
    cpu_per_call = (time.process_time() - cpu_started) / rounds
    ordered = sorted(samples)
    return {
        "p50_us": round(statistics.median(ordered) * 1e6, 1),
        "p99_us": round(ordered[int(len(ordered) * 0.99)] * 1e6, 1),
        "cpu_us": round(cpu_per_call * 1e6, 1),
    }


def internal_token() -> str:
    signer = InternalTokenSigner(generate_private_key_pem())
    return signer.for_person(
        to="deviations",
        tenant_id=uuid.uuid4(),
        tenant_slug="bench",
        person_id=uuid.uuid4(),
        not_after=int(time.time()) + 3600,
    )


async def limiter_costs(storage_url: str, token: str) -> dict[str, Any]:
    # The default quotas, raised so that the measured burst is never refused (a refusal costs one more call).
    policies = [
        policy.model_copy(update={"per_person": "10000000/minute", "per_kommune": "10000000/minute"})
        for policy in default_policies()
    ]
    limiter = RateLimiter(policies, storage_url)
    client = ("10.0.0.1", 40000)
    write = {"type": "http", "method": "POST", "path": "/api/v1/deviations", "client": client}
    read = {"type": "http", "method": "GET", "path": "/api/v1/deviations/x", "client": client}
    written = await timed(lambda: limiter.check(write, token))
    unlimited = await timed(lambda: limiter.check(read))
    return {"write_person_and_kommune": written, "read_no_policy": unlimited}


async def postgres_upsert_cost(url: str) -> dict[str, float]:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(
            "CREATE UNLOGGED TABLE IF NOT EXISTS rate_counter (key text, window_start bigint, hits int, "
            "PRIMARY KEY (key, window_start))"
        )
        statement = await connection.prepare(
            "INSERT INTO rate_counter VALUES ($1, $2, 1) ON CONFLICT (key, window_start) "
            "DO UPDATE SET hits = rate_counter.hits + 1 RETURNING hits"
        )

        async def two_counters() -> None:
            window = int(time.time()) // 60
            await statement.fetchval("writes.person:p", window)
            await statement.fetchval("writes.kommune:k", window)

        return await timed(two_counters)
    finally:
        await connection.close()


async def main() -> None:
    token = internal_token()
    with tempfile.TemporaryDirectory() as folder:
        valkey = EmbeddedValkey(free_port(), log_file=Path(folder) / "valkey.log")
        postgres = EmbeddedPostgres(Path(folder) / "postgres", free_port())
        valkey.start()
        postgres.start()
        try:
            figures = {
                "rounds": ROUNDS,
                "valkey": await limiter_costs(valkey.url, token),
                "memory": await limiter_costs("memory://", token),
                "postgres_two_counter_upserts_unlogged": await postgres_upsert_cost(postgres.url(driver="")),
            }
        finally:
            valkey.stop()
            postgres.stop()
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
