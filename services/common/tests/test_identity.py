"""The internal identity token: only the gateway's key, only unexpired, only for the right audience."""

from __future__ import annotations

import time
import uuid

import jwt
import pytest

from varde_common.errors import InternalIdentityInvalid, PersonRequired, ServiceCallerRequired
from varde_common.identity import (
    INTERNAL_AUDIENCE,
    INTERNAL_ISSUER,
    InternalTokenSigner,
    InternalTokenVerifier,
    generate_private_key_pem,
)


def test_a_person_token_round_trips(token_signer: InternalTokenSigner, token_verifier: InternalTokenVerifier) -> None:
    tenant, person = uuid.uuid4(), uuid.uuid4()
    token = token_signer.for_person(
        tenant_id=tenant, tenant_slug="hustadvika", person_id=person, not_after=int(time.time()) + 60
    )
    identity = token_verifier.identity(token)
    assert (identity.tenant_id, identity.person_id, identity.tenant_slug) == (tenant, person, "hustadvika")
    with pytest.raises(ServiceCallerRequired):
        token_verifier.service(token)


def test_a_service_token_is_not_a_person(
    token_signer: InternalTokenSigner, token_verifier: InternalTokenVerifier
) -> None:
    token = token_signer.for_service("gateway")
    assert token_verifier.service(token).name == "gateway"
    with pytest.raises(PersonRequired):
        token_verifier.identity(token)


def test_the_token_never_outlives_the_callers_own(token_signer: InternalTokenSigner) -> None:
    not_after = int(time.time()) + 30
    token = token_signer.for_person(
        tenant_id=uuid.uuid4(), tenant_slug="t", person_id=uuid.uuid4(), not_after=not_after
    )
    assert jwt.decode(token, options={"verify_signature": False})["exp"] == not_after


def test_expired_forged_and_foreign_tokens_are_refused(
    internal_private_key: str, token_verifier: InternalTokenVerifier
) -> None:
    now = int(time.time())
    base = {"iss": INTERNAL_ISSUER, "aud": INTERNAL_AUDIENCE, "sub": str(uuid.uuid4()), "tid": str(uuid.uuid4())}
    from cryptography.hazmat.primitives import serialization

    real = serialization.load_pem_private_key(internal_private_key.encode(), password=None)
    other = serialization.load_pem_private_key(generate_private_key_pem().encode(), password=None)
    bad_tokens = [
        jwt.encode({**base, "exp": now - 1}, real, algorithm="EdDSA"),  # type: ignore[arg-type]
        jwt.encode({**base, "exp": now + 60}, other, algorithm="EdDSA"),  # type: ignore[arg-type]
        jwt.encode({**base, "aud": "someone-else", "exp": now + 60}, real, algorithm="EdDSA"),  # type: ignore[arg-type]
        jwt.encode({**base, "iss": "urn:evil", "exp": now + 60}, real, algorithm="EdDSA"),  # type: ignore[arg-type]
        jwt.encode({**base, "exp": now + 60}, None, algorithm="none"),
        jwt.encode({**base, "exp": now + 60}, "a-shared-secret-that-is-long-enough-for-hs256", algorithm="HS256"),
        "not.a.token",
    ]
    for token in bad_tokens:
        with pytest.raises(InternalIdentityInvalid):
            token_verifier.identity(token)
