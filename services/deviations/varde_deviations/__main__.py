"""``python -m varde_deviations <role>``: api, worker, relay, migrate, asyncapi, all, or demo-history (two years of
cases for the demo kommuner)."""

from varde_common.runner import compose
from varde_common.runner import main as run
from varde_deviations import app, relay, worker
from varde_deviations.config import DeviationsSettings
from varde_deviations.demo_history import load_demo_history

SPEC = compose(
    "deviations",
    DeviationsSettings,
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
