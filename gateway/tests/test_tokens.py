"""Why the gateway refuses a bearer token: one problem type per reason, so a client can tell "log in again"
(expired) from "the kommune's configuration is wrong" (issuer, key, algorithm) from "name the kommune"."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from varde_common.errors import ProblemError
from varde_common.testing.oidc import LocalOpenIdProvider
from varde_gateway.oidc import JwksCache, Provider, ProviderRegistry, TokenVerifier

AUDIENCE = "api://varde-hustadvika"


def provider_of(oidc: LocalOpenIdProvider, slug: str, *, audience: str = AUDIENCE, kind: str = "entra") -> Provider:
    return Provider(
        provider_id=uuid.uuid4(),
        tenant_id=uuid.uuid5(uuid.NAMESPACE_DNS, slug),
        tenant_slug=slug,
        kind=kind,
        issuer=oidc.issuer,
        audience=audience,
        jwks_url=oidc.jwks_url,
        algorithms=("RS256", "HS256"),  # HS256 configured by mistake: still refused
        subject_claim="sub",
    )


@pytest.fixture(scope="module")
def oidc() -> LocalOpenIdProvider:
    return LocalOpenIdProvider()  # its keys only: the JWKS is answered below, without a socket


@pytest.fixture
async def verifier(oidc: LocalOpenIdProvider) -> AsyncIterator[TokenVerifier]:
    # Hustadvika has its own audience; Lillestrøm and Tønsberg share one (as with ID-porten or Feide).
    providers = [
        provider_of(oidc, "hustadvika"),
        provider_of(oidc, "lillestrom", audience="shared"),
        provider_of(oidc, "tonsberg", audience="shared"),
        provider_of(oidc, "dev-only", audience="dev", kind="dev"),
    ]

    async def load() -> list[Provider]:
        return providers

    jwks = httpx.MockTransport(lambda request: httpx.Response(200, json=oidc.jwks()))
    async with httpx.AsyncClient(transport=jwks) as client:
        yield TokenVerifier(ProviderRegistry(load), JwksCache(client), local_keys=lambda provider: None)


async def refusal(verifier: TokenVerifier, token: str, tenant: str | None = None) -> ProblemError:
    with pytest.raises(ProblemError) as refused:
        await verifier.verify(token, tenant)
    return refused.value


def bad_tokens(oidc: LocalOpenIdProvider) -> dict[str, tuple[str, str]]:
    now = int(time.time())
    other = LocalOpenIdProvider()
    return {
        "not a JWT": ("abc.def.ghi", "token-malformed"),
        "expired": (oidc.token(audience=AUDIENCE, exp=now - 120, iat=now - 900), "token-expired"),
        "not yet valid": (oidc.token(audience=AUDIENCE, nbf=now + 600), "token-not-yet-valid"),
        "another issuer": (oidc.token(audience=AUDIENCE, iss="https://evil.example/"), "token-issuer-not-configured"),
        "another audience": (oidc.token(audience="varde-elsewhere"), "token-issuer-not-configured"),
        "no audience": (oidc.token(audience=None), "token-issuer-not-configured"),
        "shared audience, kommune not named": (oidc.token(audience="shared"), "token-tenant-ambiguous"),
        "alg none": (oidc.unsigned_token(audience=AUDIENCE), "token-algorithm-refused"),
        "HS256 with the public key": (oidc.hs256_with_public_key(audience=AUDIENCE), "token-algorithm-refused"),
        "unknown key id": (oidc.token(audience=AUDIENCE, kid="no-such-key"), "token-signing-key-unknown"),
        "forged signature": (oidc.token(audience=AUDIENCE, key=other.key), "token-signature-invalid"),
        "no expiry": (oidc.token(audience=AUDIENCE, exp=None), "token-claim-missing"),
        "no subject": (oidc.token(audience=AUDIENCE, sub=None), "token-claim-missing"),
        "no issuer": (oidc.token(audience=AUDIENCE, iss=None), "token-claim-missing"),
        "the dev provider outside dev mode": (oidc.token(audience="dev"), "dev-login-disabled"),
    }


async def test_each_reason_a_token_is_refused_has_its_own_problem_type(
    verifier: TokenVerifier, oidc: LocalOpenIdProvider
) -> None:
    answers = {case: await refusal(verifier, token) for case, (token, _) in bad_tokens(oidc).items()}
    assert {case: problem.slug for case, problem in answers.items()} == {
        case: slug for case, (_, slug) in bad_tokens(oidc).items()
    }
    assert {problem.status for problem in answers.values()} == {401}


async def test_the_refusal_says_what_is_missing_or_refused_in_either_form(
    verifier: TokenVerifier, oidc: LocalOpenIdProvider
) -> None:
    missing = await refusal(verifier, oidc.token(audience=AUDIENCE, exp=None))
    assert missing.body("nn")["detail"].startswith("Tokenet manglar «exp».")
    refused = await refusal(verifier, oidc.unsigned_token(audience=AUDIENCE))
    assert "«none»" in refused.body("nb")["detail"]
    expired = await refusal(verifier, oidc.token(audience=AUDIENCE, exp=int(time.time()) - 120))
    assert (expired.body("nb")["detail"], expired.body("nn")["detail"]) == (
        "Tokenet er utløpt. Logg inn på nytt.",
        "Tokenet har gått ut. Logg inn på nytt.",
    )


async def test_naming_the_kommune_picks_it_among_those_that_share_a_login(
    verifier: TokenVerifier, oidc: LocalOpenIdProvider
) -> None:
    token = oidc.token(audience="shared", subject="someone")
    verified = await verifier.verify(token, "tonsberg")
    assert (verified.provider.tenant_slug, verified.subject) == ("tonsberg", "someone")
    # A kommune that does not use this login is no way around it.
    assert (await refusal(verifier, token, "hustadvika")).slug == "token-issuer-not-configured"
