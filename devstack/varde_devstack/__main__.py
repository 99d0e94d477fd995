"""``make run``: the whole stack on this machine, with demo kommuner. A process that crashes is started again
(one line says so); Ctrl-C stops everything."""

from __future__ import annotations

import os
import signal
import sys
import time
import traceback
from pathlib import Path

import httpx
import psutil

from varde_devstack.stack import SERVICES, Stack, StackConfig, StartFailed


def _config() -> StackConfig:
    root = Path(os.environ.get("VARDE_VAR_DIR", Path.cwd() / "var")).resolve()
    return StackConfig(
        var_dir=root,
        gateway_port=int(os.environ.get("VARDE_GATEWAY_PORT", "8080")),
        web_port=int(os.environ.get("VARDE_WEB_PORT", "8100")),
        postgres_port=int(os.environ.get("VARDE_EMBEDDED_POSTGRES_PORT", "55432")),
        kafka_port=int(os.environ.get("VARDE_EMBEDDED_KAFKA_PORT", "19092")),
        valkey_port=int(os.environ.get("VARDE_EMBEDDED_VALKEY_PORT", "16379")),
        service_ports={
            name: int(os.environ.get("VARDE_SERVICE_PORTS_FROM", "8101")) + i for i, name in enumerate(SERVICES)
        },
        database_url=os.environ.get("VARDE_DATABASE_URL") or None,
        kafka_bootstrap_servers=os.environ.get("VARDE_KAFKA_BOOTSTRAP_SERVERS") or None,
        rate_limit_storage_url=os.environ.get("VARDE_RATE_LIMIT_STORAGE_URL") or None,
        start_timeout_s=float(os.environ.get("VARDE_START_TIMEOUT_S", "300")),
        load_history=os.environ.get("VARDE_DEMO_HISTORY", "1") != "0",
    )


def stack_memory_bytes(stack: Stack) -> int:
    """Resident memory of every process of the stack (services, gateway, broker, PostgreSQL)."""
    pids = {p.pid for p in stack.processes.values()}
    if stack.broker is not None and stack.broker.pid is not None:
        pids.add(stack.broker.pid)
    total = 0
    for process in psutil.process_iter(["pid", "cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if process.info["pid"] in pids or (stack.postgres and str(stack.postgres.data_dir) in cmdline):
            total += _tree_rss(process)
    return total


def _tree_rss(process: psutil.Process) -> int:
    try:
        return int(process.memory_info().rss)
    except psutil.Error:
        return 0


TRY_IT = """Prøv, som leder for {unit_name} i Hustadvika:
  TOKEN=$(curl -s -X POST {url}/dev/token -H 'content-type: application/json' \\
      -d '{{"tenant": "hustadvika", "email": "{email}"}}' \\
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  curl -s -X POST {url}/api/v1/deviations -H "authorization: Bearer $TOKEN" \\
      -H 'content-type: application/json' \\
      -d '{{"title": "Fall i korridor", "description": "Beboer falt", "unit_id": "{unit_id}",
           "occurred_at": "2026-11-01T10:00:00+01:00"}}'
  curl -s {url}/api/v1/notifications -H "authorization: Bearer $TOKEN"
"""


def _print_welcome(stack: Stack) -> None:
    people = httpx.get(stack.gateway_url + "/dev/people", timeout=5).json()
    url = stack.gateway_url
    print()
    print(f"Varde kjører (klar etter {stack.ready_after_s:.1f} s).")
    print(f"  Nettleser:            {url}/")
    employee = next(
        (p for p in people if p["tenant"] == "hustadvika" and any(r["role"] == "ansatt" for r in p["roles"])), None
    )
    if employee:
        print(f"                        logg inn som {employee['name']} ({employee['email']}), Hustadvika")
    print(f"  API (gateway):        {url}/api/v1/…")
    print(f"  OpenAPI:              {url}/api/v1/openapi.json")
    print(f"  API-dokumentasjon:    {url}/api/v1/docs")
    print(f"  Demopersoner:         {url}/dev/people")
    print(f"  Logger:               {stack.log_dir}/")
    print()
    leader = next(
        (p for p in people if p["tenant"] == "hustadvika" and any(r["role"] == "virksomhetsleder" for r in p["roles"])),
        None,
    )
    if leader:
        unit = next(r for r in leader["roles"] if r["role"] == "virksomhetsleder")
        print(
            TRY_IT.format(url=url, email=leader["email"], unit_id=unit["unit_id"], unit_name=unit["unit_name"]).rstrip()
        )
    print()
    print(f"{len(people)} demopersoner i {len({p['tenant'] for p in people})} kommuner. Ctrl-C stopper alt.")


def failure_line(stack: Stack, exc: BaseException) -> str:
    """The one line ``make run`` ends with when it could not start; the details are in the log it names."""
    if isinstance(exc, StartFailed):
        return f"Kunne ikke starte Varde: {exc}"
    first_line = (str(exc).strip().splitlines() or [""])[0]
    if isinstance(exc, RuntimeError) and first_line:  # the stack's own refusals (a port in use) are Norwegian
        return f"Kunne ikke starte Varde: {first_line}"
    stack.log_dir.mkdir(parents=True, exist_ok=True)
    with stack.stack_log.open("a") as log:
        log.write("".join(traceback.format_exception(exc)))
    return f"Kunne ikke starte Varde: uventet feil ({type(exc).__name__}); se {stack.stack_log}"


def main() -> None:
    stack = Stack(_config())
    stopping = False
    failure: str | None = None

    def request_stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGHUP, request_stop)
    # Started from a script in the background, SIGINT may arrive ignored; Ctrl-C must always stop the stack.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        stack.start(progress=True)
        _print_welcome(stack)
        memory_mb = stack_memory_bytes(stack) / 1_048_576
        print(f"Minnebruk for hele stakken: {memory_mb:.0f} MiB.")
        histories = stack.histories() if stack.config.load_history else []
        if histories:
            labels = ", ".join(label for _, label in histories)
            print(f"• Laster demohistorikk i bakgrunnen ({labels}); Varde kan brukes imens.")
            print("  (VARDE_DEMO_HISTORY=0 make run starter uten.)")
            stack.load_histories()
        sys.stdout.flush()
        # A process that crashes is started again by the stack's supervisor, which says so in one line.
        while not stopping:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    except Exception as exc:
        failure = failure_line(stack, exc)
    finally:
        # A terminal's Ctrl-C reaches every process in the group, and some launchers forward it once more:
        # a second interrupt must not cut the clean-up short and leave a broker or database behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        print("\nStopper Varde…")
        stack.stop()
        print("Stoppet.")
    if failure is not None:
        # Last, after the clean-up, so that it is the line a person reads.
        sys.stdout.flush()
        print(failure, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
