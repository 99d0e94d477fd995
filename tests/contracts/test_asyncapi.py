"""The event contract as another system reads it.

Each service's committed asyncapi.yaml is what its code publishes and consumes (`make asyncapi` regenerates), the
official AsyncAPI parser (`@asyncapi/parser`, pinned in asyncapi_parser/package.json, installed by `make test`)
accepts it, and what the parser reads from it (topics, partitions, compaction, consumer groups, dead letters,
headers) is what the code does.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import subprocess
import uuid
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

import pytest
import yaml
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from pydantic import BaseModel, Field

from varde_common.asyncapi import build, to_yaml
from varde_common.envelope import encode_headers
from varde_common.events.base import Event
from varde_common.kafka import DLQ_ORIGIN_HEADER, DLQ_REASON_HEADER, consumer_group, dead_letter_topic
from varde_common.runner import ServiceSpec, asyncapi_yaml
from varde_common.topics import PARTITIONS, TopicSpec, required_topics

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ["directory", "documents", "deviations", "risk", "notifications", "reporting"]
PARSE = Path(__file__).parent / "asyncapi_parser" / "parse.cjs"
NODE_MODULES = ROOT / ".tools" / "asyncapi-parser" / "node_modules"
# The parser's only remark we accept: AsyncAPI 3.1.0 exists. The documents stay on 3.0.0, which more tools read.
ACCEPTED_DIAGNOSTICS = {("Information", "asyncapi-latest-version")}
TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def spec_of(service: str) -> ServiceSpec:
    spec: ServiceSpec = importlib.import_module(f"varde_{service}.__main__").SPEC
    return spec


def document_path(service: str) -> Path:
    return ROOT / "services" / service / "asyncapi.yaml"


def parse(paths: list[Path]) -> list[dict[str, Any]]:
    """The parser's verdict on each document: its diagnostics and, when valid, what it read."""
    node = shutil.which("node")
    if node is None or not (NODE_MODULES / "@asyncapi" / "parser").is_dir():
        pytest.fail("the AsyncAPI parser is missing: `make test` installs it into .tools/asyncapi-parser (Node + npm)")
    result = subprocess.run(
        [node, str(PARSE), *map(str, paths)],
        env={**os.environ, "NODE_PATH": str(NODE_MODULES)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def problems(verdict: dict[str, Any]) -> list[str]:
    return [
        f"{d['severity']} {d['code']} at {d['path']}: {d['message']}"
        for d in verdict["diagnostics"]
        if (d["severity"], d["code"]) not in ACCEPTED_DIAGNOSTICS
    ]


@pytest.fixture(scope="module")
def verdicts() -> dict[str, dict[str, Any]]:
    """The parser's verdict on each committed document, by service."""
    return dict(zip(SERVICES, parse([document_path(service) for service in SERVICES]), strict=True))


@pytest.fixture(scope="module")
def readings(verdicts: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """What the parser reads from each committed document, by service."""
    unread = {service: problems(verdict) for service, verdict in verdicts.items() if verdict["reading"] is None}
    assert unread == {}
    return {service: verdict["reading"] for service, verdict in verdicts.items()}


@pytest.mark.parametrize("service", SERVICES)
def test_committed_asyncapi_matches_the_code(service: str) -> None:
    committed = document_path(service).read_text()
    assert asyncapi_yaml(spec_of(service)) == committed, (
        f"run `make asyncapi`: services/{service}/asyncapi.yaml drifted"
    )


@pytest.mark.parametrize("service", SERVICES)
def test_the_official_parser_accepts_the_document(service: str, verdicts: dict[str, dict[str, Any]]) -> None:
    verdict = verdicts[service]
    assert verdict["valid"]
    assert problems(verdict) == []


@pytest.mark.parametrize("service", SERVICES)
def test_every_channel_is_a_topic_varde_creates_with_its_partitions_and_cleanup(
    service: str, readings: dict[str, dict[str, Any]]
) -> None:
    topics = required_topics()
    for channel in readings[service]["channels"]:
        topic = topics[channel["address"]]
        assert channel["kafka"]["partitions"] == topic.partitions == PARTITIONS
        assert channel["kafka"]["topicConfiguration"]["cleanup.policy"] == [topic.cleanup_policy]
        # Reference data from the directory is compacted: the latest event per key is the state.
        if channel["address"].startswith("varde.directory."):
            assert channel["kafka"]["topicConfiguration"]["cleanup.policy"] == ["compact"]


@pytest.mark.parametrize("service", SERVICES)
def test_operations_have_ids_without_spaces_and_consumers_name_their_group(
    service: str, readings: dict[str, dict[str, Any]]
) -> None:
    operations = readings[service]["operations"]
    assert operations
    for operation in operations:
        assert re.fullmatch(rf"{service}\.[a-z][A-Za-z0-9]*", operation["id"]), operation["id"]
        if operation["action"] == "receive":
            assert operation["kafka"]["groupId"]["enum"] == [consumer_group(service)]


@pytest.mark.parametrize("service", SERVICES)
def test_a_consuming_service_documents_its_dead_letter_topic_and_what_it_carries(
    service: str, readings: dict[str, dict[str, Any]]
) -> None:
    reading = readings[service]
    consumes = any(operation["action"] == "receive" for operation in reading["operations"])
    dead_letters = [
        operation for operation in reading["operations"] if operation["channels"] == [dead_letter_topic(service)]
    ]
    if not consumes:
        assert dead_letters == []
        return
    assert [operation["action"] for operation in dead_letters] == ["send"]
    (message,) = [m for m in reading["messages"] if m["id"] in dead_letters[0]["messages"]]
    assert {DLQ_REASON_HEADER, DLQ_ORIGIN_HEADER} <= set(message["headers"]["required"])
    # The original headers travel on: the CloudEvents ones are described, any other is a string.
    assert {"ce_id", "ce_type", "ce_tenantid", "traceparent"} <= set(message["headers"]["properties"])


@pytest.mark.parametrize("service", SERVICES)
def test_each_message_documents_the_cloudevents_headers_the_producer_writes(
    service: str, readings: dict[str, dict[str, Any]]
) -> None:
    events = [m for m in readings[service]["messages"] if m["name"].startswith("no.varde.")]
    assert events
    for message in events:
        common = {
            "event_id": uuid.uuid4(),
            "event_type": message["name"],
            "source": f"/varde/{service}",
            "time": datetime.now(UTC),
            "tenant_id": uuid.uuid4(),
        }
        fewest = dict(encode_headers(**common, subject=None, traceparent=None))
        most = dict(encode_headers(**common, subject="key", traceparent=TRACEPARENT))
        headers = message["headers"]
        assert set(headers["properties"]) == set(most), message["id"]
        assert set(headers["required"]) <= set(fewest), message["id"]
        assert headers["properties"]["ce_type"]["const"] == message["name"]
        assert headers["properties"]["content-type"]["const"] == most["content-type"].decode()
        assert message["kafka"]["key"]["type"] == "string"


async def test_the_broker_has_the_documented_topics(kafka_topics: str, readings: dict[str, dict[str, Any]]) -> None:
    documented = {
        channel["address"]: channel["kafka"] for reading in readings.values() for channel in reading["channels"]
    }
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_topics)
    await admin.start()
    try:
        described = await admin.describe_topics(sorted(documented))
        configs = await admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, name) for name in sorted(documented)]
        )
    finally:
        await admin.close()
    partitions = {topic["topic"]: len(topic["partitions"]) for topic in described}
    assert partitions == {name: kafka["partitions"] for name, kafka in documented.items()}
    policies = {
        name: value
        for response in configs
        for _, _, _, name, entries in response.resources
        for key, value, *_ in entries
        if key == "cleanup.policy"
    }
    assert policies == {name: kafka["topicConfiguration"]["cleanup.policy"][0] for name, kafka in documented.items()}


