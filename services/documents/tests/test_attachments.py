"""Attachments on document versions: checked by their content, added and removed on drafts only, carried over to
the next draft without copying the bytes, downloaded by whoever sees the version, and shown in the difference."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.identity import InternalTokenSigner
from varde_common.testing.factories import TinyOrg, bearer, grant_role
from varde_common.testing.office_files import VBA_PROJECT, VBA_PROJECT_TYPE, word_file, zip_file

API = "/api/v1/documents"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"


DOCX = word_file()
# A docm in disguise: the macro project renamed as a picture, still declared and related as what it is.
DOCM = word_file(
    extra_parts={"word/media/image1.png": (VBA_PROJECT_TYPE, b"\xd0\xcf\x11\xe0")},
    document_relations=((VBA_PROJECT, "media/image1.png", False),),
)
ODS = zip_file(("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", b"<x/>"))


async def stored_files(sessions: async_sessionmaker[AsyncSession], org: TinyOrg) -> int:
    async with tenant_transaction(sessions, org.tenant_id) as session:
        return int((await session.execute(sa.text("SELECT count(*) FROM attachment_content"))).scalar_one())


async def test_a_procedures_form_follows_it_from_draft_to_force_and_into_the_next_version(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    org: TinyOrg,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    author_id = uuid.uuid4()
    async with tenant_transaction(sessions, org.tenant_id) as session:
        await grant_role(session, org.tenant_id, author_id, org.unit_id, "kvalitetsradgiver", datetime.now(UTC))
    author, leader = bearer(token_signer, org, author_id), bearer(token_signer, org, org.unit_leader)
    employee = bearer(token_signer, org, org.employee)
    body = {"title": "Legemiddelhåndtering", "owner_unit_id": str(org.unit_id), "content": "# Formål\nTrygg."}
    document = (await client.post(API, json=body, headers=author)).json()
    first = document["versions"][0]["id"]
    files = f"{API}/{document['id']}/versions/{first}/attachments"

    form = await client.post(files, files={"file": ("../../Skjema avvik.docx", DOCX)}, headers=author)
    assert form.status_code == 201, form.text
    assert (form.json()["filename"], form.json()["content_type"]) == ("Skjema avvik.docx", DOCX_TYPE)
    photo = await client.post(files, files={"file": ("flyt.png", PNG, "application/pdf")}, headers=author)
    assert photo.json()["content_type"] == "image/png"  # the bytes decide, not what the client says
    sheet = await client.post(files, files={"file": ("liste.ods", ODS)}, headers=author)
    assert sheet.status_code == 201, sheet.text
    for name, content in (("makro.docx", DOCM), ("program.pdf", b"MZ\x90\x00"), ("tom.pdf", b"")):
        refused = await client.post(files, files={"file": (name, content)}, headers=author)
        assert refused.status_code == 422, name
        assert refused.json()["errors"][0]["field"] == "file"
    unknown = await client.post(files, files={"file": ("a.png", PNG)}, headers=employee)
    assert unknown.status_code == 404  # nothing in force yet: not the employee's business
    assert await stored_files(sessions, org) == 3  # nothing stored from what was refused

    download = f"{files}/{form.json()['id']}"
    assert (await client.get(download, headers=employee)).status_code == 404  # a draft is not the employee's yet
    assert (await client.post(f"{API}/{document['id']}/versions/{first}/submit", headers=author)).status_code == 200
    late = await client.post(files, files={"file": ("sent.pdf", PDF)}, headers=author)
    assert late.status_code == 409  # under the approver's eyes nothing changes
    assert (await client.post(f"{API}/{document['id']}/versions/{first}/approve", headers=leader)).status_code == 200

    got = await client.get(download, headers=employee)
    assert got.content == DOCX
    assert got.headers["content-disposition"].startswith("attachment")
    assert got.headers["x-content-type-options"] == "nosniff"
    in_force = (await client.get(f"{API}/{document['id']}", headers=employee)).json()["published"]
    assert sorted(a["filename"] for a in in_force["attachments"]) == ["Skjema avvik.docx", "flyt.png", "liste.ods"]
    assert (await client.delete(download, headers=author)).status_code == 409  # published never changes

    second = (await client.post(f"{API}/{document['id']}/versions", json={}, headers=author)).json()
    assert sorted(a["sha256"] for a in second["attachments"]) == sorted(a["sha256"] for a in in_force["attachments"])
    assert await stored_files(sessions, org) == 3  # the new draft shares the bytes
    next_files = f"{API}/{document['id']}/versions/{second['id']}/attachments"
    # The new draft is not the employee's to know of (a reader sees what has been in force).
    assert (await client.post(next_files, files={"file": ("a.png", PNG)}, headers=employee)).status_code == 404
    in_force_files = f"{API}/{document['id']}/versions/{first}/attachments"
    assert (await client.post(in_force_files, files={"file": ("a.png", PNG)}, headers=employee)).status_code == 403
    carried_photo = next(a for a in second["attachments"] if a["filename"] == "flyt.png")
    assert (await client.delete(f"{next_files}/{carried_photo['id']}", headers=author)).status_code == 204
    assert (await client.get(f"{files}/{photo.json()['id']}", headers=employee)).content == PNG  # still in force
    assert await stored_files(sessions, org) == 3

    scan = await client.post(next_files, files={"file": ("skannet.pdf", PDF)}, headers=author)
    assert await stored_files(sessions, org) == 4
    diff = (await client.get(f"{API}/{document['id']}/diff", params={"from": 1, "to": 2}, headers=author)).json()
    assert (diff["attachments_added"], diff["attachments_removed"]) == (["skannet.pdf"], ["flyt.png"])
    assert (await client.delete(f"{next_files}/{scan.json()['id']}", headers=author)).status_code == 204
    assert await stored_files(sessions, org) == 3  # only the draft had it: its bytes are gone

    history = (await client.get(f"{API}/{document['id']}/history", params={"limit": 100}, headers=author)).json()
    actions = [entry["action"] for entry in history["items"]]
    assert (actions.count("attachment_added"), actions.count("attachment_removed")) == (4, 2)
    missing = await client.get(f"{files}/{uuid.uuid4()}", headers=employee)
    assert (missing.status_code, missing.json()["detail"]) == (404, "Vedlegget finnes ikke.")


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
