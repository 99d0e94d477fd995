"""The topics Varde needs: one per producing aggregate (from the event catalogue) and one dead-letter topic
per consuming service, each with its partitions and cleanup policy. In production Strimzi's KafkaTopic resources
own them; locally this creates them. The AsyncAPI documents describe the same topics from here.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError

from varde_common.events.base import all_topics
from varde_common.kafka import dead_letter_topic

CONSUMING_SERVICES = ("directory", "documents", "deviations", "risk", "notifications", "reporting")

PARTITIONS = 3
"""Partitions of every topic: up to three workers of a service share a topic, and the key (the aggregate id)
keeps one aggregate's events on one partition, in order. Adding partitions later moves keys to other partitions,
so the number is fixed here, once, for the topics created and the topics documented."""


@dataclass(frozen=True, slots=True)
class TopicSpec:
    name: str
    compacted: bool
    partitions: int = PARTITIONS

    @property
    def cleanup_policy(self) -> str:
        """Reference data is compacted (the latest event per key is the state); everything else is a log."""
        return "compact" if self.compacted else "delete"

    def config(self) -> dict[str, str]:
        return {"cleanup.policy": self.cleanup_policy}


def required_topics() -> dict[str, TopicSpec]:
    topics = {name: TopicSpec(name, compacted) for name, compacted in all_topics().items()}
    for service in CONSUMING_SERVICES:
        topics[dead_letter_topic(service)] = TopicSpec(dead_letter_topic(service), compacted=False)
    return topics


async def ensure_topics(bootstrap_servers: str, timeout_s: float = 30) -> list[str]:
    """Create the missing topics; return the names created."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=5000)
        try:
            await admin.start()
            existing = set(await admin.list_topics())
            missing = [
                NewTopic(
                    topic.name, num_partitions=topic.partitions, replication_factor=1, topic_configs=topic.config()
                )
                for topic in required_topics().values()
                if topic.name not in existing
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
