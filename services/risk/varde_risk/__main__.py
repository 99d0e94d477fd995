"""``python -m varde_risk <role>``: api, worker, relay, migrate or all."""

from pathlib import Path

from varde_common.runner import ServiceSpec
from varde_common.runner import main as run
from varde_risk.app import create_app
from varde_risk.config import RiskSettings
from varde_risk.relay import create_relay
from varde_risk.worker import create_worker

SPEC = ServiceSpec(
    name="risk",
    settings_factory=RiskSettings,
    migrations_dir=Path(__file__).parent / "migrations",
    create_app=create_app,
    create_worker=create_worker,
    create_relay=create_relay,
)


def main() -> None:
    run(SPEC)


if __name__ == "__main__":
    main()
