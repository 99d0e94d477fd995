"""Kafka TLS and SASL, and database URLs as CloudNativePG gives them: what the settings make of them."""

from __future__ import annotations

import datetime
import logging
import ssl
from pathlib import Path

import asyncpg
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pydantic import ValidationError
from sqlalchemy import text

from varde_common.database_url import asyncpg_dsn, to_asyncpg_url
from varde_common.db import create_engine
from varde_common.kafka import client_options, client_security, create_broker, create_producer
from varde_common.settings import ServiceSettings

PASSWORD = "Strimzi-generated-7xq2Lm9pW"
CA_NAME = "varde-test-cluster-ca"


def _ca_file(directory: Path) -> Path:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    path = directory / "ca.crt"
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return path


def _password_file(directory: Path) -> Path:
    path = directory / "password"
    path.write_text(PASSWORD + "\n")
    return path


def _sasl_settings(tmp_path: Path, **overrides: object) -> ServiceSettings:
    options: dict[str, object] = {
        "kafka_security_protocol": "SASL_SSL",
        "kafka_ssl_ca_file": _ca_file(tmp_path),
        "kafka_sasl_username": "varde-deviations",
        "kafka_sasl_password_file": _password_file(tmp_path),
    }
    return ServiceSettings(**{**options, **overrides})  # type: ignore[arg-type]


def _trusts_only_the_test_ca(context: ssl.SSLContext) -> None:
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    subjects = [dict(entry[0] for entry in cert["subject"]) for cert in context.get_ca_certs()]
    assert subjects == [{"commonName": CA_NAME}]


def test_plaintext_is_the_default_and_adds_nothing_to_the_clients() -> None:
    settings = ServiceSettings()
    assert settings.kafka_security_protocol == "PLAINTEXT"
    assert client_security(settings) is None
    assert client_options(settings) == {}


def test_ssl_verifies_the_broker_against_the_given_ca(tmp_path: Path) -> None:
    settings = ServiceSettings(kafka_security_protocol="SSL", kafka_ssl_ca_file=_ca_file(tmp_path))
    options = client_options(settings)
    assert options["security_protocol"] == "SSL"
    assert "sasl_mechanism" not in options
    _trusts_only_the_test_ca(options["ssl_context"])


def test_sasl_scram_512_takes_the_user_and_the_password_from_its_file(tmp_path: Path) -> None:
    options = client_options(_sasl_settings(tmp_path))
    assert options["security_protocol"] == "SASL_SSL"
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert options["sasl_plain_username"] == "varde-deviations"
    assert options["sasl_plain_password"] == PASSWORD  # the line break at the file's end is not part of it
    _trusts_only_the_test_ca(options["ssl_context"])


def test_the_environment_names_the_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VARDE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("VARDE_KAFKA_SSL_CA_FILE", str(_ca_file(tmp_path)))
    monkeypatch.setenv("VARDE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-256")
    monkeypatch.setenv("VARDE_KAFKA_SASL_USERNAME", "varde-risk")
    monkeypatch.setenv("VARDE_KAFKA_SASL_PASSWORD_FILE", str(_password_file(tmp_path)))
    options = client_options(ServiceSettings())
    assert (options["sasl_mechanism"], options["sasl_plain_username"]) == ("SCRAM-SHA-256", "varde-risk")
    assert options["sasl_plain_password"] == PASSWORD


def test_sasl_without_a_user_or_a_password_file_is_refused_at_start(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="VARDE_KAFKA_SASL_PASSWORD_FILE"):
        ServiceSettings(kafka_security_protocol="SASL_SSL", kafka_sasl_username="varde-risk")
    with pytest.raises(ValidationError, match="VARDE_KAFKA_SASL_USERNAME"):
        ServiceSettings(kafka_security_protocol="SASL_SSL", kafka_sasl_password_file=_password_file(tmp_path))
    with pytest.raises(ValidationError):
        ServiceSettings(kafka_security_protocol="SASL_PLAINTEXT")  # credentials in the clear: not offered


