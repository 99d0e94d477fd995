"""``python -m varde_risk <role>``: api, worker, relay, migrate, asyncapi or all."""

from varde_common.runner import compose
from varde_common.runner import main as run
from varde_risk import app, relay, worker
from varde_risk.config import RiskSettings

SPEC = compose("risk", RiskSettings, __file__, app=app, worker=worker, relay=relay)


def main() -> None:
    run(SPEC)


if __name__ == "__main__":
    main()
