"""Authentication at the edge: check the caller's token against their kommune's identity provider, map its
subject to a person through the directory, then vouch for them with an internal token.

The result is remembered per token until it (or the internal token) expires, so the full check runs once per
token, not per request. A person the directory does not know, or no longer knows, gets 403 with a message
that tells them what to do.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any, Protocol

import jwt
from cryptography.hazmat.primitives import serialization

from varde_common.identity import InternalTokenSigner
from varde_gateway.errors import PersonNotInKommune
from varde_gateway.oidc import Provider, TokenVerifier

DEV_ISSUER = "urn:varde:dev-idp"
DEV_TOKEN_TTL_S = 8 * 3600
RESOLVED_TTL_S = 60.0


def dev_audience(slug: str) -> str:
    return f"urn:varde:api:{slug}"


@dataclass(frozen=True, slots=True)
class Person:
    tenant_id: uuid.UUID
    tenant_slug: str
    person_id: uuid.UUID


class PersonResolver(Protocol):
    async def resolve(self, provider: Provider, subject: str) -> Person | None: ...


class DevIdentityProvider:
    """The built-in identity provider of ``VARDE_ENV=dev``: it signs tokens as an OpenID provider would.

    Each demo kommune lists it as one of its providers (kind ``dev``); a person's subject is their e-mail.
    """

    def __init__(self, private_key_pem: str) -> None:
        self._private = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
        self.public_key = self._private.public_key()

    def issue(self, *, tenant_slug: str, subject: str, ttl_s: int = DEV_TOKEN_TTL_S, **extra: Any) -> str:
        now = int(time.time())
        claims = {
            "iss": DEV_ISSUER,
            "aud": dev_audience(tenant_slug),
            "sub": subject,
            "iat": now,
            "nbf": now,
            "exp": now + ttl_s,
            **extra,
        }
        return jwt.encode(claims, self._private, algorithm="EdDSA")  # type: ignore[arg-type]


class Authenticator:
    def __init__(
        self,
        signer: InternalTokenSigner,
        verifier: TokenVerifier,
        people: PersonResolver,
        *,
        cache_tokens: bool = True,
        check_signatures: bool = True,
        cache_size: int = 50_000,
    ) -> None:
        self.signer = signer
        self.verifier = verifier
        self.people = people
        self.cache_tokens = cache_tokens
        self.check_signatures = check_signatures
        self._tokens: dict[tuple[str, str | None, str], tuple[str, float]] = {}
        self._resolved: dict[tuple[uuid.UUID, str], tuple[Person | None, float]] = {}
        self._cache_size = cache_size

    async def internal_token(self, bearer: str, service: str, tenant_slug: str | None = None) -> str:
        """The internal token for ``service`` for a caller's bearer token: 401 for any bad token, 403 for an unknown
        person. Remembered per bearer token and service: a person's first call to each service checks the token."""
        now = time.time()
        key = (bearer, tenant_slug, service)
        cached = self._tokens.get(key)
        if cached is not None and cached[1] > now + 5:
            return cached[0]
        verified = await self.verifier.verify(bearer, tenant_slug, check_signature=self.check_signatures)
        person = await self._person(verified.provider, verified.subject, now)
        token = self.signer.for_person(
            to=service,
            tenant_id=person.tenant_id,
            tenant_slug=person.tenant_slug,
            person_id=person.person_id,
            not_after=verified.expires_at,
        )
        if self.cache_tokens:
            if len(self._tokens) >= self._cache_size:
                self._tokens.clear()
            self._tokens[key] = (token, min(verified.expires_at, now + self.signer.ttl_s))
        return token

    async def person_for(self, provider: Provider, subject: str) -> Person:
        return await self._person(provider, subject, time.time())

    async def _person(self, provider: Provider, subject: str, now: float) -> Person:
        key = (provider.provider_id, subject)
        cached = self._resolved.get(key)
        if cached is not None and cached[1] > now:
            person = cached[0]
        else:
            person = await self.people.resolve(provider, subject)
            if len(self._resolved) >= self._cache_size:
                self._resolved.clear()
            self._resolved[key] = (person, now + RESOLVED_TTL_S)
        if person is None:
            raise PersonNotInKommune()
        return person
