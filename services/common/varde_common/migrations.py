"""Alembic, shared: every service keeps its revisions in ``<package>/migrations`` and runs them with this.

Migrations run as the schema owner by a separate command (role ``migrate``), never at app start in production.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import sqlalchemy as sa
from alembic import command, context, op
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from varde_common.tenancy import create_tenant_function, enable_tenant_rls, grant_app_role

APP_ROLE_OPTION = "varde_app_role"


def alembic_config(migrations_dir: Path, database_url: str, app_role: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.set_main_option(APP_ROLE_OPTION, app_role)
    return config


def upgrade(migrations_dir: Path, database_url: str, app_role: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(migrations_dir, database_url, app_role), revision)


def head_revision(migrations_dir: Path) -> str | None:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    return ScriptDirectory.from_config(config).get_current_head()


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as connection:
        return await connection.run_sync(lambda sync: MigrationContext.configure(sync).get_current_revision())


def app_role() -> str:
    return context.config.get_main_option(APP_ROLE_OPTION) or "varde_app"


def run_env(target_metadata: sa.MetaData | None = None) -> None:
    """Body of every service's ``migrations/env.py``."""
    url = context.config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url is not set"

    def do_run(connection: sa.Connection) -> None:
        context.configure(connection=connection, target_metadata=target_metadata, transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()

    async def run_async() -> None:
        engine = create_async_engine(url, poolclass=sa.pool.NullPool, hide_parameters=True)
        async with engine.connect() as connection:
            await connection.run_sync(do_run)
            await connection.commit()
        await engine.dispose()

    asyncio.run(run_async())


def base_schema() -> None:
    """First revision of every service: the tenant function; grants follow each revision via ``finish``."""
    create_tenant_function()


def finish() -> None:
    """Last step of every revision: the application role may use what the revision created."""
    grant_app_role(app_role())


def make_append_only(*tables: str) -> None:
    """History and access logs: a trigger refuses every UPDATE and DELETE, so not even the service can rewrite
    them."""
    op.execute(
        """
        CREATE OR REPLACE FUNCTION varde_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege'; END $$
        """
    )
    for table in tables:
        op.execute(
            f'CREATE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE ON "{table}" '
            "FOR EACH ROW EXECUTE FUNCTION varde_refuse_change()"
        )


def create_attachment_content_table() -> None:
    """The table ``varde_common.attachments.PostgresAttachmentStore`` keeps attachment bytes in, kommune-scoped."""
    op.create_table(
        "attachment_content",
        sa.Column("storage_key", sa.Text, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )
    enable_tenant_rls("attachment_content")
