"""The risk picture drawn as SVG: the 5×5 matrix in the kommune's colours with labelled axes, each cell's level in
words (never in colour alone), the number of risks in each cell, each drawn risk as an X marker in its current
cell and a Y marker in its target cell with an arrow between them, and a key below that says which marker is which
risk — the picture the quality committee puts on the wall. The markers carry the labels of the JSON
(``PlacedRisk.marker``/``target_marker``).

The markers of one cell, X and Y alike, are laid out in it without covering each other (``svg_layout``); when a
cell cannot hold them all, its last place says how many more there are. Arrows run under the markers and their
heads above them, beside the target where nothing lies under them. A screen reader gets the title and a
description that lists every drawn risk in words (and, for a kommune's picture, the count in each cell). Texts
are in the reader's målform.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from xml.sax.saxutils import escape

from varde_common.language import Language, Text
from varde_risk.domain import LEVEL_LABELS, ZONE_LABELS, Zone
from varde_risk.models import PlacedRisk, RiskPicture
from varde_risk.svg_layout import (
    CELL,
    LEFT,
    LEVEL_FONT,
    MARKER_FONT,
    MARKER_HEIGHT,
    SIZE,
    TOP,
    WIDTH,
    Box,
    cell_box,
    count_box,
    layout_cell,
    level_box,
    marker_width,
    route,
    text_width,
)

KEY_LINE = 26
# Cells are drawn lighter than the kommune's colours, so the black marks on them read well.
CELL_OPACITY = 0.55
KEY_FONT = 14
FONT = "Arial, Helvetica, 'Liberation Sans', sans-serif"

AXIS_PROBABILITY = Text(nb="Sannsynlighet", nn="Sannsyn")
AXIS_CONSEQUENCE = Text(nb="Konsekvens", nn="Konsekvens")
SUMMARY = Text(
    nb="Risikoer i en 5×5-matrise, sannsynlighet bortover og konsekvens oppover: {total} i alt.",
    nn="Risikoar i ei 5×5-matrise, sannsyn bortover og konsekvens oppover: {total} i alt.",
)
COUNTS = Text(nb="Antall per celle: {counts}.", nn="Tal per celle: {counts}.")
COUNT = Text(nb="sannsynlighet {p}, konsekvens {c}: {n}", nn="sannsyn {p}, konsekvens {c}: {n}")
TOP_DRAWN = Text(nb="Merkene viser de {n} høyeste risikoene.", nn="Merka viser dei {n} høgaste risikoane.")
NOW = Text(
    nb="{marker} {title}: sannsynlighet {p}, konsekvens {c}, {zone}",
    nn="{marker} {title}: sannsyn {p}, konsekvens {c}, {zone}",
)
TARGET = Text(
    nb="; mål {marker} etter tiltak: sannsynlighet {p}, konsekvens {c}, {zone}",
    nn="; mål {marker} etter tiltak: sannsyn {p}, konsekvens {c}, {zone}",
)
CROWDED = Text(
    nb="Cellen sannsynlighet {p}, konsekvens {c} har ikke plass til {n} av merkene; de står i listen under matrisen.",
    nn="Cella sannsyn {p}, konsekvens {c} har ikkje plass til {n} av merka; dei står i lista under matrisa.",
)
MORE = Text(nb="{n} til, se listen under", nn="{n} til, sjå lista under")
# A cell says its level in words as well as in colour, in the band beside its count: the zone, short enough to fit.
CELL_LEVELS: dict[Zone, Text] = {
    Zone.ACCEPTABLE: Text(nb="Akseptabel", nn="Akseptabel"),
    Zone.MEASURES: Text(nb="Vurder tiltak", nn="Vurder tiltak"),
    Zone.UNACCEPTABLE: Text(nb="Uakseptabel", nn="Uakseptabel"),
}
# The ids the picture's name and description are referred to by: distinct from a page's own, for a page that
# shows the picture inline (one picture a page).
TITLE_ID, DESC_ID = "risk-picture-title", "risk-picture-desc"
KEY_HEADING = Text(
    nb="Merkene: X er risikoen nå, Y er målet etter tiltak", nn="Merka: X er risikoen no, Y er målet etter tiltak"
)


@dataclass(frozen=True)
class Marker:
    label: str
    risk: int  # index in ``picture.risks``
    target: bool  # Y, the cell after measures


def cell_markers(risks: list[PlacedRisk]) -> dict[tuple[int, int], list[Marker]]:
    """The markers of each cell: the targets first, ordered by where their arrows come from (left before right,
    top before bottom), so that arrows reach the first row from above; then the risks now there."""
    targets: dict[tuple[int, int], list[tuple[tuple[int, int], Marker]]] = defaultdict(list)
    currents: dict[tuple[int, int], list[Marker]] = defaultdict(list)
    for index, risk in enumerate(risks):
        currents[(risk.probability, risk.consequence)].append(Marker(risk.marker, index, target=False))
        if risk.target_marker and risk.target_probability is not None and risk.target_consequence is not None:
            source = (risk.probability, -risk.consequence)
            marker = Marker(risk.target_marker, index, target=True)
            targets[(risk.target_probability, risk.target_consequence)].append((source, marker))
    cells = {cell: [m for _, m in sorted(found, key=lambda f: (f[0], f[1].risk))] for cell, found in targets.items()}
    for cell, found in currents.items():
        cells.setdefault(cell, []).extend(found)
    return cells


def _marker(box: Box, label: str, *, target: bool, css: str = "marker", hint: str | None = None) -> str:
    # X: white with a solid edge; Y: grey with a dashed edge — told apart without colour.
    fill, dash = ("#e6e6e6", ' stroke-dasharray="3 2"') if target else ("#ffffff", "")
    cx, cy = box.centre
    fit = min(text_width(label), box.width - 6)
    tooltip = f"<title>{escape(hint)}</title>" if hint else ""
    return (
        f'<g class="{css}">{tooltip}<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.width:.1f}" '
        f'height="{box.height:.1f}" rx="9" fill="{fill}" stroke="#000" stroke-width="1.5"{dash}/>'
        f'<text x="{cx:.1f}" y="{cy + 4:.1f}" text-anchor="middle" font-size="{MARKER_FONT}" font-weight="bold" '
        f'textLength="{fit:.1f}" lengthAdjust="spacingAndGlyphs">{escape(label)}</text></g>'
    )


def _zone(zone: Zone | None, language: Language) -> str:
    return ZONE_LABELS[zone].render(language).lower() if zone is not None else ""


def describe(picture: RiskPicture, language: Language, crowded: list[tuple[int, int, int]]) -> str:
    """The picture in words, for a screen reader: what is counted, every drawn risk, and what did not fit."""
    lines = [SUMMARY.render(language, total=picture.total)]
    if picture.total > len(picture.risks):
        counted = [
            COUNT.render(language, p=p, c=c, n=picture.cells[c - 1][p - 1])
            for c in range(5, 0, -1)
            for p in range(5, 0, -1)
            if picture.cells[c - 1][p - 1]
        ]
        lines.append(COUNTS.render(language, counts="; ".join(counted)))
        lines.append(TOP_DRAWN.render(language, n=len(picture.risks)))
    for risk in picture.risks:
        line = NOW.render(
            language, marker=risk.marker, title=risk.title, p=risk.probability, c=risk.consequence,
            zone=_zone(risk.zone, language),
        )  # fmt: skip
        if risk.target_marker and risk.target_probability is not None and risk.target_consequence is not None:
            line += TARGET.render(
                language, marker=risk.target_marker, p=risk.target_probability, c=risk.target_consequence,
                zone=_zone(risk.target_zone, language),
            )  # fmt: skip
        lines.append(line + ".")
    lines += [CROWDED.render(language, p=p, c=c, n=n) for p, c, n in crowded]
    return " ".join(lines)


def _shorten(text: str, characters: int) -> str:
    return text if len(text) <= characters else text[: characters - 1].rstrip() + "…"


BOLD_WIDER = 1.1  # Arial Bold's letters are about a tenth wider than the regular advances text_width counts


def _fitted(text: str, room: float, font_size: float) -> str:
    """Bold ``text`` shortened with an ellipsis until it is at most ``room`` wide: a title wider than the picture
    would be cut at both edges (seen at 360 px with a 54-letter scope)."""
    if text_width(text, font_size) * BOLD_WIDER <= room:
        return text
    while text and text_width(text + "…", font_size) * BOLD_WIDER > room:
        text = text[:-1]
    return text.rstrip() + "…"


def _grid(picture: RiskPicture, language: Language) -> list[str]:
    """The cells in the kommune's colours with their counts, the axes and the legend of the zones."""
    colours = picture.matrix.colours
    parts: list[str] = []
    for consequence in range(1, 6):
        for probability in range(1, 6):
            zone = Zone(picture.matrix.grid[consequence - 1][probability - 1])
            box = cell_box(probability, consequence)
            zone_label = escape(ZONE_LABELS[zone].render(language))
            parts.append(
                f'<rect class="cell" x="{box.x}" y="{box.y}" width="{CELL}" height="{CELL}" fill="{colours[zone]}" '
                f'fill-opacity="{CELL_OPACITY}" stroke="#fff" stroke-width="2"><title>{zone_label}</title></rect>'
            )
            band = level_box(box)
            parts.append(
                f'<text class="level" x="{band.x + band.width}" y="{box.y + 13}" text-anchor="end" '
                f'font-size="{LEVEL_FONT}">{escape(CELL_LEVELS[zone].render(language))}</text>'
            )
            if count := picture.cells[consequence - 1][probability - 1]:
                parts.append(
                    f'<text class="count" x="{box.x + 6}" y="{box.y + 14}" font-size="12" font-weight="bold">'
                    f"{count}</text>"
                )
    for level in range(1, 6):
        name = escape(LEVEL_LABELS[level - 1].render(language))
        x_centre, _ = cell_box(level, 1).centre
        _, y_centre = cell_box(1, level).centre
        parts.append(
            f'<text x="{x_centre}" y="{TOP + SIZE + 18}" text-anchor="middle" font-size="12">{level} {name}</text>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y_centre - 2}" text-anchor="end" font-size="12">'
            f'<tspan font-weight="bold">{level}</tspan><tspan x="{LEFT - 6}" dy="15">{name}</tspan></text>'
        )
    parts.append(
        f'<text x="{LEFT + SIZE / 2}" y="{TOP + SIZE + 40}" text-anchor="middle" font-size="14" '
        f'font-weight="bold">{AXIS_PROBABILITY.render(language)}</text>'
    )
    parts.append(
        f'<text x="14" y="{TOP + SIZE / 2}" text-anchor="middle" font-size="14" font-weight="bold" '
        f'transform="rotate(-90 14 {TOP + SIZE / 2})">{AXIS_CONSEQUENCE.render(language)}</text>'
    )
    legend_y = TOP + SIZE + 66
    for index, zone in enumerate(Zone):
        x = LEFT + index * 160
        # The key's swatch is drawn as the cells are, so the colour a reader matches is the one they see.
        parts.append(
            f'<rect x="{x}" y="{legend_y - 12}" width="14" height="14" fill="{colours[zone]}" '
            f'fill-opacity="{CELL_OPACITY}"/>'
        )
        parts.append(
            f'<text x="{x + 20}" y="{legend_y}" font-size="13">{escape(ZONE_LABELS[zone].render(language))}</text>'
        )
    return parts


