"""Identity at the gateway, end to end: a kommune's own OpenID provider, every way a token can be wrong (401),
a genuine token for someone the directory does not know (403), and one provider shared by two kommuner."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.conftest import DemoPerson, person, wait_until
from varde_common.testing.oidc import LocalOpenIdProvider

HUSTADVIKA_AUDIENCE = "varde-hustadvika"
LILLESTROM_AUDIENCE = "varde-lillestrom"


@pytest.fixture(scope="module")
def oidc() -> Iterator[LocalOpenIdProvider]:
    provider = LocalOpenIdProvider().start()
    yield provider
    provider.stop()


def register(gateway: httpx.Client, admin: dict[str, str], oidc: LocalOpenIdProvider, audience: str) -> str:
    response = gateway.post(
        "/api/v1/directory/identity-providers",
        json={
            "name": "Entra ID (test)",
            "kind": "entra_id",
            "issuer": oidc.issuer,
            "audience": audience,
            "jwks_url": oidc.jwks_url,
            "algorithms": ["RS256"],
        },
        headers=admin,
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


@pytest.fixture(scope="module")
def signed_in(
    gateway: httpx.Client,
    people: list[DemoPerson],
    login: Callable[[DemoPerson], dict[str, str]],
    oidc: LocalOpenIdProvider,
) -> dict[str, Any]:
    """Hustadvika and Lillestrøm both sign in with the test provider; one new Hustadvika person is linked to it."""
    hustadvika_admin = login(person(people, "hustadvika", "systemadministrator"))
    provider_id = register(gateway, hustadvika_admin, oidc, HUSTADVIKA_AUDIENCE)
    register(gateway, login(person(people, "lillestrom", "systemadministrator")), oidc, LILLESTROM_AUDIENCE)
    subject = f"entra-{uuid.uuid4().hex}"
    created = gateway.post(
        "/api/v1/directory/people",
        json={
            "name": "Tone Tokensen",
            "email": f"{subject}@hustadvika.kommune.no",
            "identities": [{"provider_id": provider_id, "subject": subject}],
        },
        headers=hustadvika_admin,
    )
    assert created.status_code == 201, created.text
    return {"subject": subject, "person_id": created.json()["id"]}


def me(gateway: httpx.Client, token: str, **headers: str) -> httpx.Response:
    return gateway.get("/api/v1/directory/me", headers={"authorization": f"Bearer {token}", **headers})


def test_a_token_from_the_kommunes_provider_signs_in_the_person_it_names(
    gateway: httpx.Client, oidc: LocalOpenIdProvider, signed_in: dict[str, Any]
) -> None:
    token = oidc.token(audience=HUSTADVIKA_AUDIENCE, subject=signed_in["subject"])
    # The gateway learns of a new provider within a second or two.
    response = wait_until(lambda: (r := me(gateway, token)).status_code == 200 and r, what="the new provider")
    assert response.json()["id"] == signed_in["person_id"]
    assert response.json()["name"] == "Tone Tokensen"
    # Audience as a list, as Entra ID may send it, works too.
    listed = oidc.token(audience=None, subject=signed_in["subject"], aud=[HUSTADVIKA_AUDIENCE, "other"])
    assert me(gateway, listed).status_code == 200


def bad_tokens(oidc: LocalOpenIdProvider, subject: str) -> dict[str, str]:
    other = LocalOpenIdProvider()  # same kid, another key: a forged signature
    now = int(time.time())
    return {
        "wrong issuer": oidc.token(audience=HUSTADVIKA_AUDIENCE, subject=subject, iss="https://evil.example/"),
        "no audience": oidc.token(audience=None, subject=subject),
        "wrong audience": oidc.token(audience="varde-somewhere-else", subject=subject),
        "expired": oidc.token(audience=HUSTADVIKA_AUDIENCE, subject=subject, exp=now - 120, iat=now - 900),
        "not yet valid": oidc.token(audience=HUSTADVIKA_AUDIENCE, subject=subject, nbf=now + 600),
        "alg none": oidc.unsigned_token(audience=HUSTADVIKA_AUDIENCE, subject=subject),
        "HS256 with the public key": oidc.hs256_with_public_key(audience=HUSTADVIKA_AUDIENCE, subject=subject),
        "unknown key id": oidc.token(audience=HUSTADVIKA_AUDIENCE, subject=subject, kid="no-such-key"),
        "forged signature": oidc.token(audience=HUSTADVIKA_AUDIENCE, subject=subject, key=other.key),
        "no expiry": oidc.token(audience=HUSTADVIKA_AUDIENCE, subject=subject, exp=None),
        "not a JWT": "abc.def.ghi",
    }


def test_every_kind_of_bad_token_is_401(
    gateway: httpx.Client, oidc: LocalOpenIdProvider, signed_in: dict[str, Any]
) -> None:
    good = oidc.token(audience=HUSTADVIKA_AUDIENCE, subject=signed_in["subject"])
    wait_until(lambda: me(gateway, good).status_code == 200, what="the new provider")
    answers = {case: me(gateway, token) for case, token in bad_tokens(oidc, signed_in["subject"]).items()}
    assert {case: r.status_code for case, r in answers.items()} == {case: 401 for case in answers}
    for response in answers.values():
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["www-authenticate"].startswith("Bearer")


def test_a_token_issued_for_another_kommune_is_401(
    gateway: httpx.Client, oidc: LocalOpenIdProvider, signed_in: dict[str, Any]
) -> None:
    lillestrom_token = oidc.token(audience=LILLESTROM_AUDIENCE, subject=signed_in["subject"])
    wait_until(lambda: me(gateway, lillestrom_token).status_code in (200, 403), what="the new provider")
    response = me(gateway, lillestrom_token, **{"x-varde-tenant": "hustadvika"})
    assert response.status_code == 401
    # Without naming a kommune, the token is Lillestrøm's, where nobody has that subject.
    assert me(gateway, lillestrom_token).status_code == 403


def test_a_genuine_token_for_someone_the_directory_does_not_know_is_403_with_a_human_message(
    gateway: httpx.Client, oidc: LocalOpenIdProvider, signed_in: dict[str, Any]
) -> None:
    stranger = oidc.token(audience=HUSTADVIKA_AUDIENCE, subject="entra-nobody")
    response = wait_until(lambda: (r := me(gateway, stranger)).status_code != 401 and r, what="the new provider")
    assert response.status_code == 403
    assert "ikke registrert som ansatt" in response.json()["detail"]
    assert "systemadministrator" in response.json()["detail"]


def test_a_flood_of_unknown_key_ids_fetches_the_jwks_at_most_once_per_ten_seconds(
    gateway: httpx.Client, oidc: LocalOpenIdProvider, signed_in: dict[str, Any]
) -> None:
    good = oidc.token(audience=HUSTADVIKA_AUDIENCE, subject=signed_in["subject"])
    wait_until(lambda: me(gateway, good).status_code == 200, what="the new provider")
    before = oidc.jwks_fetches
    started = time.monotonic()
    for index in range(200):
        token = oidc.token(audience=HUSTADVIKA_AUDIENCE, subject=signed_in["subject"], kid=f"made-up-{index}")
        assert me(gateway, token).status_code == 401
    elapsed = time.monotonic() - started
    assert oidc.jwks_fetches - before <= 1 + int(elapsed // 10)
