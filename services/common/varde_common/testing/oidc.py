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
import threading
import time
import uuid
from typing import Any

import jwt
import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
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

        return Starlette(routes=[Route("/jwks", jwks), Route("/.well-known/openid-configuration", configuration)])

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
