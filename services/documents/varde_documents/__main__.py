"""``python -m varde_documents <role>``: api, worker, relay, migrate or all."""

from pathlib import Path

from varde_common.runner import ServiceSpec
from varde_common.runner import main as run
from varde_documents.app import create_app
from varde_documents.config import DocumentsSettings
from varde_documents.relay import create_relay
from varde_documents.worker import create_worker

SPEC = ServiceSpec(
    name="documents",
    settings_factory=DocumentsSettings,
    migrations_dir=Path(__file__).parent / "migrations",
    create_app=create_app,
    create_worker=create_worker,
    create_relay=create_relay,
)


def main() -> None:
    run(SPEC)


if __name__ == "__main__":
    main()
