"""JSON logs with the current trace id; never personal data. An exception is written with its frames and its kind,
not its message, which may quote the values it failed on (see :mod:`varde_common.redaction`)."""

from __future__ import annotations

import logging
import sys
import time
from datetime import UTC, datetime
from typing import Any

import orjson
from opentelemetry import trace

from varde_common.redaction import format_exception

_RESERVED = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "message": record.getMessage(),
        }
        span_context = trace.get_current_span().get_span_context()
        if span_context.is_valid:
            entry["trace_id"] = format(span_context.trace_id, "032x")
            entry["span_id"] = format(span_context.span_id, "016x")
        for key, value in record.__dict__.items():
            if key not in _RESERVED and not key.startswith("_"):
                entry[key] = value
        if record.exc_info and record.exc_info[1] is not None:
            entry["exception"] = format_exception(record.exc_info[1])
        return orjson.dumps(entry, default=str).decode()


class Throttle:
    """Says when a repeated line is due again: once per ``interval_s`` for each key (while something stays away,
    every request would otherwise log the same line)."""

    def __init__(self, interval_s: float) -> None:
        self.interval_s = interval_s
        self._said_at: dict[str, float] = {}

    def due(self, key: str = "") -> bool:
        now = time.monotonic()
        said_at = self._said_at.get(key)
        if said_at is not None and now - said_at < self.interval_s:
            return False
        self._said_at[key] = now
        return True


def configure_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("aiokafka", "uvicorn.access", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
