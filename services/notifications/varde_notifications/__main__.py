"""``python -m varde_notifications <role>``: api, worker, migrate, asyncapi or all (no relay: it publishes nothing)."""

from varde_common.runner import compose
from varde_common.runner import main as run
from varde_notifications import app, worker
from varde_notifications.config import NotificationsSettings

SPEC = compose("notifications", NotificationsSettings, __file__, app=app, worker=worker)


def main() -> None:
    run(SPEC)


if __name__ == "__main__":
    main()
