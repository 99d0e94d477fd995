"""Lists over HTTP (views, filters, Norwegian full-text search, cursor pages), anonymous reports and their
receipt, Idempotency-Key, the fødselsnummer warning, attachments and the catalogue."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.directory_replica import apply_tenant_changed
from varde_common.events import TenantChanged
from varde_common.identity import InternalTokenSigner
from varde_common.pages import PageRequest
from varde_common.tenant_settings import TenantSettings
from varde_common.testing.factories import TinyOrg, bearer, grant_role, person_with_role, seed_tiny_org
from varde_deviations.catalogue import CatalogueService
from varde_deviations.errors import CategoryExists
from varde_deviations.models import CategoryUpdate

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")


def body(org: TinyOrg, **changes: object) -> dict[str, object]:
    return {
        "title": "Fall i korridor",
        "description": "Beboeren falt i korridoren ved spisesalen.",
        "unit_id": str(org.unit_id),
        "occurred_at": "2026-11-01T10:00:00+01:00",
        **changes,
    }


async def ids(client: httpx.AsyncClient, headers: dict[str, str], **params: object) -> list[str]:
    response = await client.get("/api/v1/deviations", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def test_views_filters_search_and_pages(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    org: TinyOrg,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    employee, leader = bearer(token_signer, org, org.employee), bearer(token_signer, org, org.unit_leader)
    created = []
    for index in range(7):
        extra = {"area": "hms", "actual_consequence": 5} if index == 0 else {}
        if index == 1:
            extra = {"title": "Feil medisin", "description": "Feil dose av legemiddel ble gitt."}
        response = await client.post("/api/v1/deviations", json=body(org, **extra), headers=employee)
        assert response.status_code == 201, response.text
        created.append(response.json()["id"])
    newest_first = list(reversed(created))

    assert await ids(client, employee, view="reported") == newest_first
    assert await ids(client, leader, view="to_handle") == newest_first
    assert await ids(client, leader, view="unit") == newest_first
    assert await ids(client, bearer(token_signer, org, org.sector_leader), unit_id=str(org.sector_id)) == newest_first
    assert await ids(client, bearer(token_signer, org, uuid.uuid4())) == []  # no rights, no cases
    assert await ids(client, leader, area="hms") == [created[0]]
    assert await ids(client, leader, min_severity=5) == [created[0]]
    assert await ids(client, leader, status="closed") == []
    # Norwegian search: "korridor" finds "korridoren"; another word finds nothing.
    assert await ids(client, leader, q="legemiddel") == [created[1]]
    assert created[0] in await ids(client, leader, q="korridor")
    assert await ids(client, leader, q="kjøkken") == []

    async with tenant_transaction(sessions, org.tenant_id) as session:
        await session.execute(
            sa.text("UPDATE deviation SET acknowledge_due_at = now() - interval '1 hour' WHERE id = :id"),
            {"id": uuid.UUID(created[2])},
        )
    assert await ids(client, leader, overdue="true") == [created[2]]

    seen: list[str] = []
    cursor = None
    for _ in range(5):
        params: dict[str, object] = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/api/v1/deviations", params=params, headers=leader)).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == newest_first
    bad = await client.get("/api/v1/deviations", params={"cursor": "not-ours"}, headers=leader)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "cursor"

    other = await seed_tiny_org(sessions, "annenkommune")
    assert await ids(client, bearer(token_signer, other, other.unit_leader)) == []


async def test_http_a_line_is_overdue_exactly_when_the_overdue_filter_finds_it(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    org: TinyOrg,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    employee, leader = bearer(token_signer, org, org.employee), bearer(token_signer, org, org.unit_leader)
    sector = bearer(token_signer, org, org.sector_leader)
    open_case, rejected = [
        (await client.post("/api/v1/deviations", json=body(org), headers=employee)).json()["id"] for _ in range(2)
    ]
    for case_id in (open_case, rejected):
        added = await client.post(
            f"/api/v1/deviations/{case_id}/measures", json={"description": "Sklisikre matter"}, headers=leader
        )
        assert added.status_code == 201, added.text
    # The second case goes up to the sector, whose leader rejects it: its measure is never done.
    await client.post(f"/api/v1/deviations/{rejected}/escalate", headers=leader)
    refused = await client.post(
        f"/api/v1/deviations/{rejected}/reject", json={"reason": "Meldt to ganger"}, headers=sector
    )
    assert refused.status_code == 200, refused.text
    async with tenant_transaction(sessions, org.tenant_id) as session:
        await session.execute(sa.text("UPDATE measure SET deadline = current_date - 10"))

    lines = (await client.get("/api/v1/deviations", headers=sector)).json()["items"]
    assert {line["id"]: line["overdue"] for line in lines} == {open_case: True, rejected: False}
    assert await ids(client, sector, overdue="true") == [open_case]
    assert await ids(client, sector, overdue="false") == [rejected]


async def test_anonymous_report_stores_no_reporter_and_gives_a_receipt(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    org: TinyOrg,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    employee = bearer(token_signer, org, org.employee)
    refused = await client.post("/api/v1/deviations", json=body(org, anonymous=True), headers=employee)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "anonymous"

    async with tenant_transaction(sessions, org.tenant_id) as session:
        allowed = TenantChanged(
            tenant_id=org.tenant_id, slug="testkommune", name="T", settings=TenantSettings(anonymous_reporting=True)
        )
        await apply_tenant_changed(session, allowed, datetime.now(UTC))
    created = await client.post("/api/v1/deviations", json=body(org, anonymous=True), headers=employee)
    assert created.status_code == 201, created.text
    case = created.json()
    assert case["reported_by"] is None
    assert case["receipt_code"]
    async with tenant_transaction(sessions, org.tenant_id) as session:
        stored = (
            await session.execute(sa.text("SELECT reported_by FROM deviation WHERE id = :id"), {"id": case["id"]})
        ).scalar_one()
        actors = (
            (
                await session.execute(
                    sa.text("SELECT actor_id FROM deviation_history WHERE deviation_id = :id"), {"id": case["id"]}
                )
            )
            .scalars()
            .all()
        )
        outbox = (
            (await session.execute(sa.text("SELECT data::text FROM outbox WHERE key = :id"), {"id": case["id"]}))
            .scalars()
            .all()
        )
    assert stored is None
    assert all(actor is None for actor in actors)
    assert all(str(org.employee) not in data for data in outbox)
    # Nothing ties the case to the person who sent it; the receipt code shows its status.
    assert (await client.get(f"/api/v1/deviations/{case['id']}", headers=employee)).status_code == 404
    status = await client.post(
        "/api/v1/deviations/receipts/lookup", json={"receipt_code": case["receipt_code"]}, headers=employee
    )
    assert status.status_code == 200
    assert status.json()["status"] == "registered"
    wrong = await client.post(
        "/api/v1/deviations/receipts/lookup", json={"receipt_code": "AAAA-BBBB-CCCC"}, headers=employee
    )
    assert wrong.status_code == 404


async def test_idempotency_key_and_fodselsnummer_warning(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    org: TinyOrg,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    employee = bearer(token_signer, org, org.employee)
    key = {"Idempotency-Key": uuid.uuid4().hex}
    first = await client.post("/api/v1/deviations", json=body(org), headers={**employee, **key})
    again = await client.post("/api/v1/deviations", json=body(org), headers={**employee, **key})
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["idempotent-replayed"] == "true"
    changed = await client.post("/api/v1/deviations", json=body(org, title="Noe annet"), headers={**employee, **key})
    assert changed.status_code == 422
    someone_else = await client.post(
        "/api/v1/deviations", json=body(org), headers={**bearer(token_signer, org, org.unit_leader), **key}
    )
    assert someone_else.json()["id"] != first.json()["id"]
    async with tenant_transaction(sessions, org.tenant_id) as session:
        count = (await session.execute(sa.text("SELECT count(*) FROM deviation"))).scalar_one()
    assert count == 2

    warned = await client.post(
        "/api/v1/deviations", json=body(org, description="Gjelder pasient 15076500565."), headers=employee
    )
    assert [(w["field"], w["code"]) for w in warned.json()["warnings"]] == [("description", "possible_fodselsnummer")]
    not_a_number = await client.post(
        "/api/v1/deviations", json=body(org, description="Saksnummer 15076500566."), headers=employee
    )
    assert not_a_number.json()["warnings"] == []


async def test_attachments_are_checked_by_content_and_only_the_chain_downloads(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    org: TinyOrg,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    employee = bearer(token_signer, org, org.employee)
    case = (await client.post("/api/v1/deviations", json=body(org, area="hms"), headers=employee)).json()
    url = f"/api/v1/deviations/{case['id']}/attachments"
    photo = await client.post(url, files={"file": ("bilde.png", PNG, "image/png")}, headers=employee)
    assert photo.status_code == 201, photo.text
    assert photo.json()["content_type"] == "image/png"
    for name, content in (("bilde.png", b"MZ\x90\x00 program"), ("tom.pdf", b"")):
        refused = await client.post(url, files={"file": (name, content, "image/png")}, headers=employee)
        assert refused.status_code == 422
        assert refused.json()["errors"][0]["field"] == "file"
    extra = await client.post(
        url, files={"file": ("b.png", PNG)}, data={"tenant_id": str(uuid.uuid4())}, headers=employee
    )
    assert extra.status_code == 422
    assert extra.json()["errors"][0]["field"] == "tenant_id"
    async with tenant_transaction(sessions, org.tenant_id) as session:
        stored = (await session.execute(sa.text("SELECT count(*) FROM attachment_content"))).scalar_one()
    assert stored == 1  # nothing half-stored from the refused files

    download = await client.get(f"{url}/{photo.json()['id']}", headers=bearer(token_signer, org, org.unit_leader))
    assert download.content == PNG
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-disposition"].startswith("attachment")
    verneombud = uuid.uuid4()
    async with tenant_transaction(sessions, org.tenant_id) as session:
        await grant_role(session, org.tenant_id, verneombud, org.unit_id, "verneombud", datetime.now(UTC))
    hidden = await client.get(f"{url}/{photo.json()['id']}", headers=bearer(token_signer, org, verneombud))
    assert hidden.status_code == 404


async def test_the_catalogue_is_the_kommunes_own(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    org: TinyOrg,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    employee = bearer(token_signer, org, org.employee)
    areas = (await client.get("/api/v1/deviations/catalogue", headers=employee)).json()["items"]
    assert {"hms", "pasient_brukersikkerhet", "informasjonssikkerhet"} <= {a["key"] for a in areas}
    fall = next(
        c for a in areas if a["key"] == "pasient_brukersikkerhet" for c in a["categories"] if c["name"] == "Fall"
    )
    refused = await client.post(
        "/api/v1/deviations/catalogue/areas", json={"key": "beredskap", "name": "Beredskap"}, headers=employee
    )
    assert refused.status_code == 403

    adviser = uuid.uuid4()
    async with tenant_transaction(sessions, org.tenant_id) as session:
        await grant_role(session, org.tenant_id, adviser, org.sector_id, "kvalitetsradgiver", datetime.now(UTC))
    quality = bearer(token_signer, org, adviser)
    created = await client.post(
        "/api/v1/deviations/catalogue/areas", json={"key": "beredskap", "name": "Beredskap"}, headers=quality
    )
    assert created.status_code == 201
    wrong_area = await client.post(
        "/api/v1/deviations", json=body(org, area="hms", category_id=fall["id"]), headers=employee
    )
    assert wrong_area.status_code == 422
    assert wrong_area.json()["errors"][0]["field"] == "category_id"
    # What cannot be emptied refuses null, naming the field; only a name already in the area is a clash.
    areas_url, categories_url = "/api/v1/deviations/catalogue/areas", "/api/v1/deviations/catalogue/categories"
    for url, field, label in (
        (f"{areas_url}/beredskap", "name", "Navn"),
        (f"{areas_url}/beredskap", "active", "I bruk"),
        (f"{categories_url}/{fall['id']}", "name", "Navn"),
        (f"{categories_url}/{fall['id']}", "active", "I bruk"),
    ):
        emptied = await client.patch(url, json={field: None}, headers=quality)
        assert emptied.status_code == 422, emptied.text
        assert emptied.json()["type"] == "urn:varde:problem:validation-error"
        assert [(e["field"], e["label"]) for e in emptied.json()["errors"]] == [(field, label)]
    clash = await client.patch(f"{categories_url}/{fall['id']}", json={"name": "Legemidler"}, headers=quality)
    assert (clash.status_code, clash.json()["type"]) == (409, "urn:varde:problem:deviation-category-exists")
    renamed = await client.patch(f"{categories_url}/{fall['id']}", json={"name": "Fall og snubling"}, headers=quality)
    assert (renamed.status_code, renamed.json()["name"]) == (200, "Fall og snubling")
    deactivated = await client.patch(
        f"/api/v1/deviations/catalogue/categories/{fall['id']}", json={"active": False}, headers=quality
    )
    assert deactivated.status_code == 200
    gone = await client.post(
        "/api/v1/deviations", json=body(org, area="pasient_brukersikkerhet", category_id=fall["id"]), headers=employee
    )
    assert gone.status_code == 422


async def test_only_a_name_the_area_already_has_is_told_as_a_category_that_exists(
    sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    adviser, _ = await person_with_role(sessions, org, org.sector_id, "kvalitetsradgiver")
    catalogue = CatalogueService(sessions)
    areas = (await catalogue.list(org.as_(adviser), PageRequest(limit=100))).items
    fall = next(c for a in areas for c in a.categories if c.name == "Fall")

    with pytest.raises(CategoryExists):
        await catalogue.update_category(org.as_(adviser), fall.id, CategoryUpdate(name="Legemidler"))
    # Any other refusal of the database is a fault (a 500), not a clash of names the user could fix.
    emptied = CategoryUpdate.model_construct(_fields_set={"active"}, active=None)
    with pytest.raises(IntegrityError, match="not-null"):
        await catalogue.update_category(org.as_(adviser), fall.id, emptied)


async def test_the_same_photo_sent_again_answers_the_first_and_is_stored_once(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    org: TinyOrg,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    employee = bearer(token_signer, org, org.employee)
    case = (await client.post("/api/v1/deviations", json=body(org), headers=employee)).json()
    url = f"/api/v1/deviations/{case['id']}/attachments"
    first = await client.post(url, files={"file": ("IMG_0001.png", PNG)}, headers=employee)
    again = await client.post(url, files={"file": ("IMG_0001 (1).png", PNG)}, headers=employee)
    other = await client.post(url, files={"file": ("IMG_0002.png", PNG + b"\x00")}, headers=employee)
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert other.json()["id"] != first.json()["id"]
    leader = bearer(token_signer, org, org.unit_leader)
    shown = (await client.get(f"/api/v1/deviations/{case['id']}", headers=leader)).json()
    assert [a["id"] for a in shown["restricted"]["attachments"]] == [first.json()["id"], other.json()["id"]]
    timeline = (await client.get(f"/api/v1/deviations/{case['id']}/timeline", headers=leader)).json()["items"]
    assert [e["action"] for e in timeline].count("attachment_added") == 2
    async with tenant_transaction(sessions, org.tenant_id) as session:
        stored = (await session.execute(sa.text("SELECT count(*) FROM attachment_content"))).scalar_one()
    assert stored == 2


async def test_my_reports_say_what_was_concluded_and_why_one_was_rejected(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    employee, leader = bearer(token_signer, org, org.employee), bearer(token_signer, org, org.unit_leader)
    made = []
    for title in ("Lukkes", "Avvises", "Åpen"):
        response = await client.post("/api/v1/deviations", json=body(org, title=title), headers=employee)
        made.append(response.json()["id"])
    closed, rejected, still_open = made
    await client.post(f"/api/v1/deviations/{closed}/acknowledge", headers=leader)
    answer = await client.post(f"/api/v1/deviations/{closed}/close", json={"conclusion": "Rutinen er endret."},
                               headers=leader)  # fmt: skip
    assert answer.status_code == 200, answer.text
    answer = await client.post(f"/api/v1/deviations/{rejected}/reject", json={"reason": "Meldt to ganger."},
                               headers=leader)  # fmt: skip
    assert answer.status_code == 200, answer.text

    listed = await client.get("/api/v1/deviations", params={"view": "reported"}, headers=employee)
    outcome = {item["id"]: (item["conclusion"], item["rejection_reason"], item["closed_at"] is not None)
               for item in listed.json()["items"]}  # fmt: skip
    assert outcome == {
        closed: ("Rutinen er endret.", None, True),
        rejected: (None, "Meldt to ganger.", True),
        still_open: (None, None, False),
    }
