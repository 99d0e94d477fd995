"""``python -m varde_directory <role>``: api, worker, relay, migrate, asyncapi, all, or demo (demo kommuner)."""

from varde_common.runner import compose
from varde_common.runner import main as run
from varde_directory import app, relay, worker
from varde_directory.config import DirectorySettings
from varde_directory.demo import load_demo

SPEC = compose(
    "directory", DirectorySettings, __file__, app=app, worker=worker, relay=relay, commands={"demo": load_demo}
)


def main() -> None:
    run(SPEC)


if __name__ == "__main__":
    main()
