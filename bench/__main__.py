"""``make bench``: gateway overhead, report-to-notification latency, memory and start-up time, and the services at
scale, as JSON: one document per section, printed as soon as the section is measured, with its targets and
whether they are met (``bench/targets.py``); a last ``summary`` document lists every figure below its target.
``python -m bench documents risk`` measures only the sections named.

Everything is measured in this one run, on the stack ``make run`` starts (embedded PostgreSQL, Tansu, every
service and the gateway as processes), with its own temporary data folder.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import psutil

from bench import broker, deviations, documents, retention, risk, web
from bench.deviations import InternalToken
from bench.load import loader_ceiling, percentile, run_load
from bench.process_cpu import settle
from bench.targets import verdicts
from varde_common.identity import InternalTokenSigner
from varde_common.testing.oidc import LocalOpenIdProvider
from varde_devstack.__main__ import stack_memory_bytes
from varde_devstack.stack import Stack, StackConfig
from varde_gateway.ratepolicies import scaled_policies_json

CHEAP_GET = "/api/v1/notifications?limit=1"
LOAD_SECONDS = 8.0


BENCH_EMAIL_DOMAIN = "@bench.kommune.no"
"""The people of the bench's own HR file: in the directory, but with no sign-in identity, so never an actor."""


def demo_person(stack: Stack, role: str) -> tuple[dict[str, Any], str]:
    """The first demo person of Hustadvika (by name) holding ``role``, and the unit they hold it in. After the HR
    import section the directory also lists the file's 6 000 people ("Ansatt 0" sorts first), and a token for
    one of them is refused as person-not-in-kommune: they are skipped."""
    people = httpx.get(stack.gateway_url + "/dev/people").json()
    return next(
        (p, r["unit_id"])
        for p in people
        if p["tenant"] == "hustadvika" and not p["email"].endswith(BENCH_EMAIL_DOMAIN)
        for r in p["roles"]
        if r["role"] == role
    )


def dev_token(stack: Stack, role: str) -> tuple[str, dict[str, Any]]:
    holder, _ = demo_person(stack, role)
    response = httpx.post(stack.gateway_url + "/dev/token", json={"tenant": "hustadvika", "email": holder["email"]})
    return str(response.json()["access_token"]), holder


def leader_tokens(stack: Stack) -> tuple[str, InternalToken, str]:
    """An external token (through the gateway), the internal one the gateway would pass to a service (made when
    asked for: internal tokens are for one service and live five minutes), and a unit id."""
    external, leader = dev_token(stack, "virksomhetsleder")
    headers = {"authorization": f"Bearer {external}"}
    me = httpx.get(stack.gateway_url + "/api/v1/directory/me", headers=headers).json()
    tenant = httpx.get(stack.gateway_url + "/api/v1/directory/tenant", headers=headers).json()
    assert stack.keys is not None
    signer = InternalTokenSigner(stack.keys.internal_private.read_text())

    def internal(service: str) -> str:
        return signer.for_person(
            to=service,
            tenant_id=uuid.UUID(tenant["id"]),
            tenant_slug=tenant["slug"],
            person_id=uuid.UUID(me["id"]),
            not_after=int(time.time()) + signer.ttl_s,
        )

    unit = next(r["unit_id"] for r in leader["roles"] if r["role"] == "virksomhetsleder")
    return external, internal, unit


