"""The web client's vendored Designsystemet and Inter files are exactly what the pinned packages shipped.

`services/web/vendor/update_designsystemet.py` (`make vendor-web`) copies them from the npm registry into
`services/web/varde_web/static/vendor/` and lists each in `lock.json` with its SHA-256. Here: every listed file is
there unchanged and nothing else is; no stylesheet loads anything from another host (a page takes nothing from a
CDN), and what its `url()`s name is there; each package keeps its licence; the lock holds the versions the script
pins; the theme defines every token the components use, and names the font the vendored `@font-face` rules give,
in weights the font has. The checks are also run on a tampered copy, so a check that finds nothing is seen to work.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import shutil
import sys
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "services" / "web" / "vendor" / "update_designsystemet.py"
LOCK = SCRIPT.parent / "lock.json"
VENDOR = ROOT / "services" / "web" / "varde_web" / "static" / "vendor"

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
# url(…) with a quoted or bare target, and @import "…" (an @import url(…) is found by the first)
_URL = re.compile(r"""url\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^)'"\s]*))\s*\)""", re.I)
_IMPORT = re.compile(r"""@import\s+(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""", re.I)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_FONT_FACE = re.compile(r"@font-face\s*\{([^}]*)\}", re.I)


@cache
def script() -> ModuleType:
    """The update script, loaded from its file (it is no package): its pins and its token reading."""
    spec = importlib.util.spec_from_file_location("update_designsystemet", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def lock() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(LOCK.read_text())
    return loaded


def locked_files() -> dict[str, dict[str, Any]]:
    return {file["path"]: file for package in lock()["packages"] for file in package["files"]}


def lock_mismatches(vendor: Path) -> list[str]:
    """Each listed file that is missing or differs from its SHA-256 and size, and each file the lock does not list."""
    listed = locked_files()
    found = []
    for relative, file in sorted(listed.items()):
        path = vendor / relative
        if not path.is_file():
            found.append(f"{relative}: missing")
            continue
        content = path.read_bytes()
        if hashlib.sha256(content).hexdigest() != file["sha256"] or len(content) != file["size"]:
            found.append(f"{relative}: differs from lock.json")
    present = {path.relative_to(vendor).as_posix() for path in vendor.rglob("*") if path.is_file()}
    found += [f"{relative}: not in lock.json" for relative in sorted(present - set(listed))]
    return found


def references(css: str) -> list[str]:
    """What a stylesheet asks the browser to load: every url() and @import target, comments left out."""
    css = _COMMENT.sub("", css)
    return [
        next(group for group in match.groups() if group is not None)
        for match in [*_URL.finditer(css), *_IMPORT.finditer(css)]
    ]


def loads_from_elsewhere(vendor: Path) -> list[str]:
    """Each reference of a vendored stylesheet that is not a data: URL or a file beside it under static/vendor."""
    found = []
    for path in sorted(vendor.rglob("*.css")):
        relative = path.relative_to(vendor).as_posix()
        for target in references(path.read_text()):
            if target.lower().startswith("data:"):
                continue
            if _SCHEME.match(target) or target.startswith(("/", "\\")):
                found.append(f"{relative}: {target} is not a relative URL")
                continue
            named = (path.parent / target.split("#")[0].split("?")[0]).resolve()
            if not named.is_relative_to(vendor.resolve()) or not named.is_file():
                found.append(f"{relative}: {target} is no file under static/vendor")
    return found


def test_every_file_the_lock_lists_is_there_with_its_sha256_and_no_other() -> None:
    assert locked_files(), "lock.json lists no files"
    assert lock_mismatches(VENDOR) == []


def test_no_vendored_stylesheet_loads_anything_from_another_host() -> None:
    stylesheets = sorted(path.relative_to(VENDOR).as_posix() for path in VENDOR.rglob("*.css"))
    assert stylesheets == sorted(path for path in locked_files() if path.endswith(".css"))
    assert sum(len(references((VENDOR / path).read_text())) for path in stylesheets) > 2
    assert loads_from_elsewhere(VENDOR) == []


def test_the_font_faces_name_the_vendored_woff2_files_by_relative_url() -> None:
    fonts = VENDOR / "inter" / "fonts.css"
    targets = sorted(references(fonts.read_text()))
    assert targets == ["inter-latin-ext-wght-normal.woff2", "inter-latin-wght-normal.woff2"]
    assert all((fonts.parent / target).is_file() for target in targets)


def test_a_tampered_copy_is_caught_by_the_checks(tmp_path: Path) -> None:
    copy = tmp_path / "vendor"
    shutil.copytree(VENDOR, copy)
    theme = copy / "designsystemet" / "theme" / "designsystemet.css"
    theme.write_text(theme.read_text().replace("Inter", "Arial", 1))
    (copy / "designsystemet" / "extra.css").write_text("a { color: red }\n")
    (copy / "inter" / "inter-latin-ext-wght-normal.woff2").unlink()
    components = copy / "designsystemet" / "css" / "index.css"
    components.write_text(
        '@import "https://cdn.jsdelivr.net/npm/@digdir/designsystemet-css/dist/src/index.css";\n'
        "@font-face { font-family: X; src: url(//fonts.gstatic.com/x.woff2) }\n"
        "@font-face { font-family: Y; src: url('/static/y.woff2') }\n" + components.read_text()
    )

    assert lock_mismatches(copy) == [
        "designsystemet/css/index.css: differs from lock.json",
        "designsystemet/theme/designsystemet.css: differs from lock.json",
        "inter/inter-latin-ext-wght-normal.woff2: missing",
        "designsystemet/extra.css: not in lock.json",
    ]
    assert loads_from_elsewhere(copy) == [
        "designsystemet/css/index.css: //fonts.gstatic.com/x.woff2 is not a relative URL",
        "designsystemet/css/index.css: /static/y.woff2 is not a relative URL",
        "designsystemet/css/index.css: https://cdn.jsdelivr.net/npm/@digdir/designsystemet-css/dist/src/index.css "
        "is not a relative URL",
        "inter/fonts.css: inter-latin-ext-wght-normal.woff2 is no file under static/vendor",
    ]


def test_each_package_keeps_its_own_licence_beside_its_files() -> None:
    for package in lock()["packages"]:
        licences = [file for file in package["files"] if file["from"] == "package/LICENSE"]
        assert len(licences) == 1, package["name"]
        licence = VENDOR / licences[0]["path"]
        folders = {(VENDOR / file["path"]).parent for file in package["files"]}
        assert folders == {licence.parent}, package["name"]
        assert "Permission" in licence.read_text() or "Open Font License" in licence.read_text()


def test_the_lock_holds_the_versions_and_files_the_script_pins() -> None:
    pinned = {package.name: package for package in script().PACKAGES}
    assert {package["name"]: package["version"] for package in lock()["packages"]} == {
        name: package.version for name, package in pinned.items()
    }
    for package in lock()["packages"]:
        sources = {file["from"] for file in package["files"]} - {script().GENERATED}
        assert sources == set(pinned[package["name"]].files), package["name"]
        assert package["integrity"].startswith("sha512-")


def test_the_theme_defines_every_token_the_components_use() -> None:
    components = (VENDOR / "designsystemet" / "css" / "index.css").read_text()
    theme = (VENDOR / "designsystemet" / "theme" / "designsystemet.css").read_text()
    assert len(re.findall(r"var\(--ds-", components)) > 100
    assert script().undefined_tokens(components, theme) == []
    assert script().undefined_tokens(components + "a{color:var(--ds-color-not-in-any-theme)}", theme) == [
        "--ds-color-not-in-any-theme"
    ]


def test_the_font_faces_give_the_themes_family_in_every_weight_it_uses() -> None:
    theme = (VENDOR / "designsystemet" / "theme" / "designsystemet.css").read_text()
    faces = _FONT_FACE.findall((VENDOR / "inter" / "fonts.css").read_text())
    assert len(faces) == 2
    weights = {int(value) for value in script().theme_token_values(theme, "--ds-font-weight-")}
    assert weights == {400, 500, 600}
    for face in faces:
        pairs = (part.split(":", 1) for part in face.split(";") if ":" in part)
        declarations = {name.strip(): value.strip() for name, value in pairs}
        assert {declarations["font-family"].strip("\"'")} == script().theme_token_values(theme, "--ds-font-family")
        low, high = map(int, declarations["font-weight"].split())
        assert all(low <= weight <= high for weight in weights)
        assert declarations["font-style"] == "normal"
