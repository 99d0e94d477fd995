"""The HR import: validate everything first, report every bad row, apply nothing on error, re-import is a no-op."""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.outbox import outbox_table
from varde_directory.errors import HrImportInvalid
from varde_directory.importing import HrImportService
from varde_directory.models import OrgUnit, OrgUnitHistory, Person, RoleAssignment, Tenant

Export = dict[str, Any]


async def outbox_types(session: AsyncSession) -> list[str]:
    return list((await session.execute(sa.select(outbox_table.c.type).order_by(outbox_table.c.seq))).scalars())


async def new_tenant(sessions: async_sessionmaker[AsyncSession]) -> uuid.UUID:
    tenant_id = uuid.uuid4()
    async with sessions() as session, session.begin():
        session.add(Tenant(id=tenant_id, slug=f"t-{tenant_id.hex[:8]}", name="Testvik kommune"))
    return tenant_id


async def counts(sessions: async_sessionmaker[AsyncSession], tenant_id: uuid.UUID) -> dict[str, int]:
    async with tenant_transaction(sessions, tenant_id) as session:
        return {
            table.__tablename__: (await session.exec(select(sa.func.count()).select_from(table))).one()  # type: ignore[attr-defined]
            for table in (OrgUnit, Person, RoleAssignment, OrgUnitHistory)
        }


async def test_importing_a_kommune_builds_its_tree_people_and_roles_and_publishes_them(
    sessions: async_sessionmaker[AsyncSession],
    importer: HrImportService,
    export: Export,
) -> None:
    tenant_id = await new_tenant(sessions)
    report = await importer.run(tenant_id, json.dumps(export).encode(), "application/json", dry_run=False, actor=None)
    assert report.applied
    assert (report.units, report.people) == (5, 5)
    assert await counts(sessions, tenant_id) == {
        "org_unit": 5,
        "person": 5,
        "role_assignment": 5,  # three leaders, an administrator, an employee
        "org_unit_history": 5,
    }
    async with tenant_transaction(sessions, tenant_id) as session:
        units = {u.external_key: u for u in (await session.exec(select(OrgUnit))).all()}
        leaders = {(a.role, a.unit_id) for a in (await session.exec(select(RoleAssignment))).all()}
        types = await outbox_types(session)
    assert units["K3"].parent_id == units["K2"].id
    assert ("virksomhetsleder", units["K3"].id) in leaders
    assert ("kommunedirektor", units["K1"].id) in leaders
    assert types.count("no.varde.orgunit.changed.v1") == 5
    assert types.count("no.varde.roleassignment.changed.v1") == 5


async def test_importing_the_same_file_again_changes_nothing(
    sessions: async_sessionmaker[AsyncSession], importer: HrImportService, export: Export, kommune: Any
) -> None:
    before = await counts(sessions, kommune.tenant_id)
    async with tenant_transaction(sessions, kommune.tenant_id) as session:
        events_before = len(await outbox_types(session))
    report = await importer.run(
        kommune.tenant_id, json.dumps(export).encode(), "application/json", dry_run=False, actor=None
    )
    assert report.changes == []
    assert not report.applied
    assert await counts(sessions, kommune.tenant_id) == before
    async with tenant_transaction(sessions, kommune.tenant_id) as session:
        assert len(await outbox_types(session)) == events_before


async def test_a_dry_run_lists_the_changes_and_stores_nothing(
    sessions: async_sessionmaker[AsyncSession], importer: HrImportService, export: Export, kommune: Any
) -> None:
    export["units"][3]["name"] = "Solsiden avdeling A"
    export["units"][4]["parent"] = "K2"  # a move
    export["people"][4]["roles"] = [{"role": "verneombud", "unit": "K3"}]  # ansatt in K4 ends, verneombud starts
    export["people"].append({"employee_number": "E9", "name": "Ny Person", "email": "ny@testvik.no", "roles": []})
    before = await counts(sessions, kommune.tenant_id)

    report = await importer.run(
        kommune.tenant_id, json.dumps(export).encode(), "application/json", dry_run=True, actor=None
    )

    assert report.dry_run
    assert not report.applied
    described = {(c.kind, c.action, c.key, c.detail) for c in report.changes}
    assert described == {
        ("unit", "update", "K4", "navn"),
        ("unit", "update", "K5", "overordnet"),
        ("person", "create", "E9", "Ny Person"),
        ("role", "create", "E5", "verneombud i K3"),
        ("role", "end", "E5", "ansatt i K4"),
    }
    assert await counts(sessions, kommune.tenant_id) == before

    applied = await importer.run(
        kommune.tenant_id, json.dumps(export).encode(), "application/json", dry_run=False, actor=None
    )
    assert applied.applied
    async with tenant_transaction(sessions, kommune.tenant_id) as session:
        ended = (
            await session.exec(
                select(RoleAssignment).where(
                    RoleAssignment.person_id == kommune.people["E5"], RoleAssignment.role == "ansatt"
                )
            )
        ).one()
        moved = (await session.exec(select(OrgUnit).where(OrgUnit.external_key == "K5"))).one()
        periods = (await session.exec(select(OrgUnitHistory).where(OrgUnitHistory.unit_id == moved.id))).all()
    assert ended.ends_on is not None  # ended, and kept as history
    assert ended.ends_on < date.today()
    assert len(periods) == 2
    assert sum(p.valid_to is None for p in periods) == 1


