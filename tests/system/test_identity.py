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


def register(
    gateway: httpx.Client, admin: dict[str, str], oidc: LocalOpenIdProvider, audience: str, **extra: str
) -> str:
    response = gateway.post(
        "/api/v1/directory/identity-providers",
        json={
            "name": "Entra ID (test)",
            "kind": "entra_id",
            "issuer": oidc.issuer,
            "audience": audience,
            "jwks_url": oidc.jwks_url,
            "algorithms": ["RS256"],
            **extra,
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


@pytest.fixture(scope="module")
def browser_provider(
    gateway: httpx.Client, people: list[DemoPerson], login: Callable[[DemoPerson], dict[str, str]]
) -> Iterator[tuple[LocalOpenIdProvider, dict[str, str]]]:
    """Tønsberg signs its people in with a browser login at its own provider; one person is linked to it."""
    oidc = LocalOpenIdProvider().start()
    admin = login(person(people, "tonsberg", "systemadministrator"))
    provider_id = register(
        gateway,
        admin,
        oidc,
        "api://varde-tonsberg",
        client_id="varde-web-tonsberg",
        authorization_endpoint=f"{oidc.issuer}/authorize",
        token_endpoint=f"{oidc.issuer}/token",
    )
    subject = f"oid-{uuid.uuid4().hex}"
    employee = person(people, "tonsberg", "ansatt")
    found = gateway.get("/api/v1/directory/people", params={"q": employee.email}, headers=admin).json()["items"][0]
    linked = gateway.patch(
        f"/api/v1/directory/people/{found['id']}",
        json={"identities": [*found["identities"], {"provider_id": provider_id, "subject": subject}]},
        headers=admin,
    )
    assert linked.status_code == 200, linked.text
    oidc.login_as = subject
    yield oidc, {"person_id": found["id"], "name": found["name"]}
    oidc.stop()


def sign_in(gateway: httpx.Client, return_to: str = "/min-side") -> httpx.Response:
    """The browser's round trip: gateway → provider → gateway, carrying the cookies a browser would."""
    started = gateway.get("/auth/login", params={"tenant": "tonsberg", "return_to": return_to})
    assert started.status_code == 302, started.text
    at_provider = httpx.get(started.headers["location"])
    assert at_provider.status_code == 307, at_provider.text
    callback = at_provider.headers["location"]
    assert callback.startswith(gateway.base_url.join("/auth/callback").__str__())
    login_cookie = started.cookies["varde_login"]
    return gateway.get(callback, headers={"cookie": f"varde_login={login_cookie}"})


def test_the_browser_signs_in_with_pkce_gets_a_session_cookie_and_logs_out(
    gateway: httpx.Client, browser_provider: tuple[LocalOpenIdProvider, dict[str, str]]
) -> None:
    _, who = browser_provider
    started = wait_until(
        lambda: (r := gateway.get("/auth/login", params={"tenant": "tonsberg"})).status_code == 302 and r,
        what="the browser provider",
    )
    location = httpx.URL(started.headers["location"])
    assert location.params["code_challenge_method"] == "S256"
    assert location.params["client_id"] == "varde-web-tonsberg"

    done = sign_in(gateway)
    assert done.status_code == 302, done.text
    assert done.headers["location"] == "/min-side"
    set_cookie = done.headers["set-cookie"].lower()
    assert "httponly" in set_cookie
    assert "secure" in set_cookie
    assert "samesite=lax" in set_cookie
    session = done.cookies["varde_session"]

    me = gateway.get("/api/v1/directory/me", headers={"cookie": f"varde_session={session}"})
    assert me.status_code == 200, me.text
    assert me.json()["id"] == who["person_id"]
    # A page on another site cannot use the session to change anything.
    cross_site = gateway.post(
        "/api/v1/deviations", json={}, headers={"cookie": f"varde_session={session}", "origin": "https://evil.example"}
    )
    assert cross_site.status_code == 403

    out = gateway.post("/auth/logout", headers={"cookie": f"varde_session={session}"})
    assert out.status_code == 200
    assert 'varde_session=""' in out.headers["set-cookie"] or "max-age=0" in out.headers["set-cookie"].lower()
    after = gateway.get("/api/v1/directory/me", headers={"cookie": f"varde_session={session}"})
    assert after.status_code == 401


def test_a_login_callback_without_its_own_state_is_refused(
    gateway: httpx.Client, browser_provider: tuple[LocalOpenIdProvider, dict[str, str]]
) -> None:
    wait_until(lambda: gateway.get("/auth/login", params={"tenant": "tonsberg"}).status_code == 302, what="provider")
    started = gateway.get("/auth/login", params={"tenant": "tonsberg"})
    at_provider = httpx.get(started.headers["location"])
    callback = at_provider.headers["location"]
    # Another browser's callback (no login cookie), or a tampered cookie: no session.
    assert gateway.get(callback).status_code == 401
    assert (
        gateway.get(
            callback, headers={"cookie": "varde_login=" + started.cookies["varde_login"][:-4] + "AAAA"}
        ).status_code
        == 401
    )
    # A redirect elsewhere is never offered.
    outside = gateway.get("/auth/login", params={"tenant": "tonsberg", "return_to": "https://evil.example/"})
    done = gateway.get(
        httpx.get(outside.headers["location"]).headers["location"],
        headers={"cookie": "varde_login=" + outside.cookies["varde_login"]},
    )
    assert done.headers["location"] == "/"
