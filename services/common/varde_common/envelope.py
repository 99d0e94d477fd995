"""CloudEvents 1.0 in Kafka binary mode: the value is the JSON ``data``; attributes travel as ``ce_*`` headers."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import orjson

from varde_common.calendar import now_utc
from varde_common.events.base import Event

E = TypeVar("E", bound=Event)

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/json"
TENANT_HEADER = "ce_tenantid"


class MalformedEventError(ValueError):
    """A message that is not a valid Varde CloudEvent; retrying cannot help, it goes to the dead-letter topic."""


@dataclass(frozen=True, slots=True)
class Envelope:
    id: uuid.UUID
    type: str
    source: str
    time: datetime
    tenant_id: uuid.UUID
    subject: str | None
    data: dict[str, Any]
    traceparent: str | None = None


def encode_headers(
    *,
    event_id: uuid.UUID,
    event_type: str,
    source: str,
    time: datetime,
    tenant_id: uuid.UUID,
    subject: str | None,
    traceparent: str | None,
) -> list[tuple[str, bytes]]:
    headers = [
        ("ce_specversion", SPEC_VERSION.encode()),
        ("ce_id", str(event_id).encode()),
        ("ce_type", event_type.encode()),
        ("ce_source", source.encode()),
        ("ce_time", time.astimezone(UTC).isoformat().replace("+00:00", "Z").encode()),
        (TENANT_HEADER, str(tenant_id).encode()),
        ("content-type", CONTENT_TYPE.encode()),
    ]
    if subject:
        headers.append(("ce_subject", subject.encode()))
    if traceparent:
        headers.append(("traceparent", traceparent.encode()))
    return headers


def encode_data(event: Event) -> bytes:
    return orjson.dumps(event.model_dump(mode="json"))


def _header_map(headers: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> dict[str, str]:
    items = headers.items() if isinstance(headers, Mapping) else headers
    result: dict[str, str] = {}
    for key, value in items:
        result[key.lower()] = value.decode() if isinstance(value, bytes | bytearray) else str(value)
    return result


def decode(headers: Mapping[str, Any] | Iterable[tuple[str, Any]], value: bytes | None) -> Envelope:
    """Read a binary-mode CloudEvent; raise MalformedEventError for anything that is not one."""
    attrs = _header_map(headers)
    missing = [h for h in ("ce_specversion", "ce_id", "ce_type", "ce_source", TENANT_HEADER) if h not in attrs]
    if missing:
        raise MalformedEventError(f"missing CloudEvents headers: {', '.join(missing)}")
    if attrs["ce_specversion"] != SPEC_VERSION:
        raise MalformedEventError(f"unsupported specversion {attrs['ce_specversion']}")
    try:
        event_id = uuid.UUID(attrs["ce_id"])
        tenant_id = uuid.UUID(attrs[TENANT_HEADER])
        time = datetime.fromisoformat(attrs["ce_time"]) if "ce_time" in attrs else now_utc()
        data = orjson.loads(value or b"null")
    except ValueError as exc:
        raise MalformedEventError(str(exc)) from exc
    if not isinstance(data, dict):
        raise MalformedEventError("data is not a JSON object")
    return Envelope(
        id=event_id,
        type=attrs["ce_type"],
        source=attrs["ce_source"],
        time=time,
        tenant_id=tenant_id,
        subject=attrs.get("ce_subject"),
        data=data,
        traceparent=attrs.get("traceparent"),
    )


def payload_as(envelope: Envelope, event_class: type[E]) -> E:
    if envelope.type != event_class.type:
        raise MalformedEventError(f"expected {event_class.type}, got {envelope.type}")
    try:
        return event_class.model_validate(envelope.data)
    except ValueError as exc:
        raise MalformedEventError(f"invalid {envelope.type} payload: {exc}") from exc
