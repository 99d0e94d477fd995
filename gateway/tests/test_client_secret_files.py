"""OIDC client secrets from a mounted Secret: one file per provider id."""

from __future__ import annotations

from pathlib import Path

import pytest

from varde_gateway.config import GatewaySettings


def _mounted_secret(directory: Path, secrets: dict[str, str]) -> Path:
    """A directory laid out as Kubernetes mounts a Secret: the keys are links into a hidden ``..data``."""
    data = directory / "..2026_12_03_13_00_00.000000001"
    data.mkdir(parents=True)
    for name, secret in secrets.items():
        (data / name).write_text(secret)
    (directory / "..data").symlink_to(data.name)
    for name in secrets:
        (directory / name).symlink_to(Path("..data") / name)
    return directory


def test_each_file_is_the_client_secret_of_the_provider_it_is_named_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mounted = _mounted_secret(tmp_path / "oidc", {"idporten": "first-secret\n", "entra-kommune": "second"})
    monkeypatch.setenv("VARDE_OIDC_CLIENT_SECRETS_DIR", str(mounted))
    monkeypatch.setenv("VARDE_OIDC_CLIENT_SECRETS", '{"feide": "from-json"}')
    assert GatewaySettings().read_oidc_client_secrets() == {
        "feide": "from-json",
        "idporten": "first-secret",
        "entra-kommune": "second",
    }


def test_a_provider_given_both_in_json_and_as_a_file_is_refused(tmp_path: Path) -> None:
    mounted = _mounted_secret(tmp_path / "oidc", {"idporten": "from-file"})
    settings = GatewaySettings(oidc_client_secrets={"idporten": "from-json"}, oidc_client_secrets_dir=mounted)
    with pytest.raises(RuntimeError, match="'idporten' is given twice"):
        settings.read_oidc_client_secrets()


def test_without_a_directory_the_json_setting_alone_counts() -> None:
    assert GatewaySettings(oidc_client_secrets={"feide": "s"}).read_oidc_client_secrets() == {"feide": "s"}
