"""``python -m varde_documents <role>``: api, worker, relay, migrate, asyncapi or all."""

from varde_common.runner import compose
from varde_common.runner import main as run
from varde_documents import app, relay, worker
from varde_documents.config import DocumentsSettings

SPEC = compose("documents", DocumentsSettings, __file__, app=app, worker=worker, relay=relay)


def main() -> None:
    run(SPEC)


if __name__ == "__main__":
    main()