def _key(picture: RiskPicture, language: Language, top: float) -> list[str]:
    """Which marker is which risk: a line per drawn risk, its marks and its title."""
    parts = [
        f'<text x="16" y="{top - 10}" font-size="{KEY_FONT}" font-weight="bold">{KEY_HEADING.render(language)}</text>'
    ]
    widest = max((marker_width(r.marker) for r in picture.risks), default=0)
    title_x = 16 + 2 * widest + 34
    for row, risk in enumerate(picture.risks):
        y = top + row * KEY_LINE
        now = Box(16, y, marker_width(risk.marker), MARKER_HEIGHT)
        parts.append(_marker(now, risk.marker, target=False, css="key-marker"))
        if risk.target_marker:
            target = Box(16 + widest + 26, y, marker_width(risk.target_marker), MARKER_HEIGHT)
            parts.append(
                f'<text x="{16 + widest + 13}" y="{y + 15}" text-anchor="middle" font-size="{KEY_FONT}">→</text>'
            )
            parts.append(_marker(target, risk.target_marker, target=True, css="key-marker"))
        characters = int((WIDTH - title_x - 8) / (KEY_FONT * 0.52))
        parts.append(
            f'<text class="key" x="{title_x:.0f}" y="{y + 15}" font-size="{KEY_FONT}">'
            f"{escape(_shorten(risk.title, characters))}<title>{escape(risk.title)}</title></text>"
        )
    return parts