def token_check_cost(stack: Stack, external: str) -> dict[str, Any]:
    """The same authenticated call through three gateways on the same services, in one run."""
    gateways = {
        "check_off": {"VARDE_VERIFY_TOKEN_SIGNATURES": "false", "VARDE_TOKEN_CACHE": "false"},
        "full_check_every_request": {"VARDE_TOKEN_CACHE": "false"},
        "full_check_then_cached": {},
    }
    headers = {"authorization": f"Bearer {external}"}
    results: dict[str, Any] = {
        "request": f"GET {CHEAP_GET} through the gateway, EdDSA token of the kommune's provider",
        "note": "check_off skips signature and claim checks (VARDE_ENV=dev only); the person lookup stays cached",
    }
    for name, overrides in gateways.items():
        url = stack.start_extra_gateway(f"gateway-{name}", overrides)
        port = int(url.rsplit(":", 1)[1])
        process = psutil.Process(stack.processes[f"gateway-{name}"].pid)
        results[name] = {}
        run_load("127.0.0.1", port, CHEAP_GET, headers, 8, 1.0, warmup_s=0)  # warm: pools, caches, imports
        for connections in (1, 8):
            cpu_before = sum(process.cpu_times()[:2])
            load = run_load("127.0.0.1", port, CHEAP_GET, headers, connections, LOAD_SECONDS, warmup_s=0)
            # The gateway process's own CPU per request: what the check costs, whatever the service behind it.
            load["gateway_cpu_us_per_request"] = round(
                (sum(process.cpu_times()[:2]) - cpu_before) / load["requests"] * 1e6
            )
            results[name][f"c{connections}"] = load
        stack.stop_process(f"gateway-{name}")
    for name in ("full_check_every_request", "full_check_then_cached"):
        for level in ("c1", "c8"):
            off, on = results["check_off"][level], results[name][level]
            on["throughput_cost_vs_check_off"] = round(1 - on["requests_per_s"] / off["requests_per_s"], 3)
            on["added_gateway_cpu_us"] = on["gateway_cpu_us_per_request"] - off["gateway_cpu_us_per_request"]
    return results


def large_kommune_export(root_key: str, units_n: int = 300, people_n: int = 6000) -> dict[str, Any]:
    """Five sectors, 54 virksomheter and their departments under the kommune's top unit, 6 000 employees."""
    units: list[dict[str, Any]] = []
    for index in range(units_n):
        if index < 5:
            parent, unit_type = root_key, "kommunalsjefsomrade"
        elif index < 59:
            parent, unit_type = f"B{index % 5}", "virksomhet"
        else:
            parent, unit_type = f"B{5 + index % 54}", "avdeling"
        units.append({"key": f"B{index}", "name": f"Enhet {index}", "unit_type": unit_type, "parent": parent})
        units[-1]["leader"] = f"BP{index}"
    people = [
        {
            "employee_number": f"BP{n}",
            "name": f"Ansatt {n}",
            "email": f"ansatt.{n}{BENCH_EMAIL_DOMAIN}",
            "roles": [] if n < units_n else [{"role": "ansatt", "unit": f"B{n % units_n}"}],
        }
        for n in range(people_n)
    ]
    return {"units": units, "people": people}


def hr_import(stack: Stack) -> dict[str, Any]:
    """An HR export of a large kommune's organisation through the gateway: dry run, apply, the same file again."""
    admin, _ = dev_token(stack, "systemadministrator")
    headers = {"authorization": f"Bearer {admin}", "content-type": "application/json"}
    body = json.dumps(large_kommune_export("HU-1")).encode()
    results: dict[str, Any] = {"file": {"units": 300, "people": 6000, "bytes": len(body)}}
    for label, query in (("dry_run", "?dry_run=true"), ("apply", ""), ("same_file_again", "")):
        started = time.perf_counter()
        response = httpx.post(
            stack.gateway_url + "/api/v1/directory/imports" + query, content=body, headers=headers, timeout=120
        )
        assert response.status_code == 200, response.text
        results[label] = {
            "seconds": round(time.perf_counter() - started, 2),
            "changes": len(response.json()["changes"]),
        }
    # Every service's copy of the directory takes in the 12 000 changes after the answer; until then the next
    # section would measure a stack busy with them (seen: no notification within two minutes of a report).
    started = time.perf_counter()
    asyncio.run(stack.wait_for_replicas(timeout_s=600))
    results["copies_caught_up_s"] = round(time.perf_counter() - started, 1)
    return results


