"""``python -m varde_documents <role>``: api, worker, relay, migrate, asyncapi, all, or demo-history (two years
of documents, versions and reading for the demo kommuner)."""

from varde_common.runner import compose
from varde_common.runner import main as run
from varde_documents import app, relay, worker
from varde_documents.config import DocumentsSettings
from varde_documents.demo_history import load_demo_history

SPEC = compose(
    "documents",
    DocumentsSettings,
    __file__,
    app=app,
    worker=worker,
    relay=relay,
    commands={"demo-history": load_demo_history},
)


def main() -> None:
    run(SPEC)


if __name__ == "__main__":
    main()
