"""The internal identity token: only the gateway's key, only unexpired, only for the service it was made for, and
only as short-lived as the gateway makes it."""

from __future__ import annotations

import base64
import json
import time
import uuid
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from varde_common.errors import InternalIdentityInvalid, PersonRequired, ServiceCallerRequired
from varde_common.identity import (
    INTERNAL_ISSUER,
    MAX_LIFETIME_S,
    InternalTokenSigner,
    InternalTokenVerifier,
    generate_private_key_pem,
    key_id,
    load_public_keys,
    public_key_pem,
    service_audience,
)
from varde_common.settings import ServiceSettings
from varde_common.testing.plugin import TEST_SERVICE


def test_a_person_token_round_trips(token_signer: InternalTokenSigner, token_verifier: InternalTokenVerifier) -> None:
    tenant, person = uuid.uuid4(), uuid.uuid4()
    token = token_signer.for_person(
        to=TEST_SERVICE, tenant_id=tenant, tenant_slug="hustadvika", person_id=person, not_after=int(time.time()) + 60
    )
    identity = token_verifier.identity(token)
    assert (identity.tenant_id, identity.person_id, identity.tenant_slug) == (tenant, person, "hustadvika")
    with pytest.raises(ServiceCallerRequired):
        token_verifier.service(token)


def test_a_service_token_is_not_a_person(
    token_signer: InternalTokenSigner, token_verifier: InternalTokenVerifier
) -> None:
    token = token_signer.for_service("gateway", to=TEST_SERVICE)
    assert token_verifier.service(token).name == "gateway"
    with pytest.raises(PersonRequired):
        token_verifier.identity(token)


def test_the_token_never_outlives_the_callers_own(token_signer: InternalTokenSigner) -> None:
    not_after = int(time.time()) + 30
    token = token_signer.for_person(
        to=TEST_SERVICE, tenant_id=uuid.uuid4(), tenant_slug="t", person_id=uuid.uuid4(), not_after=not_after
    )
    assert jwt.decode(token, options={"verify_signature": False})["exp"] == not_after


def test_a_token_made_for_one_service_is_refused_by_another(internal_private_key: str) -> None:
    signer, public = InternalTokenSigner(internal_private_key), public_key_pem(internal_private_key)
    person, tenant = uuid.uuid4(), uuid.uuid4()
    for_deviations = signer.for_person(
        to="deviations", tenant_id=tenant, tenant_slug="t", person_id=person, not_after=int(time.time()) + 300
    )
    assert InternalTokenVerifier(public, service="deviations").identity(for_deviations).person_id == person
    with pytest.raises(InternalIdentityInvalid):
        InternalTokenVerifier(public, service="documents").identity(for_deviations)
    gateway_to_directory = signer.for_service("gateway", to="directory")
    assert InternalTokenVerifier(public, service="directory").service(gateway_to_directory).name == "gateway"
    with pytest.raises(InternalIdentityInvalid):
        InternalTokenVerifier(public, service="deviations").service(gateway_to_directory)


def test_the_gateway_cannot_be_set_to_make_tokens_that_live_longer_than_services_accept(
    internal_private_key: str,
) -> None:
    with pytest.raises(ValueError, match="at most"):
        InternalTokenSigner(internal_private_key, ttl_s=MAX_LIFETIME_S + 1)


@pytest.fixture
def sign(internal_private_key: str) -> Any:
    """Sign any claims with the gateway's own key: what a token says is under test here, not who signed it."""
    real = serialization.load_pem_private_key(internal_private_key.encode(), password=None)

    def signed(**claims: Any) -> str:
        base = {
            "iss": INTERNAL_ISSUER,
            "aud": service_audience(TEST_SERVICE),
            "sub": str(uuid.uuid4()),
            "tid": str(uuid.uuid4()),
        }
        return jwt.encode({**base, **claims}, real, algorithm="EdDSA")  # type: ignore[arg-type]

    return signed


def test_a_token_needs_an_issue_time_and_a_lifetime_no_longer_than_the_gateway_makes(
    sign: Any, token_verifier: InternalTokenVerifier
) -> None:
    now = int(time.time())
    refused = {
        "no issue time": sign(exp=now + 60),
        "no expiry": sign(iat=now),
        "ten years": sign(iat=now, exp=now + 10 * 365 * 86400),
        "a second too long": sign(iat=now - 100, exp=now - 100 + MAX_LIFETIME_S + 1),
        "issued in the future": sign(iat=now + 60, exp=now + 120),
        "expired before it was issued": sign(iat=now + 5, exp=now + 2),
        "times as text": sign(iat=str(now), exp=str(now + 60)),
        "times as fractions": sign(iat=now + 0.5, exp=now + 60.5),
    }
    accepted = []
    for what, token in refused.items():
        try:
            token_verifier.identity(token)
        except InternalIdentityInvalid:
            continue
        accepted.append(what)
    assert accepted == []
    # The longest lifetime allowed, and a gateway clock a few seconds ahead of the service's, pass.
    assert token_verifier.identity(sign(iat=now - 10, exp=now - 10 + MAX_LIFETIME_S))
    assert token_verifier.identity(sign(iat=now + 5, exp=now + 305))


