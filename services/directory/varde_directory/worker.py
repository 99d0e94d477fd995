"""The directory consumes no events; see subscribers.py."""

from faststream.kafka import KafkaBroker

from varde_common.runtime import Runtime


def create_worker(runtime: Runtime) -> KafkaBroker | None:
    return None
