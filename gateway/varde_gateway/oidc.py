"""OpenID Connect token checks at the edge: which kommune's provider issued a token, and is it genuine.

Providers are configured per kommune in the directory (issuer, audience, JWKS URL, allowed algorithms). Signing
keys are fetched from each provider's JWKS URL, kept, and fetched again when a token names an unknown key id:
at most once per ``min_fetch_interval_s`` per URL, so a flood of made-up key ids cannot make the gateway hammer
an identity provider.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
from prometheus_client import Counter

from varde_common.errors import ProblemError
from varde_gateway.errors import (
    DevLoginDisabled,
    LoginNonceMismatch,
    LoginUnavailable,
    TokenAlgorithmRefused,
    TokenClaimMissing,
    TokenExpired,
    TokenIssuerNotConfigured,
    TokenMalformed,
    TokenNotYetValid,
    TokenSignatureInvalid,
    TokenSigningKeyUnknown,
    TokenTenantAmbiguous,
)

# Only asymmetric algorithms: a provider's key is public, so an HMAC "signed" with it proves nothing.
ASYMMETRIC_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
CLOCK_SKEW_S = 30

JWKS_FETCHES = Counter("varde_gateway_jwks_fetches", "JWKS documents fetched from identity providers", ["outcome"])


@dataclass(frozen=True, slots=True)
class Provider:
    """One kommune's identity provider, as the directory describes it."""

    provider_id: uuid.UUID
    tenant_id: uuid.UUID
    tenant_slug: str
    kind: str
    issuer: str
    audience: str
    jwks_url: str
    algorithms: tuple[str, ...]
    subject_claim: str
    # For the browser login (authorization code with PKCE); None when the provider only checks bearer tokens.
    client_id: str | None = None
    authorization_endpoint: str | None = None
    token_endpoint: str | None = None
    end_session_endpoint: str | None = None

    @property
    def browser_login(self) -> bool:
        return bool(self.client_id and self.authorization_endpoint and self.token_endpoint)


@dataclass(frozen=True, slots=True)
class VerifiedToken:
    provider: Provider
    subject: str
    expires_at: int


class JwksCache:
    """Signing keys per JWKS URL, refreshed on an unknown key id and rate-limited per URL."""

    def __init__(self, client: httpx.AsyncClient, min_fetch_interval_s: float = 10.0, max_age_s: float = 3600.0):
        self._client = client
        self._min_interval = min_fetch_interval_s
        self._max_age = max_age_s
        self._keys: dict[str, dict[str, jwt.PyJWK]] = {}
        self._fetched_at: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self.fetches = 0

    async def key(self, url: str, kid: str | None) -> jwt.PyJWK | None:
        keys = self._keys.get(url)
        fetched_at = self._fetched_at.get(url)
        stale = fetched_at is None or time.monotonic() - fetched_at > self._max_age
        if keys is not None and not stale:
            found = self._pick(keys, kid)
            if found is not None:
                return found
        async with self._locks.setdefault(url, asyncio.Lock()):
            fetched_at = self._fetched_at.get(url)
            if fetched_at is None or time.monotonic() - fetched_at >= self._min_interval:
                await self._fetch(url)
        return self._pick(self._keys.get(url, {}), kid)

    @staticmethod
    def _pick(keys: dict[str, jwt.PyJWK], kid: str | None) -> jwt.PyJWK | None:
        if kid is not None:
            return keys.get(kid)
        return next(iter(keys.values())) if len(keys) == 1 else None

    async def _fetch(self, url: str) -> None:
        self._fetched_at[url] = time.monotonic()
        self.fetches += 1
        try:
            response = await self._client.get(url, timeout=5.0)
            response.raise_for_status()
            document = response.json()
            keys: dict[str, jwt.PyJWK] = {}
            for raw in document.get("keys", []):
                if raw.get("use", "sig") != "sig":
                    continue
                try:
                    key = jwt.PyJWK(raw)
                except jwt.PyJWTError:
                    continue  # a key type we do not use; the others still count
                keys[str(raw.get("kid", ""))] = key
        except (httpx.HTTPError, ValueError, AttributeError):
            JWKS_FETCHES.labels("failed").inc()
            if url not in self._keys:
                raise LoginUnavailable() from None
            return  # keep the keys we had
        JWKS_FETCHES.labels("ok").inc()
        self._keys[url] = keys


class ProviderRegistry:
    """Every kommune's providers by issuer, loaded from the directory and reloaded when stale or asked for."""

    def __init__(
        self,
        load: Callable[[], Awaitable[list[Provider]]],
        max_age_s: float = 30.0,
        min_reload_interval_s: float = 10.0,
    ) -> None:
        self._load = load
        self._max_age = max_age_s
        self._min_interval = min(min_reload_interval_s, max_age_s)
        self._by_issuer: dict[str, list[Provider]] | None = None
        self._by_tenant: dict[str, list[Provider]] = {}
        self._loaded_at = float("-inf")
        self._lock = asyncio.Lock()

    async def for_issuer(self, issuer: str) -> list[Provider]:
        age = time.monotonic() - self._loaded_at
        if (
            self._by_issuer is None
            or age > self._max_age
            or (issuer not in self._by_issuer and age > self._min_interval)
        ):
            await self._reload()
        return (self._by_issuer or {}).get(issuer, [])

    async def for_tenant(self, tenant_slug: str) -> list[Provider]:
        if self._by_issuer is None or time.monotonic() - self._loaded_at > self._max_age:
            await self._reload()
        return self._by_tenant.get(tenant_slug, [])

    async def _reload(self) -> None:
        async with self._lock:
            if time.monotonic() - self._loaded_at < self._min_interval and self._by_issuer is not None:
                return
            try:
                providers = await self._load()
            except Exception:
                self._loaded_at = time.monotonic()
                if self._by_issuer is None:
                    raise LoginUnavailable() from None
                return  # the directory is away: the providers we know still hold
            by_issuer: dict[str, list[Provider]] = {}
            by_tenant: dict[str, list[Provider]] = {}
            for provider in providers:
                by_issuer.setdefault(provider.issuer, []).append(provider)
                by_tenant.setdefault(provider.tenant_slug, []).append(provider)
            self._by_issuer, self._by_tenant = by_issuer, by_tenant
            self._loaded_at = time.monotonic()


