"""What may be said about a failure or a request in a log line or a span: never the values it carried.

An exception's message may quote the values it failed on: PostgreSQL's ``DETAIL: Key (email)=(…)`` and ``Failing
row contains (…)``, pydantic's ``input_value=…``, a ``KeyError``'s key. So a log or a span says where a failure
happened (the frames) and what kind it was (the class, and for a database error its SQLSTATE and the schema object
it names), not its message. The messages of network errors are kept: they name addresses and ports, and without
them an outage cannot be told from a misconfiguration. A URL is said without its query string (search words and
e-mail addresses travel there) and without credentials.
"""

from __future__ import annotations

import socket
import traceback
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from aiokafka.errors import KafkaError
from sqlalchemy.exc import StatementError


class CheckFailed(RuntimeError):
    """What a readiness check found wrong, in words written in this code: they name configuration, never a row."""


# Their messages name hosts, ports, timeouts and configuration, never a row.
_MESSAGES_WITHOUT_VALUES: tuple[type[BaseException], ...] = (
    ConnectionError,
    TimeoutError,
    socket.gaierror,
    KafkaError,
    CheckFailed,
)
# The attributes of asyncpg's errors that name schema objects or a code, never a value.
_DATABASE_NAMES = ("sqlstate", "constraint_name", "table_name", "column_name", "schema_name")


def _kind(error: BaseException) -> str:
    kind = type(error)
    return kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


def _driver_error(error: BaseException) -> asyncpg.PostgresError | None:
    """The database driver's own error under SQLAlchemy's wrappers (asyncpg's, which carries the SQLSTATE)."""
    found: BaseException | None = error.orig if isinstance(error, StatementError) else error
    while found is not None and not isinstance(found, asyncpg.PostgresError):
        found = found.__cause__
    return found


def describe_error(error: BaseException) -> str:
    """One line about ``error`` without the values it may quote: ``IntegrityError (UniqueViolationError,
    sqlstate=23505, constraint_name=ux_person_email)``, ``ConnectionRefusedError: [Errno 111] …``."""
    if isinstance(error, _MESSAGES_WITHOUT_VALUES):
        return f"{_kind(error)}: {error}"[:300]
    driver = _driver_error(error)
    if driver is None:
        return _kind(error)
    names = [f"{name}={value}" for name in _DATABASE_NAMES if (value := getattr(driver, name, None))]
    if driver is not error:
        names.insert(0, type(driver).__name__)
    return f"{_kind(error)} ({', '.join(names)})"


def _chain(error: BaseException) -> list[BaseException]:
    """The exception and those it came from, oldest first, as Python prints them."""
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        chain.append(current)
        seen.add(id(current))
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return chain[::-1]


def format_exception(error: BaseException) -> str:
    """A traceback as Python prints it (frames, source lines, the chain of causes), each exception said by
    :func:`describe_error` instead of its message."""
    parts: list[str] = []
    for position, link in enumerate(_chain(error)):
        if position:
            parts.append(
                "\nDuring handling of the above exception, another exception occurred:\n\n"
                if link.__cause__ is None
                else "\nThe above exception was the direct cause of the following exception:\n\n"
            )
        if link.__traceback__ is not None:
            parts.append("Traceback (most recent call last):\n")
            parts.extend(traceback.format_list(traceback.extract_tb(link.__traceback__)))
        parts.append(describe_error(link) + "\n")
    return "".join(parts).rstrip("\n")


def url_without_query(url: str) -> str:
    """``http://host/path?q=…`` → ``http://host/path``; credentials in the address go too."""
    parts = urlsplit(url)
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
