"""The pytest plugin of Varde (``-p varde_common.testing.plugin``): real servers, started once per run.

``VARDE_TEST_DATABASE_URL`` (a superuser URL) or ``VARDE_TEST_KAFKA_BOOTSTRAP_SERVERS`` use outside servers;
otherwise the embedded PostgreSQL and Tansu start in a temporary folder and stop at the end.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from varde_common.identity import InternalTokenSigner, InternalTokenVerifier, generate_private_key_pem, public_key_pem
from varde_common.testing.tokens import ServiceTokenSigner

# The service that varde_common's own tests stand up; a service's tests sign for it instead (service_fixtures).
TEST_SERVICE = "tests"


@pytest.fixture(scope="session")
def postgres_admin_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    outside = os.environ.get("VARDE_TEST_DATABASE_URL")
    if outside:
        yield outside
        return
    from varde_common.embedded import EmbeddedPostgres, free_port

    server = EmbeddedPostgres(tmp_path_factory.mktemp("postgres") / "data", free_port())
    server.start()
    try:
        yield server.url()
    finally:
        server.stop()


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    outside = os.environ.get("VARDE_TEST_KAFKA_BOOTSTRAP_SERVERS")
    if outside:
        yield outside
        return
    from varde_common.embedded import TansuBroker, free_port

    broker = TansuBroker(free_port(), log_file=tmp_path_factory.mktemp("tansu") / "tansu.log")
    broker.start()
    try:
        yield broker.bootstrap
    finally:
        broker.stop()


@pytest.fixture(scope="session")
async def kafka_topics(kafka_bootstrap: str) -> str:
    from varde_common.topics import ensure_topics

    await ensure_topics(kafka_bootstrap)
    return kafka_bootstrap


@pytest.fixture(scope="session")
def internal_private_key() -> str:
    return generate_private_key_pem()


@pytest.fixture(scope="session")
def internal_public_key(internal_private_key: str) -> str:
    return public_key_pem(internal_private_key)


@pytest.fixture(scope="session")
def token_signer(internal_private_key: str) -> InternalTokenSigner:
    return ServiceTokenSigner(internal_private_key, TEST_SERVICE)


@pytest.fixture(scope="session")
def token_verifier(internal_public_key: str) -> InternalTokenVerifier:
    return InternalTokenVerifier(internal_public_key, service=TEST_SERVICE)
