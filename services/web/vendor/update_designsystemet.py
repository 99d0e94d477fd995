"""Digdir's Designsystemet and the Inter font for the web client, as pinned built files in the repository: run by
``make vendor-web`` (it needs npm and the npm registry), never by ``make run`` or a service (nothing is fetched at
run time, and no page loads anything from a CDN).

Each package below is fetched with ``npm pack`` at its pinned version, its tarball checked against the integrity
the registry publishes (and against ``lock.json``, when that already names the same version), and only the built
files a page needs are copied into ``varde_web/static/vendor/``, each package's licence beside its files:

- ``@digdir/designsystemet-css``: the components' stylesheet (``dist/src/index.css``, layer ``ds``);
- ``@digdir/designsystemet-theme``: one theme, the package's default (``src/themes/designsystemet.css``); it must
  define every ``--ds-*`` token the components' stylesheet uses, or nothing is written;
- ``@fontsource-variable/inter``: Inter's variable font (weight axis, upright), latin and latin-ext subsets, woff2
  only, with a ``fonts.css`` written here that names it ``Inter`` (the theme's ``--ds-font-family``) at relative
  URLs; the theme's weights must lie on the font's weight axis.

``lock.json`` beside this script lists each package (version, tarball, integrity, licence) and each file written
(its SHA-256 and size); ``tests/contracts/test_vendored_web_assets.py`` holds the files to it. Updating is: change
a version below, run ``make vendor-web``, look at the pages, commit.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CSS_VERSION = "1.22.0"
THEME_VERSION = "1.11.0"  # the newest; it carries the same default theme as designsystemet-css 1.22.0's own
INTER_VERSION = "5.3.0"
INTER_SUBSETS = ("latin-ext", "latin")  # in this order: where ranges overlap, the face declared last is tried first

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
VENDOR = HERE.parent / "varde_web" / "static" / "vendor"
LOCK = HERE / "lock.json"
FONTS_CSS = "fonts.css"
GENERATED = "generated from package/unicode.json and package/metadata.json"


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    folder: str  # under static/vendor
    files: dict[str, str]  # path in the tarball -> file name in the folder

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"


CSS = Package(
    "@digdir/designsystemet-css",
    CSS_VERSION,
    "designsystemet/css",
    {"package/dist/src/index.css": "index.css", "package/LICENSE": "LICENSE"},
)
THEME = Package(
    "@digdir/designsystemet-theme",
    THEME_VERSION,
    "designsystemet/theme",
    {"package/src/themes/designsystemet.css": "designsystemet.css", "package/LICENSE": "LICENSE"},
)
INTER = Package(
    "@fontsource-variable/inter",
    INTER_VERSION,
    "inter",
    {
        **{
            f"package/files/inter-{subset}-wght-normal.woff2": f"inter-{subset}-wght-normal.woff2"
            for subset in INTER_SUBSETS
        },
        "package/LICENSE": "LICENSE",
    },
)
PACKAGES = (CSS, THEME, INTER)
# What every page links; latin-ext is fetched only when a page shows one of its letters (Sámi š, ž, č, đ, ŋ, ŧ).
PAGE_LOADS = (
    f"{CSS.folder}/index.css",
    f"{THEME.folder}/designsystemet.css",
    f"{INTER.folder}/{FONTS_CSS}",
    f"{INTER.folder}/inter-latin-wght-normal.woff2",
)

_TOKEN_USE = re.compile(r"var\(\s*(--ds-[A-Za-z0-9_-]+)")
_TOKEN_DEFINITION = re.compile(r"(--ds-[A-Za-z0-9_-]+)\s*:\s*([^;{}]*)")


def undefined_tokens(components_css: str, theme_css: str) -> list[str]:
    """The ``--ds-*`` tokens the components' stylesheet reads that neither it nor the theme defines."""
    defined = {name for name, _ in _TOKEN_DEFINITION.findall(components_css + theme_css)}
    return sorted(set(_TOKEN_USE.findall(components_css)) - defined)


def theme_token_values(theme_css: str, prefix: str) -> set[str]:
    """Every value the theme gives a token whose name starts with ``prefix`` (e.g. ``--ds-font-family``)."""
    return {value.strip() for name, value in _TOKEN_DEFINITION.findall(theme_css) if name.startswith(prefix)}