async def test_every_client_gets_the_security_and_no_log_or_repr_shows_the_password(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    settings = _sasl_settings(tmp_path)
    producer = create_producer(settings)  # the relay's
    broker = create_broker(settings, "deviations")  # the worker's consumers, and its producer and admin client
    consumer_options = broker.config.broker_config.builder.keywords
    assert consumer_options["security_protocol"] == "SASL_SSL"
    assert consumer_options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert consumer_options["sasl_plain_password"] == PASSWORD
    _trusts_only_the_test_ca(consumer_options["ssl_context"])
    client = producer.client
    assert (client._security_protocol, client._sasl_mechanism) == ("SASL_SSL", "SCRAM-SHA-512")
    assert client._sasl_plain_password == PASSWORD
    _trusts_only_the_test_ca(client._ssl_context)
    shown = [repr(settings), str(settings), repr(settings.read_kafka_sasl_password()), repr(client_security(settings))]
    shown += [record.getMessage() for record in caplog.records]
    assert not [text for text in shown if PASSWORD in text]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        # CloudNativePG's secret key "uri"
        (
            "postgresql://app:s3cr%2Ft@cluster-rw.varde:5432/app",
            "postgresql+asyncpg://app:s3cr%2Ft@cluster-rw.varde:5432/app",
        ),
        ("postgres://app:pw@db:5432/deviations", "postgresql+asyncpg://app:pw@db:5432/deviations"),
        ("postgresql+asyncpg://varde_app@127.0.0.1:5432/varde", "postgresql+asyncpg://varde_app@127.0.0.1:5432/varde"),
        ("postgresql://app:pw@db/app?sslmode=verify-full", "postgresql+asyncpg://app:pw@db/app?ssl=verify-full"),
        (
            "postgresql://app:pw@db/app?ssl=require&target_session_attrs=read-write",
            "postgresql+asyncpg://app:pw@db/app?ssl=require&target_session_attrs=read-write",
        ),
        (
            "postgresql://app:pw@/app?host=%2Fvar%2Frun%2Fpostgresql",
            "postgresql+asyncpg://app:pw@/app?host=%2Fvar%2Frun%2Fpostgresql",
        ),
        ("  postgresql://app:pw@db/app\n", "postgresql+asyncpg://app:pw@db/app"),  # as a mounted file has it
    ],
)
def test_database_urls_are_turned_into_the_asyncpg_form(given: str, expected: str) -> None:
    assert to_asyncpg_url(given) == expected
    assert ServiceSettings(database_url=given, migrations_database_url=given).owner_database_url() == expected


@pytest.mark.parametrize(
    ("given", "refusal"),
    [
        ("mysql://app:pw@db/app", "postgresql://"),
        ("postgresql://app:pw@db/app?sslrootcert=/etc/ca.crt", "'sslrootcert'"),
        ("postgresql://app:pw@db/app?sslmode=maybe", "one of disable"),
        ("postgresql://app:pw@db/app?sslmode=require&ssl=disable", "twice"),
    ],
)
def test_what_asyncpg_would_not_understand_is_refused_without_showing_the_password(given: str, refusal: str) -> None:
    with pytest.raises(ValueError, match=refusal):
        to_asyncpg_url(given)
    with pytest.raises(ValidationError) as refused:
        ServiceSettings(database_url=given)
    assert ":pw@" not in str(refused.value)


def test_the_database_urls_can_be_read_from_mounted_secret_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "app-uri").write_text("postgresql://app:pw@cluster-rw:5432/app?sslmode=require")
    (tmp_path / "owner-uri").write_text("postgres://owner:pw2@cluster-rw:5432/app")
    monkeypatch.setenv("VARDE_DATABASE_URL_FILE", str(tmp_path / "app-uri"))
    monkeypatch.setenv("VARDE_MIGRATIONS_DATABASE_URL_FILE", str(tmp_path / "owner-uri"))
    settings = ServiceSettings()
    assert settings.database_url == "postgresql+asyncpg://app:pw@cluster-rw:5432/app?ssl=require"
    assert settings.owner_database_url() == "postgresql+asyncpg://owner:pw2@cluster-rw:5432/app"


def test_the_relay_dsn_gives_sslmode_back_to_asyncpg() -> None:
    assert asyncpg_dsn("postgresql+asyncpg://app:pw@db:5432/app?ssl=verify-full") == (
        "postgresql://app:pw@db:5432/app?sslmode=verify-full"
    )
    assert asyncpg_dsn("postgres://app:pw@db/app") == "postgresql://app:pw@db/app"


async def test_a_converted_url_connects_both_through_sqlalchemy_and_for_the_relay(postgres_admin_url: str) -> None:
    libpq_form = postgres_admin_url.replace("postgresql+asyncpg://", "postgresql://", 1)
    libpq_form += ("&" if "?" in libpq_form else "?") + "sslmode=disable"
    url = ServiceSettings(database_url=libpq_form).database_url
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            assert (await connection.execute(text("select 1"))).scalar_one() == 1
    finally:
        await engine.dispose()
    listener = await asyncpg.connect(asyncpg_dsn(url))
    try:
        assert await listener.fetchval("select 1") == 1
    finally:
        await listener.close()
