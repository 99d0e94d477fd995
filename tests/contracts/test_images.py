"""Every deployable package has its image, and each image is what the manifests expect of it.

Read from the Dockerfiles themselves (there is no Docker engine here): a service folder without one fails, and so
does a Dockerfile that installs another package than its folder's, starts another module, runs as root or by a
user name (``runAsNonRoot`` can only check a number), or leaves uv, pip or a compiler in the final stage. The
Dockerfiles are written from one template (``tests/contracts/images.py``, ``make dockerfiles``); a hand edit that
drifts from it fails too.
"""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.contracts.images import ROOT, Deployable, deployables, render

BUILD_TOOLS = re.compile(r"\b(uv|uvx|pip|pip3|gcc|g\+\+|cc|make|build-essential|apt-get|apt|git|curl|wget)\b")


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str


def instructions(dockerfile: Path) -> list[Instruction]:
    """The instructions of a Dockerfile, continuation lines joined and comments left out."""
    found: list[Instruction] = []
    pending = ""
    for line in dockerfile.read_text().splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        whole = pending + stripped
        pending = ""
        keyword, _, arguments = whole.partition(" ")
        found.append(Instruction(keyword.upper(), " ".join(arguments.split())))
    assert not pending, f"{dockerfile}: ends inside a continued line"
    return found


def stages(dockerfile: Path) -> list[list[Instruction]]:
    """The build stages, each from its FROM on."""
    result: list[list[Instruction]] = []
    for instruction in instructions(dockerfile):
        if instruction.keyword == "FROM":
            result.append([])
        assert result, f"{dockerfile}: an instruction before the first FROM"
        result[-1].append(instruction)
    return result


def package_folders() -> list[Path]:
    """Found here without the template's help: every folder under services/ but the library, and the gateway."""
    return [
        *(
            folder
            for folder in sorted((ROOT / "services").iterdir())
            if folder.is_dir() and folder.name != "common" and not folder.name.startswith((".", "__"))
        ),
        ROOT / "gateway",
    ]


def package_name(folder: Path) -> str:
    name: str = tomllib.loads((folder / "pyproject.toml").read_text())["project"]["name"]
    return name


def uv_syncs(dockerfile: Path) -> list[list[str]]:
    """The words of every ``uv sync`` command in the Dockerfile's RUN instructions."""
    commands = []
    for instruction in instructions(dockerfile):
        if instruction.keyword != "RUN":
            continue
        for command in re.split(r"&&|;", instruction.arguments):
            words = shlex.split(command)
            words = [word for word in words if not word.startswith("--mount=")]
            if words[:2] == ["uv", "sync"]:
                commands.append(words)
    return commands


def option(words: list[str], name: str) -> str | None:
    for index, word in enumerate(words):
        if word == name and index + 1 < len(words):
            return words[index + 1]
        if word.startswith(name + "="):
            return word.split("=", 1)[1]
    return None


FOLDERS = package_folders()
IDS = [folder.relative_to(ROOT).as_posix() for folder in FOLDERS]


@pytest.mark.parametrize("folder", FOLDERS, ids=IDS)
def test_every_deployable_package_has_a_dockerfile(folder: Path) -> None:
    assert (folder / "Dockerfile").is_file(), (
        f"{folder.relative_to(ROOT)} is deployed on its own and has no Dockerfile: add it to the template's "
        "packages and run `make dockerfiles`"
    )


def test_only_deployable_packages_have_a_dockerfile() -> None:
    """The library and the laptop stack are never images; the template serves exactly the packages found here."""
    assert [deployable.folder for deployable in deployables()] == FOLDERS
    assert not (ROOT / "services" / "common" / "Dockerfile").exists()
    assert not (ROOT / "devstack" / "Dockerfile").exists()


@pytest.mark.parametrize("deployable", deployables(), ids=IDS)
def test_dockerfile_is_written_from_the_template(deployable: Deployable) -> None:
    assert deployable.dockerfile.read_text() == render(deployable), (
        f"{deployable.dockerfile.relative_to(ROOT)} differs from the template: change tests/contracts/images.py and "
        "run `make dockerfiles`"
    )


@pytest.mark.parametrize("folder", FOLDERS, ids=IDS)
def test_the_image_installs_its_own_package_alone(folder: Path) -> None:
    dockerfile = folder / "Dockerfile"
    syncs = uv_syncs(dockerfile)
    assert syncs, f"{dockerfile}: no `uv sync`"
    for words in syncs:
        assert option(words, "--package") == package_name(folder), f"{dockerfile}: {' '.join(words)}"
        # The lock as committed, no test tools, and a real installation: an editable one points at /src.
        for required in ("--frozen", "--no-dev", "--no-editable"):
            assert required in words, f"{dockerfile}: {' '.join(words)} lacks {required}"
        assert "--all-packages" not in words
    assert any("--no-install-workspace" not in words for words in syncs), f"{dockerfile}: never installs the package"
    build = stages(dockerfile)[:-1]
    copied = [
        shlex.split(instruction.arguments)[0]
        for stage in build
        for instruction in stage
        if instruction.keyword == "COPY" and not instruction.arguments.startswith("--from")
    ]
    assert folder.relative_to(ROOT).as_posix() in copied, f"{dockerfile}: its own folder is not copied in"
    environment = [
        word
        for stage in build
        for instruction in stage
        if instruction.keyword == "ENV"
        for word in instruction.arguments.split()
    ]
    for setting in ("UV_COMPILE_BYTECODE=1", "UV_LINK_MODE=copy", "UV_PYTHON_DOWNLOADS=never"):
        assert setting in environment, f"{dockerfile}: the build stage does not set {setting}"