def npm(*args: str) -> str:
    if shutil.which("npm") is None:
        raise SystemExit("npm is needed to update the vendored files (make run does not need it): install Node.js")
    result = subprocess.run(["npm", *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"npm {' '.join(args)} failed:\n{result.stderr.strip()}")
    return result.stdout


def integrity_of(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


@dataclass(frozen=True)
class Fetched:
    package: Package
    tarball_url: str
    integrity: str
    license: str
    members: dict[str, bytes]  # path in the tarball -> content, regular files only


def fetch(package: Package, folder: Path, locked: dict[str, str]) -> Fetched:
    dist = json.loads(npm("view", package.spec, "dist", "--json"))
    deprecated = npm("view", package.spec, "deprecated").strip()
    if deprecated:
        raise SystemExit(f"{package.spec} is deprecated in the registry: {deprecated}")
    packed = json.loads(npm("pack", package.spec, "--json", "--ignore-scripts", "--pack-destination", str(folder)))
    data = (folder / packed[0]["filename"]).read_bytes()
    integrity = integrity_of(data)
    if integrity != dist["integrity"]:
        raise SystemExit(f"{package.spec}: the tarball is {integrity}, the registry says {dist['integrity']}")
    if locked.get(package.spec, integrity) != integrity:
        raise SystemExit(f"{package.spec}: the tarball is {integrity}, lock.json says {locked[package.spec]}")
    members: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            if member.isfile():
                extracted = tar.extractfile(member)
                assert extracted is not None
                members[member.name] = extracted.read()
    absent = sorted(set(package.files) - set(members))
    if absent:
        raise SystemExit(f"{package.spec} has no {', '.join(absent)}: the package's layout changed, adjust this script")
    manifest = json.loads(members["package/package.json"])
    return Fetched(package, dist["tarball"], integrity, str(manifest.get("license", "")), members)


def fonts_css(inter: Fetched, family: str) -> str:
    """``@font-face`` rules for the vendored subsets, at URLs relative to ``fonts.css``."""
    ranges = json.loads(inter.members["package/unicode.json"])
    axis = json.loads(inter.members["package/metadata.json"])["variable"]["wght"]
    rules = [
        f"/* Inter from {inter.package.spec}, SIL Open Font License 1.1 (LICENSE); "
        f"written by services/web/vendor/update_designsystemet.py */"
    ]
    for subset in INTER_SUBSETS:
        rules.append(
            "@font-face {\n"
            f'  font-family: "{family}";\n'
            "  font-style: normal;\n"
            "  font-display: swap;\n"
            f"  font-weight: {axis['min']} {axis['max']};\n"
            f'  src: url("inter-{subset}-wght-normal.woff2") format("woff2");\n'
            f"  unicode-range: {ranges[subset]};\n"
            "}"
        )
    return "\n".join(rules) + "\n"


def checked_family(theme_css: str, inter: Fetched) -> str:
    """The one family the theme sets, and a check that the font's weight axis covers every weight it uses."""
    families = theme_token_values(theme_css, "--ds-font-family")
    if len(families) != 1:
        raise SystemExit(f"the theme sets the font families {sorted(families)}; this script vendors Inter only")
    family = next(iter(families)).strip("'\"")
    if family != "Inter":
        raise SystemExit(f"the theme's font is {family}, not Inter: vendor that font instead")
    axis = json.loads(inter.members["package/metadata.json"])["variable"]["wght"]
    weights = {int(value) for value in theme_token_values(theme_css, "--ds-font-weight-") if value.isdigit()}
    outside = sorted(weight for weight in weights if not int(axis["min"]) <= weight <= int(axis["max"]))
    if not weights or outside:
        raise SystemExit(f"the theme's font weights {sorted(weights)} are not all on Inter's axis {axis}")
    return family


def locked_integrities() -> dict[str, str]:
    if not LOCK.is_file():
        return {}
    lock = json.loads(LOCK.read_text())
    return {f"{entry['name']}@{entry['version']}": entry["integrity"] for entry in lock["packages"]}


def write(fetched: Fetched, outputs: list[tuple[str, str, bytes]]) -> dict[str, Any]:
    """Writes one package's files under static/vendor and returns its entry in lock.json."""
    files = []
    for relative, source, content in sorted(outputs):
        target = VENDOR / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        files.append(
            {"path": relative, "from": source, "sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
        )
    return {
        "name": fetched.package.name,
        "version": fetched.package.version,
        "tarball": fetched.tarball_url,
        "integrity": fetched.integrity,
        "license": fetched.license,
        "files": files,
    }


def transferred(path: Path) -> int:
    """The bytes a browser receives: gzip (level 9, as Starlette's GZipMiddleware) for text; woff2 is compressed."""
    content = path.read_bytes()
    return len(content) if path.suffix == ".woff2" else len(gzip.compress(content, compresslevel=9, mtime=0))


def main() -> int:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args()
    with tempfile.TemporaryDirectory() as folder:
        locked = locked_integrities()
        fetched = {package.name: fetch(package, Path(folder), locked) for package in PACKAGES}
    components = fetched[CSS.name].members["package/dist/src/index.css"].decode()
    theme = fetched[THEME.name].members["package/src/themes/designsystemet.css"].decode()
    missing = undefined_tokens(components, theme)
    if missing:
        raise SystemExit(f"{THEME.spec} does not define what {CSS.spec} uses: {', '.join(missing)}")
    family = checked_family(theme, fetched[INTER.name])

    outputs: dict[str, list[tuple[str, str, bytes]]] = {}  # package -> (file, source, content)
    for package in PACKAGES:
        members = fetched[package.name].members
        outputs[package.name] = [
            (f"{package.folder}/{name}", source, members[source]) for source, name in package.files.items()
        ]
    outputs[INTER.name].append(
        (f"{INTER.folder}/{FONTS_CSS}", GENERATED, fonts_css(fetched[INTER.name], family).encode())
    )

    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    lock: dict[str, Any] = {
        "about": "Written by update_designsystemet.py (make vendor-web); do not edit. "
        "tests/contracts/test_vendored_web_assets.py holds the files under root to it.",
        "root": VENDOR.relative_to(ROOT).as_posix(),
        "packages": [write(fetched[package.name], outputs[package.name]) for package in PACKAGES],
    }
    LOCK.write_text(json.dumps(lock, indent=2, ensure_ascii=False) + "\n")
    for entry in lock["packages"]:
        print(f"{entry['name']}@{entry['version']}")
        for file in entry["files"]:
            print(f"  {file['path']:48} {file['size']:>8} bytes, {transferred(VENDOR / file['path']):>7} compressed")
    page = sum(transferred(VENDOR / relative) for relative in PAGE_LOADS)
    print(f"a page in bokmål or nynorsk loads {page} bytes compressed: {', '.join(PAGE_LOADS)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
