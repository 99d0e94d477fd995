"""``python -m varde_directory <role>``: api, worker, relay, migrate, all, or demo (load the demo kommuner)."""

from pathlib import Path

from varde_common.runner import ServiceSpec
from varde_common.runner import main as run
from varde_directory.app import create_app
from varde_directory.config import DirectorySettings
from varde_directory.demo import load_demo
from varde_directory.relay import create_relay
from varde_directory.worker import create_worker

SPEC = ServiceSpec(
    name="directory",
    settings_factory=DirectorySettings,
    migrations_dir=Path(__file__).parent / "migrations",
    create_app=create_app,
    create_worker=create_worker,
    create_relay=create_relay,
    commands={"demo": load_demo},
)


def main() -> None:
    run(SPEC)


if __name__ == "__main__":
    main()
