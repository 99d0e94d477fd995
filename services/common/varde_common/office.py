"""What an office file (a zip) really is, read the way the office programs read it, and whether it can run code.

Office Open XML (docx, xlsx) is an OPC package: ``[Content_Types].xml`` gives every part its content type, and
the ``.rels`` parts say what each part is to the document. Word finds its macros through a relationship of type
``…/vbaProject`` whose part has the content type ``application/vnd.ms-office.vbaProject``, whatever the part is
called, so both are checked, not the names (ECMA-376 part 2, Open Packaging Conventions).
The main document is found through the package's ``officeDocument`` relationship and named by its content type:
a macro-enabled main document (docm, xlsm, templates, add-ins) is never taken for a docx or xlsx.

OpenDocument (odt, ods) names its type in the ``mimetype`` member; LibreOffice loads macros from the fixed folders
``Basic/`` and ``Scripts/``, so there the names are what the program goes by.

Only the zip's directory and small XML members are read (no member is unpacked beyond ``MAX_XML_BYTES``, and no
more than ``MAX_XML_TOTAL_BYTES`` in all, from at most ``MAX_MEMBERS`` members), and XML with a document type
declaration is refused: no OOXML part has one, and entities are how XML bombs work. The budget is what keeps a
small upload from being a long one: a megabyte of relationships packs into a kilobyte, and ten thousand of them
would have been minutes of parsing.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from xml.parsers import expat

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"

MAX_XML_BYTES = 1_048_576
"""The largest content-types, relationships or manifest member read; a real one is a few kilobytes."""
MAX_XML_TOTAL_BYTES = 4 * MAX_XML_BYTES
"""All the XML read from one file; a real document's relationships and content types are tens of kilobytes."""
MAX_MEMBERS = 5000
"""Members of one file; a long report with its images has a few hundred."""

_MAIN_DOCUMENTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
_OPEN_DOCUMENTS = {ODT.encode(): ODT, ODS.encode(): ODS}
# Content types and relationship types of parts that hold or start code: VBA projects and their data, Excel 4
# macro sheets, ActiveX controls, Word's key bindings to macros, and every macro-enabled main document.
_CODE = re.compile(r"macroenabled|vbaproject|vbadata|macrosheet|activex|keymapcustomizations", re.IGNORECASE)
_OFFICE_DOCUMENT = "/officeDocument"
_ATTACHED_TEMPLATE = "/attachedTemplate"
_MACRO_FOLDERS = ("basic/", "scripts/")


class _NotAPackage(Exception):
    """The zip is not an office file we can vouch for."""


def office_type(archive: zipfile.ZipFile) -> str | None:
    """DOCX, XLSX, ODT or ODS when the archive is one, without anything that runs code; None otherwise."""
    try:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        if len(infos) > MAX_MEMBERS:
            return None
        budget = _Budget(MAX_XML_TOTAL_BYTES)
        members = {info.filename.lower(): info for info in infos}
        if len(members) != len(infos):
            return None  # two members of one name: which one a program reads is anyone's guess
        if "mimetype" in members:
            return _open_document_type(_Reader(archive, budget), members)
        if "[content_types].xml" in members:
            return _open_xml_type(_Reader(archive, budget), members)
    except (_NotAPackage, zipfile.BadZipFile, KeyError, ValueError, NotImplementedError, expat.ExpatError, EOFError):
        return None
    except zlib.error:  # a member whose compressed bytes are damaged
        return None
    return None


def _open_document_type(archive: _Reader, members: dict[str, zipfile.ZipInfo]) -> str | None:
    if any(name.startswith(_MACRO_FOLDERS) for name in members):
        return None
    manifest = members.get("meta-inf/manifest.xml")
    if manifest is not None:
        for _, attributes in _elements(archive.read(manifest)):
            path = next((v for k, v in attributes.items() if k.endswith("full-path")), "")
            if path.lower().lstrip("/").startswith(_MACRO_FOLDERS):
                return None
    return _OPEN_DOCUMENTS.get(archive.read(members["mimetype"], limit=100).strip())


def _open_xml_type(archive: _Reader, members: dict[str, zipfile.ZipInfo]) -> str | None:
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    for tag, attributes in _elements(archive.read(members["[content_types].xml"])):
        if tag == "Default":
            defaults[attributes.get("Extension", "").lower()] = attributes.get("ContentType", "")
        elif tag == "Override":
            overrides[attributes.get("PartName", "").lower().lstrip("/")] = attributes.get("ContentType", "")
    if any(_CODE.search(content_type) for content_type in [*defaults.values(), *overrides.values()]):
        return None

    def content_type(part: str) -> str | None:
        # The extension is what follows the last dot of the last segment: ".rels" has the extension "rels".
        segment = part.rsplit("/", 1)[-1]
        return overrides.get(part) or (defaults.get(segment.rpartition(".")[2]) if "." in segment else None)

    parts = [name for name in members if name != "[content_types].xml"]
    if any(content_type(part) is None for part in parts):
        return None  # OPC gives every part a content type: an undeclared one is a place to hide something
    main: str | None = None
    for part in (name for name in parts if name.endswith(".rels")):
        for kind, target, external in _relationships(archive.read(members[part])):
            if _CODE.search(kind) or (kind.endswith(_ATTACHED_TEMPLATE) and external):
                return None  # a macro project, or a template (with its macros) fetched from elsewhere
            if part == "_rels/.rels" and kind.endswith(_OFFICE_DOCUMENT) and not external:
                main = posixpath.normpath(target.lower().lstrip("/"))
    return None if main is None else _MAIN_DOCUMENTS.get(content_type(main) or "")


def _relationships(xml: bytes) -> Iterator[tuple[str, str, bool]]:
    """(type, target, external) of each relationship in a ``.rels`` part."""
    for tag, attributes in _elements(xml):
        if tag == "Relationship":
            external = attributes.get("TargetMode", "Internal") == "External"
            yield attributes.get("Type", ""), attributes.get("Target", ""), external


class _Budget:
    def __init__(self, total_bytes: int) -> None:
        self.left = total_bytes


class _Reader:
    """Reads members of one archive, each within its limit and all within one budget (the sizes the zip's directory
    gives are the writer's word: what is counted is what came out)."""

    def __init__(self, archive: zipfile.ZipFile, budget: _Budget) -> None:
        self.archive = archive
        self.budget = budget

    def read(self, member: zipfile.ZipInfo, limit: int = MAX_XML_BYTES) -> bytes:
        limit = min(limit, self.budget.left)
        if member.file_size > limit:
            raise _NotAPackage()
        with self.archive.open(member) as stream:
            content = stream.read(limit + 1)
        if len(content) > limit:
            raise _NotAPackage()
        self.budget.left -= len(content)
        return content


def _elements(xml: bytes) -> list[tuple[str, dict[str, str]]]:
    """Each element's local name and attributes, in document order; no document type declaration allowed."""
    found: list[tuple[str, dict[str, str]]] = []
    parser = expat.ParserCreate(namespace_separator="}")

    def start(name: str, attributes: dict[str, str]) -> None:
        found.append((name.rsplit("}", 1)[-1], attributes))

    def refuse(*_: object) -> None:
        raise _NotAPackage()

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.Parse(xml, True)
    return found
