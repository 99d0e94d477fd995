"""The browser login: OpenID Connect authorization code with PKCE, and a server-side session behind a cookie.

``GET /auth/login?tenant=<kommune>`` sends the browser to the kommune's provider; ``GET /auth/callback``
exchanges the code (with the PKCE verifier), checks the ID token and its nonce, maps the subject to a person,
and starts a session held by the directory. The browser gets only a random secret in an HttpOnly, Secure,
SameSite=Lax cookie; the directory stores its SHA-256. ``POST /auth/logout`` ends the session everywhere.

The login in progress (state, nonce, PKCE verifier, where to return) travels in a short-lived cookie
encrypted with AES-GCM, so the callback may land on any gateway replica.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

import httpx
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from fastapi import FastAPI, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from varde_common.calendar import wall_clock_utc
from varde_common.inputs import InputText
from varde_common.redirects import site_path
from varde_gateway.auth import Authenticator, Person
from varde_gateway.directory import DirectoryClient
from varde_gateway.errors import (
    BrowserLoginNotOffered,
    IdentityProviderUnreachable,
    LoginCancelled,
    LoginExpired,
    LoginProviderWithdrawn,
    LoginRefusedByProvider,
    LoginStateMismatch,
    SessionEnded,
    SessionInvalid,
)
from varde_gateway.oidc import Provider, ProviderRegistry, TokenVerifier

SESSION_COOKIE = "varde_session"
LOGIN_COOKIE = "varde_login"
LOGIN_TTL_S = 600
SESSION_CACHE_S = 30.0


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def pkce_challenge(verifier: str) -> str:
    return _b64(hashlib.sha256(verifier.encode()).digest())


class SealedCookie:
    """Encrypts and authenticates small JSON values for the browser to carry back."""

    def __init__(self, secret: bytes) -> None:
        self._aead = AESGCM(hashlib.sha256(b"varde-login-state\x00" + secret).digest())

    def seal(self, value: dict[str, Any]) -> str:
        nonce = secrets.token_bytes(12)
        return _b64(nonce + self._aead.encrypt(nonce, json.dumps(value).encode(), None))

    def open(self, sealed: str) -> dict[str, Any] | None:
        try:
            raw = _unb64(sealed)
            value: dict[str, Any] = json.loads(self._aead.decrypt(raw[:12], raw[12:], None))
        except (ValueError, InvalidTag):
            return None
        return value


@dataclass(frozen=True)
class SessionCookie:
    tenant_id: uuid.UUID
    secret: str

    @property
    def hash(self) -> str:
        return hashlib.sha256(self.secret.encode()).hexdigest()

    def encode(self) -> str:
        return f"{self.tenant_id}.{self.secret}"

    @staticmethod
    def parse(value: str) -> SessionCookie | None:
        tenant, _, secret = value.partition(".")
        try:
            return SessionCookie(uuid.UUID(tenant), secret) if len(secret) >= 32 else None
        except ValueError:
            return None


class BrowserLogin:
    def __init__(
        self,
        *,
        public_url: str,
        providers: ProviderRegistry,
        verifier: TokenVerifier,
        authenticator: Authenticator,
        directory: DirectoryClient,
        idp_client: httpx.AsyncClient,
        secret: bytes,
        session_ttl_s: int,
        cookie_secure: bool,
        client_secrets: dict[str, str],
    ) -> None:
        self.public_url = public_url.rstrip("/")
        self.providers = providers
        self.verifier = verifier
        self.authenticator = authenticator
        self.directory = directory
        self.idp_client = idp_client
        self.sealed = SealedCookie(secret)
        self.session_ttl_s = session_ttl_s
        self.cookie_secure = cookie_secure
        self.client_secrets = client_secrets
        self._sessions: dict[str, tuple[Person, float]] = {}

    @property
    def redirect_uri(self) -> str:
        return self.public_url + "/auth/callback"

    async def begin(self, tenant: str, provider_id: uuid.UUID | None, return_to: str) -> tuple[str, str]:
        """The provider's authorization URL, and the sealed login state for the browser to carry."""
        candidates = [p for p in await self.providers.for_tenant(tenant) if p.browser_login]
        if provider_id is not None:
            candidates = [p for p in candidates if p.provider_id == provider_id]
        if not candidates:
            raise BrowserLoginNotOffered(tenant=tenant)
        provider = candidates[0]
        state, nonce, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48)
        pending = {
            "state": state,
            "nonce": nonce,
            "verifier": verifier,
            "provider": str(provider.provider_id),
            "tenant": tenant,
            "return_to": return_to,
            "until": int(time.time()) + LOGIN_TTL_S,
        }
        query = {
            "response_type": "code",
            "client_id": provider.client_id,
            "redirect_uri": self.redirect_uri,
            "scope": "openid profile email",
            "state": state,
            "nonce": nonce,
            "code_challenge": pkce_challenge(verifier),
            "code_challenge_method": "S256",
        }
        return f"{provider.authorization_endpoint}?{urlencode(query)}", self.sealed.seal(pending)

    async def complete(self, code: str, state: str, sealed: str | None) -> tuple[SessionCookie, str]:
        pending = self.sealed.open(sealed) if sealed else None
        if pending is None or pending["until"] < time.time():
            raise LoginExpired()
        if not secrets.compare_digest(pending["state"], state):
            raise LoginStateMismatch()
        provider = next(
            (
                p
                for p in await self.providers.for_tenant(pending["tenant"])
                if str(p.provider_id) == pending["provider"]
            ),
            None,
        )
        if provider is None or provider.token_endpoint is None:
            raise LoginProviderWithdrawn()
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.redirect_uri,
            "client_id": provider.client_id or "",
            "code_verifier": pending["verifier"],
        }
        client_secret = self.client_secrets.get(str(provider.provider_id))
        if client_secret:
            form["client_secret"] = client_secret
        try:
            response = await self.idp_client.post(provider.token_endpoint, data=form)
        except httpx.HTTPError as exc:
            raise IdentityProviderUnreachable() from exc
        try:
            answer = response.json() if response.status_code == 200 else None
        except ValueError:
            answer = None
        id_token = answer.get("id_token") if isinstance(answer, dict) else None
        if not isinstance(id_token, str):
            raise LoginRefusedByProvider()
        verified = await self.verifier.verify_id_token(id_token, provider, pending["nonce"])
        person = await self.authenticator.person_for(verified.provider, verified.subject)
        return await self._start_session(person, provider), str(pending["return_to"])

    async def dev_session(self, tenant_slug: str, subject: str) -> SessionCookie:
        """A session for a demo person of the development identity provider (``VARDE_ENV=dev`` only: the gateway
        adds the route that calls this only then)."""
        provider = next((p for p in await self.providers.for_tenant(tenant_slug) if p.kind == "dev"), None)
        if provider is None:
            raise BrowserLoginNotOffered(tenant=tenant_slug)
        return await self._start_session(await self.authenticator.person_for(provider, subject), provider)

    async def _start_session(self, person: Person, provider: Provider) -> SessionCookie:
        cookie = SessionCookie(person.tenant_id, secrets.token_urlsafe(32))
        expires_at = wall_clock_utc() + timedelta(seconds=self.session_ttl_s)
        await self.directory.start_session(person, provider, cookie.hash, expires_at)
        return cookie

    async def internal_token(self, cookie_value: str, service: str) -> str:
        cookie = SessionCookie.parse(cookie_value)
        if cookie is None:
            raise SessionInvalid()
        now = time.time()
        cached = self._sessions.get(cookie.hash)
        if cached is not None and cached[1] > now:
            person = cached[0]
        else:
            found = await self.directory.find_session(cookie.tenant_id, cookie.hash)
            if found is None:
                raise SessionEnded()
            person, expires_at = found
            if len(self._sessions) > 50_000:
                self._sessions.clear()
            self._sessions[cookie.hash] = (person, min(now + SESSION_CACHE_S, expires_at.timestamp()))
        return self.authenticator.signer.for_person(
            to=service,
            tenant_id=person.tenant_id,
            tenant_slug=person.tenant_slug,
            person_id=person.person_id,
            not_after=int(self._sessions[cookie.hash][1]) + 300,
        )

    async def logout(self, cookie_value: str | None) -> None:
        cookie = SessionCookie.parse(cookie_value or "")
        if cookie is not None:
            self._sessions.pop(cookie.hash, None)
            await self.directory.end_session(cookie.tenant_id, cookie.hash)

    def set_session_cookie(self, response: Response, cookie: SessionCookie) -> None:
        response.set_cookie(
            SESSION_COOKIE,
            cookie.encode(),
            max_age=self.session_ttl_s,
            path="/",
            secure=self.cookie_secure,
            httponly=True,
            samesite="lax",
        )


