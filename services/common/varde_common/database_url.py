"""Database URLs as the platform gives them, turned into the forms the services use.

CloudNativePG's application secret carries ``uri`` as ``postgresql://user:pass@host:5432/db`` (libpq's form,
``postgres://`` is the same); SQLAlchemy's asyncpg dialect needs ``postgresql+asyncpg://``, and passes the query
parameters to ``asyncpg.connect`` as keywords, where libpq's ``sslmode`` is called ``ssl``. The relay's
LISTEN connection goes to asyncpg directly with a DSN, where it is ``sslmode`` again.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

ASYNCPG_SCHEME = "postgresql+asyncpg"
_ACCEPTED_SCHEMES = ("postgresql+asyncpg", "postgresql", "postgres")
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
# Query parameters with the same meaning as a keyword of asyncpg.connect and in an asyncpg DSN. Any other is
# refused rather than dropped: a dropped ``sslrootcert`` would quietly weaken the connection.
_KEPT_PARAMETERS = frozenset({"ssl", "host", "passfile", "target_session_attrs", "krbsrvname", "gsslib"})


def to_asyncpg_url(url: str) -> str:
    """``url`` in SQLAlchemy's asyncpg form; ``sslmode`` becomes ``ssl``. Raises ValueError on what asyncpg would
    not understand (the message names the parameter or scheme, never the password)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in _ACCEPTED_SCHEMES:
        raise ValueError(f"a database URL starts with postgresql:// or postgres://, not {parts.scheme!r}://")
    query: list[tuple[str, str]] = []
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if name == "sslmode":
            name = "ssl"
        if name not in _KEPT_PARAMETERS:
            raise ValueError(f"the database URL's parameter {name!r} is not one asyncpg takes here")
        if name == "ssl" and value not in SSL_MODES:
            raise ValueError(f"sslmode/ssl must be one of {', '.join(SSL_MODES)}")
        if any(kept == name for kept, _ in query):
            raise ValueError(f"the database URL gives {name!r} twice")
        query.append((name, value))
    return urlunsplit((ASYNCPG_SCHEME, parts.netloc, parts.path, urlencode(query), parts.fragment))


def asyncpg_dsn(url: str) -> str:
    """The DSN ``asyncpg.connect`` takes for a URL in SQLAlchemy's asyncpg form (``ssl`` back to ``sslmode``)."""
    parts = urlsplit(to_asyncpg_url(url))
    query = [("sslmode" if name == "ssl" else name, value) for name, value in parse_qsl(parts.query)]
    return urlunsplit(("postgresql", parts.netloc, parts.path, urlencode(query), parts.fragment))