def render(picture: RiskPicture, language: Language) -> str:
    """The SVG document of the picture."""
    boxes: dict[tuple[int, bool], Box] = {}
    obstacles: list[Box] = []
    # An arrow's head keeps off a cell's level in words where it can.
    words = [level_box(cell_box(p, c)) for p in range(1, 6) for c in range(1, 6)]
    markers: list[str] = []
    crowded: list[tuple[int, int, int]] = []
    for (probability, consequence), in_cell in sorted(cell_markers(picture.risks).items()):
        cell = cell_box(probability, consequence)
        placed, hidden = layout_cell([m.label for m in in_cell], cell)
        obstacles += [*placed, count_box(cell)]
        for marker, box in zip(in_cell, placed[: len(placed) - (1 if hidden else 0)], strict=False):
            boxes[(marker.risk, marker.target)] = box
            markers.append(_marker(box, marker.label, target=marker.target))
        if hidden:
            hint = MORE.render(language, n=hidden)
            markers.append(_marker(placed[-1], f"+{hidden}", target=False, css="more", hint=hint))
            crowded.append((probability, consequence, hidden))
    lines, heads = [], []
    for index in range(len(picture.risks)):
        start, end = boxes.get((index, False)), boxes.get((index, True))
        if start is None or end is None or (arrow := route(start, end, obstacles, words)) is None:
            continue
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in arrow.line)
        lines.append(
            f'<polyline class="arrow" points="{path}" fill="none" stroke="#000" stroke-width="1.5" '
            'stroke-dasharray="5 3"/>'
        )
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in arrow.head)
        heads.append(f'<polygon class="arrowhead" points="{points}" fill="#000" stroke="#fff" stroke-width="1"/>')

    key_top = TOP + SIZE + 100
    height = key_top + KEY_LINE * len(picture.risks) + 12
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
            f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{TITLE_ID} {DESC_ID}" font-family="{FONT}" '
            f'lang="{language}">',
            f'<title id="{TITLE_ID}">{escape(picture.scope)}</title>',
            f'<desc id="{DESC_ID}">{escape(describe(picture, language, crowded))}</desc>',
            f'<rect width="{WIDTH}" height="{height}" fill="#fff"/>',
            f'<text x="{WIDTH / 2}" y="32" text-anchor="middle" font-size="18" font-weight="bold">'
            f"{escape(_fitted(picture.scope, WIDTH - 24, 18))}</text>",
            *_grid(picture, language),
            *lines,
            *markers,
            *heads,
            *_key(picture, language, key_top),
            "</svg>",
        ]
    )
