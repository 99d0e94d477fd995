"""``python -m varde_gateway``: serve the gateway."""

from __future__ import annotations

import uvicorn

from varde_common.logs import configure_logging
from varde_common.telemetry import setup_tracing
from varde_gateway.app import create_gateway
from varde_gateway.config import GatewaySettings


def main() -> None:
    settings = GatewaySettings()
    configure_logging("gateway", settings.log_level)
    setup_tracing("gateway")
    uvicorn.run(
        create_gateway(settings),
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
        loop="uvloop",
        http="httptools",
        backlog=2048,
        timeout_keep_alive=30,
        # The gateway reads X-Forwarded-For itself, from VARDE_TRUSTED_PROXIES only (app.py).
        proxy_headers=False,
    )


if __name__ == "__main__":
    main()
