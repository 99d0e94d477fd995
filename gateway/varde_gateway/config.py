"""Settings of the gateway."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field

from varde_common.settings import BaseVardeSettings
from varde_gateway.ratepolicies import RatePolicy, default_policies

SERVICES = ("directory", "documents", "deviations", "risk", "notifications", "reporting")


class GatewaySettings(BaseVardeSettings):
    http_port: int = Field(default=8080, validation_alias=AliasChoices("VARDE_GATEWAY_PORT", "VARDE_HTTP_PORT"))

    # The route table: /api/v1/<service>/... goes to the service's base URL.
    upstream_directory: str = "http://127.0.0.1:8101"
    upstream_documents: str = "http://127.0.0.1:8102"
    upstream_deviations: str = "http://127.0.0.1:8103"
    upstream_risk: str = "http://127.0.0.1:8104"
    upstream_notifications: str = "http://127.0.0.1:8105"
    upstream_reporting: str = "http://127.0.0.1:8106"
    # Every path that is neither the API nor the gateway's own (login, docs, probes) is a page of the web client.
    upstream_web: str = "http://127.0.0.1:8100"

    upstream_connect_timeout_s: float = 1.0
    upstream_read_timeout_s: float = 15.0
    upstream_max_connections: int = 256
    # An idle connection to a service is given up before the service gives it up (uvicorn: 5 s): a request sent
    # just as the service closes its end is lost, and a POST cannot be sent again.
    upstream_keepalive_s: float = 4.0
    max_body_bytes: int = 1_048_576
    # Routes that take files (an HR export of a large kommune, attachments) get their own limit, by the path's
    # first segments (``*`` for one segment, see paths.BodyLimits); a little above the owning service's own
    # limit, so the service gives the precise message.
    body_limits: dict[str, int] = Field(
        default_factory=lambda: {
            "/api/v1/directory/imports": 20 * 1_048_576,
            "/api/v1/deviations/*/attachments": 12 * 1_048_576,
            "/api/v1/documents/*/versions/*/attachments": 22 * 1_048_576,
            # The web's report form and a case's "add photos" form carry up to four photos of the deviations
            # API's 10 MB each (varde_web.photos): the web checks each and names what is wrong, in Norwegian.
            "/meld": 42 * 1_048_576,
            "/saker/*/vedlegg": 42 * 1_048_576,
        }
    )

    # Rate limits (varde_gateway.ratelimits): the counters live in a Valkey or Redis that every replica shares
    # (valkey://host:port, redis://…, rediss://…); memory:// counts in this process only (one replica, tests).
    rate_limit_storage_url: str = "memory://"
    rate_limits: list[RatePolicy] = Field(default_factory=default_policies)
    # Addresses (or networks, 10.0.0.0/8) of the proxies in front of the gateway: only from them is
    # X-Forwarded-For believed, and the client address is the nearest one in it that is not a trusted proxy.
    trusted_proxies: list[str] = Field(default_factory=list)

    # Identity: JWKS fetches per URL at most this often (also on unknown key ids); providers reloaded this often.
    jwks_min_fetch_interval_s: float = 10.0
    providers_max_age_s: float = 30.0
    # Remember a checked token until it expires (the check then costs one lookup per request).
    token_cache: bool = True
    # Benchmarks only, and only in VARDE_ENV=dev: skip the signature and claim checks to measure what they cost.
    verify_token_signatures: bool = True

    # The browser login: where browsers reach the gateway (for the redirect URI), how long a session lasts,
    # and client secrets of confidential OpenID clients by provider id: a JSON object, or a directory with one file
    # per provider id holding its secret (a Secret mounted as a volume: each key a file). Never in a ConfigMap.
    public_url: str = "http://127.0.0.1:8080"
    session_ttl_s: int = 8 * 3600
    cookie_secure: bool = True
    oidc_client_secrets: dict[str, str] = Field(default_factory=dict)
    oidc_client_secrets_dir: Path | None = None

    internal_token_private_key: str = ""
    internal_token_private_key_file: Path | None = None
    # Development identity provider (VARDE_ENV=dev only): its signing key.
    dev_idp_private_key: str = ""
    dev_idp_private_key_file: Path | None = None

    def routes(self) -> dict[str, str]:
        return {name: str(getattr(self, f"upstream_{name}")).rstrip("/") for name in SERVICES}

    def read_oidc_client_secrets(self) -> dict[str, str]:
        """The client secrets by provider id, from the JSON setting and the directory's files together."""
        secrets = dict(self.oidc_client_secrets)
        if self.oidc_client_secrets_dir is None:
            return secrets
        for path in sorted(self.oidc_client_secrets_dir.iterdir()):
            # Kubernetes mounts a Secret's keys as links into a hidden "..data" directory: those are not providers.
            if path.name.startswith(".") or not path.is_file():
                continue
            if path.name in secrets:
                raise RuntimeError(f"the client secret of provider {path.name!r} is given twice")
            secrets[path.name] = path.read_text().rstrip("\r\n")
        return secrets

    def read_internal_private_key(self) -> str:
        return _read_key(
            self.internal_token_private_key, self.internal_token_private_key_file, "INTERNAL_TOKEN_PRIVATE_KEY"
        )

    def read_dev_idp_private_key(self) -> str:
        return _read_key(self.dev_idp_private_key, self.dev_idp_private_key_file, "DEV_IDP_PRIVATE_KEY")


def _read_key(value: str, path: Path | None, name: str) -> str:
    if value:
        return value
    if path is not None:
        return path.read_text()
    raise RuntimeError(f"VARDE_{name} or VARDE_{name}_FILE must be set")
