"""``python -m varde_deviations <role>``: api, worker, relay, migrate, asyncapi or all."""

from varde_common.runner import compose
from varde_common.runner import main as run
from varde_deviations import app, relay, worker
from varde_deviations.config import DeviationsSettings

SPEC = compose("deviations", DeviationsSettings, __file__, app=app, worker=worker, relay=relay)


def main() -> None:
    run(SPEC)


if __name__ == "__main__":
    main()
