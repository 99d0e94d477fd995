"""Each service's AsyncAPI 3.0 document, generated from the event catalogue and its subscriptions.

What a service publishes is every catalogue event on its own topics (``varde.<service>.*``); what it consumes
is every event type its worker routes. The document is committed as ``asyncapi.yaml`` beside the service, and a
test fails when the code and the file drift apart.
"""

from __future__ import annotations

from typing import Any

import yaml

from varde_common.events.base import CATALOGUE, Event
from varde_common.kafka import consumer_group, dead_letter_topic

_HEADERS: dict[str, Any] = {
    "type": "object",
    "description": "CloudEvents 1.0, Kafka binary mode: the attributes travel as headers, the value is `data`.",
    "required": ["ce_specversion", "ce_id", "ce_type", "ce_source", "ce_time", "ce_tenantid", "content-type"],
    "properties": {
        "ce_specversion": {"type": "string", "const": "1.0"},
        "ce_id": {"type": "string", "format": "uuid", "description": "Event id; consumers deduplicate on it"},
        "ce_type": {"type": "string"},
        "ce_source": {"type": "string", "examples": ["/varde/deviations"]},
        "ce_time": {"type": "string", "format": "date-time"},
        "ce_subject": {"type": "string", "description": "The aggregate id, also the Kafka key"},
        "ce_tenantid": {"type": "string", "format": "uuid", "description": "The kommune (tenant)"},
        "content-type": {"type": "string", "const": "application/json"},
        "traceparent": {"type": "string", "description": "W3C trace context"},
    },
}


def _message_name(event: type[Event]) -> str:
    return event.__name__


def _message(event: type[Event]) -> dict[str, Any]:
    return {
        "name": event.type,
        "title": event.__name__,
        "summary": (event.__doc__ or "").strip().splitlines()[0],
        "contentType": "application/json",
        "headers": {"$ref": "#/components/schemas/CloudEventHeaders"},
        "payload": event.model_json_schema(ref_template="#/components/schemas/{model}"),
        "bindings": {"kafka": {"key": {"type": "string", "description": f"{event.key_field} (aggregate id)"}}},
    }


def document(service: str, consumed_types: list[str], version: str = "0.1.0") -> dict[str, Any]:
    produced = sorted(
        (e for e in CATALOGUE.values() if e.topic.startswith(f"varde.{service}.")), key=lambda e: (e.topic, e.type)
    )
    consumed = sorted((CATALOGUE[t] for t in consumed_types), key=lambda e: (e.topic, e.type))
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}

    def channel(topic: str, events: list[type[Event]]) -> None:
        entry = channels.setdefault(topic, {"address": topic, "messages": {}})
        for event in events:
            entry["messages"][_message_name(event)] = {"$ref": f"#/components/messages/{_message_name(event)}"}
            messages[_message_name(event)] = _message(event)

    for topic in sorted({e.topic for e in produced}):
        events = [e for e in produced if e.topic == topic]
        channel(topic, events)
        operations[f"publish {topic}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{topic}"},
            "summary": "Published by the outbox relay after the use case commits; key = aggregate id.",
            "messages": [{"$ref": f"#/channels/{topic}/messages/{_message_name(e)}"} for e in events],
        }
    for topic in sorted({e.topic for e in consumed}):
        events = [e for e in consumed if e.topic == topic]
        channel(topic, events)
        operations[f"consume {topic}"] = {
            "action": "receive",
            "channel": {"$ref": f"#/channels/{topic}"},
            "summary": f"Consumer group {consumer_group(service)}; failing events go to {dead_letter_topic(service)}.",
            "messages": [{"$ref": f"#/channels/{topic}/messages/{_message_name(e)}"} for e in events],
        }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": f"Varde {service} events", "version": version},
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": {"CloudEventHeaders": _HEADERS}},
    }


def to_yaml(doc: dict[str, Any]) -> str:
    text: str = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=120)
    return text
