"""A procedure through the gateway, on the real broker and databases: the kvalitetsrådgiver writes it, attaches
its form and sends it for approval, the nursing home's leader is told and approves it, every employee reads it
(rendered safely) and downloads the form, the author is told, and an outside reader of the documents' topic sees
facts, not content."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.conftest import DemoPerson, Roles, person, wait_until
from tests.system.kafka_reader import read_topic
from varde_devstack.stack import Stack

pytestmark = pytest.mark.system

TOPIC = "varde.documents.document"


def told(gateway: httpx.Client, headers: dict[str, str], document_id: str, kind: str) -> list[dict[str, Any]]:
    response = gateway.get("/api/v1/notifications", params={"limit": 100}, headers=headers)
    assert response.status_code == 200, response.text
    return [n for n in response.json()["items"] if n["subject_id"] == document_id and n["kind"] == kind]


def test_a_procedure_is_written_approved_by_the_leader_and_read_by_everyone(
    gateway: httpx.Client,
    stack: Stack,
    people: list[DemoPerson],
    roles: Roles,
    login: Callable[[DemoPerson], dict[str, str]],
) -> None:
    author = login(person(people, "hustadvika", "kvalitetsradgiver"))
    leader, employee = login(roles.nursing_home_leader), login(roles.employee)
    body = {
        "title": "Håndhygiene på sjukeheimen",
        "owner_unit_id": roles.nursing_home,
        "content": "# Håndhygiene\nVask hendene før og etter stell.\n\n<script>alert('x')</script>",
        "tags": ["smittevern"],
    }
    created = gateway.post("/api/v1/documents", json=body, headers=author)
    assert created.status_code == 201, created.text
    document_id, version_id = created.json()["id"], created.json()["versions"][0]["id"]
    assert gateway.get(f"/api/v1/documents/{document_id}", headers=employee).status_code == 404  # only a draft

    form = b"%PDF-1.7\nskjema for hygienerunde\n%%EOF\n"
    attached = gateway.post(
        f"/api/v1/documents/{document_id}/versions/{version_id}/attachments",
        files={"file": ("Hygienerunde.pdf", form)},
        headers=author,
    )
    assert attached.status_code == 201, attached.text
    audience = {"entries": [{"unit_id": roles.nursing_home}]}
    assert gateway.put(f"/api/v1/documents/{document_id}/audience", json=audience, headers=author).status_code == 200
    submitted = gateway.post(f"/api/v1/documents/{document_id}/versions/{version_id}/submit", headers=author)
    assert submitted.status_code == 200, submitted.text
    wait_until(lambda: told(gateway, leader, document_id, "document.to_approve"), what="the approver told")

    approved = gateway.post(f"/api/v1/documents/{document_id}/versions/{version_id}/approve", headers=leader)
    assert approved.status_code == 200, approved.text
    read = gateway.get(f"/api/v1/documents/{document_id}", headers=employee)
    assert read.status_code == 200
    html = read.json()["published"]["html"]
    assert html.startswith("<h1>Håndhygiene</h1>")
    assert "<script>" not in html
    [attachment] = read.json()["published"]["attachments"]
    download = f"/api/v1/documents/{document_id}/versions/{version_id}/attachments/{attachment['id']}"
    assert gateway.get(download, headers=employee).content == form
    wait_until(lambda: told(gateway, author, document_id, "document.approved"), what="the author told")

    # The nursing home is asked to read it: the employee finds it in the inbox and on the reading list.
    wait_until(lambda: told(gateway, employee, document_id, "document.to_read"), what="the reader told")
    listed = gateway.get("/api/v1/documents/reading-list", headers=employee).json()
    assert [item["document_id"] for item in listed["items"]] == [document_id]
    confirm = gateway.post(f"/api/v1/documents/{document_id}/versions/{version_id}/confirm-read", headers=employee)
    assert confirm.status_code == 200, confirm.text
    coverage = gateway.get(
        f"/api/v1/documents/{document_id}/coverage", params={"unit_id": roles.nursing_home}, headers=leader
    ).json()
    assert coverage["confirmed"] == 1
    assert coverage["requested"] > 1
    # Who has not read, by the names the directory published.
    assert coverage["not_read"]["items"]
    assert all(reader["name"] for reader in coverage["not_read"]["items"])
    overview = gateway.get(
        "/api/v1/documents/reading-coverage", params={"unit_id": roles.nursing_home}, headers=leader
    ).json()
    line = next(d for d in overview["documents"]["items"] if d["document_id"] == document_id)
    assert (line["confirmed"], line["requested"]) == (1, coverage["requested"])
    refused = gateway.get(
        "/api/v1/documents/reading-coverage", params={"unit_id": roles.nursing_home}, headers=employee
    )
    assert refused.status_code == 403

    key = document_id.encode()
    confirmed_type = b"no.varde.document.readingconfirmed.v1"

    def has_confirmation(found: list[Any]) -> bool:
        return any(r.key == key and dict(r.headers)["ce_type"] == confirmed_type for r in found)

    records = [r for r in read_topic(stack.bootstrap, TOPIC, has_confirmation) if r.key == key]
    types = [dict(r.headers)["ce_type"].decode() for r in records]
    assert types[:2] == ["no.varde.document.submitted.v1", "no.varde.document.approved.v1"]
    assert "no.varde.document.readingrequested.v1" in types
    for record in records:
        data = json.loads(record.value)
        assert data["document_id"] == document_id
        assert "Håndhygiene" not in record.value.decode()
