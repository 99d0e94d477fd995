"""``python -m varde_risk <role>``: api, worker, relay, migrate, asyncapi, all, or demo-history (two years of ROS
analyses for the demo kommuner)."""

from varde_common.runner import compose
from varde_common.runner import main as run
from varde_risk import app, relay, worker
from varde_risk.config import RiskSettings
from varde_risk.demo_history import load_demo_history

SPEC = compose(
    "risk",
    RiskSettings,
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
