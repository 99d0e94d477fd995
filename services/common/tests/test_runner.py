"""The process roles a service offers: a service that publishes nothing has no relay."""

from __future__ import annotations

import importlib

import pytest

from varde_common.runner import ServiceSpec, process_roles


def spec_of(service: str) -> ServiceSpec:
    spec: ServiceSpec = importlib.import_module(f"varde_{service}.__main__").SPEC
    return spec


@pytest.mark.parametrize("service", ["notifications", "reporting"])
def test_a_service_that_publishes_nothing_refuses_the_relay_role_and_runs_api_and_worker_for_all(
    service: str,
) -> None:
    spec = spec_of(service)

    with pytest.raises(SystemExit) as refused:
        process_roles(spec, "relay")

    assert str(refused.value) == (
        f"{service} publishes no events, so it has no relay role; use one of: api, worker, migrate, all"
    )
    assert process_roles(spec, "all") == ("api", "worker")


@pytest.mark.parametrize("service", ["directory", "documents", "deviations", "risk"])
def test_a_service_that_publishes_runs_its_relay_alone_or_in_all(service: str) -> None:
    spec = spec_of(service)

    assert process_roles(spec, "relay") == ("relay",)
    assert process_roles(spec, "all") == ("api", "worker", "relay")


def test_an_unknown_role_is_refused_with_the_roles_there_are() -> None:
    with pytest.raises(SystemExit) as refused:
        process_roles(spec_of("directory"), "web")

    assert str(refused.value) == "unknown role 'web'; use one of: api, worker, relay, migrate, all, demo"
