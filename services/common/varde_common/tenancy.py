"""Row-level security: the second wall between kommuner.

Every tenant-owned table has ``tenant_id``; its policy compares it with ``varde_current_tenant()``, which reads
the transaction-local setting ``varde.tenant_id``. No tenant set means NULL, and NULL matches no row.
"""

from __future__ import annotations

from alembic import op

TENANT_SETTING = "varde.tenant_id"
CURRENT_TENANT_FUNCTION = "varde_current_tenant"

CREATE_CURRENT_TENANT_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {CURRENT_TENANT_FUNCTION}() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT NULLIF(current_setting('{TENANT_SETTING}', true), '')::uuid $$
"""


def create_tenant_function() -> None:
    op.execute(CREATE_CURRENT_TENANT_FUNCTION)


def enable_tenant_rls(table: str, *, also_when: str | None = None) -> None:
    """Force row-level security on ``table`` so only the current tenant's rows are visible or writable.

    ``also_when`` opens the table to one named, explicit mode as well (the outbox relay reads every tenant's
    events); it is a SQL condition on a transaction-local setting, never a role that bypasses RLS.
    """
    condition = f"tenant_id = {CURRENT_TENANT_FUNCTION}()"
    if also_when:
        condition = f"({condition}) OR ({also_when})"
    op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
    op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
    op.execute(f'DROP POLICY IF EXISTS tenant_isolation ON "{table}"')
    op.execute(f'CREATE POLICY tenant_isolation ON "{table}" USING ({condition}) WITH CHECK ({condition})')


def grant_app_role(app_role: str) -> None:
    """Let the application role use the tables it does not own (idempotent; run at the end of each migration)."""
    op.execute(f'GRANT USAGE ON SCHEMA public TO "{app_role}"')
    op.execute(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{app_role}"')
    op.execute(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{app_role}"')
    op.execute(f'GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO "{app_role}"')