@pytest.mark.parametrize("deployable", deployables(), ids=IDS)
def test_the_image_starts_its_own_module(deployable: Deployable) -> None:
    final = stages(deployable.dockerfile)[-1]
    entrypoints = [instruction for instruction in final if instruction.keyword == "ENTRYPOINT"]
    assert len(entrypoints) == 1, f"{deployable.dockerfile}: one ENTRYPOINT in the final stage"
    module = package_name(deployable.folder).replace("-", "_")
    assert json.loads(entrypoints[0].arguments) == ["python", "-m", module]
    assert (deployable.folder / module / "__main__.py").is_file()
    commands = [json.loads(instruction.arguments) for instruction in final if instruction.keyword == "CMD"]
    roles = deployable.roles()
    if roles:
        # A service starts as its api unless the manifest names another of its roles.
        assert commands == [["api"]], f"{deployable.dockerfile}: CMD should be the api role"
        assert "api" in roles
    else:
        assert commands == [], f"{deployable.dockerfile}: {module} takes no role"


@pytest.mark.parametrize("folder", FOLDERS, ids=IDS)
def test_the_image_runs_as_a_numeric_user_that_is_not_root(folder: Path) -> None:
    dockerfile = folder / "Dockerfile"
    users = [instruction.arguments for instruction in stages(dockerfile)[-1] if instruction.keyword == "USER"]
    assert users, f"{dockerfile}: the final stage sets no USER (it would run as root)"
    match = re.fullmatch(r"(\d+)(?::(\d+))?", users[-1])
    assert match, f"{dockerfile}: USER {users[-1]} is not numeric (runAsNonRoot cannot check a name)"
    assert all(int(number) != 0 for number in match.groups() if number is not None), f"{dockerfile}: USER is root"


@pytest.mark.parametrize("folder", FOLDERS, ids=IDS)
def test_the_final_stage_holds_no_build_tools(folder: Path) -> None:
    dockerfile = folder / "Dockerfile"
    all_stages = stages(dockerfile)
    assert len(all_stages) >= 2, f"{dockerfile}: not a multi-stage build"
    final = all_stages[-1]
    base = final[0].arguments
    assert re.fullmatch(r"python:\d+\.\d+\.\d+-slim-\w+(@sha256:[0-9a-f]{64})?", base), (
        f"{dockerfile}: the final stage is {base}, not a slim Python pinned to its patch version"
    )
    for instruction in final[1:]:
        if instruction.keyword == "COPY":
            words = shlex.split(instruction.arguments)
            assert words == ["--from=build", "/app/.venv", "/app/.venv"], (
                f"{dockerfile}: the final stage copies only the environment, not {instruction.arguments}"
            )
        assert instruction.keyword != "ADD", f"{dockerfile}: the final stage adds {instruction.arguments}"
        if instruction.keyword == "RUN":
            assert not BUILD_TOOLS.search(instruction.arguments), (
                f"{dockerfile}: the final stage installs or runs a build tool: {instruction.arguments}"
            )
    environment = " ".join(instruction.arguments for instruction in final if instruction.keyword == "ENV").split()
    for setting in ("PATH=/app/.venv/bin:$PATH", "PYTHONDONTWRITEBYTECODE=1", "PYTHONUNBUFFERED=1"):
        assert setting in environment, f"{dockerfile}: the final stage does not set {setting}"


@pytest.mark.parametrize("folder", FOLDERS, ids=IDS)
def test_base_images_are_pinned(folder: Path) -> None:
    dockerfile = folder / "Dockerfile"
    makefile = (ROOT / "Makefile").read_text()
    uv_version = re.search(r"^UV_VERSION := (\S+)$", makefile, re.MULTILINE)
    assert uv_version
    for stage in stages(dockerfile):
        image = stage[0].arguments.split()[0]
        assert re.search(r":\d+\.\d+\.\d+", image), f"{dockerfile}: FROM {image} is not pinned to a version"
        if image.startswith("ghcr.io/astral-sh/uv:"):
            assert image == f"ghcr.io/astral-sh/uv:{uv_version[1]}", f"{dockerfile}: not the uv that make installs"


def test_the_build_context_leaves_out_what_is_made_locally() -> None:
    ignored = {
        line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines() if line.strip()[:1] not in ("", "#")
    }
    for pattern in (".git", ".venv", ".tools", "var", "**/__pycache__", "**/tests", "**/node_modules"):
        assert pattern in ignored, f".dockerignore does not leave out {pattern}"
    # What the images copy must stay in the context.
    for needed in ("pyproject.toml", "uv.lock", "services", "services/common", "gateway"):
        assert needed not in ignored
