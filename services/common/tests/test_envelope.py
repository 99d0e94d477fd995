"""The CloudEvents envelope in Kafka binary mode, and the event catalogue."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

import pytest

from varde_common.envelope import MalformedEventError, decode, encode_data, encode_headers, payload_as
from varde_common.events import CATALOGUE, DeviationReported

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def reported() -> DeviationReported:
    return DeviationReported(
        deviation_id=uuid.uuid4(), unit_id=uuid.uuid4(), status="registered", occurred_at=NOW, reported_at=NOW
    )


def headers_for(event: DeviationReported, tenant_id: uuid.UUID, event_id: uuid.UUID) -> list[tuple[str, bytes]]:
    return encode_headers(
        event_id=event_id,
        event_type=event.type,
        source="/varde/deviations",
        time=NOW,
        tenant_id=tenant_id,
        subject=event.key(),
        traceparent="00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    )


def test_round_trip() -> None:
    event, tenant_id, event_id = reported(), uuid.uuid4(), uuid.uuid4()
    envelope = decode(headers_for(event, tenant_id, event_id), encode_data(event))
    assert envelope.id == event_id
    assert envelope.tenant_id == tenant_id
    assert envelope.type == "no.varde.deviation.reported.v1"
    assert envelope.time == NOW
    assert envelope.traceparent is not None
    assert payload_as(envelope, DeviationReported) == event


def test_headers_are_cloudevents_binary_mode() -> None:
    event = reported()
    names = {name for name, _ in headers_for(event, uuid.uuid4(), uuid.uuid4())}
    assert {
        "ce_specversion",
        "ce_id",
        "ce_type",
        "ce_source",
        "ce_time",
        "ce_subject",
        "ce_tenantid",
        "content-type",
        "traceparent",
    } == names


@pytest.mark.parametrize(
    ("drop", "value"),
    [("ce_id", None), ("ce_tenantid", None), ("ce_type", None), (None, b"[1, 2]"), (None, b"{not json")],
)
def test_malformed_events_are_recognised(drop: str | None, value: bytes | None) -> None:
    event = reported()
    headers = [(k, v) for k, v in headers_for(event, uuid.uuid4(), uuid.uuid4()) if k != drop]
    with pytest.raises(MalformedEventError):
        decode(headers, value if value is not None else encode_data(event))


def test_a_payload_that_does_not_match_its_type_is_malformed() -> None:
    event = reported()
    envelope = decode(headers_for(event, uuid.uuid4(), uuid.uuid4()), b'{"deviation_id": "nope"}')
    with pytest.raises(MalformedEventError):
        payload_as(envelope, DeviationReported)


# Unit and kommune names are organisational; names of people would be fields like these.
PERSONAL_FIELDS = {"title", "description", "full_name", "person_name", "email", "reported_by", "phone", "birth_number"}


@pytest.mark.parametrize("event_class", list(CATALOGUE.values()), ids=list(CATALOGUE))
def test_catalogue_names_and_no_personal_data(event_class: type) -> None:
    assert re.fullmatch(r"no\.varde\.[a-z]+\.[a-z]+\.v[0-9]+", event_class.type)  # type: ignore[attr-defined]
    assert re.fullmatch(r"varde\.[a-z]+\.[a-z]+", event_class.topic)  # type: ignore[attr-defined]
    assert event_class.key_field in event_class.model_fields  # type: ignore[attr-defined]
    assert not PERSONAL_FIELDS & set(event_class.model_fields)  # type: ignore[attr-defined]