def add_login_routes(api: FastAPI, login: BrowserLogin) -> None:
    @api.get("/auth/login", summary="Logg inn i nettleseren (OpenID Connect)")
    async def begin(
        # Annotated, not ``= Query(...)``: FastAPI keeps the text rule of InputText only this way.
        tenant: Annotated[
            InputText, Query(min_length=1, max_length=60, title="Kommune", description="Kommunens kortnavn")
        ],
        provider: Annotated[
            uuid.UUID | None, Query(title="Identitetsleverandør", description="Når kommunen har flere innlogginger")
        ] = None,
        return_to: Annotated[
            InputText, Query(title="Tilbake til", description="Stien i Varde etter innloggingen")
        ] = "/",
    ) -> RedirectResponse:
        url, sealed = await login.begin(tenant.strip().lower(), provider, site_path(return_to))
        response = RedirectResponse(url, status_code=302)
        response.set_cookie(
            LOGIN_COOKIE,
            sealed,
            max_age=LOGIN_TTL_S,
            path="/auth/callback",
            secure=login.cookie_secure,
            httponly=True,
            samesite="lax",
        )
        return response

    @api.get("/auth/callback", include_in_schema=False)
    async def callback(
        request: Request,
        code: InputText | None = None,
        state: InputText | None = None,
        error: InputText | None = None,
    ) -> Response:
        if error or not code or not state:
            raise LoginCancelled()
        cookie, return_to = await login.complete(code, state, request.cookies.get(LOGIN_COOKIE))
        response = RedirectResponse(return_to, status_code=302)
        login.set_session_cookie(response, cookie)
        response.delete_cookie(LOGIN_COOKIE, path="/auth/callback")
        return response

    @api.post("/auth/logout", summary="Logg ut (avslutter økten)")
    async def logout(request: Request) -> JSONResponse:
        await login.logout(request.cookies.get(SESSION_COOKIE))
        response = JSONResponse({"logged_out": True})
        response.delete_cookie(SESSION_COOKIE, path="/", secure=login.cookie_secure, httponly=True, samesite="lax")
        return response
