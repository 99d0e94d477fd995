"""The gateway's calls to the directory: identity providers per kommune, and who a token's subject is.

Both are cached by the callers (``ProviderRegistry``, ``Authenticator``); these calls are the misses.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import httpx

from varde_common.identity import InternalTokenSigner
from varde_gateway.auth import Person
from varde_gateway.errors import DevPersonNotFound, DirectoryUnavailable, PersonNotInKommune
from varde_gateway.oidc import Provider


class NotInDirectory(LookupError):
    """The directory does not know what was asked for (its 404): each caller says what that means."""


class DirectoryClient:
    def __init__(self, client: httpx.AsyncClient, base_url: str, signer: InternalTokenSigner) -> None:
        self.client = client
        self.base_url = base_url
        self.signer = signer

    async def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"authorization": "Bearer " + self.signer.for_service("gateway", to="directory")}
        try:
            response = await self.client.request(method, self.base_url + path, headers=headers, **kwargs)
        except httpx.TransportError as exc:
            raise DirectoryUnavailable() from exc
        if response.status_code == 404:
            raise NotInDirectory(path)
        if response.status_code >= 300:
            raise DirectoryUnavailable()
        return response

    async def get(self, path: str, params: dict[str, str] | None = None) -> Any:
        return (await self._request("GET", path, params=params)).json()

    async def post(self, path: str, body: dict[str, Any] | None = None) -> None:
        await self._request("POST", path, json=body)

    async def providers(self) -> list[Provider]:
        result = []
        for tenant in await self.get("/internal/identity-providers"):
            for p in tenant["providers"]:
                result.append(
                    Provider(
                        provider_id=uuid.UUID(p["id"]),
                        tenant_id=uuid.UUID(tenant["tenant_id"]),
                        tenant_slug=tenant["tenant_slug"],
                        kind=p["kind"],
                        issuer=p["issuer"],
                        audience=p["audience"],
                        jwks_url=p["jwks_url"],
                        algorithms=tuple(p["algorithms"]),
                        subject_claim=p["subject_claim"],
                        client_id=p.get("client_id"),
                        authorization_endpoint=p.get("authorization_endpoint"),
                        token_endpoint=p.get("token_endpoint"),
                        end_session_endpoint=p.get("end_session_endpoint"),
                    )
                )
        return result

    async def start_session(self, person: Person, provider: Provider, session_hash: str, expires_at: datetime) -> None:
        session = {
            "tenant_id": str(person.tenant_id),
            "person_id": str(person.person_id),
            "provider_id": str(provider.provider_id),
            "session_hash": session_hash,
            "expires_at": expires_at.isoformat(),
        }
        try:
            await self.post("/internal/sessions", session)
        except NotInDirectory:
            raise PersonNotInKommune() from None  # made inactive between the sign-in and now

    async def find_session(self, tenant_id: uuid.UUID, session_hash: str) -> tuple[Person, datetime] | None:
        try:
            found = await self.get(f"/internal/sessions/{tenant_id}/{session_hash}")
        except NotInDirectory:
            return None
        person = Person(
            tenant_id=uuid.UUID(found["tenant_id"]),
            tenant_slug=found["tenant_slug"],
            person_id=uuid.UUID(found["person_id"]),
        )
        return person, datetime.fromisoformat(found["expires_at"])

    async def end_session(self, tenant_id: uuid.UUID, session_hash: str) -> None:
        await self.post(f"/internal/sessions/{tenant_id}/{session_hash}/end")

    async def resolve(self, provider: Provider, subject: str) -> Person | None:
        params = {"tenant_id": str(provider.tenant_id), "provider_id": str(provider.provider_id), "subject": subject}
        try:
            found = await self.get("/internal/identities/resolve", params)
        except NotInDirectory:
            return None
        return Person(
            tenant_id=uuid.UUID(found["tenant_id"]),
            tenant_slug=found["tenant_slug"],
            person_id=uuid.UUID(found["person_id"]),
        )

    async def check_dev_person(self, tenant_slug: str, email: str) -> None:
        """The demo person exists and is active (the development identity provider signs only for them)."""
        try:
            await self.get("/internal/people/lookup", {"tenant": tenant_slug, "email": email})
        except NotInDirectory:
            raise DevPersonNotFound(tenant=tenant_slug) from None