async def jwks_flood(stack: Stack, seconds: float = 25.0) -> dict[str, Any]:
    """Tokens with made-up key ids, as fast as the gateway answers, against a kommune's real provider set-up."""
    oidc = LocalOpenIdProvider().start()
    try:
        admin, _ = dev_token(stack, "systemadministrator")
        async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=10) as client:
            created = await client.post(
                "/api/v1/directory/identity-providers",
                json={
                    "name": "Benchmark-IdP",
                    "kind": "oidc",
                    "issuer": oidc.issuer,
                    "audience": "varde-bench",
                    "jwks_url": oidc.jwks_url,
                },
                headers={"authorization": f"Bearer {admin}"},
            )
            assert created.status_code == 201, created.text
            known = oidc.token(audience="varde-bench", subject="bench")
            deadline = time.monotonic() + 40
            while (await client.get(CHEAP_GET, headers={"authorization": f"Bearer {known}"})).status_code == 401:
                assert time.monotonic() < deadline, "the gateway did not pick up the provider"
                await asyncio.sleep(0.5)
            before = oidc.jwks_fetches
            sent = 0
            stop_at = time.monotonic() + seconds

            async def flood() -> None:
                nonlocal sent
                while time.monotonic() < stop_at:
                    token = oidc.token(audience="varde-bench", subject="bench", kid=uuid.uuid4().hex)
                    response = await client.get(CHEAP_GET, headers={"authorization": f"Bearer {token}"})
                    assert response.status_code == 401
                    sent += 1

            await asyncio.gather(*(flood() for _ in range(16)))
        fetches = oidc.jwks_fetches - before
        return {
            "seconds": seconds,
            "tokens_with_unknown_key_ids": sent,
            "jwks_fetches": fetches,
            "fetches_per_10_s": round(fetches / seconds * 10, 2),
        }
    finally:
        oidc.stop()


def gateway_overhead(stack: Stack, external: str, internal: InternalToken) -> dict[str, Any]:
    port = stack.config.service_ports["notifications"]
    results: dict[str, Any] = {"request": f"GET {CHEAP_GET} (authenticated inbox poll, one indexed query)"}
    for connections in (1, 32):
        direct = run_load(
            "127.0.0.1",
            port,
            CHEAP_GET,
            {"authorization": f"Bearer {internal('notifications')}"},
            connections,
            LOAD_SECONDS,
        )
        through = run_load(
            "127.0.0.1",
            stack.config.gateway_port,
            CHEAP_GET,
            {"authorization": f"Bearer {external}"},
            connections,
            LOAD_SECONDS,
        )
        results[f"c{connections}"] = {
            "direct": direct,
            "gateway": through,
            "throughput_ratio": round(through["requests_per_s"] / direct["requests_per_s"], 3),
            "added_p50_ms": round(through["p50_ms"] - direct["p50_ms"], 3),
        }
    return results


async def _reports_at_rate(
    client: httpx.AsyncClient, body: dict[str, Any], rate: float, seconds: float
) -> tuple[dict[str, float], int]:
    """Reports sent at ``rate`` for ``seconds``: when each accepted one returned, by id, and how many failed."""
    returned: dict[str, float] = {}
    failures = 0

    async def one() -> None:
        nonlocal failures
        response = await client.post("/api/v1/deviations", json=body)
        if response.status_code == 201:
            returned[response.json()["id"]] = time.time()
        else:
            failures += 1

    tasks = []
    started = time.perf_counter()
    for i in range(int(rate * seconds)):
        await asyncio.sleep(max(0.0, started + i / rate - time.perf_counter()))
        tasks.append(asyncio.create_task(one()))
    await asyncio.gather(*tasks)
    return returned, failures


async def _notified_after(stack: Stack, returned: dict[str, float]) -> list[float]:
    """For each report, the milliseconds from its POST returning to its notification row being written."""
    connection = await asyncpg.connect(stack.database_admin_url("notifications"))
    try:
        deadline = time.monotonic() + 60
        while True:
            rows = await connection.fetch(
                "SELECT subject_id, created_at FROM notification WHERE subject_id = ANY($1::uuid[])", list(returned)
            )
            if len(rows) >= len(returned) or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.2)
    finally:
        await connection.close()
    return [(row["created_at"].timestamp() - returned[str(row["subject_id"])]) * 1000 for row in rows]


