"""Rate limits at the edge: per person and per kommune on writes and on the expensive reads, per client address on
the logins and the receipt lookup (varde_gateway.ratepolicies says which, and how many).

Counted by the ``limits`` library with its sliding-window counter in a shared Valkey/Redis
(``VARDE_RATE_LIMIT_STORAGE_URL``): every replica of the gateway counts in the same place, so three replicas do not
let three times the quota through. A refusal is 429 with ``Retry-After`` and the fields of
draft-ietf-httpapi-ratelimit-headers-10 (``RateLimit-Policy: "writes.person";q=1200;w=60`` and
``RateLimit: "writes.person";r=0;t=12``).

When the counter storage cannot be reached, requests pass (one log line a minute says so): a limit that is away
must not take the whole API with it.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import jwt
from limits import RateLimitItem
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.errors import StorageError
from limits.storage import storage_from_string

from varde_common.errors import ProblemError
from varde_common.language import language_of
from varde_common.logs import Throttle
from varde_gateway.errors import RATE_LIMIT_REFUSALS, RateLimitExceeded
from varde_gateway.proxy import Receive, Scope, Send, request_id_from, send_problem
from varde_gateway.ratepolicies import RatePolicy

log = logging.getLogger("varde.gateway.ratelimits")

KEY_PREFIX = "varde-gateway"
# A counter storage that does not answer in this time counts as away (the request then passes).
STORAGE_TIMEOUT_S = 0.25
OUTAGE_LOG_INTERVAL_S = 60.0
# After the storage failed to answer, requests pass uncounted this long without asking it: otherwise every limited
# request would wait STORAGE_TIMEOUT_S for a storage that is away (a Valkey pod being moved, say).
STORAGE_AWAY_S = 5.0
_IDENTITY_CACHE_SIZE = 50_000


def async_storage_url(url: str) -> str:
    """``valkey://host:port`` as written in the settings, in the library's async scheme (``async+valkey://``)."""
    return url if url.startswith("async+") else "async+" + url


@dataclass(frozen=True, slots=True)
class Quota:
    policy: str
    partition: str
    item: RateLimitItem

    @property
    def name(self) -> str:
        return f"{self.policy}.{self.partition}"

    @property
    def window_s(self) -> int:
        return int(self.item.get_expiry())


def refusal_headers(quota: Quota, retry_after_s: int, remaining: int) -> list[tuple[bytes, bytes]]:
    """``RateLimit-Policy`` and ``RateLimit`` in the form of draft-ietf-httpapi-ratelimit-headers-10 (structured
    field lists of items named by a string); ``Retry-After`` comes with the problem itself."""
    policy = f'"{quota.name}";q={quota.item.amount};w={quota.window_s}'
    current = f'"{quota.name}";r={remaining};t={retry_after_s}'
    return [(b"ratelimit-policy", policy.encode()), (b"ratelimit", current.encode())]


@dataclass(frozen=True, slots=True)
class Refusal:
    """A request over a quota: the problem to answer and the headers that go with it."""

    problem: RateLimitExceeded
    headers: list[tuple[bytes, bytes]]


class RateLimiter:
    def __init__(self, policies: list[RatePolicy], storage_url: str) -> None:
        self.policies = [(policy, policy.pattern()) for policy in policies]
        self._quotas = {
            policy.name: [Quota(policy.name, partition, item) for partition, item in policy.quotas().items()]
            for policy in policies
        }
        options: dict[str, float | str | bool] = {}
        if not storage_url.startswith(("memory", "async+memory")):
            # valkey-py for redis:// too: it speaks to Redis alike, and the library's default client (coredis) is
            # one more dependency.
            options = {
                "implementation": "valkey",
                "socket_timeout": STORAGE_TIMEOUT_S,
                "socket_connect_timeout": STORAGE_TIMEOUT_S,
            }
        storage = storage_from_string(
            async_storage_url(storage_url), wrap_exceptions=True, key_prefix=KEY_PREFIX, **options
        )
        self.strategy = SlidingWindowCounterRateLimiter(storage)
        self._identities: dict[str, tuple[str, str]] = {}
        self._outage_lines = Throttle(OUTAGE_LOG_INTERVAL_S)
        self._storage_away_until = -math.inf

    def policy_for(self, method: str, path: str) -> RatePolicy | None:
        for policy, pattern in self.policies:
            if method in policy.methods and pattern.fullmatch(path):
                return policy
        return None

    def problems_for(self, method: str, path: str) -> tuple[type[ProblemError], ...]:
        """The refusals an operation can answer (for the OpenAPI document)."""
        policy = self.policy_for(method.upper(), path)
        if policy is None:
            return ()
        return tuple(RATE_LIMIT_REFUSALS[quota.partition] for quota in self._quotas[policy.name])

    async def check(self, scope: Scope, internal_token: str | None = None) -> Refusal | None:
        """Count one request against its policy's quotas (per the person and kommune of ``internal_token``, and
        per client address); the refusal when one of them is used up."""
        policy = self.policy_for(scope["method"], scope["path"])
        if policy is None:
            return None
        if time.monotonic() < self._storage_away_until:
            return None
        person, kommune = self._identity(internal_token) if internal_token else (None, None)
        partitions = {"person": person, "kommune": kommune, "address": client_address(scope)}
        try:
            for quota in self._quotas[policy.name]:
                key = partitions[quota.partition]
                if key is None:
                    continue
                if not await self.strategy.hit(quota.item, quota.name, key):
                    return await self._refusal(quota, key)
        except StorageError:
            self._storage_away_until = time.monotonic() + STORAGE_AWAY_S
            self._log_outage()
        return None

    async def _refusal(self, quota: Quota, key: str) -> Refusal:
        stats = await self.strategy.get_window_stats(quota.item, quota.name, key)
        retry_after_s = max(1, math.ceil(stats.reset_time - time.time()))
        problem = RATE_LIMIT_REFUSALS[quota.partition](seconds=retry_after_s, policy=quota.name)
        return Refusal(problem, refusal_headers(quota, retry_after_s, stats.remaining))

    def _identity(self, internal_token: str) -> tuple[str, str]:
        """Person and kommune of the internal token the gateway itself has just signed (so not verified again)."""
        known = self._identities.get(internal_token)
        if known is None:
            claims = jwt.decode(internal_token, options={"verify_signature": False})
            known = (str(claims["sub"]), str(claims.get("tid", "")))
            if len(self._identities) >= _IDENTITY_CACHE_SIZE:
                self._identities.clear()
            self._identities[internal_token] = known
        return known

    def _log_outage(self) -> None:
        if self._outage_lines.due():
            log.warning("rate-limit storage unreachable; requests pass uncounted until it answers again")


def client_address(scope: Scope) -> str | None:
    client = scope.get("client")
    return str(client[0]) if client else None


class AddressLimits:
    """ASGI wrapper for the gateway's own routes (the logins): counted per client address before they run."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], limiter: RateLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            refusal = await self.limiter.check(scope)
            if refusal is not None:
                await send_refusal(send, scope, refusal)
                return
        await self.app(scope, receive, send)


async def send_refusal(send: Send, scope: Scope, refusal: Refusal) -> None:
    headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
    language = language_of(next((v.decode("latin-1") for k, v in headers if k == b"accept-language"), None))
    await send_problem(
        send, refusal.problem, request_id_from(headers), scope["path"], language, extra_headers=refusal.headers
    )
