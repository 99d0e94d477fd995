"""The gateway: the only door. Authenticates, routes ``/api/v1/<service>/…``, limits, and in dev mode
serves the development identity provider. It holds no domain data and no business rules.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import httpx
from fastapi import FastAPI, Form
from fastapi.responses import PlainTextResponse, RedirectResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, ConfigDict, Field
from starlette.routing import Match
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from varde_common.cookies import NoCookies
from varde_common.identity import InternalTokenSigner
from varde_common.inputs import InputText
from varde_common.problem_handlers import install_problem_handlers
from varde_common.redirects import site_path
from varde_common.settings import Environment
from varde_common.telemetry import instrument_fastapi
from varde_gateway.apidocs import add_docs_routes, is_docs_path
from varde_gateway.auth import DEV_TOKEN_TTL_S, Authenticator, DevIdentityProvider
from varde_gateway.config import GatewaySettings
from varde_gateway.directory import DirectoryClient
from varde_gateway.login import BrowserLogin, add_login_routes
from varde_gateway.network import upstream_transport
from varde_gateway.oidc import JwksCache, ProviderRegistry, TokenVerifier
from varde_gateway.openapi import merge_openapi
from varde_gateway.proxy import API_PREFIX, Proxy, Receive, Scope, Send
from varde_gateway.ratelimits import AddressLimits, RateLimiter

OPENAPI_PATH = "/api/v1/openapi.json"
_OWN_PREFIXES = ("/api/", "/auth/", "/dev/")


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tenant: InputText = Field(min_length=1, title="Kommune", description="Kommunens kortnavn, f.eks. hustadvika")
    email: InputText = Field(min_length=3, title="E-post", description="E-postadressen til en demoperson")


class DevSessionRequest(TokenRequest):
    return_to: InputText = Field(
        default="/", max_length=2000, title="Tilbake til", description="Stien i Varde etter innloggingen"
    )


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    expires_in: int


def upstream_timeout(settings: GatewaySettings) -> httpx.Timeout:
    connect = settings.upstream_connect_timeout_s
    return httpx.Timeout(settings.upstream_read_timeout_s, connect=connect, pool=connect)


def upstream_limits(settings: GatewaySettings) -> httpx.Limits:
    return httpx.Limits(
        max_connections=settings.upstream_max_connections,
        max_keepalive_connections=settings.upstream_max_connections,
        keepalive_expiry=settings.upstream_keepalive_s,
    )


class Gateway:
    """ASGI entry: ``/api/v1/<service>/…`` goes straight to the proxy; everything else to the FastAPI app."""

    def __init__(self, settings: GatewaySettings) -> None:
        self.settings = settings
        # One pool of upstream connections: the proxy uses the transport directly; the gateway's own calls
        # (OpenAPI documents, the dev identity provider's lookups) use a client on the same transport.
        # Not instrumented: the proxy makes its one span and propagates the context itself (see proxy.py).
        self.transport = upstream_transport(upstream_limits(settings))
        self.client = httpx.AsyncClient(
            transport=self.transport, timeout=upstream_timeout(settings), cookies=NoCookies(), follow_redirects=False
        )
        self.signer = InternalTokenSigner(settings.read_internal_private_key())
        dev_mode = settings.env == Environment.DEV
        if not settings.verify_token_signatures and not dev_mode:
            raise RuntimeError("VARDE_VERIFY_TOKEN_SIGNATURES=false er bare tillatt med VARDE_ENV=dev")
        self.dev_idp = DevIdentityProvider(settings.read_dev_idp_private_key()) if dev_mode else None
        self.directory = DirectoryClient(self.client, settings.routes()["directory"], self.signer)
        # Identity providers are on the internet (TLS), unlike the services: their own client, default transport.
        self.idp_client = httpx.AsyncClient(timeout=5.0, follow_redirects=False, cookies=NoCookies())
        self.jwks = JwksCache(self.idp_client, min_fetch_interval_s=settings.jwks_min_fetch_interval_s)
        self.providers = ProviderRegistry(self.directory.providers, max_age_s=settings.providers_max_age_s)
        dev_key = self.dev_idp.public_key if self.dev_idp else None
        self.authenticator = Authenticator(
            self.signer,
            TokenVerifier(self.providers, self.jwks, local_keys=lambda provider: dev_key),
            self.directory,
            cache_tokens=settings.token_cache,
            check_signatures=settings.verify_token_signatures,
        )
        self.login = BrowserLogin(
            public_url=settings.public_url,
            providers=self.providers,
            verifier=self.authenticator.verifier,
            authenticator=self.authenticator,
            directory=self.directory,
            idp_client=self.idp_client,
            secret=settings.read_internal_private_key().encode(),
            session_ttl_s=settings.session_ttl_s,
            cookie_secure=settings.cookie_secure,
            client_secrets=settings.read_oidc_client_secrets(),
        )
        self.limiter = RateLimiter(settings.rate_limits, settings.rate_limit_storage_url)
        self.proxy = Proxy(
            routes=settings.routes(),
            pool=self.transport.pool,
            timeout=upstream_timeout(settings),
            authenticator=self.authenticator,
            login=self.login,
            max_body_bytes=settings.max_body_bytes,
            body_limits=settings.body_limits,
            limiter=self.limiter,
            web=settings.upstream_web,
        )
        self.api = self._build_api()
        self.own_routes = AddressLimits(self.api, self.limiter)
        # The client address (rate limits, X-Forwarded-For to the services) from X-Forwarded-For only when the
        # connection comes from a configured proxy; uvicorn's own handling of it is off (__main__).
        self.entry = ProxyHeadersMiddleware(self._dispatch, trusted_hosts=settings.trusted_proxies)  # type: ignore[arg-type]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.entry(scope, receive, send)  # type: ignore[arg-type]

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http":
            await self.own_routes(scope, receive, send)
        elif path.startswith(API_PREFIX) and path != OPENAPI_PATH and not is_docs_path(path):
            await self.proxy(scope, receive, send)
        elif self._is_own(scope):
            await self.own_routes(scope, receive, send)
        else:
            await self.proxy.forward_to_web(scope, receive, send)

    def _is_own(self, scope: Scope) -> bool:
        """A path the gateway answers itself, for any method (a wrong method there is the gateway's 405, not a
        page): the API's documents, the login, the development provider (a 404 outside dev), the probes."""
        path: str = scope["path"]
        return path.startswith(_OWN_PREFIXES) or any(
            route.matches(scope)[0] != Match.NONE for route in self.api.router.routes
        )

    def _build_api(self) -> FastAPI:
        gateway = self

        @asynccontextmanager
        async def lifespan(_: FastAPI) -> AsyncIterator[None]:
            yield
            await gateway.client.aclose()
            await gateway.idp_client.aclose()

        api = FastAPI(title="Varde gateway", lifespan=lifespan, openapi_url=None, docs_url=None, redoc_url=None)
        install_problem_handlers(api, has_database=False)
        openapi_cache: dict[str, Any] = {}

        @api.get("/livez")
        async def livez() -> dict[str, str]:
            return {"status": "ok"}

        @api.get("/readyz")
        async def readyz() -> dict[str, Any]:
            # The gateway is ready when it can serve; each service's readiness is its own probe.
            return {"status": "ready", "routes": sorted(gateway.settings.routes())}

        @api.get("/metrics", include_in_schema=False)
        async def metrics() -> PlainTextResponse:
            return PlainTextResponse(generate_latest().decode(), media_type=CONTENT_TYPE_LATEST)

        @api.get(OPENAPI_PATH)
        async def openapi() -> dict[str, Any]:
            cached = openapi_cache.get("document")
            if cached is not None and openapi_cache["at"] > time.monotonic() - 30 and not openapi_cache["missing"]:
                return dict(cached)
            documents = await asyncio.gather(
                *(gateway._fetch_openapi(name, url) for name, url in gateway.settings.routes().items())
            )
            merged, missing = merge_openapi(
                {name: doc for name, doc in documents},
                dev=gateway.dev_idp is not None,
                rate_limited=gateway.limiter.problems_for,
            )
            openapi_cache.update(document=merged, at=time.monotonic(), missing=missing)
            return merged

        add_docs_routes(api)
        add_login_routes(api, self.login)
        if self.dev_idp is not None:
            self._add_dev_routes(api)
        instrument_fastapi(api)
        return api

    async def _fetch_openapi(self, name: str, base_url: str) -> tuple[str, dict[str, Any] | None]:
        try:
            response = await self.client.get(base_url + "/openapi.json", timeout=3.0)
            response.raise_for_status()
            document: dict[str, Any] = response.json()
            return name, document
        except (httpx.HTTPError, ValueError):
            return name, None

    def _add_dev_routes(self, api: FastAPI) -> None:
        assert self.dev_idp is not None
        dev_idp, directory, gateway = self.dev_idp, self.directory, self

        @api.get("/dev/people", summary="Demopersoner (kun i utviklingsmodus)")
        async def dev_people() -> Any:
            return await directory.get("/internal/dev/people")

        @api.post(
            "/dev/session",
            summary="Logg inn i nettleseren som en demoperson (kun i utviklingsmodus)",
            status_code=303,
            response_class=RedirectResponse,
        )
        async def dev_session(body: Annotated[DevSessionRequest, Form()]) -> RedirectResponse:
            # The web's sign-in page posts here: a session as the browser login would start one after the
            # development provider had said who this is. Only in VARDE_ENV=dev, where that provider exists.
            tenant, subject = body.tenant.strip().lower(), body.email.strip().lower()
            await directory.check_dev_person(tenant, subject)
            cookie = await gateway.login.dev_session(tenant, subject)
            # Back to the page the browser asked for before it was sent to sign in, if it is one of this site.
            response = RedirectResponse(site_path(body.return_to), status_code=303)
            gateway.login.set_session_cookie(response, cookie)
            return response

        @api.post("/dev/token", response_model=TokenResponse, summary="Token for en demoperson (kun i utviklingsmodus)")
        async def dev_token(body: TokenRequest) -> TokenResponse:
            # The demo person must exist; their subject at the development provider is their e-mail address.
            await directory.check_dev_person(body.tenant, body.email)
            token = dev_idp.issue(tenant_slug=body.tenant, subject=body.email.strip().lower())
            return TokenResponse(access_token=token, expires_in=DEV_TOKEN_TTL_S)


def create_gateway(settings: GatewaySettings | None = None) -> Gateway:
    return Gateway(settings or GatewaySettings())
