"""Each service's committed asyncapi.yaml is what its code publishes and consumes (`make asyncapi` regenerates)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
import yaml

from varde_common.runner import ServiceSpec, asyncapi_yaml

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ["directory", "documents", "deviations", "risk", "notifications", "reporting"]


def spec_of(service: str) -> ServiceSpec:
    spec: ServiceSpec = importlib.import_module(f"varde_{service}.__main__").SPEC
    return spec


@pytest.mark.parametrize("service", SERVICES)
def test_committed_asyncapi_matches_the_code(service: str) -> None:
    committed = (ROOT / "services" / service / "asyncapi.yaml").read_text()
    assert asyncapi_yaml(spec_of(service)) == committed, (
        f"run `make asyncapi`: services/{service}/asyncapi.yaml drifted"
    )


def test_every_consumed_event_is_published_by_some_service() -> None:
    published: set[str] = set()
    consumed: set[str] = set()
    for service in SERVICES:
        document = yaml.safe_load((ROOT / "services" / service / "asyncapi.yaml").read_text())
        for operation in document["operations"].values():
            names = {ref["$ref"].rsplit("/", 1)[-1] for ref in operation["messages"]}
            (published if operation["action"] == "send" else consumed).update(names)
    assert consumed <= published
    assert "DeviationAssigned" in consumed