def test_expired_forged_and_foreign_tokens_are_refused(
    internal_private_key: str, sign: Any, token_verifier: InternalTokenVerifier
) -> None:
    now = int(time.time())
    other = serialization.load_pem_private_key(generate_private_key_pem().encode(), password=None)
    claims = {
        "iss": INTERNAL_ISSUER,
        "aud": service_audience(TEST_SERVICE),
        "sub": str(uuid.uuid4()),
        "tid": str(uuid.uuid4()),
        "iat": now,
        "exp": now + 60,
    }
    bad_tokens = [
        sign(iat=now - 120, exp=now - 60),
        jwt.encode(claims, other, algorithm="EdDSA"),  # type: ignore[arg-type]
        sign(iat=now, exp=now + 60, aud="someone-else"),
        sign(iat=now, exp=now + 60, aud="urn:varde:services"),  # the audience every service shared
        sign(iat=now, exp=now + 60, aud=[service_audience(TEST_SERVICE), service_audience("documents")]),
        sign(iat=now, exp=now + 60, iss="urn:evil"),
        jwt.encode(claims, None, algorithm="none"),
        jwt.encode(claims, "a-shared-secret-that-is-long-enough-for-hs256", algorithm="HS256"),
        "not.a.token",
    ]
    for token in bad_tokens:
        with pytest.raises(InternalIdentityInvalid):
            token_verifier.identity(token)


def _person_token(signer: InternalTokenSigner, person: uuid.UUID) -> str:
    return signer.for_person(
        to="deviations", tenant_id=uuid.uuid4(), tenant_slug="bodo", person_id=person, not_after=int(time.time()) + 300
    )


def test_a_token_names_its_signing_key_by_its_thumbprint(internal_private_key: str) -> None:
    signer = InternalTokenSigner(internal_private_key)
    token = _person_token(signer, uuid.uuid4())
    (expected,) = load_public_keys(public_key_pem(internal_private_key))
    assert jwt.get_unverified_header(token)["kid"] == signer.key_id == expected
    public = serialization.load_pem_public_key(public_key_pem(internal_private_key).encode())
    assert key_id(public) == expected  # type: ignore[arg-type]
    assert signer.key_id != InternalTokenSigner(generate_private_key_pem()).key_id


def test_the_key_is_rotated_without_a_token_refused(tmp_path: Any) -> None:
    old_private, new_private = generate_private_key_pem(), generate_private_key_pem()
    old, new = InternalTokenSigner(old_private), InternalTokenSigner(new_private)
    person = uuid.uuid4()
    # Step 1: every service is given both public keys, in one mounted file, while the gateway still signs with the
    # old key; step 2: the gateway signs with the new one. Tokens of either are accepted throughout.
    bundle = tmp_path / "internal-token-public-keys.pem"
    bundle.write_text(public_key_pem(old_private) + public_key_pem(new_private))
    settings = ServiceSettings(internal_token_public_key_file=bundle)
    during = InternalTokenVerifier(settings.read_internal_public_key(), service="deviations")
    assert during.key_ids == {old.key_id, new.key_id}
    assert during.identity(_person_token(old, person)).person_id == person
    assert during.identity(_person_token(new, person)).person_id == person
    # Step 3, once the old key's last token has expired: the old public key is removed, its tokens are refused.
    after = InternalTokenVerifier(public_key_pem(new_private), service="deviations")
    assert after.identity(_person_token(new, person)).person_id == person
    with pytest.raises(InternalIdentityInvalid):
        after.identity(_person_token(old, person))


def _with_header(token: str, header: dict[str, Any]) -> str:
    """``token`` with another header (PyJWT makes none with a kid that is not a string)."""
    encoded = base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=").decode()
    return ".".join([encoded, *token.split(".")[1:]])


def test_a_token_naming_a_key_the_service_does_not_hold_is_refused(internal_private_key: str) -> None:
    known, unknown = generate_private_key_pem(), generate_private_key_pem()
    verifier = InternalTokenVerifier(public_key_pem(internal_private_key) + public_key_pem(known), service="deviations")
    now = int(time.time())
    claims = {
        "iss": INTERNAL_ISSUER,
        "aud": service_audience("deviations"),
        "sub": str(uuid.uuid4()),
        "tid": str(uuid.uuid4()),
        "iat": now,
        "exp": now + 60,
    }
    unknown_key = serialization.load_pem_private_key(unknown.encode(), password=None)
    known_kid = InternalTokenSigner(known).key_id
    refused = [
        _person_token(InternalTokenSigner(unknown), uuid.uuid4()),  # a key the service does not hold
        jwt.encode(claims, unknown_key, algorithm="EdDSA", headers={"kid": known_kid}),  # a held kid, another key
        _with_header(_person_token(InternalTokenSigner(known), uuid.uuid4()), {"alg": "EdDSA", "kid": ["a", "list"]}),
        # without a kid, and the service holds two keys: which one would be a guess
        jwt.encode(claims, serialization.load_pem_private_key(known.encode(), password=None), algorithm="EdDSA"),
    ]
    for token in refused:
        with pytest.raises(InternalIdentityInvalid):
            verifier.identity(token)


def test_a_token_without_a_kid_is_checked_when_the_service_holds_one_key(internal_private_key: str) -> None:
    """What a gateway from before key ids makes, during the upgrade to them."""
    now = int(time.time())
    person = uuid.uuid4()
    claims = {
        "iss": INTERNAL_ISSUER,
        "aud": service_audience("deviations"),
        "sub": str(person),
        "tid": str(uuid.uuid4()),
        "iat": now,
        "exp": now + 60,
    }
    key = serialization.load_pem_private_key(internal_private_key.encode(), password=None)
    token = jwt.encode(claims, key, algorithm="EdDSA")  # type: ignore[arg-type]
    verifier = InternalTokenVerifier(public_key_pem(internal_private_key), service="deviations")
    assert verifier.identity(token).person_id == person


def test_a_public_key_setting_without_an_ed25519_key_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="no public key"):
        InternalTokenVerifier("", service="deviations")
    with pytest.raises(ValueError, match="no public key"):
        InternalTokenVerifier(generate_private_key_pem(), service="deviations")  # the private key by mistake
