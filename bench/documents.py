"""Documents at scale: search over 20 000 documents with 5 versions each, publishing a version to an audience of
5 000 people, the reading coverage of a sector of 5 000 people, and the leader's overview of every document the
sector reads — all through the gateway.

Documents and people are written straight into the documents database by SQL (a bench needs volume, not the
workflow); the version that is published to 5 000 goes through the API as a leader would.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import asyncpg
import httpx

from bench.load import run_load
from varde_devstack.stack import Stack

API = "/api/v1/documents"

SENTENCES = [
    "Legemidler skal dobbeltkontrolleres før utdeling",
    "Avdelingsleder har ansvar for at rutinen er kjent",
    "Avvik meldes i Varde så snart som mulig",
    "Håndhygiene utføres før og etter all pasientkontakt",
    "Brannøvelse gjennomføres hvert halvår",
    "Taushetsplikten gjelder også etter at arbeidsforholdet er avsluttet",
    "Nøkler til medisinrommet oppbevares i låst skap",
    "Personopplysninger sendes aldri med vanlig e-post",
    "Ved smitteutbrudd varsles kommuneoverlegen",
    "Tvangstiltak dokumenteres samme dag",
    "Nyansatte får opplæring i prosedyren første uke",
    "Kjemikalier merkes og oppbevares etter sikkerhetsdatabladet",
    "Vold og trusler meldes til verneombud",
    "Pasientjournalen oppdateres etter hver vakt",
    "Beredskapsplanen revideres hvert år",
    "Elever med allergi har egen plan i barnehagen",
    "Innkjøp over terskelverdi krever konkurranse",
    "Tilgang til fagsystemer fjernes ved sluttdato",
    "Forflytning av bruker skjer med to ansatte",
    "Matservering følger rutine for allergimerking",
]
TITLES = [
    "Legemiddelhåndtering",
    "Håndhygiene",
    "Brannvern",
    "Informasjonssikkerhet",
    "Smittevern",
    "Tvangstiltak",
    "Opplæring av nyansatte",
    "Kjemikaliehåndtering",
    "Vold og trusler",
    "Dokumentasjon i journal",
    "Beredskap",
    "Allergi i barnehagen",
    "Innkjøp",
    "Tilgangsstyring",
    "Forflytning",
]

SEED_SQL = """
WITH docs AS (
    SELECT gen_random_uuid() AS id, g,
           ($2::text[])[1 + floor(random() * cardinality($2::text[]))::int] || ' ' || g AS title,
           ($3::uuid[])[1 + floor(random() * cardinality($3::uuid[]))::int] AS unit
      FROM generate_series($4::int, $5::int) AS g
), inserted AS (
    INSERT INTO document (id, tenant_id, title, kind, owner_unit_id, approver_unit_id, tags, law_references,
                          revision_owner_id, revision_interval_months, status, revision_cycle_started, revision_due,
                          created_by, created_at, updated_at)
    SELECT id, $1, title, 'prosedyre', unit, unit, '{}', '{}', $6, 12, 'active', current_date,
           current_date + 365, $6, now(), now()
      FROM docs
    RETURNING id, title
)
INSERT INTO document_version (id, tenant_id, document_id, number, title, content, significant, status, author_id,
                              created_at, updated_at, published_at)
SELECT gen_random_uuid(), $1, i.id, n, i.title,
       (SELECT string_agg(($7::text[])[1 + floor(random() * cardinality($7::text[]))::int], '. ')
          FROM generate_series(1, 12 + n * 0) AS s),
       true, CASE WHEN n = 5 THEN 'published' ELSE 'superseded' END, $6, now(), now(),
       now() - (5 - n) * interval '1 year'
  FROM inserted i, generate_series(1, 5) AS n
