"""The internal identity token: signed by the gateway (Ed25519), verified by every service.

Services accept nothing else: the caller's own token never reaches them. The token carries the tenant and the
person; what the person may do is decided by the owning service.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Annotated, Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import Depends, Request

from varde_common.errors import InternalIdentityInvalid, PersonRequired, ServiceCallerRequired

INTERNAL_ISSUER = "urn:varde:gateway"
INTERNAL_AUDIENCE = "urn:varde:services"
INTERNAL_ALGORITHM = "EdDSA"
DEFAULT_TTL_S = 300
SERVICE_SUBJECT_PREFIX = "service:"


@dataclass(frozen=True, slots=True)
class Identity:
    """Who is calling: a person in a kommune (tenant), as vouched for by the gateway."""

    tenant_id: uuid.UUID
    tenant_slug: str
    person_id: uuid.UUID
    expires_at: int


@dataclass(frozen=True, slots=True)
class ServiceCaller:
    """Another part of Varde (the gateway) calling an internal route, on no person's behalf."""

    name: str


def generate_private_key_pem() -> str:
    key = Ed25519PrivateKey.generate()
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def public_key_pem(private_key_pem: str) -> str:
    key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


class InternalTokenSigner:
    def __init__(self, private_key_pem: str, ttl_s: int = DEFAULT_TTL_S) -> None:
        self._key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
        self.ttl_s = ttl_s

    def for_person(self, *, tenant_id: uuid.UUID, tenant_slug: str, person_id: uuid.UUID, not_after: int) -> str:
        now = int(time.time())
        claims = {
            "iss": INTERNAL_ISSUER,
            "aud": INTERNAL_AUDIENCE,
            "sub": str(person_id),
            "tid": str(tenant_id),
            "tslug": tenant_slug,
            "iat": now,
            "exp": min(now + self.ttl_s, not_after),
        }
        return jwt.encode(claims, self._key, algorithm=INTERNAL_ALGORITHM)  # type: ignore[arg-type]

    def for_service(self, name: str) -> str:
        now = int(time.time())
        claims = {
            "iss": INTERNAL_ISSUER,
            "aud": INTERNAL_AUDIENCE,
            "sub": SERVICE_SUBJECT_PREFIX + name,
            "iat": now,
            "exp": now + self.ttl_s,
        }
        return jwt.encode(claims, self._key, algorithm=INTERNAL_ALGORITHM)  # type: ignore[arg-type]


class InternalTokenVerifier:
    """Verifies gateway tokens; remembers verified ones until they expire, so the check costs one lookup."""

    def __init__(self, public_key_pem: str, cache_size: int = 10_000) -> None:
        self._key = serialization.load_pem_public_key(public_key_pem.encode())
        self._cache: dict[str, dict[str, Any]] = {}
        self._cache_size = cache_size

    def claims(self, token: str) -> dict[str, Any]:
        cached = self._cache.get(token)
        if cached is not None and cached["exp"] > time.time():
            return cached
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self._key,  # type: ignore[arg-type]
                algorithms=[INTERNAL_ALGORITHM],
                audience=INTERNAL_AUDIENCE,
                issuer=INTERNAL_ISSUER,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as exc:
            raise InternalIdentityInvalid() from exc
        if len(self._cache) >= self._cache_size:
            self._cache.clear()
        self._cache[token] = claims
        return claims

    def identity(self, token: str) -> Identity:
        claims = self.claims(token)
        if "tid" not in claims:
            raise PersonRequired()
        try:
            return Identity(
                tenant_id=uuid.UUID(claims["tid"]),
                tenant_slug=str(claims.get("tslug", "")),
                person_id=uuid.UUID(claims["sub"]),
                expires_at=int(claims["exp"]),
            )
        except ValueError as exc:
            raise InternalIdentityInvalid() from exc

    def service(self, token: str) -> ServiceCaller:
        subject = str(self.claims(token)["sub"])
        if not subject.startswith(SERVICE_SUBJECT_PREFIX):
            raise ServiceCallerRequired()
        return ServiceCaller(name=subject.removeprefix(SERVICE_SUBJECT_PREFIX))


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise InternalIdentityInvalid()
    return token


def _verifier(request: Request) -> InternalTokenVerifier:
    verifier: InternalTokenVerifier = request.app.state.token_verifier
    return verifier


async def current_identity(request: Request) -> Identity:
    """FastAPI dependency: the person calling, from the gateway's internal token. Async although it does no I/O:
    FastAPI runs a plain function dependency in a worker thread, a hand-over that cost more than the check."""
    return _verifier(request).identity(_bearer(request))


async def calling_service(request: Request) -> ServiceCaller:
    """FastAPI dependency for internal routes: only another Varde component, never a person."""
    return _verifier(request).service(_bearer(request))


CurrentIdentity = Annotated[Identity, Depends(current_identity)]
CallingService = Annotated[ServiceCaller, Depends(calling_service)]
