"""``python -m varde_deviations <role>``: api, worker, relay, migrate or all."""

from pathlib import Path

from varde_common.runner import ServiceSpec
from varde_common.runner import main as run
from varde_deviations.app import create_app
from varde_deviations.config import DeviationsSettings
from varde_deviations.relay import create_relay
from varde_deviations.worker import create_worker

SPEC = ServiceSpec(
    name="deviations",
    settings_factory=DeviationsSettings,
    migrations_dir=Path(__file__).parent / "migrations",
    create_app=create_app,
    create_worker=create_worker,
    create_relay=create_relay,
)


def main() -> None:
    run(SPEC)


if __name__ == "__main__":
    main()
