"""The directory consumes no events; see subscribers.py."""

from varde_common.kafka import EventRouter
from varde_common.runtime import Runtime


def create_worker(runtime: Runtime) -> EventRouter | None:
    return None
