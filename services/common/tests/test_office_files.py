"""Issue 15, finding 10: an office upload is what its content types and relationships say it is, as Word and
Excel read it; a macro project is refused whatever its part is called."""

from __future__ import annotations

import io
import zipfile

import pytest

from varde_common import office
from varde_common.attachments import sniff_content_type
from varde_common.office import DOCX, ODS, ODT, XLSX
from varde_common.testing.office_files import (
    ATTACHED_TEMPLATE,
    VBA_PROJECT,
    VBA_PROJECT_TYPE,
    WORD_MACRO_MAIN,
    excel_file,
    word_file,
    zip_file,
)

MACROS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the start of a VBA project's compound file


def test_a_word_and_an_excel_file_are_recognised_by_the_content_type_of_their_main_part() -> None:
    assert sniff_content_type(word_file()) == DOCX
    assert sniff_content_type(word_file(main_part="tekst/hoveddel.xml")) == DOCX  # the name is not what counts
    assert sniff_content_type(excel_file()) == XLSX


def test_a_macro_project_under_another_name_is_refused_by_its_content_type() -> None:
    disguised = word_file(
        extra_parts={"word/media/image9.png": (VBA_PROJECT_TYPE, MACROS)},
        document_relations=((VBA_PROJECT, "media/image9.png", False),),
    )
    assert sniff_content_type(disguised) is None


def test_a_macro_project_under_another_name_and_type_is_refused_by_its_relationship() -> None:
    disguised = word_file(
        extra_parts={"word/media/image9.png": ("image/png", MACROS)},
        document_relations=((VBA_PROJECT, "media/image9.png", False),),
    )
    assert sniff_content_type(disguised) is None


def test_a_macro_enabled_main_document_is_not_a_docx_whatever_its_parts_are_called() -> None:
    assert sniff_content_type(word_file(main_type=WORD_MACRO_MAIN)) is None
    assert sniff_content_type(excel_file(main_type="application/vnd.ms-excel.sheet.macroEnabled.main+xml")) is None


def test_a_macro_content_type_declared_anywhere_refuses_the_file() -> None:
    assert sniff_content_type(word_file(defaults={"bin": VBA_PROJECT_TYPE})) is None


def test_a_template_fetched_from_elsewhere_is_refused() -> None:
    """A remote template brings its macros with it when Word opens the file."""
    remote = word_file(document_relations=((ATTACHED_TEMPLATE, "https://angriper.example/mal.dotm", True),))
    assert sniff_content_type(remote) is None


def test_a_part_without_a_declared_content_type_refuses_the_file() -> None:
    """OPC gives every part a content type; Word would not load an undeclared one, so it has no business there."""
    assert sniff_content_type(zip_file(*_members(word_file()), ("word/vbaData", MACROS))) is None


def test_content_types_with_a_document_type_declaration_are_refused() -> None:
    """No OOXML part declares a DTD; its entities are how an XML bomb is built."""
    bomb = b'<?xml version="1.0"?><!DOCTYPE Types [<!ENTITY a "aaaaaaaaaa">]><Types>&a;</Types>'
    members = [(name, content) for name, content in _members(word_file()) if name != "[Content_Types].xml"]
    assert sniff_content_type(zip_file(("[Content_Types].xml", bomb), *members)) is None


def test_an_open_document_with_basic_or_script_macros_is_refused() -> None:
    text = ("mimetype", ODT.encode())
    manifest = (
        b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        b'<manifest:file-entry manifest:full-path="/" manifest:media-type="%s"/>'
        b'<manifest:file-entry manifest:full-path="Basic/Standard/Module1.xml" manifest:media-type="text/xml"/>'
        b"</manifest:manifest>"
    ) % ODT.encode()
    assert sniff_content_type(zip_file(text, ("content.xml", b"<x/>"))) == ODT
    assert sniff_content_type(zip_file(("mimetype", ODS.encode()), ("content.xml", b"<x/>"))) == ODS
    assert sniff_content_type(zip_file(text, ("content.xml", b"<x/>"), ("Basic/Standard/Module1.xml", b"<x/>"))) is None
    assert sniff_content_type(zip_file(text, ("Scripts/python/run.py", b"import os"))) is None
    assert sniff_content_type(zip_file(text, ("META-INF/manifest.xml", manifest))) is None


def _members(package: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return [(name, archive.read(name)) for name in archive.namelist()]


def test_a_package_with_two_members_of_one_name_or_damaged_bytes_is_refused() -> None:
    with pytest.warns(UserWarning, match="Duplicate name"):
        doubled = zip_file(*_members(word_file()), ("[Content_Types].xml", b"<Types/>"))
    assert sniff_content_type(doubled) is None
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in _members(word_file()):
            archive.writestr(name, content)
    damaged = bytearray(buffer.getvalue())
    start = damaged.index(b"[Content_Types].xml") + len("[Content_Types].xml")
    damaged[start : start + 40] = bytes(40)  # the compressed bytes of the first member
    assert sniff_content_type(bytes(damaged)) is None


def test_a_file_whose_xml_unpacks_beyond_the_budget_is_refused_before_it_is_all_read() -> None:
    # A megabyte of relationships packs into about a kilobyte: twenty of them are a small upload that would have
    # been parsed in full. Each is within the limit of one member; together they are over the budget for a file.
    many = b"".join(b'<Relationship Id="r%d" Type="t" Target="x"/>' % i for i in range(18_000))
    big_relationships = b'<Relationships xmlns="urn:r">' + many + b"</Relationships>"
    assert len(big_relationships) < office.MAX_XML_BYTES
    parts = {f"word/_rels/extra{i}.xml.rels": ("application/xml", big_relationships) for i in range(20)}
    bomb = deflated(word_file(extra_parts=parts, defaults={"rels": "application/xml"}))
    assert len(bomb) < 1_000_000
    opened: list[str] = []
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        original_open = archive.open

        def counting_open(member: zipfile.ZipInfo, *args: object, **kwargs: object) -> zipfile.ZipExtFile:
            opened.append(member.filename)
            return original_open(member, *args, **kwargs)  # type: ignore[arg-type]

        archive.open = counting_open  # type: ignore[assignment,method-assign]
        assert office.office_type(archive) is None
    assert len([name for name in opened if name.startswith("word/_rels/extra")]) <= 5


def test_a_file_of_more_members_than_any_document_has_is_refused() -> None:
    parts = {f"word/media/image{i}.png": ("image/png", b"") for i in range(office.MAX_MEMBERS + 1)}
    assert sniff_content_type(word_file(extra_parts=parts)) != DOCX


def deflated(stored: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(stored)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
    return buffer.getvalue()