"""


async def seed_documents(stack: Stack, tenant_id: uuid.UUID, total: int = 20_000, batch: int = 2_000) -> dict[str, Any]:
    connection = await asyncpg.connect(stack.database_admin_url("documents"))
    try:
        units = [
            r["id"] for r in await connection.fetch("SELECT id FROM replica_org_unit WHERE tenant_id = $1", tenant_id)
        ]
        author = uuid.uuid4()
        started = time.perf_counter()
        for first in range(1, total + 1, batch):
            await connection.execute(
                SEED_SQL, tenant_id, TITLES, units, first, min(first + batch - 1, total), author, SENTENCES
            )
        await connection.execute(
            "UPDATE document d SET published_version_id = v.id FROM document_version v "
            "WHERE v.document_id = d.id AND v.status = 'published' AND d.published_version_id IS NULL"
        )
        await connection.execute("ANALYZE document; ANALYZE document_version")
        return {
            "documents": await connection.fetchval("SELECT count(*) FROM document WHERE tenant_id = $1", tenant_id),
            "versions": await connection.fetchval(
                "SELECT count(*) FROM document_version WHERE tenant_id = $1", tenant_id
            ),
            "seconds": round(time.perf_counter() - started, 1),
        }
    finally:
        await connection.close()


async def seed_sector_people(stack: Stack, tenant_id: uuid.UUID, sector_id: uuid.UUID, people: int) -> int:
    """``people`` employees spread over the sector's units, with their names, in the documents service's copy of
    the directory (coverage lists who has not read by name)."""
    connection = await asyncpg.connect(stack.database_admin_url("documents"))
    try:
        await connection.execute(
            """
            WITH RECURSIVE sector AS (
                SELECT id FROM replica_org_unit WHERE id = $2
                UNION SELECT u.id FROM replica_org_unit u JOIN sector s ON u.parent_id = s.id
            ), units AS (SELECT array_agg(id) AS ids FROM sector),
            assigned AS (
                INSERT INTO replica_role_assignment (id, tenant_id, person_id, unit_id, role, changed_at)
                SELECT gen_random_uuid(), $1, gen_random_uuid(), units.ids[1 + g % cardinality(units.ids)], 'ansatt',
                       now()
                  FROM units, generate_series(1, $3) AS g
                RETURNING person_id
            )
            INSERT INTO replica_person (id, tenant_id, name, changed_at)
            SELECT person_id, $1, 'Ansatt ' || left(md5(person_id::text), 8), now() FROM assigned
            """,
            tenant_id,
            sector_id,
            people,
        )
        await connection.execute("ANALYZE replica_role_assignment; ANALYZE replica_person")
        return int(
            await connection.fetchval(
                """
                WITH RECURSIVE sector AS (
                    SELECT id FROM replica_org_unit WHERE id = $1
                    UNION SELECT u.id FROM replica_org_unit u JOIN sector s ON u.parent_id = s.id
                )
                SELECT count(DISTINCT person_id) FROM replica_role_assignment WHERE unit_id IN (SELECT id FROM sector)
                """,
                sector_id,
            )
        )
    finally:
        await connection.close()


def search(stack: Stack, token: str) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for word in ("legemidler", "håndhygiene brannøvelse", "taushetsplikten", "kommuneoverlegen smitteutbrudd"):
        load = run_load(
            "127.0.0.1",
            stack.config.gateway_port,
            f"{API}/search?q={httpx.URL('', params={'q': word}).query.decode()[2:]}&limit=20",
            {"authorization": f"Bearer {token}"},
            2,
            5.0,
        )
        results[f"search '{word}'"] = {k: load[k] for k in ("requests_per_s", "p50_ms", "p95_ms", "p99_ms", "errors")}
    return results


def publish_to_many(
    stack: Stack, author: str, approver: str, sector_id: str, expected: int
) -> tuple[dict[str, Any], str]:
    """A procedure for the sector, its audience the whole sector; the approval is timed, then the requests."""
    with httpx.Client(base_url=stack.gateway_url, timeout=60) as client:
        created = client.post(
            API,
            json={"title": "Beredskap i sektoren", "owner_unit_id": sector_id, "content": "# Beredskap\nLes denne."},
            headers={"authorization": f"Bearer {author}"},
        ).json()
        document_id, version_id = created["id"], created["versions"][0]["id"]
        client.put(
            f"{API}/{document_id}/audience",
            json={"entries": [{"unit_id": sector_id}]},
            headers={"authorization": f"Bearer {author}"},
        ).raise_for_status()
        client.post(
            f"{API}/{document_id}/versions/{version_id}/submit", headers={"authorization": f"Bearer {author}"}
        ).raise_for_status()
        started = time.perf_counter()
        response = client.post(
            f"{API}/{document_id}/versions/{version_id}/approve", headers={"authorization": f"Bearer {approver}"}
        )
        returned_ms = (time.perf_counter() - started) * 1000
        response.raise_for_status()

    async def count() -> int:
        connection = await asyncpg.connect(stack.database_admin_url("documents"))
        try:
            return int(
                await connection.fetchval(
                    "SELECT count(*) FROM reading_request WHERE version_id = $1", uuid.UUID(version_id)
                )
            )
        finally:
            await connection.close()

    while (found := asyncio.run(count())) < expected and time.perf_counter() - started < 30:
        time.sleep(0.05)
    all_exist_ms = (time.perf_counter() - started) * 1000

    async def notified() -> int:
        connection = await asyncpg.connect(stack.database_admin_url("notifications"))
        try:
            return int(
                await connection.fetchval(
                    "SELECT count(*) FROM notification WHERE subject_id = $1 AND kind = 'document.to_read'",
                    uuid.UUID(document_id),
                )
            )
        finally:
            await connection.close()

    # The readers' notifications follow through Kafka; the coverage is measured once they are all in.
    while (told := asyncio.run(notified())) < expected and time.perf_counter() - started < 180:
        time.sleep(0.5)
    return (
        {
            "audience": expected,
            "approve_request_ms": round(returned_ms, 1),
            "reading_requests": found,
            "all_requests_exist_after_ms": round(all_exist_ms, 1),
            "readers_notified": told,
            "all_readers_notified_after_s": round(time.perf_counter() - started, 1),
        },
        document_id,
    )


def coverage(stack: Stack, token: str, document_id: str, sector_id: str) -> dict[str, Any]:
    load = run_load(
        "127.0.0.1",
        stack.config.gateway_port,
        f"{API}/{document_id}/coverage?unit_id={sector_id}",
        {"authorization": f"Bearer {token}"},
        2,
        5.0,
    )
    return {k: load[k] for k in ("requests_per_s", "p50_ms", "p95_ms", "p99_ms", "errors")}


async def seed_sector_reading(
    stack: Stack, tenant_id: uuid.UUID, sector_id: uuid.UUID, documents: int
) -> tuple[int, str]:
    """Every person of the sector asked to read ``documents`` documents in force, three in five confirmed; with
    the count, the sector's unit holding most of its people (a virksomhet)."""
    connection = await asyncpg.connect(stack.database_admin_url("documents"))
    try:
        await connection.execute(
            """
            WITH RECURSIVE sector AS (
                SELECT id FROM replica_org_unit WHERE id = $2
                UNION SELECT u.id FROM replica_org_unit u JOIN sector s ON u.parent_id = s.id
            ), readers AS (
                SELECT DISTINCT person_id FROM replica_role_assignment WHERE unit_id IN (SELECT id FROM sector)
            ), docs AS (
                SELECT id, published_version_id FROM document
                 WHERE tenant_id = $1 AND published_version_id IS NOT NULL ORDER BY id LIMIT $3
            )
            INSERT INTO reading_request (version_id, person_id, tenant_id, document_id, requested_at, due_on,
                                         confirmed_at)
            SELECT d.published_version_id, r.person_id, $1, d.id, now() - interval '20 days', current_date - 6,
                   CASE WHEN random() < 0.6 THEN now() - interval '10 days' END
              FROM docs d CROSS JOIN readers r
            ON CONFLICT DO NOTHING
            """,
            tenant_id,
            sector_id,
            documents,
        )
        await connection.execute("VACUUM ANALYZE reading_request")
        requests = await connection.fetchval("SELECT count(*) FROM reading_request WHERE tenant_id = $1", tenant_id)
        largest = await connection.fetchval(
            """
            SELECT ra.unit_id FROM replica_role_assignment ra JOIN replica_org_unit u ON u.id = ra.unit_id
             WHERE u.parent_id = $1 GROUP BY ra.unit_id ORDER BY count(*) DESC LIMIT 1
            """,
            sector_id,
        )
        return int(requests), str(largest)
    finally:
        await connection.close()


def overview(stack: Stack, token: str, unit_id: str) -> dict[str, Any]:
    load = run_load(
        "127.0.0.1",
        stack.config.gateway_port,
        f"{API}/reading-coverage?unit_id={unit_id}",
        {"authorization": f"Bearer {token}"},
        2,
        5.0,
    )
    return {k: load[k] for k in ("requests_per_s", "p50_ms", "p95_ms", "p99_ms", "errors")}
