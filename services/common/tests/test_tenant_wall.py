"""Row-level security is the tenant wall: a service whose database role could see past it is not ready."""

from __future__ import annotations

import uuid

import asyncpg
import pytest

from varde_common.runtime import Runtime
from varde_common.settings import ServiceSettings


def _url(admin_url: str, user: str | None = None) -> str:
    url = (
        admin_url
        if admin_url.startswith("postgresql+asyncpg://")
        else admin_url.replace("postgresql://", "postgresql+asyncpg://", 1)
    )
    if user is None:
        return url
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{user}@{rest.rsplit('@', 1)[-1]}"


async def test_a_role_that_bypasses_row_level_security_makes_the_service_unready(postgres_admin_url: str) -> None:
    superuser = Runtime.create("test", ServiceSettings(database_url=_url(postgres_admin_url)))
    try:
        with pytest.raises(RuntimeError, match="bypasses row-level security"):
            await superuser.database_check()
    finally:
        await superuser.close()

    plain, bypassing = f"app_{uuid.uuid4().hex[:8]}", f"bypass_{uuid.uuid4().hex[:8]}"
    connection = await asyncpg.connect(postgres_admin_url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        await connection.execute(f'CREATE ROLE "{plain}" LOGIN NOSUPERUSER NOBYPASSRLS')
        await connection.execute(f'CREATE ROLE "{bypassing}" LOGIN NOSUPERUSER BYPASSRLS')
    finally:
        await connection.close()
    application = Runtime.create("test", ServiceSettings(database_url=_url(postgres_admin_url, plain)))
    privileged = Runtime.create("test", ServiceSettings(database_url=_url(postgres_admin_url, bypassing)))
    try:
        assert await application.database_check() == {"ok": True}
        with pytest.raises(RuntimeError, match="bypasses row-level security"):
            await privileged.database_check()
    finally:
        await application.close()
        await privileged.close()


async def test_a_failed_statement_does_not_carry_its_parameters_into_the_error(postgres_admin_url: str) -> None:
    # An error's text ends up in logs and dead-letter headers; the parameters are what people wrote. (What the
    # database itself quotes in its own message is issue 15's: such messages are not logged whole.)
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from varde_common.db import create_engine

    engine = create_engine(_url(postgres_admin_url))
    try:
        async with engine.connect() as connection:
            with pytest.raises(DBAPIError) as failed:
                await connection.execute(
                    text("SELECT CAST(:value AS text), 1 / 0"), {"value": "Kari Nordmann 01019012345"}
                )
        assert "01019012345" not in str(failed.value)
        assert "Kari" not in str(failed.value)
    finally:
        await engine.dispose()
