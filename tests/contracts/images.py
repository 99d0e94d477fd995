"""The Dockerfile of every deployable package, from one template.

Every image has the same shape and differs only in its package, its module, its port and whether it takes a role,
so the eight Dockerfiles are written from the template below, never by hand: ``make dockerfiles`` (``python -m
tests.contracts.images``) writes them, ``tests/contracts/test_images.py`` fails when one drifts from it, and ``make
lint`` runs hadolint on each.

Deployable: every folder under ``services/`` with a ``pyproject.toml`` except ``common`` (a library), and
``gateway/``. ``devstack/`` runs the laptop stack and is never an image.

What an image needs at run time that is not Python code is inside its package, so the wheel carries it: the
Alembic ``migrations/`` of each service (read beside ``__main__.py``, hence ``--no-editable``), and the web's
templates, message catalogues (``locale/*.po``, read with Babel: no compiled ``.mo``), static files, service worker
and ``accessibility_status.json``, the gateway's ``static/`` (Swagger UI's own files come with the
``fastapi-offline`` wheel). The Norwegian dictionaries of the search are read by the PostgreSQL server, not by
deviations or documents: they belong in the database's image, not in these (``varde_common.text_search``).
"""

from __future__ import annotations

import importlib
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from varde_common.settings import BaseVardeSettings

ROOT = Path(__file__).resolve().parents[2]


def _uv_version() -> str:
    """The uv of the build stage is the one `make` installs into .tools (the Makefile's UV_VERSION)."""
    found = re.search(r"^UV_VERSION := (\S+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert found, "the Makefile names no UV_VERSION"
    return found[1]


UV_VERSION = _uv_version()
# Pinned by tag. A production build pins the digest as well (python:…@sha256:…): this machine cannot pull, so the
# digest is not written here.
PYTHON_IMAGE = "python:3.11.14-slim-bookworm"
USER_ID = 10001

TEMPLATE = """\
# syntax=docker/dockerfile:1
# Written by `make dockerfiles` from tests/contracts/images.py: change the template there, not this file.
#
# The image of {package}: its installed environment and nothing else. Build from the repository root:
#   docker build -f {folder}/Dockerfile -t varde-{name} .
# The manifests run it with a read-only root filesystem; only /tmp is writable (an emptyDir).
# Base images are pinned by tag; a production build pins their digests too (this machine cannot pull them).

FROM ghcr.io/astral-sh/uv:{uv_version} AS uv

FROM {python_image} AS build
COPY --from=uv /uv /usr/local/bin/uv
# Bytecode compiled once here (the root filesystem is read-only at run time); files copied, not linked, out of the
# cache mount; the base image's Python, never one downloaded.
ENV UV_COMPILE_BYTECODE=1 \\
    UV_LINK_MODE=copy \\
    UV_PYTHON_DOWNLOADS=never \\
    UV_PYTHON=/usr/local/bin/python3 \\
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /src
# The third-party dependencies from the lock alone (uv's cache mounted): rebuilt only when the lock changes.
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv \\
    uv sync --frozen --no-dev --no-editable --no-install-workspace --package {package}
# Then the package and varde_common, built into wheels and installed (not linked to /src, which the final stage
# has not). Without the cache: a wheel of ours is built from the sources this layer copied, never reused from an
# older build.
COPY services/common services/common
COPY {folder} {folder}
RUN uv sync --frozen --no-dev --no-editable --no-cache --package {package}

FROM {python_image}
# A user of its own with a fixed numeric id (runAsNonRoot checks the number); the environment stays root's, so the
# process cannot change its own code.
RUN groupadd --system --gid {user_id} varde \\
    && useradd --system --uid {user_id} --gid {user_id} --no-create-home --home-dir /nonexistent \\
        --shell /usr/sbin/nologin varde
COPY --from=build /app/.venv /app/.venv
ENV PATH=/app/.venv/bin:$PATH \\
    PYTHONDONTWRITEBYTECODE=1 \\
    PYTHONUNBUFFERED=1 \\
    VARDE_HTTP_HOST=0.0.0.0
WORKDIR /tmp
USER {user_id}:{user_id}
EXPOSE {port}
ENTRYPOINT ["python", "-m", "{module}"]
"""
# A service is started in a role (api, worker, relay, migrate); the api unless the manifest says otherwise.
ROLE_DEFAULT = 'CMD ["api"]\n'


@dataclass(frozen=True)
class Deployable:
    folder: Path

    @property
    def relative(self) -> str:
        return self.folder.relative_to(ROOT).as_posix()

    @property
    def package(self) -> str:
        project: dict[str, str] = tomllib.loads((self.folder / "pyproject.toml").read_text())["project"]
        return project["name"]

    @property
    def module(self) -> str:
        return self.package.replace("-", "_")

    @property
    def dockerfile(self) -> Path:
        return self.folder / "Dockerfile"

    def roles(self) -> tuple[str, ...]:
        """The roles ``python -m <module>`` takes: a service composed by ``varde_common.runner`` has them, the
        gateway and the web client start without one."""
        spec = getattr(importlib.import_module(f"{self.module}.__main__"), "SPEC", None)
        return spec.roles if spec is not None else ()

    def port(self) -> int:
        """The default port of the package's settings (the one class of its config.py)."""
        config = importlib.import_module(f"{self.module}.config")
        (settings,) = (
            value
            for value in vars(config).values()
            if isinstance(value, type) and issubclass(value, BaseVardeSettings) and value.__module__ == config.__name__
        )
        default = settings.model_fields["http_port"].default
        assert isinstance(default, int)
        return default


def deployables() -> list[Deployable]:
    services = [
        folder
        for folder in sorted((ROOT / "services").iterdir())
        if (folder / "pyproject.toml").is_file() and folder.name != "common"
    ]
    return [Deployable(folder) for folder in [*services, ROOT / "gateway"]]


def render(deployable: Deployable) -> str:
    text = TEMPLATE.format(
        package=deployable.package,
        module=deployable.module,
        folder=deployable.relative,
        name=deployable.folder.name,
        port=deployable.port(),
        uv_version=UV_VERSION,
        python_image=PYTHON_IMAGE,
        user_id=USER_ID,
    )
    return text + (ROLE_DEFAULT if "api" in deployable.roles() else "")


def main() -> int:
    for deployable in deployables():
        text = render(deployable)
        if not deployable.dockerfile.is_file() or deployable.dockerfile.read_text() != text:
            deployable.dockerfile.write_text(text)
            print(f"wrote {deployable.dockerfile.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
