"""The topics Varde needs: one per producing aggregate (from the event catalogue) and one dead-letter topic
per consuming service. In production Strimzi's KafkaTopic resources own them; locally this creates them.
"""

from __future__ import annotations

import asyncio
import contextlib

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError

from varde_common.events.base import all_topics
from varde_common.kafka import dead_letter_topic

CONSUMING_SERVICES = ("directory", "documents", "deviations", "risk", "notifications", "reporting")


def required_topics() -> dict[str, dict[str, str]]:
    topics: dict[str, dict[str, str]] = {}
    for name, compacted in all_topics().items():
        topics[name] = {"cleanup.policy": "compact"} if compacted else {}
    for service in CONSUMING_SERVICES:
        topics[dead_letter_topic(service)] = {}
    return topics


async def ensure_topics(bootstrap_servers: str, partitions: int = 3, timeout_s: float = 30) -> list[str]:
    """Create the missing topics; return the names created."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=5000)
        try:
            await admin.start()
            existing = set(await admin.list_topics())
            wanted = required_topics()
            missing = [
                NewTopic(name, num_partitions=partitions, replication_factor=1, topic_configs=config)
                for name, config in wanted.items()
                if name not in existing
            ]
            if missing:
                with contextlib.suppress(TopicAlreadyExistsError):
                    await admin.create_topics(missing)
            return [topic.name for topic in missing]
        except KafkaError:
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.5)
        finally:
            await admin.close()
