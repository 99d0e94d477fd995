"""``python -m varde_reporting <role>``: api, worker, relay, migrate or all."""

from pathlib import Path

from varde_common.runner import ServiceSpec
from varde_common.runner import main as run
from varde_reporting.app import create_app
from varde_reporting.config import ReportingSettings
from varde_reporting.relay import create_relay
from varde_reporting.worker import create_worker

SPEC = ServiceSpec(
    name="reporting",
    settings_factory=ReportingSettings,
    migrations_dir=Path(__file__).parent / "migrations",
    create_app=create_app,
    create_worker=create_worker,
    create_relay=create_relay,
)


def main() -> None:
    run(SPEC)


if __name__ == "__main__":
    main()
