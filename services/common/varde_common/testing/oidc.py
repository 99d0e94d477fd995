"""A local OpenID Connect provider for tests: its own RSA keys and JWKS on a real socket.

It stands in for an identity provider's network (Entra ID, ID-porten, Feide), the one thing outside Varde
that tests may replace. It counts JWKS fetches and can issue any token a test needs, well-formed or not.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
import uuid
from typing import Any
from urllib.parse import parse_qs, urlencode

import jwt
import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from varde_common.embedded import free_port


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class LocalOpenIdProvider:
    def __init__(self) -> None:
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.jwks_url = f"{self.issuer}/jwks"
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = uuid.uuid4().hex
        self.jwks_fetches = 0
        self.login_as = "subject-1"  # who "signs in" at /authorize (no login page: tests decide)
        self._codes: dict[str, dict[str, str]] = {}
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    # --- tokens -----------------------------------------------------------------------------------------------

    def token(self, *, audience: str | None, subject: str = "subject-1", **changes: Any) -> str:
        """A token signed with the provider's key; ``changes`` override or (as None) remove claims and header."""
        now = int(time.time())
        claims: dict[str, Any] = {"iss": self.issuer, "sub": subject, "iat": now, "nbf": now, "exp": now + 600}
        if audience is not None:
            claims["aud"] = audience
        headers = {"kid": changes.pop("kid", self.kid)}
        key: Any = changes.pop("key", self.key)
        algorithm = changes.pop("algorithm", "RS256")
        for name, value in changes.items():
            if value is None:
                claims.pop(name, None)
            else:
                claims[name] = value
        return jwt.encode(claims, key, algorithm=algorithm, headers=headers)

    def unsigned_token(self, *, audience: str, subject: str = "subject-1") -> str:
        """``alg: none``: a token that claims everything and proves nothing."""
        now = int(time.time())
        header = {"alg": "none", "typ": "JWT", "kid": self.kid}
        claims = {"iss": self.issuer, "aud": audience, "sub": subject, "iat": now, "exp": now + 600}
        return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}."

    def public_pem(self) -> bytes:
        return self.key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def hs256_with_public_key(self, *, audience: str, subject: str = "subject-1") -> str:
        """The classic confusion attack: HMAC "signed" with the provider's public key as the secret."""
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": audience, "sub": subject, "iat": now, "exp": now + 600}
        header = {"alg": "HS256", "typ": "JWT", "kid": self.kid}
        signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
        signature = hmac.new(self.public_pem(), signing_input.encode(), hashlib.sha256).digest()
        return f"{signing_input}.{_b64(signature)}"

    # --- the server -------------------------------------------------------------------------------------------

    def jwks(self) -> dict[str, Any]:
        numbers = self.key.public_key().public_numbers()
        return {
            "keys": [
                {
                    "kty": "RSA",
                    "use": "sig",
                    "alg": "RS256",
                    "kid": self.kid,
                    "n": _b64(numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")),
                    "e": _b64(numbers.e.to_bytes(3, "big")),
                }
            ]
        }

    def _app(self) -> Starlette:
        async def jwks(request: Request) -> JSONResponse:
            self.jwks_fetches += 1
            return JSONResponse(self.jwks())

        async def configuration(request: Request) -> JSONResponse:
            return JSONResponse({"issuer": self.issuer, "jwks_uri": self.jwks_url})

        async def authorize(request: Request) -> Response:
            query = request.query_params
            if query.get("response_type") != "code" or query.get("code_challenge_method") != "S256":
                return JSONResponse({"error": "invalid_request"}, status_code=400)
            code = secrets.token_urlsafe(16)
            self._codes[code] = {
                "client_id": query["client_id"],
                "redirect_uri": query["redirect_uri"],
                "challenge": query["code_challenge"],
                "nonce": query.get("nonce", ""),
                "subject": self.login_as,
            }
            return RedirectResponse(f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}")

        async def token(request: Request) -> JSONResponse:
            form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
            grant = self._codes.pop(str(form.get("code")), None)  # a code works once
            verifier = str(form.get("code_verifier", ""))
            challenge = _b64(hashlib.sha256(verifier.encode()).digest())
            if (
                grant is None
                or grant["redirect_uri"] != form.get("redirect_uri")
                or grant["client_id"] != form.get("client_id")
                or not hmac.compare_digest(grant["challenge"], challenge)
            ):
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            id_token = self.token(audience=grant["client_id"], subject=grant["subject"], nonce=grant["nonce"])
            return JSONResponse({"id_token": id_token, "access_token": id_token, "token_type": "Bearer"})

        return Starlette(
            routes=[
                Route("/jwks", jwks),
                Route("/.well-known/openid-configuration", configuration),
                Route("/authorize", authorize),
                Route("/token", token, methods=["POST"]),
            ]
        )

    def start(self) -> LocalOpenIdProvider:
        config = uvicorn.Config(self._app(), host="127.0.0.1", port=self.port, log_config=None, lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=lambda: asyncio.run(self._server.serve()), daemon=True)  # type: ignore[union-attr]
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the local OpenID provider did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=5)
