"""The second wall between kommuner, in every service's real database: a catalogue of the tables.

Every table with ``tenant_id`` has row-level security enabled and forced, with a policy on ``tenant_id``; the
application role owns nothing and cannot bypass it. A table added later without it fails here.
"""

from __future__ import annotations

import pytest

from tests.conftest import query
from varde_devstack.database import APP_ROLE
from varde_devstack.stack import Stack

SERVICES = ("directory", "documents", "deviations", "risk", "notifications", "reporting")
# Tables that are not any one kommune's: the list of kommuner itself, and Alembic's bookkeeping.
GLOBAL_TABLES = {"directory": {"tenant", "alembic_version"}}


@pytest.mark.parametrize("service", SERVICES)
def test_every_tenant_owned_table_has_forced_row_level_security(stack: Stack, service: str) -> None:
    tables = query(
        stack,
        service,
        """
        SELECT c.relname AS name, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
               pg_get_userbyid(c.relowner) AS owner,
               EXISTS (SELECT 1 FROM information_schema.columns col
                        WHERE col.table_schema = 'public' AND col.table_name = c.relname
                          AND col.column_name = 'tenant_id') AS has_tenant,
               (SELECT string_agg(pg_get_expr(p.polqual, p.polrelid), ' ') FROM pg_policy p
                 WHERE p.polrelid = c.oid) AS policy
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
        """,
    )
    allowed_global = GLOBAL_TABLES.get(service, set()) | {"alembic_version"}
    assert tables
    for table in tables:
        if table["name"] in allowed_global:
            continue
        assert table["has_tenant"], f"{service}.{table['name']} has no tenant_id: is it really not a kommune's?"
        assert table["enabled"], f"{service}.{table['name']}: row-level security is off"
        assert table["forced"], f"{service}.{table['name']}: row-level security is not forced"
        assert "varde_current_tenant()" in (table["policy"] or ""), f"{service}.{table['name']}: no tenant policy"
        assert table["owner"] != APP_ROLE


def test_the_application_role_cannot_bypass_row_level_security(stack: Stack) -> None:
    role = query(
        stack, "directory", "SELECT rolsuper, rolbypassrls, rolcreaterole FROM pg_roles WHERE rolname = $1", APP_ROLE
    )
    assert [tuple(r) for r in role] == [(False, False, False)]
    for service in SERVICES:
        owned = query(
            stack,
            service,
            "SELECT relname FROM pg_class WHERE pg_get_userbyid(relowner) = $1 AND relkind IN ('r', 'p', 'v')",
            APP_ROLE,
        )
        assert owned == [], f"{APP_ROLE} owns tables in {service}"
