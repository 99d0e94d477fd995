"""``python -m varde_web``: serve the web client."""

from __future__ import annotations

import uvicorn

from varde_common.logs import configure_logging
from varde_common.telemetry import setup_tracing
from varde_web.app import create_app
from varde_web.config import WebSettings


def main() -> None:
    settings = WebSettings()
    configure_logging("web", settings.log_level)
    setup_tracing("web")
    uvicorn.run(
        create_app(settings),
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
        # The gateway is the only client and says who the browser is (X-Forwarded-For), the web believes nobody.
        proxy_headers=False,
    )


if __name__ == "__main__":
    main()
