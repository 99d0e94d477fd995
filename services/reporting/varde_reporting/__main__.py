"""``python -m varde_reporting <role>``: api, worker, migrate, asyncapi or all (no relay: it publishes nothing)."""

from varde_common.runner import compose
from varde_common.runner import main as run
from varde_reporting import app, worker
from varde_reporting.config import ReportingSettings

SPEC = compose("reporting", ReportingSettings, __file__, app=app, worker=worker)


def main() -> None:
    run(SPEC)


if __name__ == "__main__":
    main()
