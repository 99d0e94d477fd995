"""Composition of the reporting outbox relay."""

from varde_common.relay import OutboxRelay
from varde_common.runtime import Runtime


def create_relay(runtime: Runtime) -> OutboxRelay:
    return OutboxRelay(service=runtime.service, engine=runtime.engine, settings=runtime.settings)
