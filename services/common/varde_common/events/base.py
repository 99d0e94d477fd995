"""Base class of event payloads and the catalogue keyed by CloudEvents type."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

CATALOGUE: dict[str, type[Event]] = {}


class Event(BaseModel):
    """An event payload: the CloudEvents ``data``. Carries ids, codes and times, never personal data.

    ``type`` is ``no.varde.<aggregate>.<past-tense-verb>.v<N>``; ``topic`` is ``varde.<service>.<aggregate>``;
    ``key_field`` names the aggregate id, which is the Kafka key so one aggregate's events stay in order.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    type: ClassVar[str]
    topic: ClassVar[str]
    key_field: ClassVar[str]
    compacted: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        event_type = cls.__dict__.get("type")
        if isinstance(event_type, str):
            if event_type in CATALOGUE:
                raise TypeError(f"event type {event_type} registered twice")
            if len(cls.topic.split(".")) != 3 or not cls.topic.startswith("varde."):
                # The owner is read from the topic: a consumer refuses the event from anywhere else.
                raise TypeError(f"{event_type}: topic {cls.topic} is not varde.<service>.<aggregate>")
            CATALOGUE[event_type] = cls

    def key(self) -> str:
        return str(getattr(self, self.key_field))


def owner_of(event_class: type[Event]) -> str:
    """The service that produces ``event_class``: the one that owns its topic (``varde.<service>.<aggregate>``)."""
    return event_class.topic.split(".")[1]


def source_of(service: str) -> str:
    """The CloudEvents ``source`` of every event ``service`` publishes."""
    return f"/varde/{service}"


def event_class_for(event_type: str) -> type[Event] | None:
    return CATALOGUE.get(event_type)


def all_topics() -> dict[str, bool]:
    """Every topic in the catalogue, with whether it is compacted."""
    topics: dict[str, bool] = {}
    for cls in CATALOGUE.values():
        topics[cls.topic] = topics.get(cls.topic, False) or cls.compacted
    return topics
