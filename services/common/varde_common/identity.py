"""The internal identity token: signed by the gateway (Ed25519), verified by every service.

Services accept nothing else: the caller's own token never reaches them. The token carries the tenant and the
person; what the person may do is decided by the owning service.

Each token is for one service (``aud`` = ``urn:varde:service:<name>``): one that leaks from a service, its logs or
a proxy in between opens no other. It must say when it was made (``iat``) and when it ends (``exp``), and may not
live longer than :data:`MAX_LIFETIME_S`: the gateway makes five-minute tokens, and a token that claims ten years
(issue 15) was not made by it, or was made to be kept.

Each token names its signing key in the header (``kid``, the key's RFC 7638 thumbprint, so the gateway and the
services agree on it without a setting), and a service accepts every public key it is given (several PEM blocks
in one setting or file): the key is rotated by adding the new public key everywhere, then signing with the new
private key, then removing the old public key once the last token signed with it has expired
(:data:`MAX_LIFETIME_S`). A token naming a key the service does not hold is refused.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import time
import uuid
from dataclasses import dataclass
from typing import Annotated, Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from fastapi import Depends, Request

from varde_common.errors import InternalIdentityInvalid, PersonRequired, ServiceCallerRequired

INTERNAL_ISSUER = "urn:varde:gateway"
INTERNAL_ALGORITHM = "EdDSA"
DEFAULT_TTL_S = 300
# Twice what the gateway makes: room for a longer setting, none for a token meant to be kept.
MAX_LIFETIME_S = 600
# Clocks of the gateway and the services, on NTP in one cluster, differ by far less.
CLOCK_SKEW_S = 10
SERVICE_SUBJECT_PREFIX = "service:"
REQUIRED_CLAIMS = ["iss", "aud", "sub", "iat", "exp"]


def service_audience(service: str) -> str:
    """The audience of internal tokens for ``service`` (``deviations``, ``directory``, …)."""
    return f"urn:varde:service:{service}"


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


_PUBLIC_KEY_PEM = re.compile(r"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----", re.DOTALL)


def _base64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def key_id(public_key: Ed25519PublicKey) -> str:
    """The key's JWK thumbprint (RFC 7638): what the gateway writes as ``kid`` and a service looks it up by."""
    x = _base64url(public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))
    members = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": x}, separators=(",", ":"), sort_keys=True)
    return _base64url(hashlib.sha256(members.encode()).digest())


def load_public_keys(public_keys_pem: str) -> dict[str, Ed25519PublicKey]:
    """Every Ed25519 public key in ``public_keys_pem`` (one PEM block or several, one after the other), by key id."""
    keys: dict[str, Ed25519PublicKey] = {}
    for block in _PUBLIC_KEY_PEM.findall(public_keys_pem):
        key = serialization.load_pem_public_key(block.encode())
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("internal tokens are verified with Ed25519 keys only")
        keys[key_id(key)] = key
    if not keys:
        raise ValueError("no public key (-----BEGIN PUBLIC KEY-----) in the internal token's public key setting")
    return keys


class InternalTokenSigner:
    def __init__(self, private_key_pem: str, ttl_s: int = DEFAULT_TTL_S) -> None:
        if not 0 < ttl_s <= MAX_LIFETIME_S:
            raise ValueError(f"internal tokens live at most {MAX_LIFETIME_S} s")
        key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("internal tokens are signed with an Ed25519 key")
        self._key = key
        self.key_id = key_id(key.public_key())
        self._headers = {"kid": self.key_id}
        self.ttl_s = ttl_s

    def for_person(
        self, *, to: str, tenant_id: uuid.UUID, tenant_slug: str, person_id: uuid.UUID, not_after: int
    ) -> str:
        """A token for service ``to`` on behalf of a person; it ends when the caller's own token does, if sooner."""
        now = int(time.time())
        claims = {
            "iss": INTERNAL_ISSUER,
            "aud": service_audience(to),
            "sub": str(person_id),
            "tid": str(tenant_id),
            "tslug": tenant_slug,
            "iat": now,
            "exp": min(now + self.ttl_s, not_after),
        }
        return jwt.encode(claims, self._key, algorithm=INTERNAL_ALGORITHM, headers=self._headers)

    def for_service(self, name: str, *, to: str) -> str:
        """A token for service ``to`` from component ``name`` (the gateway), on no person's behalf."""
        now = int(time.time())
        claims = {
            "iss": INTERNAL_ISSUER,
            "aud": service_audience(to),
            "sub": SERVICE_SUBJECT_PREFIX + name,
            "iat": now,
            "exp": now + self.ttl_s,
        }
        return jwt.encode(claims, self._key, algorithm=INTERNAL_ALGORITHM, headers=self._headers)


class InternalTokenVerifier:
    """Verifies gateway tokens for one service with any of its public keys (by the token's ``kid``); remembers
    verified ones until they expire, so the check costs one lookup.

    A token without a ``kid`` (made by a gateway from before key ids) is checked only when the service holds one
    key: with several, which one it was signed with would be a guess."""

    def __init__(self, public_keys_pem: str, *, service: str, cache_size: int = 10_000) -> None:
        self._keys = load_public_keys(public_keys_pem)
        self.audience = service_audience(service)
        self._cache: dict[str, dict[str, Any]] = {}
        self._cache_size = cache_size

    def claims(self, token: str) -> dict[str, Any]:
        cached = self._cache.get(token)
        if cached is not None and cached["exp"] > time.time():
            return cached
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self._key_for(token),
                algorithms=[INTERNAL_ALGORITHM],
                audience=self.audience,
                issuer=INTERNAL_ISSUER,
                leeway=CLOCK_SKEW_S,
                # One audience, this service's: a token for several would open each of them.
                options={"require": REQUIRED_CLAIMS, "strict_aud": True},
            )
        except jwt.PyJWTError as exc:
            raise InternalIdentityInvalid() from exc
        # PyJWT checks that iat is not in the future and exp not past; the lifetime is ours to bound. The gateway
        # writes both as integers, so anything else (a string, a float, true) is not its token.
        issued, expires = claims["iat"], claims["exp"]
        if type(issued) is not int or type(expires) is not int or not 0 < expires - issued <= MAX_LIFETIME_S:
            raise InternalIdentityInvalid()
        if len(self._cache) >= self._cache_size:
            self._cache.clear()
        self._cache[token] = claims
        return claims

    @property
    def key_ids(self) -> frozenset[str]:
        return frozenset(self._keys)

    def _key_for(self, token: str) -> Ed25519PublicKey:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError as exc:
            raise InternalIdentityInvalid() from exc
        if kid is None and len(self._keys) == 1:
            return next(iter(self._keys.values()))
        key = self._keys.get(kid) if isinstance(kid, str) else None
        if key is None:
            raise InternalIdentityInvalid()
        return key

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
