"""Small but well-formed office files for tests: an OPC package as Word and Excel write it (content types,
relationships, the main part), with the changes a test needs (a macro project, a renamed part, a template)."""

from __future__ import annotations

import io
import zipfile

PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
VBA_PROJECT = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
ATTACHED_TEMPLATE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
EXCEL_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
VBA_PROJECT_TYPE = "application/vnd.ms-office.vbaProject"


def zip_file(*members: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue()


def content_types(defaults: dict[str, str], overrides: dict[str, str]) -> bytes:
    entries = [f'<Default Extension="{ext}" ContentType="{kind}"/>' for ext, kind in defaults.items()]
    entries += [f'<Override PartName="/{part}" ContentType="{kind}"/>' for part, kind in overrides.items()]
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' + "".join(entries) + "</Types>"
    ).encode()


def relationships(*relations: tuple[str, str, bool]) -> bytes:
    """(type, target, external) each."""
    entries = [
        f'<Relationship Id="rId{i}" Type="{kind}" Target="{target}"' + (' TargetMode="External"/>' if ext else "/>")
        for i, (kind, target, ext) in enumerate(relations, start=1)
    ]
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
        + "".join(entries)
        + "</Relationships>"
    ).encode()


def word_file(
    *,
    main_part: str = "word/document.xml",
    main_type: str = WORD_MAIN,
    extra_parts: dict[str, tuple[str, bytes]] | None = None,
    document_relations: tuple[tuple[str, str, bool], ...] = (),
    defaults: dict[str, str] | None = None,
) -> bytes:
    """A Word file: ``extra_parts`` maps a part name to (content type, bytes); ``document_relations`` are the main
    part's relationships (type, target relative to its folder, external)."""
    extra = extra_parts or {}
    known = {"rels": "application/vnd.openxmlformats-package.relationships+xml", "xml": "application/xml"}
    overrides = {main_part: main_type} | {part: kind for part, (kind, _) in extra.items()}
    folder, name = main_part.rsplit("/", 1)
    members = [
        ("[Content_Types].xml", content_types(known | (defaults or {}), overrides)),
        ("_rels/.rels", relationships((OFFICE_DOCUMENT, main_part, False))),
        (main_part, b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'),
        *((part, content) for part, (_, content) in extra.items()),
    ]
    if document_relations:
        members.append((f"{folder}/_rels/{name}.rels", relationships(*document_relations)))
    return zip_file(*members)


def excel_file(*, main_type: str = EXCEL_MAIN) -> bytes:
    known = {"rels": "application/vnd.openxmlformats-package.relationships+xml", "xml": "application/xml"}
    return zip_file(
        ("[Content_Types].xml", content_types(known, {"xl/workbook.xml": main_type})),
        ("_rels/.rels", relationships((OFFICE_DOCUMENT, "xl/workbook.xml", False))),
        ("xl/workbook.xml", b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'),
    )
