"""Settings shared by every Varde process (env prefix ``VARDE_``)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Literal, Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from varde_common.database_url import to_asyncpg_url


class Environment(StrEnum):
    DEV = "dev"
    TEST = "test"
    PROD = "prod"


class BaseVardeSettings(BaseSettings):
    """What every process needs: where it runs, how it logs, how it proves who called it."""

    # A value that fails validation is not repeated in the error: a database URL carries its password.
    model_config = SettingsConfigDict(env_prefix="VARDE_", extra="ignore", hide_input_in_errors=True)

    env: Environment = Environment.PROD
    log_level: str = "INFO"
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    # The gateway's public key(s), PEM: several blocks one after the other while the key is rotated (identity.py).
    internal_token_public_key: str = ""
    internal_token_public_key_file: Path | None = None

    def read_internal_public_key(self) -> str:
        if self.internal_token_public_key:
            return self.internal_token_public_key
        if self.internal_token_public_key_file is not None:
            return self.internal_token_public_key_file.read_text()
        raise RuntimeError("VARDE_INTERNAL_TOKEN_PUBLIC_KEY or VARDE_INTERNAL_TOKEN_PUBLIC_KEY_FILE must be set")


class ServiceSettings(BaseVardeSettings):
    """Settings of a domain service: its database, its broker, its relay and consumers."""

    # Either form: postgresql+asyncpg://, or postgresql:// and postgres:// as CloudNativePG's secret gives them
    # (converted here, sslmode becoming asyncpg's ssl: varde_common.database_url). The *_FILE variants read the URL
    # from a mounted Secret key (CloudNativePG's ``uri``) and win over the plain ones.
    database_url: str = "postgresql+asyncpg://varde_app@127.0.0.1:5432/varde"
    database_url_file: Path | None = None
    # Migrations run as the schema owner; the application role owns no table (row-level security).
    migrations_database_url: str = ""
    migrations_database_url_file: Path | None = None
    database_app_role: str = "varde_app"
    # Connections beyond the pool are opened for one transaction and closed again, and each new connection
    # prepares its statements anew: under load that churn cost more than waiting a moment for a pooled one
    # (measured with 16 concurrent reports on a pool of 10). So the pool is the limit; raise it to scale.
    database_pool_size: int = 10
    database_max_overflow: int = 0
    # How long a request waits for a pooled connection, and for a new connection to open, before it answers 503:
    # below the gateway's upstream timeout (15 s), so the service says why rather than the gateway timing out, with
    # time left for the statements themselves. A burst of 300 requests on a pool of 3 waited over 5 s on a busy
    # two-core machine (services/deviations/tests/test_tenant_pool.py), so not less.
    database_pool_timeout_s: float = 10.0
    database_connect_timeout_s: float = 5.0
    # A span per SQL statement costs about a sixth of a report's CPU (measured, bench "reports"); the trace
    # from the gateway through the outbox and Kafka does not need it. Turn on to look inside a slow request.
    trace_sql: bool = False

    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    # TLS and SASL as Strimzi's listeners and KafkaUsers need them (varde_common.kafka.client_security applies them
    # to every client). The CA is the cluster CA's ca.crt; without it the system's CAs are trusted. The password
    # is read from a file (the KafkaUser's Secret key ``password``), never from the environment.
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_SSL"] = "PLAINTEXT"
    kafka_ssl_ca_file: Path | None = None
    kafka_sasl_mechanism: Literal["SCRAM-SHA-512", "SCRAM-SHA-256"] = "SCRAM-SHA-512"
    kafka_sasl_username: str = ""
    kafka_sasl_password_file: Path | None = None
    # Apache Kafka supports idempotent producing; the embedded Tansu broker does not.
    kafka_enable_idempotence: bool = True
    # Producers give up on a request after this; a relay then keeps its rows and tries again.
    kafka_request_timeout_ms: int = 5000
    # Consumers wait longer: a JoinGroup request legitimately blocks while the group rebalances.
    kafka_consumer_request_timeout_ms: int = 40000
    # How long the broker may hold a fetch open when there is nothing new. Apache Kafka answers as soon as data
    # arrives. Tansu often answers only when the wait is over (measured in issue 15: with 250 ms a notification
    # came 69 ms after its event was published at p50, 131 ms at p99), so the dev stack sets 50 ms. 20 ms cost each
    # idle consumer 3.5 % of a core in fetch requests; 250 ms costs 0.5 %.
    kafka_fetch_max_wait_ms: int = 250
    # How long a consumer waits for records before it looks again; when there were none, FastStream also sleeps
    # this long, so a record that arrives then waits up to this before it is handled (the fetch itself goes on in
    # the background meanwhile: a shorter wait costs loop turns, not requests to the broker). Measured on the dev
    # stack (fetches held 50 ms): 50 ms gave a report's notification p99 64 ms after publishing, 10 ms 47 ms.
    kafka_consumer_idle_wait_ms: int = 10

    relay_poll_interval_s: float = 1.0
    relay_batch_size: int = 500
    consumer_retry_delays_s: list[float] = Field(default_factory=lambda: [0.2, 1.0, 3.0])
    # Scheduled jobs (deadlines) run in the worker role this often; safe with several replicas.
    scheduler_interval_s: float = 60.0
    # How long the outbox (the event log a replay reads) keeps rows already sent, and the inbox the ids of events
    # handled; older rows are deleted in batches by a job in the worker role (varde_common.retention).
    outbox_retention_days: int = 400
    inbox_retention_days: int = 30
    retention_batch_size: int = 5000
    retention_interval_s: float = 3600.0
    # The worker and relay roles serve /livez, /readyz and /metrics on this port (on VARDE_HTTP_HOST); an api, and
    # the laptop's ``all`` role, serves them on its own port. One fixed port (the usual one of a Prometheus
    # exporter) rather than one derived from the api's, so every worker and relay Deployment names the same
    # containerPort whatever the api listens on; each pod has its own network, so nothing collides there. Two roles
    # started apart on one machine need a port each.
    probe_port: int = 9090
    # On SIGTERM: how long an api finishes the requests in flight, a worker the batch it handles (FastStream waits
    # up to its own 15 s for that, inside this) and the relay its publish, before the process exits. Below
    # Kubernetes' 30 s grace period less the preStop pause (5 s) that lets the endpoints drain first.
    shutdown_timeout_s: float = 20.0

    @field_validator("database_url", "migrations_database_url")
    @classmethod
    def _asyncpg_form(cls, url: str) -> str:
        return to_asyncpg_url(url) if url else url

    @model_validator(mode="after")
    def _urls_from_files(self) -> Self:
        for name in ("database_url", "migrations_database_url"):
            path: Path | None = getattr(self, f"{name}_file")
            if path is not None:
                setattr(self, name, to_asyncpg_url(path.read_text()))
        return self

    @model_validator(mode="after")
    def _sasl_complete(self) -> Self:
        if self.kafka_security_protocol == "SASL_SSL" and not (
            self.kafka_sasl_username and self.kafka_sasl_password_file
        ):
            raise ValueError("SASL_SSL needs VARDE_KAFKA_SASL_USERNAME and VARDE_KAFKA_SASL_PASSWORD_FILE")
        return self

    def read_kafka_sasl_password(self) -> SecretStr:
        """The SASL password from its file; a line break at the end (an editor's) is not part of it."""
        if self.kafka_sasl_password_file is None:
            raise RuntimeError("VARDE_KAFKA_SASL_PASSWORD_FILE must be set")
        return SecretStr(self.kafka_sasl_password_file.read_text().rstrip("\r\n"))

    def owner_database_url(self) -> str:
        return self.migrations_database_url or self.database_url
