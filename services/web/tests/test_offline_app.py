"""The installable report form: the manifest a browser needs to install it, the service worker at the site's root
with the version of what it keeps in its cache's name, and the icons as the code draws them."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path
from typing import Any

import httpx
import pytest
from varde_web import icons, offline
from varde_web.app import create_app
from varde_web.config import WebSettings

STATIC = Path(offline.__file__).parent / "static"


def web(cookies: dict[str, str] | None = None) -> httpx.AsyncClient:
    app = create_app(WebSettings(gateway_url="http://127.0.0.1:9"))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://web", cookies=cookies)


def worker_settings(script: str) -> dict[str, Any]:
    """What the web put in front of the worker's code: ``self.VARDE = {...};``."""
    first_line = script.split("\n", 1)[0]
    assert first_line.startswith("self.VARDE = ")
    assert first_line.endswith(";")
    return dict(json.loads(first_line.removeprefix("self.VARDE = ").removesuffix(";")))


@pytest.mark.parametrize(
    ("language", "description"),
    [
        ("nb", "uønskede hendelser og forslag fra telefonen, også uten nett"),
        ("nn", "uønskte hendingar og forslag frå telefonen, også utan nett"),
    ],
)
async def test_the_manifest_installs_the_report_form_in_the_persons_malform(language: str, description: str) -> None:
    async with web({"varde_malform": language}) as client:
        answer = await client.get("/manifest.webmanifest")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/manifest+json"
    manifest = answer.json()
    assert (manifest["name"], manifest["lang"]) == ("Varde – meld avvik", language)
    assert description in manifest["description"]
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/meld", "/", "standalone")
    assert {"any", "maskable"} <= {icon["purpose"] for icon in manifest["icons"]}


def test_every_icon_of_the_manifest_is_a_file_of_the_size_it_says() -> None:
    for icon in offline.ICONS:
        path = STATIC / icon["src"].removeprefix("/static/")
        content = path.read_bytes()
        if icon["type"] == "image/png":
            assert content[:8] == b"\x89PNG\r\n\x1a\n", path
            width, height = struct.unpack(">II", content[16:24])
            assert f"{width}x{height}" == icon["sizes"]
        else:
            assert content.startswith(b"<svg")
            assert icon["sizes"] == "any"


def test_the_icons_in_the_repository_are_what_the_code_draws() -> None:
    for name, content in icons.drawn().items():
        assert (icons.ICONS / name).read_bytes() == content, f"{name}: run python -m varde_web.icons"


def test_the_icon_stones_stay_inside_the_safe_zone_of_a_maskable_icon() -> None:
    centre = icons.CANVAS / 2
    for stone in icons.STONES:
        farthest = max(
            ((stone.cx + dx * stone.rx - centre) ** 2 + (stone.cy + dy * stone.ry - centre) ** 2) ** 0.5
            for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1), (0.8, 0.6), (-0.8, 0.6), (0.8, -0.6), (-0.8, -0.6))
        )
        assert farthest <= 0.4 * icons.CANVAS, stone


async def test_the_service_worker_is_served_from_the_root_with_the_version_of_what_it_keeps() -> None:
    async with web() as client:
        answer = await client.get("/sw.js")
        settings = worker_settings(answer.text)
        shell = [await client.get(path) for path in settings["shell"]]
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/javascript")
    assert answer.headers["cache-control"] == "no-cache"
    assert re.fullmatch(r"[0-9a-f]{12}", settings["version"])
    assert "const CACHE = `varde-meld-${self.VARDE.version}`;" in answer.text
    assert [response.status_code for response in shell] == [200] * len(shell)
    assert "/static/varde.css" in settings["shell"]
    assert "/static/outbox.js" in settings["shell"]


def test_a_change_to_a_kept_file_is_a_new_version(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    before = offline.shell_version()
    copy = tmp_path / "varde_web"
    (copy / "worker").mkdir(parents=True)
    (copy / "worker" / "sw.js").write_bytes(offline.WORKER.read_bytes())
    for name in offline.SHELL:
        (copy / "static" / name).parent.mkdir(parents=True, exist_ok=True)
        (copy / "static" / name).write_bytes((STATIC / name).read_bytes())
    monkeypatch.setattr(offline, "PACKAGE", copy)
    monkeypatch.setattr(offline, "WORKER", copy / "worker" / "sw.js")
    offline.shell_version.cache_clear()
    try:
        assert offline.shell_version() == before
        (copy / "static" / "varde.css").write_text("/* changed */", encoding="utf-8")
        offline.shell_version.cache_clear()
        assert offline.shell_version() != before
    finally:
        offline.shell_version.cache_clear()
