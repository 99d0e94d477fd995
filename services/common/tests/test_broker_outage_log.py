"""While the broker is away a process logs one line, not every client's every retry, and one when it is back."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from aiokafka.errors import NodeNotReadyError

from varde_common.kafka import BrokerOutage


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name}: {record.getMessage()}")


@pytest.fixture
def logged() -> Iterator[tuple[Collect, BrokerOutage]]:
    handler, outage = Collect(), BrokerOutage()
    handler.addFilter(outage)
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.INFO)
    try:
        yield handler, outage
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def test_a_minute_of_retries_is_one_line_and_the_return_another(logged: tuple[Collect, BrokerOutage]) -> None:
    handler, outage = logged
    client = logging.getLogger("aiokafka.client")
    coordinator = logging.getLogger("aiokafka.consumer.group_coordinator")
    for _ in range(60):
        client.error("Unable connect to node with id %s: %s", 1, ConnectionRefusedError(111, "refused"))
        client.error("Unable to update metadata from %s", [1])
        coordinator.error(
            "Error sending %s to node %s [%s] -- marking coordinator dead", "HeartbeatRequest", 1, NodeNotReadyError()
        )
        coordinator.warning("Marking the coordinator dead (node %s)for group %s.", 1, "varde.test")
    logging.getLogger("varde.test.faststream").error("Kafka error occurred", exc_info=NodeNotReadyError())
    client.warning("No broker metadata found in MetadataResponse -- ignoring.")  # not about the outage: kept
    outage.back()
    outage.back()

    assert handler.lines == [
        "varde.kafka: broker unreachable; retrying quietly until it is back",
        "aiokafka.client: No broker metadata found in MetadataResponse -- ignoring.",
        "varde.kafka: broker reachable again",
    ]


def test_a_coordinator_that_moves_without_an_outage_is_still_logged(logged: tuple[Collect, BrokerOutage]) -> None:
    handler, _ = logged
    logging.getLogger("aiokafka.consumer.group_coordinator").warning(
        "Marking the coordinator dead (node %s)for group %s.", 1, "varde.test"
    )
    assert handler.lines == [
        "aiokafka.consumer.group_coordinator: Marking the coordinator dead (node 1)for group varde.test."
    ]
