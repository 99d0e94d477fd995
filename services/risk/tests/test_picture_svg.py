"""The matrix as the quality committee sees it: in a real assessment of 12 markers three were invisible (X7 under
Y1, and more stacked on each other in a crowded cell). Now the markers of a cell are laid out in it without
overlapping, an arrow's head is never under a marker, a key says which marker is which risk, the SVG and the
JSON carry the same marks, and a unit's picture names its risks by their assessment's number and their own, so a
label stays when other risks come and go."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from collections.abc import Sequence

import httpx

from varde_common.identity import InternalTokenSigner
from varde_common.testing.factories import TinyOrg, bearer
from varde_risk.svg import BOLD_WIDER
from varde_risk.svg_layout import (
    CELL,
    WIDTH,
    Box,
    cell_box,
    count_box,
    head_touches,
    layout_cell,
    level_box,
    text_width,
)

API = "/api/v1/risk"
NS = "{http://www.w3.org/2000/svg}"

# Seven risks, twelve markers (two have no target): X7 lies where Y1 points, as in the assessment that hid them.
SEVEN = [
    ("Feil legemiddel gis til beboer", (4, 4), (2, 3)),
    ("Fall i korridor", (3, 3), (2, 3)),
    ("Brann på kjøkken", (2, 5), (1, 5)),
    ("Uautorisert tilgang til journal", (3, 3), (2, 3)),
    ("Smitteutbrudd", (4, 4), None),
    ("Vold mot ansatt", (3, 4), (2, 3)),
    ("Strømbrudd i sykehjem", (2, 3), None),
]


async def assessment_with(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    org: TinyOrg,
    risks: Sequence[tuple[str, tuple[int, int], tuple[int, int] | None]],
    title: str = "ROS Solsiden sykehjem",
) -> str:
    body = {"title": title, "kind": "hms", "unit_id": str(org.unit_id)}
    assessment = (await client.post(f"{API}/assessments", json=body, headers=headers)).json()
    for title, (p, c), target in risks:
        risk: dict[str, object] = {"title": title, "probability": p, "consequence": c}
        if target:
            risk |= {"target_probability": target[0], "target_consequence": target[1]}
        created = await client.post(f"{API}/assessments/{assessment['id']}/risks", json=risk, headers=headers)
        assert created.status_code == 201, created.text
    return str(assessment["id"])


def boxes(svg: ET.Element, css: str) -> list[tuple[str, Box]]:
    """The label and rectangle of every marker of a class."""
    found = []
    for group in svg.iter(f"{NS}g"):
        if group.get("class") != css:
            continue
        rect, text = group.find(f"{NS}rect"), group.find(f"{NS}text")
        assert rect is not None
        assert text is not None
        box = Box(*(float(rect.get(a, "0")) for a in ("x", "y", "width", "height")))
        found.append((text.text or "", box))
    return found


def within(box: Box, cell: Box) -> bool:
    return (
        cell.x <= box.x <= box.x + box.width <= cell.x + CELL and cell.y <= box.y <= box.y + box.height <= cell.y + CELL
    )


def description_of(svg: ET.Element) -> str:
    description = svg.find(f"{NS}desc")
    assert description is not None
    return description.text or ""


def overlap(a: Box, b: Box) -> bool:
    return a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.y + b.height and b.y < a.y + a.height


def inside(point: tuple[float, float], box: Box) -> bool:
    return box.x <= point[0] <= box.x + box.width and box.y <= point[1] <= box.y + box.height


def drawn(response: httpx.Response) -> ET.Element:
    assert response.status_code == 200, response.text
    return ET.fromstring(response.text)  # noqa: S314 (our own service's answer, not untrusted input)


async def test_no_marker_hides_another_nor_an_arrowhead_and_the_key_names_every_risk(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    leader = bearer(token_signer, org, org.unit_leader)
    assessment_id = await assessment_with(client, leader, org, SEVEN)
    picture = (await client.get(f"{API}/assessments/{assessment_id}/matrix", headers=leader)).json()
    svg = drawn(await client.get(f"{API}/assessments/{assessment_id}/matrix.svg", headers=leader))

    markers = boxes(svg, "marker")
    expected = [r["marker"] for r in picture["risks"]] + [
        r["target_marker"] for r in picture["risks"] if r["target_marker"]
    ]
    assert sorted(label for label, _ in markers) == sorted(expected)  # twelve, each drawn once
    assert len(markers) == 12
    for (first, a), (second, b) in itertools.combinations(markers, 2):
        assert not overlap(a, b), f"{first} covers {second}"
    for risk in picture["risks"]:  # each marker inside its cell
        now = next(box for label, box in markers if label == risk["marker"])
        assert within(now, cell_box(risk["probability"], risk["consequence"])), risk["marker"]

    heads = [head for head in svg.iter(f"{NS}polygon") if head.get("class") == "arrowhead"]
    assert len(heads) == 5  # X1→Y1, X2→Y2, X3→Y3, X4→Y4, X6→Y6
    for head in heads:
        corners = [(float(x), float(y)) for x, y in (p.split(",") for p in (head.get("points") or "").split())]
        (ax, ay), (bx, by), (cx, cy) = corners
        points = [*corners, ((ax + bx + cx) / 3, (ay + by + cy) / 3), ((ax + bx) / 2, (ay + by) / 2)]
        points += [((bx + cx) / 2, (by + cy) / 2), ((cx + ax) / 2, (cy + ay) / 2)]
        for label, box in markers:
            assert not any(inside(point, box) for point in points), f"an arrowhead over {label}"
    layers = [element.get("class") for element in svg if element.get("class") in ("arrow", "marker", "arrowhead")]
    assert layers.index("arrowhead") > max(i for i, layer in enumerate(layers) if layer == "marker")

    key = {text.text for text in svg.iter(f"{NS}text") if text.get("class") == "key"}
    assert key == {title for title, _, _ in SEVEN}
    key_markers = {label for label, _ in boxes(svg, "key-marker")}
    assert key_markers == set(expected)
    description = description_of(svg)
    assert "X7 Strømbrudd i sykehjem: sannsynlighet 2, konsekvens 3" in description
    assert "mål Y1 etter tiltak: sannsynlighet 2, konsekvens 3" in description


async def test_a_crowded_cell_keeps_its_markers_apart_and_says_how_many_more(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    leader = bearer(token_signer, org, org.unit_leader)
    crowd = [(f"Risiko {n} i samme celle", (5, 5), (4, 4)) for n in range(1, 21)]
    assessment_id = await assessment_with(client, leader, org, crowd)
    svg = drawn(await client.get(f"{API}/assessments/{assessment_id}/matrix.svg", headers=leader))
    worst = cell_box(5, 5)
    shown = [(label, box) for label, box in boxes(svg, "marker") if overlap(box, worst)]
    more = [(label, box) for label, box in boxes(svg, "more") if overlap(box, worst)]
    assert more, "twenty markers do not fit in one cell: the last place says how many are left"
    ((more_label, _),) = more
    assert len(shown) + int(more_label.removeprefix("+")) == 20
    everything = shown + more
    for (_, a), (_, b) in itertools.combinations(everything, 2):
        assert not overlap(a, b)
    for _, box in everything:
        assert within(box, worst)
    assert "har ikke plass til" in description_of(svg)


async def test_every_cell_says_its_level_in_words_clear_of_its_count_and_markers(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    """Colour is never the only carrier of a cell's level (WCAG 1.4.1): each cell writes its zone in its top band,
    right of its count, above where its markers go; and the name and description a page refers to when it shows
    the picture inline have ids of their own, not ``title``, which a form field of the page may have."""
    leader = bearer(token_signer, org, org.unit_leader)
    crowd = [(f"Risiko {n} i samme celle", (5, 5), None) for n in range(1, 13)]
    assessment_id = await assessment_with(client, leader, org, crowd)
    matrix = (await client.get(f"{API}/matrix", headers=leader)).json()
    svg = drawn(await client.get(f"{API}/assessments/{assessment_id}/matrix.svg", headers=leader))
    words = {"green": "Akseptabel", "yellow": "Vurder tiltak", "red": "Uakseptabel"}
    levels = [t for t in svg.iter(f"{NS}text") if t.get("class") == "level"]
    assert len(levels) == 25
    markers = [box for _, box in boxes(svg, "marker") + boxes(svg, "more")]
    for consequence, probability in itertools.product(range(1, 6), range(1, 6)):
        cell = cell_box(probability, consequence)
        (level,) = [t for t in levels if cell.contains((float(t.get("x", 0)), float(t.get("y", 0))))]
        assert level.text == words[matrix["grid"][consequence - 1][probability - 1]]
        band = level_box(cell)  # right-aligned in it; the longest word (Uakseptabel) is 61 units of 10-unit Arial
        assert float(level.get("x", 0)) == band.x + band.width
        assert within(band, cell)
        assert not overlap(band, count_box(cell))
        assert not any(overlap(band, box) for box in markers)
    assert svg.get("aria-labelledby") == "risk-picture-title risk-picture-desc"
    assert {element.get("id") for element in svg.iter() if element.get("id")} == {
        "risk-picture-title",
        "risk-picture-desc",
    }


async def test_an_arrow_keeps_its_head_off_the_words_of_the_cells(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    """The straight way from X1 at 5 × 5 to Y1 at 2 × 3 ends on the word "Vurder tiltak" above Y1 (seen in the
    first browser test's screenshot); the arrow comes in from another side."""
    leader = bearer(token_signer, org, org.unit_leader)
    assessment_id = await assessment_with(client, leader, org, [("Feil legemiddel gis til beboer", (5, 5), (2, 3))])
    svg = drawn(await client.get(f"{API}/assessments/{assessment_id}/matrix.svg", headers=leader))
    (head,) = [h for h in svg.iter(f"{NS}polygon") if h.get("class") == "arrowhead"]
    corners = [(float(x), float(y)) for x, y in (p.split(",") for p in (head.get("points") or "").split())]
    tip, left, right = corners
    for probability, consequence in itertools.product(range(1, 6), range(1, 6)):
        assert not head_touches((tip, left, right), level_box(cell_box(probability, consequence)))


def test_a_cell_lays_out_as_many_markers_as_fit_in_rows_and_never_outside() -> None:
    cell = cell_box(3, 3)
    for count in range(1, 30):
        labels = [f"X{n}" for n in range(1, count + 1)]
        placed, hidden = layout_cell(labels, cell)
        assert len(placed) - (1 if hidden else 0) + hidden == count
        for a, b in itertools.combinations(placed, 2):
            assert not overlap(a, b)
        for box in placed:
            assert within(box, cell)
    assert layout_cell([f"X{n}" for n in range(1, 10)], cell)[1] == 0  # nine short marks fit in one cell


async def test_the_json_and_the_svg_name_each_risk_alike_and_a_units_labels_stay(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    leader, above = bearer(token_signer, org, org.unit_leader), bearer(token_signer, org, org.sector_leader)
    first = await assessment_with(client, leader, org, SEVEN[:3])
    second = await assessment_with(client, leader, org, SEVEN[3:5])
    for assessment_id in (first, second):
        assert (await client.post(f"{API}/assessments/{assessment_id}/approve", headers=above)).status_code == 200
    params = {"unit_id": str(org.sector_id)}

    async def marks() -> tuple[dict[str, str], set[str]]:
        picture = (await client.get(f"{API}/picture", params=params, headers=above)).json()
        svg = drawn(await client.get(f"{API}/picture.svg", params=params, headers=above))
        by_title = {r["title"]: r["marker"] for r in picture["risks"]}
        json_marks = set(by_title.values()) | {r["target_marker"] for r in picture["risks"] if r["target_marker"]}
        assert {label for label, _ in boxes(svg, "marker")} == json_marks  # one numbering in both
        return by_title, json_marks

    before, _ = await marks()
    assert before == {
        "Feil legemiddel gis til beboer": "X1.1",
        "Fall i korridor": "X1.2",
        "Brann på kjøkken": "X1.3",
        "Uautorisert tilgang til journal": "X2.1",
        "Smitteutbrudd": "X2.2",
    }
    # A new, higher risk comes first in the top list; the others keep their labels.
    higher = await assessment_with(client, leader, org, [("Ras over skolevei", (5, 5), (3, 5))])
    await client.post(f"{API}/assessments/{higher}/approve", headers=above)
    after, _ = await marks()
    assert after["Ras over skolevei"] == "X3.1"
    assert {title: after[title] for title in before} == before

    one = (await client.get(f"{API}/assessments/{first}/matrix", headers=leader)).json()
    svg = drawn(await client.get(f"{API}/assessments/{first}/matrix.svg", headers=leader))
    assert {label for label, _ in boxes(svg, "marker")} == {"X1", "Y1", "X2", "Y2", "X3", "Y3"}
    assert [r["marker"] for r in one["risks"]] == ["X1", "X2", "X3"]
    read = (await client.get(f"{API}/assessments/{first}", headers=leader)).json()
    assert [(r["marker"], r["target_marker"]) for r in read["risk_list"]] == [("X1", "Y1"), ("X2", "Y2"), ("X3", "Y3")]


async def test_the_picture_speaks_nynorsk_to_a_nynorsk_reader(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    leader = bearer(token_signer, org, org.unit_leader)
    assessment_id = await assessment_with(client, leader, org, SEVEN[:1])
    svg = drawn(
        await client.get(f"{API}/assessments/{assessment_id}/matrix.svg", headers={**leader, "accept-language": "nn"})
    )
    texts = {t.text for t in svg.iter(f"{NS}text")}
    assert {"Sannsyn", "5 Svært høg", "Tiltak skal vurderast"} <= texts
    assert description_of(svg).startswith("Risikoar i ei 5×5-matrise, sannsyn bortover og konsekvens oppover: 1 i alt.")


async def test_the_pictures_are_served_so_that_opened_on_their_own_they_load_and_run_nothing(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    """Issue 15, finding 10: a browser must not guess another type, and an SVG opened as a page gets a policy that
    allows no script, no fetch and no style; the picture needs none (no style element or attribute, no link)."""
    leader = bearer(token_signer, org, org.unit_leader)
    assessment_id = await assessment_with(client, leader, org, SEVEN)
    above = bearer(token_signer, org, org.sector_leader)
    answers = [
        await client.get(f"{API}/assessments/{assessment_id}/matrix.svg", headers=leader),
        await client.get(f"{API}/picture.svg", params={"unit_id": str(org.unit_id)}, headers=above),
    ]
    for answer in answers:
        assert answer.headers["content-type"].startswith("image/svg+xml")
        assert answer.headers["x-content-type-options"] == "nosniff"
        policy = {part.strip() for part in answer.headers["content-security-policy"].split(";")}
        assert policy == {"default-src 'none'", "sandbox"}
        svg = drawn(answer)
        assert not [e for e in svg.iter() if e.tag in (f"{NS}style", f"{NS}script", f"{NS}image", f"{NS}a")]
        assert not [e for e in svg.iter() if "style" in e.attrib or any("href" in name for name in e.attrib)]


async def test_a_long_title_is_shortened_to_the_width_of_the_picture_and_said_whole_to_a_screen_reader(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    leader = bearer(token_signer, org, org.unit_leader)
    title = "Bemanning og kompetanse – Sjukeheimen – Skjerma eining"  # cut at both edges at 360 px, before
    assessment_id = await assessment_with(client, leader, org, SEVEN[:1], title=title)
    svg = drawn(await client.get(f"{API}/assessments/{assessment_id}/matrix.svg", headers=leader))
    heading = next(text for text in svg.iter(f"{NS}text") if text.get("font-size") == "18")
    shown = heading.text or ""
    assert shown.endswith("…")
    assert title.startswith(shown.removesuffix("…").rstrip())
    assert text_width(shown, 18) * BOLD_WIDER <= WIDTH - 24
    assert title in (svg.findtext(f"{NS}title") or "")
