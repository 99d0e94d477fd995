from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

import varde_directory
from varde_common.db import tenant_transaction
from varde_common.identity import InternalTokenSigner
from varde_common.testing.service import service_fixtures
from varde_directory.app import create_app
from varde_directory.config import DirectorySettings
from varde_directory.importing import HrImportService
from varde_directory.models import Person, Tenant

MIGRATIONS = Path(varde_directory.__file__).parent / "migrations"

database, engine, sessions, org, client, token_signer = service_fixtures(
    "directory", MIGRATIONS, create_app, DirectorySettings
)


def small_export(p: str = "K") -> dict[str, Any]:
    """A kommune → sector → nursing home (two departments), with an administrator, a leader and employees."""
    units = [
        {"key": f"{p}1", "name": "Testvik kommune", "unit_type": "kommune", "parent": None, "leader": "E1"},
        {
            "key": f"{p}2",
            "name": "Helse",
            "unit_type": "kommunalsjefsomrade",
            "parent": f"{p}1",
            "leader": "E2",
        },
        {"key": f"{p}3", "name": "Solsiden", "unit_type": "virksomhet", "parent": f"{p}2", "leader": "E3"},
        {"key": f"{p}4", "name": "Solsiden A", "unit_type": "avdeling", "parent": f"{p}3", "leader": None},
        {"key": f"{p}5", "name": "Solsiden B", "unit_type": "avdeling", "parent": f"{p}3", "leader": None},
    ]
    people = [
        {"employee_number": "E1", "name": "Dina Direktør", "email": "dina@testvik.no", "roles": []},
        {"employee_number": "E2", "name": "Kåre Sjef", "email": "kare@testvik.no", "roles": []},
        {"employee_number": "E3", "name": "Vera Leder", "email": "vera@testvik.no", "roles": []},
        {
            "employee_number": "E4",
            "name": "Sam Admin",
            "email": "sam@testvik.no",
            "roles": [{"role": "systemadministrator", "unit": f"{p}1"}],
        },
        {
            "employee_number": "E5",
            "name": "Ane Ansatt",
            "email": "ane@testvik.no",
            "roles": [{"role": "ansatt", "unit": f"{p}4"}],
        },
    ]
    return {"units": units, "people": people}


@dataclass
class Kommune:
    tenant_id: uuid.UUID
    people: dict[str, uuid.UUID]  # employee number → person id
    signer: InternalTokenSigner

    def headers(self, employee_number: str) -> dict[str, str]:
        token = self.signer.for_person(
            to="directory",
            tenant_id=self.tenant_id,
            tenant_slug="testvik",
            person_id=self.people[employee_number],
            not_after=2_000_000_000,
        )
        return {"authorization": f"Bearer {token}"}


async def make_kommune(
    sessions: async_sessionmaker[AsyncSession], signer: InternalTokenSigner, slug: str = "testvik"
) -> Kommune:
    tenant_id = uuid.uuid4()
    async with sessions() as session, session.begin():
        session.add(Tenant(id=tenant_id, slug=f"{slug}-{tenant_id.hex[:8]}", name="Testvik kommune"))
    importer = HrImportService(sessions)
    await importer.run(tenant_id, json.dumps(small_export()).encode(), "application/json", dry_run=False, actor=None)

    async with tenant_transaction(sessions, tenant_id) as session:
        people = {p.employee_number: p.id for p in (await session.exec(select(Person))).all() if p.employee_number}
    return Kommune(tenant_id, people, signer)


@pytest.fixture
async def kommune(sessions: async_sessionmaker[AsyncSession], token_signer: InternalTokenSigner) -> Kommune:
    return await make_kommune(sessions, token_signer)


@pytest.fixture
def export() -> dict[str, Any]:
    return small_export()


@pytest.fixture
def importer(sessions: async_sessionmaker[AsyncSession]) -> HrImportService:
    return HrImportService(sessions)
