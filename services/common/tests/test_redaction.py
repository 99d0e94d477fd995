"""What a log line and an exported span may say about a failure or a request: never the values it carried."""

from __future__ import annotations

import json
import logging

import asyncpg
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import Status, StatusCode
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from varde_common.db import create_engine
from varde_common.logs import JsonFormatter
from varde_common.redaction import describe_error
from varde_common.telemetry import RedactingSpanExporter

EMAIL = "kari.nordmann@example.no"
FODSELSNUMMER = "01019012345"


def _asyncpg_url(admin_url: str) -> str:
    return admin_url.replace("postgresql://", "postgresql+asyncpg://", 1)


async def _unique_violation(admin_url: str) -> IntegrityError:
    """A real refusal whose message quotes the row: on a table without row-level security PostgreSQL's DETAIL
    says ``Key (email)=(kari.nordmann@example.no) already exists``."""
    engine = create_engine(_asyncpg_url(admin_url))
    try:
        async with engine.connect() as connection:
            await connection.execute(text("CREATE TEMP TABLE person_probe (email text UNIQUE, note text)"))
            insert = text("INSERT INTO person_probe VALUES (:email, :note)")
            await connection.execute(insert, {"email": EMAIL, "note": FODSELSNUMMER})
            with pytest.raises(IntegrityError) as refused:
                await connection.execute(insert, {"email": EMAIL, "note": FODSELSNUMMER})
        assert EMAIL in str(refused.value)  # what the formatter must not pass on
        return refused.value
    finally:
        await engine.dispose()


def _log_line(error: BaseException) -> dict[str, object]:
    record = logging.LogRecord("varde.test", logging.ERROR, __file__, 1, "insert failed", (), None)
    record.exc_info = (type(error), error, error.__traceback__)
    line: dict[str, object] = json.loads(JsonFormatter("test").format(record))
    return line


async def test_a_logged_database_error_names_its_constraint_not_the_row(postgres_admin_url: str) -> None:
    line = _log_line(await _unique_violation(postgres_admin_url))

    written = json.dumps(line)
    assert EMAIL not in written
    assert FODSELSNUMMER not in written
    exception = str(line["exception"])
    assert "Traceback (most recent call last)" in exception
    assert "UniqueViolationError" in exception
    assert "sqlstate=23505" in exception
    assert "constraint_name=person_probe_email_key" in exception


def test_a_logged_error_keeps_its_frames_and_its_causes_but_not_its_message() -> None:
    def parse(value: str) -> int:
        return int(value)

    try:
        try:
            parse(f"Kari Nordmann {FODSELSNUMMER}")
        except ValueError as error:
            raise KeyError(EMAIL) from error
    except KeyError as error:
        line = _log_line(error)

    exception = str(line["exception"])
    assert EMAIL not in exception
    assert FODSELSNUMMER not in exception
    assert "in parse" in exception
    assert "The above exception was the direct cause of the following exception" in exception
    assert exception.rstrip().endswith("KeyError")


def test_a_network_error_keeps_its_message() -> None:
    # It names an address and a port: without it an outage cannot be told from a wrong setting.
    error = ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")
    assert describe_error(error) == "ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 5432)"
    assert describe_error(asyncpg.TooManyConnectionsError("sorry, too many clients")) == (
        "asyncpg.exceptions.TooManyConnectionsError (sqlstate=53300)"
    )


def test_an_exported_span_has_no_query_string_exception_message_or_status_text() -> None:
    exported = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(RedactingSpanExporter(exported)))
    tracer = provider.get_tracer("test")

    with tracer.start_as_current_span("GET /api/v1/directory/people") as span:
        span.set_attributes(
            {
                "http.url": f"http://user:secret@directory:8101/people?q={EMAIL}",
                "url.full": f"http://directory:8101/people?q={EMAIL}",
                "http.target": f"/people?q={EMAIL}",
                "url.query": f"q={EMAIL}",
                "url.path": "/people",
                "http.route": "/people",
            }
        )
        span.record_exception(ValueError(f"input_value='{FODSELSNUMMER}'"))
        span.set_status(Status(StatusCode.ERROR, f"Key (email)=({EMAIL}) already exists"))

    (finished,) = exported.get_finished_spans()
    attributes = dict(finished.attributes or {})
    assert attributes == {
        "http.url": "http://directory:8101/people",
        "url.full": "http://directory:8101/people",
        "http.target": "/people",
        "url.path": "/people",
        "http.route": "/people",
    }
    (event,) = finished.events
    assert dict(event.attributes or {}) == {"exception.type": "ValueError", "exception.escaped": "False"}
    assert finished.status.status_code is StatusCode.ERROR
    assert finished.status.description is None
