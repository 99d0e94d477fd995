"""Each service's AsyncAPI 3.0 document, generated from the event catalogue, its subscriptions and its topics.

What a service publishes is every catalogue event on its own topics (``varde.<service>.*``); what it consumes
is every event type its worker routes; what it cannot handle goes to its dead-letter topic. The document is
committed as ``asyncapi.yaml`` beside the service, the official AsyncAPI parser accepts it, and a test fails when
the code and the file drift apart.

Every schema a payload needs (the events and the models and enums inside them) is in ``components.schemas`` and
referenced from there, so the document stands alone. Pydantic writes JSON Schema 2020-12; an AsyncAPI 3.0
Schema Object is a superset of draft 07, so the few keywords that differ are rewritten (``_draft07``).
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from pydantic.json_schema import models_json_schema

from varde_common.envelope import CONTENT_TYPE, SPEC_VERSION, TENANT_HEADER
from varde_common.events.base import CATALOGUE, Event, owner_of, source_of
from varde_common.kafka import DLQ_ORIGIN_HEADER, DLQ_REASON_HEADER, consumer_group, dead_letter_topic
from varde_common.topics import TopicSpec, required_topics

ASYNCAPI_VERSION = "3.0.0"
KAFKA_BINDING_VERSION = "0.5.0"
SCHEMAS = "#/components/schemas/"
CLOUDEVENTS_KAFKA = "https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/bindings/kafka-protocol-binding.md"

_CLOUDEVENT_HEADERS: dict[str, Any] = {
    "ce_specversion": {"type": "string", "const": SPEC_VERSION},
    "ce_id": {"type": "string", "format": "uuid", "description": "The event id; consumers deduplicate on it."},
    "ce_type": {"type": "string", "description": "`no.varde.<aggregate>.<past-tense-verb>.v<N>`: which message."},
    "ce_source": {"type": "string", "format": "uri-reference", "description": "`/varde/<service>`, the producer."},
    "ce_time": {"type": "string", "format": "date-time", "description": "When it happened, in UTC."},
    "ce_subject": {"type": "string", "description": "The aggregate id, also the Kafka key."},
    TENANT_HEADER: {
        "type": "string",
        "format": "uuid",
        "description": "The kommune (tenant), CloudEvents extension attribute `tenantid`.",
    },
    "content-type": {"type": "string", "const": CONTENT_TYPE},
    "traceparent": {
        "type": "string",
        "pattern": "^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$",
        "description": "W3C trace context of the use case that raised the event.",
    },
}
CLOUDEVENT_REQUIRED = ["ce_specversion", "ce_id", "ce_type", "ce_source", "ce_time", TENANT_HEADER, "content-type"]


def cloudevent_headers(event: type[Event]) -> dict[str, Any]:
    """The headers of one event's records, whole: a reader validates a record's headers against it and knows the
    message by ``ce_type``."""
    return {
        "type": "object",
        "description": (
            "CloudEvents 1.0 in Kafka binary content mode: the attributes travel as `ce_*` headers (UTF-8 strings) "
            "and the record value is the event's `data`, so any CloudEvents SDK reads the record as a CloudEvent."
        ),
        "required": CLOUDEVENT_REQUIRED,
        "properties": {
            **_CLOUDEVENT_HEADERS,
            "ce_type": {"type": "string", "const": event.type},
            "ce_source": {**_CLOUDEVENT_HEADERS["ce_source"], "examples": [source_of(owner_of(event))]},
            "ce_subject": {"type": "string", "description": f"`{event.key_field}` of the payload, also the Kafka key."},
        },
    }


DEAD_LETTER_HEADERS: dict[str, Any] = {
    "type": "object",
    "description": (
        "The original record's headers, unchanged (for a well-formed event the CloudEvents headers), plus why and "
        "where from."
    ),
    "required": [DLQ_REASON_HEADER, DLQ_ORIGIN_HEADER],
    "properties": {
        **_CLOUDEVENT_HEADERS,
        DLQ_REASON_HEADER: {
            "type": "string",
            "maxLength": 1000,
            "description": (
                "Why it was dead-lettered: `malformed: …` at once, `refused: …` at once when it did not come on "
                "its owner's topic with its owner's `ce_source` (never applied), or `failed after <n> attempts: …`."
            ),
        },
        DLQ_ORIGIN_HEADER: {
            "type": "string",
            "pattern": "^.+/[0-9]+/[0-9]+$",
            "description": "`<topic>/<partition>/<offset>` of the original record.",
            "examples": ["varde.deviations.deviation/0/42"],
        },
    },
    "additionalProperties": {"type": "string"},
}


def _summary(docstring: str | None) -> str:
    """The first sentence of the first paragraph, on one line."""
    paragraph = " ".join((docstring or "").strip().split("\n\n")[0].split())
    sentence = re.match(r"(.+?[.!?])(?:\s|$)", paragraph)
    return sentence.group(1) if sentence else paragraph


def _camel(*words: str) -> str:
    parts = [p for word in words for p in re.split(r"[^A-Za-z0-9]+", word) if p]
    return parts[0].lower() + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def _draft07(schema: Any) -> Any:
    """Rewrite JSON Schema 2020-12 keywords Pydantic may write into their AsyncAPI (draft 07) form: a tuple's
    ``prefixItems`` into ``items`` as a list, an OpenAPI-style ``discriminator`` object into the property name."""
    if isinstance(schema, list):
        return [_draft07(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {key: _draft07(value) for key, value in schema.items()}
    if "prefixItems" in result:
        rest = result.pop("items", False)
        result["items"] = result.pop("prefixItems")
        result["additionalItems"] = rest
    discriminator = result.get("discriminator")
    if isinstance(discriminator, dict):
        result["discriminator"] = discriminator["propertyName"]
    return result


def payload_schemas(events: list[type[Event]]) -> tuple[dict[type[Event], str], dict[str, Any]]:
    """Every schema the events' payloads need, by name (the events themselves and what they contain), and each
    event's schema name. The payload is what the producer writes (``model_dump(mode="json")``), hence the
    serialization schema."""
    refs, definitions = models_json_schema(
        [(event, "serialization") for event in events], ref_template=SCHEMAS + "{model}"
    )
    names = {event: refs[(event, "serialization")]["$ref"].removeprefix(SCHEMAS) for event in events}
    schemas: dict[str, Any] = _draft07(definitions.get("$defs", {}))
    return names, dict(sorted(schemas.items()))


def _kafka_channel(topic: TopicSpec) -> dict[str, Any]:
    return {
        "kafka": {
            "partitions": topic.partitions,
            "topicConfiguration": {"cleanup.policy": [topic.cleanup_policy]},
            "bindingVersion": KAFKA_BINDING_VERSION,
        }
    }


def _message(event: type[Event], schema_name: str, key_format: str | None) -> dict[str, Any]:
    key: dict[str, Any] = {
        "type": "string",
        "description": f"`{event.key_field}`: the aggregate id, keeps its events in order.",
    }
    if key_format:
        key["format"] = key_format
    return {
        "name": event.type,
        "title": event.__name__,
        "summary": _summary(event.__doc__),
        "contentType": CONTENT_TYPE,
        "headers": cloudevent_headers(event),
        "payload": {"$ref": SCHEMAS + schema_name},
        "bindings": {
            "kafka": {
                "key": key,
                "bindingVersion": KAFKA_BINDING_VERSION,
            }
        },
    }


def _dead_letter_message(service: str) -> dict[str, Any]:
    return {
        "name": "varde.dead-letter",
        "title": f"Dead letter of {service}",
        "summary": f"An event {service} could not handle, kept for an operator to inspect.",
        "description": (
            f"A record is dead-lettered after the spaced retries fail, or at once when it is not a valid Varde "
            f"CloudEvent or did not come from its owner (topic and `ce_source`); the consumer group "
            f"`{consumer_group(service)}` then goes on with the next record. Key and value are the original record's, "
            "byte for byte: normally the `data` of one of the events this service consumes, for a malformed record "
            "whatever arrived."
        ),
        "headers": DEAD_LETTER_HEADERS,
        "payload": {"description": "The original record's value, unchanged."},
        "bindings": {
            "kafka": {
                "key": {"type": "string", "description": "The original record's key."},
                "bindingVersion": KAFKA_BINDING_VERSION,
            }
        },
    }


def document(service: str, consumed_types: list[str], version: str = "0.1.0") -> dict[str, Any]:
    produced = [e for e in CATALOGUE.values() if e.topic.startswith(f"varde.{service}.")]
    return build(service, produced, [CATALOGUE[t] for t in consumed_types], version)


def build(
    service: str,
    produced: list[type[Event]],
    consumed: list[type[Event]],
    version: str = "0.1.0",
    topics: dict[str, TopicSpec] | None = None,
) -> dict[str, Any]:
    """The document of a service that publishes ``produced`` and consumes ``consumed`` on ``topics`` (by default
    the topics Varde creates: a topic the document names must be one of them)."""
    produced = sorted(produced, key=lambda e: (e.topic, e.type))
    consumed = sorted(consumed, key=lambda e: (e.topic, e.type))
    known = required_topics() if topics is None else topics
    schema_names, schemas = payload_schemas(sorted({*produced, *consumed}, key=lambda e: e.type))
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}

    def topic_spec(topic: str) -> TopicSpec:
        if topic not in known:
            raise LookupError(f"{topic} is not among the topics varde_common.topics creates")
        return known[topic]

    def channel(topic: str, events: list[type[Event]]) -> list[dict[str, str]]:
        bindings = _kafka_channel(topic_spec(topic))
        entry = channels.setdefault(topic, {"address": topic, "messages": {}, "bindings": bindings})
        for event in events:
            name = schema_names[event]
            key_format = schemas[name]["properties"][event.key_field].get("format")
            entry["messages"][name] = {"$ref": f"#/components/messages/{name}"}
            messages[name] = _message(event, name, key_format)
        return [{"$ref": f"#/channels/{topic}/messages/{schema_names[e]}"} for e in events]

    for topic in sorted({e.topic for e in produced}):
        operations[f"{service}.{_camel('publish', topic.removeprefix(f'varde.{service}.'))}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{topic}"},
            "summary": "Published by the outbox relay after the use case commits; key = aggregate id.",
            "messages": channel(topic, [e for e in produced if e.topic == topic]),
        }
    for topic in sorted({e.topic for e in consumed}):
        operations[f"{service}.{_camel('consume', topic.removeprefix('varde.'))}"] = {
            "action": "receive",
            "channel": {"$ref": f"#/channels/{topic}"},
            "summary": (
                f"Consumed by the group {consumer_group(service)}, which commits after the effect is stored; "
                f"an event that keeps failing goes to {dead_letter_topic(service)}."
            ),
            "messages": channel(topic, [e for e in consumed if e.topic == topic]),
            "bindings": {
                "kafka": {
                    "groupId": {"type": "string", "enum": [consumer_group(service)]},
                    "bindingVersion": KAFKA_BINDING_VERSION,
                }
            },
        }
    if consumed:
        dlq = dead_letter_topic(service)
        channels[dlq] = {
            "address": dlq,
            "messages": {"DeadLetter": {"$ref": "#/components/messages/DeadLetter"}},
            "bindings": _kafka_channel(topic_spec(dlq)),
        }
        messages["DeadLetter"] = _dead_letter_message(service)
        operations[f"{service}.deadLetter"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{dlq}"},
            "summary": "An event that failed every retry, or is malformed, with the reason and where it came from.",
            "messages": [{"$ref": f"#/channels/{dlq}/messages/DeadLetter"}],
        }
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "id": f"urn:varde:service:{service}",
        "info": {
            "title": f"Varde {service} events",
            "version": version,
            "description": (
                f"The Kafka topics {service} publishes to and consumes from. Every message is a CloudEvent 1.0 "
                "in Kafka binary content mode: the attributes are `ce_*` headers, the value is the JSON `data`."
            ),
            "license": {
                "name": "EUPL-1.2",
                "url": "https://interoperable-europe.ec.europa.eu/collection/eupl/eupl-text-eupl-12",
            },
            "externalDocs": {"description": "CloudEvents Kafka protocol binding", "url": CLOUDEVENTS_KAFKA},
        },
        "defaultContentType": CONTENT_TYPE,
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


def to_yaml(doc: dict[str, Any]) -> str:
    # Through JSON, so no object appears twice in the tree: a reader of the document never meets a YAML anchor.
    text: str = yaml.safe_dump(json.loads(json.dumps(doc)), sort_keys=False, allow_unicode=True, width=120)
    return text
