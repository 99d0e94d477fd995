"""Databases of a local stack: one per service, an owner role that runs migrations, and an application role
that owns no table and cannot bypass row-level security."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

import asyncpg

OWNER_ROLE = "varde_owner"
APP_ROLE = "varde_app"


@dataclass(frozen=True)
class ServiceDatabase:
    name: str
    owner_url: str
    app_url: str


def _with(url: str, *, user: str, password: str | None, database: str) -> str:
    parts = urlsplit(url)
    credentials = quote(user) + (":" + quote(password) if password else "")
    host = parts.hostname or "127.0.0.1"
    netloc = f"{credentials}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(("postgresql+asyncpg", netloc, "/" + database, "", ""))


async def provision(
    admin_url: str,
    services: list[str],
    *,
    prefix: str = "varde",
    app_password: str | None = None,
    owner_password: str | None = None,
) -> dict[str, ServiceDatabase]:
    """Create the roles and one database per service if missing; return the URLs each service uses."""
    admin_dsn = admin_url.replace("postgresql+asyncpg://", "postgresql://", 1)
    connection = await asyncpg.connect(admin_dsn)
    try:
        for role, password, options in (
            (OWNER_ROLE, owner_password, "LOGIN"),
            (APP_ROLE, app_password, "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"),
        ):
            if not await connection.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", role):
                await connection.execute(f'CREATE ROLE "{role}" {options}')
            if password:
                await connection.execute(f"ALTER ROLE \"{role}\" PASSWORD '{password}'")
        result: dict[str, ServiceDatabase] = {}
        for service in services:
            database = f"{prefix}_{service}"
            if not await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database):
                await connection.execute(f'CREATE DATABASE "{database}" OWNER "{OWNER_ROLE}"')
            db_connection = await asyncpg.connect(
                _with(admin_url, user=_user(admin_url), password=_password(admin_url), database=database).replace(
                    "+asyncpg", ""
                )
            )
            try:
                await db_connection.execute(
                    f'REVOKE ALL ON SCHEMA public FROM PUBLIC; ALTER SCHEMA public OWNER TO "{OWNER_ROLE}"'
                )
            finally:
                await db_connection.close()
            result[service] = ServiceDatabase(
                name=database,
                owner_url=_with(admin_url, user=OWNER_ROLE, password=owner_password, database=database),
                app_url=_with(admin_url, user=APP_ROLE, password=app_password, database=database),
            )
        return result
    finally:
        await connection.close()


def _user(url: str) -> str:
    return urlsplit(url).username or "postgres"


def _password(url: str) -> str | None:
    return urlsplit(url).password
