"""``python -m varde_notifications <role>``: api, worker, relay, migrate or all."""

from pathlib import Path

from varde_common.runner import ServiceSpec
from varde_common.runner import main as run
from varde_notifications.app import create_app
from varde_notifications.config import NotificationsSettings
from varde_notifications.relay import create_relay
from varde_notifications.worker import create_worker

SPEC = ServiceSpec(
    name="notifications",
    settings_factory=NotificationsSettings,
    migrations_dir=Path(__file__).parent / "migrations",
    create_app=create_app,
    create_worker=create_worker,
    create_relay=create_relay,
)


def main() -> None:
    run(SPEC)


if __name__ == "__main__":
    main()
