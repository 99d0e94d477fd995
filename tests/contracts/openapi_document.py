"""The public OpenAPI document as the gateway serves it, built in-process: every service's app, merged."""

from __future__ import annotations

import importlib
import os
from typing import Any

from fastapi import FastAPI

from varde_common.http import Probes
from varde_common.runner import ServiceSpec
from varde_common.runtime import Runtime
from varde_gateway.openapi import merge_openapi
from varde_gateway.ratelimits import RateLimiter
from varde_gateway.ratepolicies import default_policies

HTTP_SERVICES = ("directory", "documents", "deviations", "risk", "notifications", "reporting")


def service_app(service: str, public_key_pem: str) -> FastAPI:
    """The service's HTTP app as it is composed for the ``api`` role (nothing started)."""
    spec: ServiceSpec = importlib.import_module(f"varde_{service}.__main__").SPEC
    previous = os.environ.get("VARDE_INTERNAL_TOKEN_PUBLIC_KEY")
    os.environ["VARDE_INTERNAL_TOKEN_PUBLIC_KEY"] = public_key_pem
    try:
        runtime = Runtime.create(service, spec.settings_factory())
    finally:
        if previous is None:
            os.environ.pop("VARDE_INTERNAL_TOKEN_PUBLIC_KEY")
        else:
            os.environ["VARDE_INTERNAL_TOKEN_PUBLIC_KEY"] = previous
    return spec.create_app(runtime, Probes())


def service_document(service: str, public_key_pem: str) -> dict[str, Any]:
    document: dict[str, Any] = service_app(service, public_key_pem).openapi()
    return document


def public_document(public_key_pem: str) -> dict[str, Any]:
    merged, missing = merge_openapi(
        {service: service_document(service, public_key_pem) for service in HTTP_SERVICES},
        dev=False,
        rate_limited=RateLimiter(default_policies(), "memory://").problems_for,
    )
    assert missing == []
    return merged