async def report_to_notification(
    stack: Stack, external: str, unit_id: str, rate: float, seconds: float, warmup_s: float = 5.0
) -> dict[str, Any]:
    """Reports at ``rate``, after ``warmup_s`` at the same rate whose figures are given apart: the first reports
    after a start meet cold pools and caches in every process of the chain (measured: the first five seconds
    after a start had p99 1.5–2 s on a two-core machine, the seconds after them under 100 ms)."""
    headers = {"authorization": f"Bearer {external}"}
    body = {"title": "Målt avvik", "description": "Last", "unit_id": unit_id, "occurred_at": "2026-11-01T10:00:00Z"}
    async with httpx.AsyncClient(base_url=stack.gateway_url, headers=headers, timeout=10) as client:
        first, _ = await _reports_at_rate(client, body, rate, warmup_s)
        returned, failures = await _reports_at_rate(client, body, rate, seconds)
    cold = await _notified_after(stack, first)
    latencies = await _notified_after(stack, returned)
    return {
        "rate_per_s": rate,
        "seconds": seconds,
        "reports": len(returned),
        "failed_posts": failures,
        "notifications": len(latencies),
        "p50_ms": round(statistics.median(latencies), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "max_ms": round(max(latencies), 1),
        "measured": "from the POST returning to the notification row being written (created_at)",
        "warmup_before_it": {
            "seconds": warmup_s,
            "p50_ms": round(statistics.median(cold), 1) if cold else None,
            "p99_ms": round(percentile(cold, 0.99), 1) if cold else None,
        },
    }


def idle_memory(stack: Stack, seconds: float = 5) -> dict[str, Any]:
    samples = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        samples.append(stack_memory_bytes(stack))
        time.sleep(0.5)
    return {"peak_mib": round(max(samples) / 1_048_576), "processes": len(stack.processes) + 2}


def deviations_at_scale(stack: Stack, external: str, internal: InternalToken, unit: str) -> dict[str, Any]:
    print("Måler avvik meldt per sekund…", file=sys.stderr)
    results: dict[str, Any] = {"reports_per_s": deviations.report_rate(stack, external, internal, unit)}
    tenant_id = uuid.UUID(
        httpx.get(
            stack.gateway_url + "/api/v1/directory/tenant", headers={"authorization": f"Bearer {external}"}
        ).json()["id"]
    )
    print("Fyller inn 1 000 000 avvik…", file=sys.stderr)
    results["seeded"] = asyncio.run(deviations.seed(stack, tenant_id))
    quality, _ = dev_token(stack, "kvalitetsradgiver")
    print("Måler lister og søk over en million avvik…", file=sys.stderr)
    results["lists_over_a_million"] = deviations.lists_at_scale(stack, {"leader": external, "quality": quality})
    results["search_costs"] = asyncio.run(deviations.search_costs(stack))
    return results


def documents_at_scale(stack: Stack) -> dict[str, Any]:
    """Issue 5's figures: search over 20 000 documents, publishing to 5 000 people, a sector's coverage, and the
    sector leader's overview of 300 documents × 5 000 readers."""
    author, _ = dev_token(stack, "kvalitetsradgiver")
    headers = {"authorization": f"Bearer {author}"}
    tenant_id = uuid.UUID(httpx.get(stack.gateway_url + "/api/v1/directory/tenant", headers=headers).json()["id"])
    approver, chief = dev_token(stack, "kommunalsjef")
    sector_id = next(r["unit_id"] for r in chief["roles"] if r["role"] == "kommunalsjef")
    print("Fyller inn 20 000 dokumenter med 5 versjoner…", file=sys.stderr)
    results: dict[str, Any] = {"seeded": asyncio.run(documents.seed_documents(stack, tenant_id))}
    print("Måler søk…", file=sys.stderr)
    results["search_over_20000_documents"] = documents.search(stack, author)
    print("Legger 5 000 ansatte i en sektor og publiserer til dem…", file=sys.stderr)
    audience = asyncio.run(documents.seed_sector_people(stack, tenant_id, uuid.UUID(sector_id), 5_000))
    published, document_id = documents.publish_to_many(stack, author, approver, sector_id, audience)
    results["publish_to_a_sector"] = published
    results["coverage_of_the_sector"] = documents.coverage(stack, approver, document_id, sector_id)
    # Measured again once the burst's after-effects (autovacuum of 5 000 new rows in three databases) are over.
    time.sleep(30)
    results["coverage_of_the_sector_30s_later"] = documents.coverage(stack, approver, document_id, sector_id)
    print("Ber sektoren lese 300 dokumenter og måler lederens oversikt…", file=sys.stderr)
    requests, unit_id = asyncio.run(documents.seed_sector_reading(stack, tenant_id, uuid.UUID(sector_id), 300))
    results["overview_of_the_sector"] = {"reading_requests": requests, **documents.overview(stack, approver, sector_id)}
    results["overview_of_its_largest_unit"] = documents.overview(stack, approver, unit_id)
    return results


def risk_at_scale(stack: Stack) -> dict[str, Any]:
    """Issue 6's figures: the risk picture of a kommune with 2 000 assessments and 20 000 risks (JSON and SVG)."""
    token, _ = dev_token(stack, "kommunedirektor")
    headers = {"authorization": f"Bearer {token}"}
    tenant_id = uuid.UUID(httpx.get(stack.gateway_url + "/api/v1/directory/tenant", headers=headers).json()["id"])
    print("Fyller inn 2 000 ROS-analyser med 20 000 risikoer…", file=sys.stderr)
    seeded = asyncio.run(risk.seed(stack, tenant_id))
    root = asyncio.run(risk.top_unit(stack, tenant_id))
    print("Måler risikobildet…", file=sys.stderr)
    return {"seeded": seeded, **risk.pictures(stack, token, root, seeded["one_assessment"])}


def broker_log(stack: Stack) -> dict[str, Any]:
    def measure(on: Stack) -> dict[str, Any]:
        external, _, unit = leader_tokens(on)
        return asyncio.run(report_to_notification(on, external, unit, 20, 20))

    return broker.broker_log(stack, measure)


Section = Callable[[Stack, float], dict[str, Any]]


def _stack_figures(stack: Stack, ready_s: float) -> dict[str, Any]:
    return {
        "machine": {"cores": os.cpu_count()},
        "startup": {
            "ready_s": round(ready_s, 1),
            "note": "fresh data folder: initdb, migrations, 8 processes, demo load; make run adds uv sync",
        },
        "idle_memory": idle_memory(stack),
    }


def _load_generator(stack: Stack, ready_s: float) -> dict[str, Any]:
    return {
        "tool": "bench/load.py: closed-loop HTTP/1.1 on raw uvloop streams, in its own process",
        "ceiling_c32": loader_ceiling(32, 4),
    }


def _gateway_overhead(stack: Stack, ready_s: float) -> dict[str, Any]:
    external, internal, _ = leader_tokens(stack)
    return gateway_overhead(stack, external, internal)


def _token_check(stack: Stack, ready_s: float) -> dict[str, Any]:
    external, _, _ = leader_tokens(stack)
    return token_check_cost(stack, external)


def _report_to_notification(stack: Stack, ready_s: float) -> dict[str, Any]:
    external, _, unit = leader_tokens(stack)
    return asyncio.run(report_to_notification(stack, external, unit, 20, 30))


def _deviations(stack: Stack, ready_s: float) -> dict[str, Any]:
    return deviations_at_scale(stack, *leader_tokens(stack))


def _reports(stack: Stack, ready_s: float) -> dict[str, Any]:
    return deviations.report_rate(stack, *leader_tokens(stack))


SECTIONS: dict[str, tuple[str, Section]] = {
    "stack": ("Måler oppstart og minne…", _stack_figures),
    "load_generator": ("Måler lastgeneratorens tak…", _load_generator),
    "gateway_overhead": ("Måler gatewayen…", _gateway_overhead),
    "token_check": ("Måler hva tokensjekken koster…", _token_check),
    "jwks_flood": ("Måler JWKS under en flom av ukjente nøkler…", lambda stack, _: asyncio.run(jwks_flood(stack))),
    "web": ("Måler sidene i nettleseren på demodataene…", lambda stack, _: web.measure(stack)),
    "hr_import": ("Måler HR-import av en stor kommune…", lambda stack, _: hr_import(stack)),
    "report_to_notification": ("Måler tid fra melding til varsel…", _report_to_notification),
    "deviations": ("Måler avvik i stor skala…", _deviations),
    "documents": ("Måler dokumenter i stor skala…", lambda stack, _: documents_at_scale(stack)),
    "risk": ("Måler risikobildet i stor skala…", lambda stack, _: risk_at_scale(stack)),
    "retention": (
        "Måler utboksen og innboksen med en million rader…",
        lambda stack, _: retention.at_scale(stack.admin_url),
    ),
    "broker": ("Måler meglerens logg i minnet mot et S3-lager…", lambda stack, _: broker_log(stack)),
}
ALONE: dict[str, tuple[str, Section]] = {"reports": ("Måler avvik meldt per sekund…", _reports)}
"""Sections only run when asked for by name (the full run measures the same inside ``deviations``)."""


def emit(document: dict[str, Any]) -> None:
    """One JSON document on stdout, at once: what a section measured survives whatever comes after it."""
    print(json.dumps(document, indent=2, ensure_ascii=False), flush=True)


def run_section(name: str, stack: Stack, ready_s: float) -> list[dict[str, Any]]:
    """Measure one section and print its figures with its targets; a failure is printed and the run goes on."""
    announcement, measure = {**SECTIONS, **ALONE}[name]
    print(announcement, file=sys.stderr, flush=True)
    settle(stack.config.var_dir)  # what the section before set going has run its course
    started = time.monotonic()
    try:
        figures = measure(stack, ready_s)
    except Exception as exc:  # one broken section must not silence the ones after it
        emit(
            {"section": name, "seconds": round(time.monotonic() - started, 1), "error": f"{type(exc).__name__}: {exc}"}
        )
        return verdicts(name, {})
    targets = verdicts(name, figures)
    emit({"section": name, "seconds": round(time.monotonic() - started, 1), "figures": figures, "targets": targets})
    for missed in (t for t in targets if not t["met"]):
        print(f"Under målet: {name}: {missed['figure']} = {missed['value']} (mål {missed['target']})", file=sys.stderr)
    return targets


def main() -> None:
    """``python -m bench [section …]``: every section by default, in the order of ``SECTIONS``."""
    only = sys.argv[1:]
    unknown = [name for name in only if name not in SECTIONS and name not in ALONE]
    if unknown:
        raise SystemExit(f"unknown section(s) {unknown}; known: {[*SECTIONS, *ALONE]}")
    print("Starter stakken for måling…", file=sys.stderr, flush=True)
    missed: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="varde-bench-") as folder:
        started = time.monotonic()
        # One person sends hundreds of reports a second here: the quotas are raised, and still counted (their cost
        # stays in the figures).
        limits = {"VARDE_RATE_LIMITS": scaled_policies_json(1000)}
        stack = Stack(StackConfig.with_free_ports(Path(folder), extra_env=limits))
        stack.start()
        ready_s = time.monotonic() - started
        try:
            for name in only or list(SECTIONS):
                missed += [{"section": name, **t} for t in run_section(name, stack, ready_s) if not t["met"]]
        finally:
            stack.stop()
    emit({"section": "summary", "below_target": missed})


if __name__ == "__main__":
    main()