def _refused(exc: jwt.PyJWTError) -> ProblemError:
    """Why PyJWT refused a token, as the problem a client can act on."""
    if isinstance(exc, jwt.ExpiredSignatureError):
        return TokenExpired()
    if isinstance(exc, jwt.ImmatureSignatureError):
        return TokenNotYetValid()
    if isinstance(exc, jwt.MissingRequiredClaimError):
        return TokenClaimMissing(claim=exc.claim)
    if isinstance(exc, jwt.InvalidSignatureError):
        return TokenSignatureInvalid()
    if isinstance(exc, (jwt.InvalidAudienceError, jwt.InvalidIssuerError)):
        return TokenIssuerNotConfigured()
    return TokenMalformed()


def _allowed_algorithms(header: dict[str, Any], provider: Provider) -> list[str]:
    """The provider's asymmetric algorithms, or the refusal when the token uses another."""
    allowed = [a for a in provider.algorithms if a in ASYMMETRIC_ALGORITHMS]
    algorithm = header.get("alg")
    if algorithm not in allowed:
        raise TokenAlgorithmRefused(algorithm=str(algorithm)[:20])
    return allowed


def _audiences(claims: dict[str, Any]) -> set[str]:
    audience = claims.get("aud")
    if isinstance(audience, str):
        return {audience}
    if isinstance(audience, list):
        return {a for a in audience if isinstance(a, str)}
    return set()


class TokenVerifier:
    """Finds the provider a token claims to come from, then checks it completely against that provider."""

    def __init__(
        self,
        registry: ProviderRegistry,
        jwks: JwksCache,
        local_keys: Callable[[Provider], Any | None],
    ) -> None:
        self.registry = registry
        self.jwks = jwks
        self._local_keys = local_keys  # the development provider's key, in dev mode only

    async def verify(self, token: str, tenant_slug: str | None, *, check_signature: bool = True) -> VerifiedToken:
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError as exc:
            raise TokenMalformed() from exc
        provider = await self._provider(unverified, tenant_slug)
        allowed = _allowed_algorithms(header, provider)
        if check_signature:
            claims = await self._checked_claims(token, provider, header.get("kid"), allowed)
        else:
            claims = unverified
        subject = claims.get(provider.subject_claim)
        if not isinstance(subject, str) or not subject:
            raise TokenClaimMissing(claim=provider.subject_claim)
        expires_at = claims.get("exp")
        if not isinstance(expires_at, int):
            raise TokenClaimMissing(claim="exp")
        return VerifiedToken(provider=provider, subject=subject, expires_at=expires_at)

    async def _provider(self, unverified: dict[str, Any], tenant_slug: str | None) -> Provider:
        issuer = unverified.get("iss")
        if not isinstance(issuer, str):
            raise TokenClaimMissing(claim="iss")
        audiences = _audiences(unverified)
        candidates = [p for p in await self.registry.for_issuer(issuer) if p.audience in audiences]
        if tenant_slug is not None:
            candidates = [p for p in candidates if p.tenant_slug == tenant_slug]
        if not candidates:
            raise TokenIssuerNotConfigured()
        if len({p.tenant_id for p in candidates}) > 1:
            raise TokenTenantAmbiguous()
        return candidates[0]

    async def verify_id_token(self, token: str, provider: Provider, nonce: str) -> VerifiedToken:
        """An ID token from the browser login: issued by ``provider`` for its client, with our nonce."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise TokenMalformed() from exc
        allowed = _allowed_algorithms(header, provider)
        claims = await self._checked_claims(token, provider, header.get("kid"), allowed, audience=provider.client_id)
        if claims.get("nonce") != nonce:
            raise LoginNonceMismatch()
        subject = claims.get(provider.subject_claim)
        if not isinstance(subject, str) or not subject:
            raise TokenClaimMissing(claim=provider.subject_claim)
        return VerifiedToken(provider=provider, subject=subject, expires_at=int(claims["exp"]))

    async def _checked_claims(
        self, token: str, provider: Provider, kid: str | None, algorithms: list[str], audience: str | None = None
    ) -> dict[str, Any]:
        key = self._local_keys(provider) if provider.kind == "dev" else None
        if key is None:
            if provider.kind == "dev":
                raise DevLoginDisabled()
            jwk = await self.jwks.key(provider.jwks_url, kid)
            if jwk is None:
                raise TokenSigningKeyUnknown()
            key = jwk.key
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=algorithms,
                audience=audience or provider.audience,
                issuer=provider.issuer,
                leeway=CLOCK_SKEW_S,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.PyJWTError as exc:
            raise _refused(exc) from exc
        return claims