def test_every_consumed_event_is_published_by_some_service() -> None:
    published: set[str] = set()
    consumed: set[str] = set()
    for service in SERVICES:
        document = yaml.safe_load(document_path(service).read_text())
        for operation in document["operations"].values():
            names = {ref["$ref"].rsplit("/", 1)[-1] for ref in operation["messages"]}
            (published if operation["action"] == "send" else consumed).update(names)
    assert consumed <= published
    assert "DeviationAssigned" in consumed


class Shade(StrEnum):
    LIGHT = "light"
    DARK = "dark"


class Part(BaseModel):
    kind: Literal["part"] = "part"
    code: str


class Spare(BaseModel):
    kind: Literal["spare"] = "spare"
    weight: int


class Inner(BaseModel):
    shade: Shade
    parts: list[Part]


class ExampleHappened(Event):
    """Something happened to an example: every kind of field an event may carry."""

    key_field: ClassVar[str] = "example_id"

    example_id: uuid.UUID
    status: Literal["open", "closed"]
    shade: Shade
    inner: Inner
    inners: list[Inner]
    maybe: Inner | None = None
    due_on: date
    at: datetime
    pair: tuple[int, str]
    piece: Annotated[Part | Spare, Field(discriminator="kind")]
    automatic: bool = False


# Set after the class is made, so the example stays out of the catalogue (and out of the topics Varde creates).
ExampleHappened.type = "no.varde.example.happened.v1"
ExampleHappened.topic = "varde.example.example"


def test_the_generator_writes_a_complete_document_for_every_kind_of_field(tmp_path: Path) -> None:
    topics = {name: TopicSpec(name, compacted=False) for name in ("varde.example.example", "varde.dlq.example")}
    path = tmp_path / "asyncapi.yaml"
    path.write_text(to_yaml(build("example", [ExampleHappened], [ExampleHappened], topics=topics)))

    (verdict,) = parse([path])

    assert verdict["valid"]
    assert problems(verdict) == []
    (message,) = [m for m in verdict["reading"]["messages"] if m["name"] == ExampleHappened.type]
    payload = message["payload"]["properties"]
    written = ExampleHappened(
        example_id=uuid.uuid4(),
        status="open",
        shade=Shade.DARK,
        inner=Inner(shade=Shade.LIGHT, parts=[Part(code="a")]),
        inners=[],
        due_on=date(2025, 3, 31),
        at=datetime.now(UTC),
        pair=(1, "a"),
        piece=Spare(weight=2),
    ).model_dump(mode="json")
    assert set(payload) == set(written)
    assert payload["example_id"]["format"] == "uuid"
    assert payload["status"]["enum"] == ["open", "closed"]
    assert payload["shade"]["enum"] == ["light", "dark"]
    assert payload["inner"]["properties"]["shade"]["enum"] == ["light", "dark"]
    assert payload["inner"]["properties"]["parts"]["items"]["properties"]["code"]["type"] == "string"
    assert payload["inners"]["items"]["properties"]["parts"]["type"] == "array"
    assert {"type": "null"} in payload["maybe"]["anyOf"]
    assert payload["due_on"]["format"] == "date"
    assert payload["at"]["format"] == "date-time"
    assert [item["type"] for item in payload["pair"]["items"]] == ["integer", "string"]
    assert payload["piece"]["discriminator"] == "kind"
    assert payload["automatic"]["default"] is False
    assert set(message["payload"]["required"]) == set(written) - {"maybe", "automatic"}
    assert message["kafka"]["key"] == {
        "type": "string",
        "format": "uuid",
        "description": "`example_id`: the aggregate id, keeps its events in order.",
    }
