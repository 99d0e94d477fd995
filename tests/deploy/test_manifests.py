"""The Kubernetes manifests (``deploy/k8s/``) render, validate, and agree with the code.

No cluster here: every overlay is rendered with ``kubectl kustomize`` and the core kinds are validated against the
Kubernetes API schemas of pinned versions (``kubernetes-validate``, strict: an unknown field fails). Then the
rendered objects are held against the code: a base folder for every image, a Deployment for every role, only
variables the settings classes read, the ports and probe paths the apps serve, the restricted Pod Security
profile, and the NetworkPolicies allowing exactly the paths of the architecture.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import kubernetes_validate
import pytest

from tests.contracts.images import deployables
from tests.deploy.manifests import (
    K8S,
    OVERLAYS,
    Object,
    default,
    environment,
    labels,
    of_kind,
    pod_templates,
    probe_server_paths,
    render,
    role_of,
    served_paths,
    settings_variables,
)

# The oldest Kubernetes minor still supported upstream, and the one of the pinned kubectl.
KUBERNETES_VERSIONS = ("1.35.0", "1.37.0")
CORE_API_VERSIONS = {"v1", "apps/v1", "batch/v1", "networking.k8s.io/v1", "policy/v1"}
PORT_VARIABLES = {"gateway": "VARDE_GATEWAY_PORT"}


@pytest.fixture(params=OVERLAYS)
def objects(request: pytest.FixtureRequest) -> tuple[Object, ...]:
    return render(request.param)


def containers(objects: tuple[Object, ...]) -> Iterator[tuple[str, str, Object]]:
    """(deployable, role, container) for every container of every workload."""
    for workload, template in pod_templates(objects):
        for container in template["spec"]["containers"]:
            yield labels(template)["app.kubernetes.io/name"], role_of(workload, template), container


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_overlay_renders_and_its_core_kinds_validate(overlay: str) -> None:
    objects = render(overlay)
    core = [item for item in objects if item["apiVersion"] in CORE_API_VERSIONS]
    assert len(core) == len(objects), "a kind outside the core APIs needs its own check (the operators' step)"
    failures = []
    for version in KUBERNETES_VERSIONS:
        for item in core:
            try:
                kubernetes_validate.validate(item, version, strict=True)
            except kubernetes_validate.ValidationError as error:
                failures.append(f"{version} {item['kind']}/{item['metadata']['name']}: {error.message}")
    assert not failures, "\n".join(failures)
    assert {item["metadata"].get("namespace") for item in objects if item["kind"] != "Namespace"} == {"varde"}


def test_every_image_has_a_base_folder_and_a_workload_per_role(objects: tuple[Object, ...]) -> None:
    dockerfiles = {path.parent.name for path in (K8S.parents[1]).glob("*/Dockerfile")} | {
        path.parent.name for path in (K8S.parents[1] / "services").glob("*/Dockerfile")
    }
    assert dockerfiles == {deployable.folder.name for deployable in deployables()}
    assert {path.parent.name for path in (K8S / "base").glob("*/kustomization.yaml")} - {"network"} == dockerfiles
    expected = {
        (deployable.folder.name, role)
        for deployable in deployables()
        for role in (set(deployable.roles()) - {"all"}) or {"api"}
    }
    running = {(name, role) for name, role, _ in containers(objects)}
    assert running == expected
    jobs = {labels(job["spec"]["template"])["app.kubernetes.io/name"] for job in of_kind(objects, "Job")}
    assert jobs == {name for name, role in expected if role == "migrate"}


def test_every_variable_a_manifest_sets_is_a_setting_the_service_reads(objects: tuple[Object, ...]) -> None:
    unknown = [
        f"{name} {role}: {variable}"
        for name, role, container in containers(objects)
        for variable in environment(objects, container)
        if variable not in settings_variables(name)
    ]
    assert not unknown, "set by a manifest, read by no settings class:\n" + "\n".join(unknown)


def _port(container: Object, reference: int | str) -> int:
    if isinstance(reference, int):
        return reference
    (port,) = (port["containerPort"] for port in container["ports"] if port["name"] == reference)
    assert isinstance(port, int)
    return port


def test_every_port_and_probe_exists_in_the_code(objects: tuple[Object, ...]) -> None:
    for name, role, container in containers(objects):
        env = environment(objects, container)
        ports = [port["containerPort"] for port in container.get("ports", [])]
        probes = [
            container[probe] for probe in ("startupProbe", "livenessProbe", "readinessProbe") if probe in container
        ]
        if role == "migrate":
            assert not ports, f"{name} migrate: a command, not a server"
            assert not probes, f"{name} migrate: a command, not a server"
            continue
        assert len(probes) == 3, f"{name} {role}: startup, liveness and readiness probes"
        if role == "api":
            variable = PORT_VARIABLES.get(name, "VARDE_HTTP_PORT")
            port = int(str(env.get(variable) or default(name, "http_port")))
            paths = served_paths(name)
        else:  # a worker or relay alone answers on its probe server
            port = int(str(env.get("VARDE_PROBE_PORT") or default(name, "probe_port")))
            paths = probe_server_paths()
        assert ports == [port], f"{name} {role}: the container port is the one the process listens on"
        for probe in probes:
            assert _port(container, probe["httpGet"]["port"]) == port, f"{name} {role}: probe on another port"
            assert probe["httpGet"]["path"] in paths, f"{name} {role}: {probe['httpGet']['path']} is not served"
        assert container["livenessProbe"]["httpGet"]["path"] == "/livez"


def test_an_api_pauses_before_it_stops_and_drains_within_the_grace_period(objects: tuple[Object, ...]) -> None:
    for workload, template in pod_templates(objects):
        if role_of(workload, template) != "api":
            continue
        (container,) = template["spec"]["containers"]
        name = labels(template)["app.kubernetes.io/name"]
        pause = container["lifecycle"]["preStop"]["sleep"]["seconds"]
        assert pause >= 5, f"{name}: the endpoints need a moment to drop the pod"
        env = environment(objects, container)
        draining = env.get("VARDE_SHUTDOWN_TIMEOUT_S") or default(name, "shutdown_timeout_s") or 0
        grace = template["spec"]["terminationGracePeriodSeconds"]
        assert pause + float(str(draining)) < grace, f"{name}: killed before it has drained"


def test_services_and_upstream_urls_reach_a_serving_port(objects: tuple[Object, ...]) -> None:
    served: dict[str, int] = {}
    workloads = {
        labels(template)["app.kubernetes.io/name"]: template
        for _, template in pod_templates(objects)
        if labels(template).get("app.kubernetes.io/component") == "api"
    }
    for service in of_kind(objects, "Service"):
        selector = service["spec"]["selector"]
        matching = [t for t in workloads.values() if selector.items() <= labels(t).items()]
        assert len(matching) == 1, f"Service {service['metadata']['name']} selects {len(matching)} apis"
        (container,) = matching[0]["spec"]["containers"]
        for port in service["spec"]["ports"]:
            assert _port(container, port["targetPort"]) in [p["containerPort"] for p in container["ports"]]
            served[service["metadata"]["name"]] = port["port"]
    urls = [
        value
        for item in of_kind(objects, "ConfigMap")
        for value in item.get("data", {}).values()
        if value.startswith("http://")
    ]
    assert urls
    for url in urls:
        found = re.fullmatch(r"http://([a-z0-9-]+):(\d+)/?", url)
        assert found, f"{url}: a Service by name and port"
        assert served.get(found[1]) == int(found[2]), f"{url} is no Service port of the namespace"


def _restricted_failures(name: str, pod: dict[str, Any]) -> Iterator[str]:
    context = pod.get("securityContext", {})
    if context.get("runAsNonRoot") is not True:
        yield f"{name}: runAsNonRoot"
    if context.get("seccompProfile", {}).get("type") != "RuntimeDefault":
        yield f"{name}: seccompProfile RuntimeDefault"
    if pod.get("automountServiceAccountToken") is not False:
        yield f"{name}: a service account token is mounted"
    for field in ("hostNetwork", "hostPID", "hostIPC"):
        if pod.get(field):
            yield f"{name}: {field}"
    for volume in pod.get("volumes", []):
        if set(volume) - {"name"} - {"emptyDir", "secret", "configMap", "projected", "persistentVolumeClaim"}:
            yield f"{name}: volume {volume['name']} of a kind the restricted profile refuses"
    tmp = {volume["name"] for volume in pod.get("volumes", []) if "emptyDir" in volume}
    for container in [*pod.get("initContainers", []), *pod["containers"]]:
        security = container.get("securityContext", {})
        if security.get("allowPrivilegeEscalation") is not False:
            yield f"{name}/{container['name']}: allowPrivilegeEscalation"
        if security.get("privileged"):
            yield f"{name}/{container['name']}: privileged"
        if security.get("capabilities", {}).get("drop") != ["ALL"] or security.get("capabilities", {}).get("add"):
            yield f"{name}/{container['name']}: capabilities drop ALL, add none"
        if security.get("readOnlyRootFilesystem") is not True:
            yield f"{name}/{container['name']}: readOnlyRootFilesystem"
        if security.get("runAsUser", context.get("runAsUser")) != 10001:
            yield f"{name}/{container['name']}: runAsUser 10001 (the images' user)"
        if not any(
            m["mountPath"] == "/tmp"  # noqa: S108 (the image's one writable folder)
            and m["name"] in tmp
            for m in container.get("volumeMounts", [])
        ):
            yield f"{name}/{container['name']}: an emptyDir at /tmp"
        if not {"requests", "limits"} <= set(container.get("resources", {})):
            yield f"{name}/{container['name']}: resource requests and limits"


def test_every_pod_passes_the_restricted_profile(objects: tuple[Object, ...]) -> None:
    failures = [
        failure
        for workload, template in pod_templates(objects)
        for failure in _restricted_failures(f"{workload['kind']}/{workload['metadata']['name']}", template["spec"])
    ]
    assert not failures, "\n".join(failures)
    for account in of_kind(objects, "ServiceAccount"):
        assert account.get("automountServiceAccountToken") is False, account["metadata"]["name"]
    (namespace,) = of_kind(objects, "Namespace")
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_a_disruption_budget_exactly_where_more_than_one_replica_runs(overlay: str) -> None:
    objects = render(overlay)
    budgets = of_kind(objects, "PodDisruptionBudget")
    for deployment in of_kind(objects, "Deployment"):
        template_labels = labels(deployment["spec"]["template"])
        covering = [b for b in budgets if b["spec"]["selector"]["matchLabels"].items() <= template_labels.items()]
        replicas = deployment["spec"]["replicas"]
        assert len(covering) == (1 if replicas > 1 else 0), f"{overlay} {deployment['metadata']['name']}"
        if overlay == "dev":
            assert replicas == 1, f"dev runs one replica of {deployment['metadata']['name']}"
        elif role_of(deployment, deployment["spec"]["template"]) == "api":
            least = 3 if deployment["metadata"]["name"] == "gateway" else 2
            assert replicas >= least, f"production runs {least} of {deployment['metadata']['name']}"


# ---- NetworkPolicies: who reaches whom, evaluated over the rendered policies
Peer = tuple[str, str, frozenset[tuple[str, str]]]  # (identity, namespace, labels)
OUTSIDE = {
    "database": ("varde", {"cnpg.io/cluster": "varde-db"}, {5432}),
    "brokers": ("varde", {"strimzi.io/cluster": "varde", "strimzi.io/kind": "Kafka"}, {9092, 9093}),
    "dns": ("kube-system", {"k8s-app": "kube-dns"}, {53}),
    "ingress": ("ingress", {}, set()),
    "monitoring": ("monitoring", {}, set()),
    "internet": ("", {}, {443}),
}
NAMESPACE_LABELS = {
    "varde": {"kubernetes.io/metadata.name": "varde"},
    "kube-system": {"kubernetes.io/metadata.name": "kube-system"},
    "ingress": {"kubernetes.io/metadata.name": "ingress-nginx", "varde.no/access": "ingress"},
    "monitoring": {"kubernetes.io/metadata.name": "monitoring", "varde.no/access": "monitoring"},
}


def _selects(selector: Object, found: dict[str, str]) -> bool:
    if not selector.get("matchLabels", {}).items() <= found.items():
        return False
    for expression in selector.get("matchExpressions", []):
        assert expression["operator"] == "In", "the evaluator knows In only"
        if found.get(expression["key"]) not in expression["values"]:
            return False
    return True


def _peer_matches(peer: Object, namespace: str, found: dict[str, str]) -> bool:
    if "ipBlock" in peer:
        return namespace == ""  # outside the cluster's pod network (the rule excludes the private ranges)
    if "namespaceSelector" in peer:
        if not _selects(peer["namespaceSelector"], NAMESPACE_LABELS.get(namespace, {})):
            return False
    elif namespace != "varde":
        return False
    return _selects(peer.get("podSelector", {}), found)


def _port_matches(rule: Object, port: int, named: dict[str, int]) -> bool:
    if not rule.get("ports"):
        return True
    return any(named.get(p["port"], p["port"]) == port for p in rule["ports"])


def test_network_policies_allow_exactly_the_architectures_paths(objects: tuple[Object, ...]) -> None:
    pods: dict[str, tuple[str, dict[str, str], dict[str, int]]] = {}
    for workload, template in pod_templates(objects):
        (container,) = template["spec"]["containers"]
        named = {port["name"]: port["containerPort"] for port in container.get("ports", [])}
        pods[workload["metadata"]["name"]] = ("varde", labels(template), named)
    peers = {**pods, **{name: (ns, found, {str(p): p for p in ports}) for name, (ns, found, ports) in OUTSIDE.items()}}
    policies = of_kind(objects, "NetworkPolicy")

    def allowed(source: str, target: str, port: int) -> bool:
        source_ns, source_labels, _ = peers[source]
        target_ns, target_labels, target_ports = peers[target]
        for direction, own_ns, own, other_ns, other in (
            ("Egress", source_ns, source_labels, target_ns, target_labels),
            ("Ingress", target_ns, target_labels, source_ns, source_labels),
        ):
            if own_ns != "varde":
                continue  # another namespace's policies are not ours
            selecting = [p for p in policies if _selects(p["spec"]["podSelector"], own)]
            selecting = [p for p in selecting if direction in p["spec"]["policyTypes"]]
            key, peer_key = ("egress", "to") if direction == "Egress" else ("ingress", "from")
            if not any(
                any(_peer_matches(peer, other_ns, other) for peer in rule.get(peer_key, []))
                and _port_matches(rule, port, target_ports)
                for policy in selecting
                for rule in policy["spec"].get(key, [])
            ):
                return False
        return True

    names = {name: template_labels["app.kubernetes.io/name"] for name, (_, template_labels, _) in pods.items()}
    domain = {deployable.folder.name for deployable in deployables()} - {"gateway", "web"}
    expected = {("ingress", "gateway", 8080), ("web", "gateway", 8080), ("gateway", "internet", 443)}
    for name, (_, _, named) in pods.items():
        expected.add((name, "dns", 53))
        expected.update(("monitoring", name, port) for port in named.values())
        if names[name] in domain:
            expected.update({(name, "database", 5432), (name, "brokers", 9092), (name, "brokers", 9093)})
        if pods[name][1].get("app.kubernetes.io/component") == "api" and name != "gateway":
            expected.add(("gateway", name, next(iter(named.values()))))
    ports = {port for _, _, named in peers.values() for port in named.values()}
    actual = {
        (source, target, port)
        for source in peers
        for target in peers
        if source != target and (source in pods or target in pods)  # the operators' own paths: the next step
        for port in ports
        if port in peers[target][2].values() and allowed(source, target, port)
    }
    assert actual - expected == set(), "allowed beyond the architecture"
    assert expected - actual == set(), "needed and not allowed"
