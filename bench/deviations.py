"""Deviations at scale: reports created per second through the gateway, and the lists a leader opens over
1 000 000 cases (100 000 in one kommune).

The cases are written straight into the deviations database by SQL (a bench needs volume, not the workflow),
with realistic spread: three years, every unit of the kommune, Norwegian text from a small vocabulary so that a
search word hits a few per cent of the cases, as real words do.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import asyncpg
import orjson

from bench.load import run_load
from bench.process_cpu import cpu_per_unit
from varde_devstack.stack import Stack

# An internal token for a service, made when asked for (as the gateway makes one per service and request).
InternalToken = Callable[[str], str]

REPORTS = "/api/v1/deviations"
LOAD_SECONDS = 8.0

PHRASES = [
    "Beboer falt i korridoren på vei til spisesalen",
    "Feil dose av legemiddel ble gitt ved kveldsmedisinering",
    "Pasientjournal sendt til feil mottaker på e-post",
    "Elev ble skadet i gymsalen under ballspill",
    "Manglende dobbeltkontroll av insulin",
    "Trusler mot ansatt ved hjemmetjenesten",
    "Brannalarm uten varsling til vakthavende",
    "Glatt inngangsparti etter snøfall",
    "Vannlekkasje i kjelleren ved barnehagen",
    "Bruker forsvant fra avdelingen om natten",
    "Ventetid på hjelpemidler ble for lang",
    "PC med personopplysninger ble borte på bussen",
    "Stikkskade ved håndtering av kanyle",
    "Matservering uten allergimerking",
    "Trykksår oppdaget hos sengeliggende beboer",
    "Bemanning under minimum på nattevakt",
    "Tilgang til fagsystem ikke fjernet etter sluttdato",
    "Avfall sortert feil ved kjøkkenet",
    "Feil i fakturering av foreldrebetaling",
    "Rutine for legemiddelhåndtering ikke fulgt",
    "Personløfter var defekt og ikke merket",
    "Epikrise manglet ved utskrivning fra sykehus",
    "Kjemikalier oppbevart ulåst på vaskerommet",
    "Skolebuss kom ikke, elever ventet ute i kulda",
    "Vold mellom elever i friminuttet",
    "Samhandling med fastlege sviktet",
    "Dokumentasjon av tvangstiltak manglet",
    "Smittevernrutine ikke fulgt ved utbrudd",
    "Nøkkelkort til medisinrom var borte",
    "Tjenestevedtak ble ikke fulgt opp",
]
AREAS = ["hms", "pasient_brukersikkerhet", "informasjonssikkerhet", "tjenestekvalitet", "miljo", "okonomi"]
STATUSES = ["registered", "under_treatment", "measures", "closed", "closed", "closed", "rejected"]
KINDS = ["avvik", "uonsket_hendelse", "nestenuhell", "forbedringsforslag"]

SEED_SQL = """
INSERT INTO deviation (
    id, tenant_id, kind, area, title, description, occurred_at, unit_id, location, immediate_action,
    actual_consequence, potential_consequence, severity, personal_data_breach, anonymous, reported_by, status,
    handling_unit_id, assignee_id, acknowledge_due_at, acknowledged_at, reported_at, updated_at
)
SELECT gen_random_uuid(),
       CASE WHEN g % 10 = 0 THEN $1::uuid ELSE ($2::uuid[])[1 + (g % 9)] END,
       ($3::text[])[1 + floor(random() * 4)::int],
       ($4::text[])[1 + floor(random() * 6)::int],
       ($5::text[])[1 + floor(random() * 30)::int],
       ($5::text[])[1 + floor(random() * 30)::int] || '. ' || ($5::text[])[1 + floor(random() * 30)::int] || '.',
       ts - interval '2 hours',
       unit, NULL, NULL,
       actual, potential, greatest(actual, potential), false, false,
       ($7::uuid[])[1 + floor(random() * cardinality($7::uuid[]))::int],
       ($8::text[])[1 + floor(random() * 7)::int],
       unit, NULL, NULL, NULL, ts, ts
  FROM generate_series($9::bigint, $10::bigint) AS g,
       LATERAL (
           SELECT now() - random() * interval '1095 days' AS ts,
                  CASE WHEN g % 10 = 0 THEN ($6::uuid[])[1 + floor(random() * cardinality($6::uuid[]))::int]
                       ELSE gen_random_uuid() END AS unit,
                  1 + floor(random() * 5)::int AS actual,
                  1 + floor(random() * 5)::int AS potential
       ) AS t
