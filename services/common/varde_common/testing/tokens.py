"""Internal tokens in tests, signed as the gateway signs them for the service under test."""

from __future__ import annotations

import uuid

from varde_common.identity import InternalTokenSigner


class ServiceTokenSigner(InternalTokenSigner):
    """Signs internal tokens as the gateway does for one service, the one under test (the ``token_signer`` fixture
    of a service's tests): a person token goes to that service unless another is named."""

    def __init__(self, private_key_pem: str, service: str) -> None:
        super().__init__(private_key_pem)
        self.service = service

    def for_person(
        self,
        *,
        to: str | None = None,
        tenant_id: uuid.UUID,
        tenant_slug: str,
        person_id: uuid.UUID,
        not_after: int,
    ) -> str:
        return super().for_person(
            to=to or self.service,
            tenant_id=tenant_id,
            tenant_slug=tenant_slug,
            person_id=person_id,
            not_after=not_after,
        )