async def test_every_bad_row_is_reported_with_its_line_and_nothing_is_applied(
    sessions: async_sessionmaker[AsyncSession], importer: HrImportService, export: Export, kommune: Any
) -> None:
    export["units"].append({"key": "K6", "name": "Løs", "unit_type": "planet", "parent": "K99", "leader": "E77"})
    export["units"][3]["name"] = "Endret navn som ikke skal lagres"
    export["people"].append({"employee_number": "E8", "name": "Feil Post", "email": "ikke-en-adresse", "roles": []})
    export["people"].append(
        {
            "employee_number": "E9",
            "name": "Dobbel",
            "email": "ane@testvik.no",
            "roles": [{"role": "sjef", "unit": "K1"}],
        }
    )
    before = await counts(sessions, kommune.tenant_id)

    with pytest.raises(HrImportInvalid) as raised:
        await importer.run(
            kommune.tenant_id, json.dumps(export).encode(), "application/json", dry_run=False, actor=None
        )
    errors = {(e.line, e.field) for e in raised.value.rows}
    assert {(6, "unit_type"), (6, "parent"), (6, "leader")} <= errors
    assert (12, "email") in errors  # people[5]: not an address
    assert (13, "email") in errors  # people[6]: another person's address
    assert (13, "role") in errors  # ... and a role that does not exist
    assert {(e.record, e.field) for e in raised.value.rows if e.line == 12} == {("people[5]", "email")}
    assert await counts(sessions, kommune.tenant_id) == before
    async with tenant_transaction(sessions, kommune.tenant_id) as session:
        names = set((await session.exec(select(OrgUnit.name))).all())
    assert "Endret navn som ikke skal lagres" not in names


async def test_csv_rows_are_reported_by_their_line_in_the_file(
    sessions: async_sessionmaker[AsyncSession], importer: HrImportService, export: Export, kommune: Any
) -> None:
    csv = (
        "type;key;name;unit_type;parent;leader;email;unit;role\n"
        "enhet;K1;Testvik kommune;kommune;;E1;;;\n"
        "person;E5;Ane Ansatt;;;;ane@testvik.no;K4;ansatt\n"
        "person;E5;Ane Ansatt;;;;ane@testvik.no;K9;tillitsvalgt\n"
        "enhet;K7;Nytt bygg;virksomhet;K2;E42;;;\n"
    )
    with pytest.raises(HrImportInvalid) as raised:
        await importer.run(kommune.tenant_id, csv.encode(), "text/csv", dry_run=False, actor=None)
    assert {(e.line, e.field) for e in raised.value.rows} == {(4, "unit"), (5, "leader")}

    good = csv.replace("K9;tillitsvalgt", "K3;tillitsvalgt").replace(";E42;", ";E3;")
    report = await importer.run(kommune.tenant_id, good.encode(), "text/csv", dry_run=False, actor=None)
    assert {(c.kind, c.action, c.key) for c in report.changes} == {
        ("unit", "create", "K7"),
        ("role", "create", "E5"),
    }


async def test_a_second_top_unit_or_a_loop_is_refused(
    sessions: async_sessionmaker[AsyncSession], importer: HrImportService, export: Export, kommune: Any
) -> None:
    export["units"].append({"key": "X1", "name": "Enda en kommune", "unit_type": "kommune", "parent": None})
    export["units"][1]["parent"] = "K3"  # K2 under K3 under K2
    with pytest.raises(HrImportInvalid) as raised:
        await importer.run(kommune.tenant_id, json.dumps(export).encode(), "application/json", dry_run=True, actor=None)
    messages = [e.message.nb for e in raised.value.rows]
    assert any("én øverste enhet" in m for m in messages)
    assert any("sløyfe" in m for m in messages)