"""


async def seed(stack: Stack, tenant_id: uuid.UUID, total: int = 1_000_000, batch: int = 100_000) -> dict[str, Any]:
    """``total`` cases, one in ten in the given kommune (spread over its units), the rest in nine others."""
    connection = await asyncpg.connect(stack.database_admin_url("deviations"))
    try:
        units = [
            r["id"] for r in await connection.fetch("SELECT id FROM replica_org_unit WHERE tenant_id = $1", tenant_id)
        ]
        reporters = [uuid.uuid4() for _ in range(2000)]
        others = [uuid.uuid4() for _ in range(9)]
        started = time.perf_counter()
        for first in range(1, total + 1, batch):
            await connection.execute(
                SEED_SQL,
                tenant_id,
                others,
                KINDS,
                AREAS,
                PHRASES,
                units,
                reporters,
                STATUSES,
                first,
                min(first + batch - 1, total),
            )
        await connection.execute("ANALYZE deviation")
        in_kommune = await connection.fetchval("SELECT count(*) FROM deviation WHERE tenant_id = $1", tenant_id)
        return {
            "cases": await connection.fetchval("SELECT count(*) FROM deviation"),
            "in_the_kommune": in_kommune,
            "units_in_the_kommune": len(units),
            "seconds": round(time.perf_counter() - started, 1),
        }
    finally:
        await connection.close()


def report_rate(stack: Stack, external: str, internal: InternalToken, unit_id: str) -> dict[str, Any]:
    """POST /api/v1/deviations: straight to the service (the baseline), through the gateway with its token
    cache (as deployed), and through a gateway that checks the token's signature and claims on every request."""
    body = orjson.dumps(
        {
            "title": "Målt avvik",
            "description": "Beboer falt i korridoren; målt under last.",
            "unit_id": unit_id,
            "occurred_at": "2026-11-01T10:00:00+01:00",
            "area": "pasient_brukersikkerhet",
            "actual_consequence": 2,
        }
    )
    json_type = {"content-type": "application/json"}
    every_request = stack.start_extra_gateway("gateway-every-request", {"VARDE_TOKEN_CACHE": "false"})
    targets = {
        "direct_to_service": (stack.config.service_ports["deviations"], f"Bearer {internal('deviations')}"),
        "gateway": (stack.config.gateway_port, f"Bearer {external}"),
        "gateway_full_check_every_request": (int(every_request.rsplit(":", 1)[1]), f"Bearer {external}"),
    }
    results: dict[str, Any] = {"request": "POST /api/v1/deviations (one report, assigned, 2 events in the outbox)"}
    try:
        for connections in (8, 32):
            level: dict[str, Any] = {}
            for name, (port, authorization) in targets.items():
                level[name] = run_load(
                    "127.0.0.1",
                    port,
                    REPORTS,
                    {"authorization": authorization, **json_type},
                    connections,
                    LOAD_SECONDS,
                    method="POST",
                    body=body,
                )
            if connections == 8:
                # The same load once more, counting what every process spends on a report until the chain is quiet.
                _, level["cpu_per_report"] = cpu_per_unit(
                    stack.config.var_dir,
                    lambda: run_load(
                        "127.0.0.1",
                        stack.config.gateway_port,
                        REPORTS,
                        {"authorization": f"Bearer {external}", **json_type},
                        8,
                        LOAD_SECONDS,
                        method="POST",
                        body=body,
                    ),
                    lambda load: int(load["requests"]),
                )
            base = level["direct_to_service"]["requests_per_s"]
            for name in ("gateway", "gateway_full_check_every_request"):
                level[name]["ratio_to_direct"] = round(level[name]["requests_per_s"] / base, 3)
            results[f"c{connections}"] = level
    finally:
        stack.stop_process("gateway-every-request")
    return results


def lists_at_scale(stack: Stack, tokens: dict[str, str]) -> dict[str, Any]:
    """The first page a leader opens and a search, through the gateway, over the seeded million."""
    queries = {
        "unit_list_first_page (virksomhetsleder)": ("leader", f"{REPORTS}?view=unit&limit=25"),
        "to_handle_first_page (virksomhetsleder)": ("leader", f"{REPORTS}?view=to_handle&limit=25"),
        "all_first_page (kvalitetsrådgiver, whole kommune)": ("quality", f"{REPORTS}?limit=25"),
        "search 'legemiddel' (kvalitetsrådgiver, whole kommune)": ("quality", f"{REPORTS}?q=legemiddel&limit=25"),
        "search 'korridor' (virksomhetsleder)": ("leader", f"{REPORTS}?q=korridor&limit=25"),
        "search 'medisin', finds medisinrom (kvalitetsrådgiver)": ("quality", f"{REPORTS}?q=medisin&limit=25"),
        "filtered: open, severity ≥ 4, HMS (kvalitetsrådgiver)": (
            "quality",
            f"{REPORTS}?status=registered&status=under_treatment&min_severity=4&area=hms&limit=25",
        ),
    }
    results: dict[str, Any] = {}
    for label, (who, path) in queries.items():
        load = run_load(
            "127.0.0.1",
            stack.config.gateway_port,
            path,
            {"authorization": f"Bearer {tokens[who]}"},
            2,
            5.0,
        )
        results[label] = {k: load[k] for k in ("requests_per_s", "p50_ms", "p95_ms", "p99_ms", "errors")}
    return results


async def search_costs(stack: Stack) -> dict[str, Any]:
    """What the Norwegian dictionaries cost over the seeded cases: the search column's GIN index (built anew) and
    the first search of a new connection, which loads the dictionaries into that server process."""
    connection = await asyncpg.connect(stack.database_admin_url("deviations"))
    try:
        started = time.perf_counter()
        await connection.execute("REINDEX INDEX ix_deviation_search")
        build_s = time.perf_counter() - started
        index_bytes = await connection.fetchval("SELECT pg_relation_size('ix_deviation_search')")
        table_bytes = await connection.fetchval("SELECT pg_table_size('deviation')")
    finally:
        await connection.close()
    first, memory = [], []
    for _ in range(3):
        fresh = await asyncpg.connect(stack.database_admin_url("deviations"))
        try:
            started = time.perf_counter()
            await fresh.fetchval("SELECT to_tsvector('varde_norwegian', 'legemidlene på heimetenesta')")
            first.append((time.perf_counter() - started) * 1000)
            memory.append(
                await fresh.fetchval(
                    "SELECT sum(total_bytes) FROM pg_backend_memory_contexts WHERE name = 'TS dictionary'"
                )
            )
        finally:
            await fresh.close()
    return {
        "gin_index_build_s": round(build_s, 1),
        "gin_index_mib": round(index_bytes / 1_048_576, 1),
        "table_with_search_column_mib": round(table_bytes / 1_048_576, 1),
        "first_search_of_a_connection_ms": [round(ms) for ms in first],
        "dictionary_memory_per_connection_mib": round(float(max(memory)) / 1_048_576, 1),
    }
