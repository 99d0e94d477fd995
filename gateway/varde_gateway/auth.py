"""Authentication at the edge: validate the caller's bearer token, then vouch for them with an internal token.

Validated tokens are remembered until they expire, so the full check runs once per token, not per request.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

import jwt
from cryptography.hazmat.primitives import serialization

from varde_common.errors import UnauthorizedError
from varde_common.identity import InternalTokenSigner

DEV_ISSUER = "urn:varde:dev-idp"
DEV_AUDIENCE = "urn:varde:api"
DEV_TOKEN_TTL_S = 8 * 3600


@dataclass(frozen=True, slots=True)
class Caller:
    tenant_id: uuid.UUID
    tenant_slug: str
    person_id: uuid.UUID
    expires_at: int


class DevIdentityProvider:
    """The built-in identity provider of ``VARDE_ENV=dev``: it signs tokens for demo people."""

    def __init__(self, private_key_pem: str) -> None:
        self._private = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
        self.public_key = self._private.public_key()

    def issue(
        self, *, tenant_id: uuid.UUID, tenant_slug: str, person_id: uuid.UUID, ttl_s: int = DEV_TOKEN_TTL_S
    ) -> str:
        now = int(time.time())
        claims = {
            "iss": DEV_ISSUER,
            "aud": DEV_AUDIENCE,
            "sub": str(person_id),
            "tid": str(tenant_id),
            "tslug": tenant_slug,
            "iat": now,
            "nbf": now,
            "exp": now + ttl_s,
        }
        return jwt.encode(claims, self._private, algorithm="EdDSA")  # type: ignore[arg-type]


class Authenticator:
    def __init__(
        self, signer: InternalTokenSigner, dev_idp: DevIdentityProvider | None, cache_size: int = 50_000
    ) -> None:
        self.signer = signer
        self.dev_idp = dev_idp
        self._cache: dict[str, tuple[str, float]] = {}
        self._cache_size = cache_size

    def internal_token(self, bearer: str) -> str:
        """The internal token for a caller's bearer token; raises UnauthorizedError for any bad token."""
        now = time.time()
        cached = self._cache.get(bearer)
        if cached is not None and cached[1] > now + 5:
            return cached[0]
        caller = self.validate(bearer)
        token = self.signer.for_person(
            tenant_id=caller.tenant_id,
            tenant_slug=caller.tenant_slug,
            person_id=caller.person_id,
            not_after=caller.expires_at,
        )
        if len(self._cache) >= self._cache_size:
            self._cache.clear()
        self._cache[bearer] = (token, min(caller.expires_at, now + self.signer.ttl_s))
        return token

    def validate(self, bearer: str) -> Caller:
        try:
            unverified = jwt.decode(bearer, options={"verify_signature": False})
        except jwt.PyJWTError as exc:
            raise UnauthorizedError("Ugyldig token.") from exc
        if unverified.get("iss") == DEV_ISSUER and self.dev_idp is not None:
            return self._validate_dev(bearer)
        raise UnauthorizedError("Tokenet er ikke utstedt av en godkjent identitetsleverandør.")

    def _validate_dev(self, bearer: str) -> Caller:
        assert self.dev_idp is not None
        try:
            claims = jwt.decode(
                bearer,
                self.dev_idp.public_key,  # type: ignore[arg-type]
                algorithms=["EdDSA"],
                audience=DEV_AUDIENCE,
                issuer=DEV_ISSUER,
                options={"require": ["exp", "iat", "sub", "aud", "iss"]},
            )
            return Caller(
                tenant_id=uuid.UUID(claims["tid"]),
                tenant_slug=str(claims["tslug"]),
                person_id=uuid.UUID(claims["sub"]),
                expires_at=int(claims["exp"]),
            )
        except jwt.ExpiredSignatureError as exc:
            raise UnauthorizedError("Tokenet er utløpt. Logg inn på nytt.") from exc
        except (jwt.PyJWTError, KeyError, ValueError) as exc:
            raise UnauthorizedError("Ugyldig token.") from exc
