"""The QR posters: which units a person may print one for, the address the code leads to, and that the SVG the
page shows is a QR code of that address (read back by an independent decoder, zxing-cpp)."""

from __future__ import annotations

import re
from typing import Any

import zxingcpp
from varde_web.posters import poster_units, qr_svg, report_address

PATH_STEP = re.compile(r"([Mmh])(-?\d+(?:\.\d+)?)(?:\s(-?\d+(?:\.\d+)?))?")


def unit(unit_id: str, parent: str | None, name: str, closed: bool = False) -> dict[str, Any]:
    return {"id": unit_id, "parent_id": parent, "name": name, "unit_type": "enhet", "closed": closed}


TREE = [
    unit("k", None, "Kommunen"),
    unit("h", "k", "Helse"),
    unit("s", "h", "Sjukeheimen"),
    unit("a", "s", "Avdeling A"),
    unit("b", "s", "Avdeling B (lagt ned)", closed=True),
    unit("o", "k", "Oppvekst"),
    unit("e", "o", "Eide skule"),
]


def test_a_leader_prints_posters_for_the_unit_they_lead_and_every_open_unit_below_it() -> None:
    leader = {"roles": [{"role": "virksomhetsleder", "unit_id": "s"}, {"role": "ansatt", "unit_id": "e"}]}
    found = poster_units(leader, TREE)
    assert [(u["name"], u["depth"]) for u in found] == [("Sjukeheimen", 2), ("Avdeling A", 3)]


def test_a_quality_adviser_of_the_kommune_reaches_the_whole_tree_and_an_employee_no_unit() -> None:
    adviser = {"roles": [{"role": "kvalitetsradgiver", "unit_id": "k"}]}
    assert [u["id"] for u in poster_units(adviser, TREE)] == ["k", "h", "s", "a", "o", "e"]
    assert poster_units({"roles": [{"role": "ansatt", "unit_id": "s"}]}, TREE) == []


def test_the_address_names_the_unit_and_the_place_on_the_sites_public_address() -> None:
    assert report_address("https://varde.example/", "u-1") == "https://varde.example/meld?enhet=u-1"
    assert (
        report_address("https://varde.example", "u-1", "Rom 214 & kjøkken")
        == "https://varde.example/meld?enhet=u-1&sted=Rom%20214%20%26%20kj%C3%B8kken"
    )


def modules(svg: str) -> list[list[bool]]:
    """The dark modules of segno's SVG path: ``M x y`` starts, ``m dx dy`` moves, ``h n`` draws n along a row."""
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))  # type: ignore[union-attr]
    path = re.search(r'<path stroke="#000" d="([^"]+)"', svg).group(1)  # type: ignore[union-attr]
    grid = [[False] * size for _ in range(size)]
    x = y = 0.0
    for command, first, second in PATH_STEP.findall(path):
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        else:
            for column in range(int(x), int(x + float(first))):
                grid[int(y)][column] = True
            x += float(first)
    return grid


def decoded(svg: str) -> list[str]:
    grid = modules(svg)
    scale = 4
    side = len(grid) * scale
    pixels = bytes(0 if grid[row // scale][column // scale] else 255 for row in range(side) for column in range(side))
    return [code.text for code in zxingcpp.read_barcodes(memoryview(pixels).cast("B", shape=[side, side]))]


def test_the_poster_svg_is_a_qr_code_of_the_address_and_is_named_for_a_screen_reader() -> None:
    address = report_address("https://varde.example", "0b7f3c1e-8d2a-4f5e-9c6b-1a2b3c4d5e6f", "Rom 214")
    svg = str(qr_svg(address, 'QR-kode for "Rom 214" <sjukeheimen>'))
    assert decoded(svg) == [address]
    assert svg.startswith('<svg role="img" aria-label="QR-kode for &#34;Rom 214&#34; &lt;sjukeheimen&gt;" ')
    assert "<script" not in svg
