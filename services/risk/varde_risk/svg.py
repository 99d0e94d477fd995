"""The risk picture drawn as SVG: the 5×5 matrix in the kommune's colours with labelled axes, the number of risks
in each cell, each drawn risk as an X marker in its current cell and a Y marker in its target cell with an arrow
between them, and a key below that says which marker is which risk — the picture the quality committee puts on
the wall. The markers carry the labels of the JSON (``PlacedRisk.marker``/``target_marker``).

The markers of one cell, X and Y alike, are laid out in rows inside the cell, never on top of each other; when a
cell cannot hold them all, the last place says how many more there are. Arrows run under the markers from edge to
edge, and their heads are drawn above the markers, so no marker hides where an arrow points. A screen reader gets
the title and a description that lists every drawn risk in words (and, for a kommune's picture, the count in
each cell). Texts are in the reader's målform.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from xml.sax.saxutils import escape

from varde_common.language import Language, Text
from varde_risk.domain import LEVEL_LABELS, ZONE_LABELS, Zone
from varde_risk.models import PlacedRisk, RiskPicture

CELL = 116
LEFT, TOP = 124, 64
SIZE = 5 * CELL
WIDTH = LEFT + SIZE + 20
MARKER_HEIGHT = 20
GAP = 4
COUNT_BAND = 20  # the top of each cell holds its count
PADDING = 4
CHAR_WIDTH = 7.0  # bold 11 px sans-serif, generous: a label never runs over its marker's edge
KEY_LINE = 24
ARROW_LENGTH, ARROW_HALF_WIDTH = 10.0, 5.0

AXIS_PROBABILITY = Text(nb="Sannsynlighet", nn="Sannsyn")
AXIS_CONSEQUENCE = Text(nb="Konsekvens", nn="Konsekvens")
SUMMARY = Text(
    nb="{total} risikoer i en 5×5-matrise, sannsynlighet bortover og konsekvens oppover.",
    nn="{total} risikoar i ei 5×5-matrise, sannsyn bortover og konsekvens oppover.",
)
COUNTS = Text(nb="Antall per celle: {counts}.", nn="Tal per celle: {counts}.")
COUNT = Text(nb="sannsynlighet {p}, konsekvens {c}: {n}", nn="sannsyn {p}, konsekvens {c}: {n}")
TOP_DRAWN = Text(nb="Markørene viser de {n} høyeste.", nn="Markørane viser dei {n} høgaste.")
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
KEY_HEADING = Text(
    nb="Merkene: X er risikoen nå, Y er målet etter tiltak", nn="Merka: X er risikoen no, Y er målet etter tiltak"
)


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.width / 2, self.y + self.height / 2

    def edge_towards(self, dx: float, dy: float) -> float:
        """How far along (dx, dy) from the centre the box's edge lies, as a fraction of that vector."""
        fractions = [self.width / 2 / abs(dx) if dx else math.inf, self.height / 2 / abs(dy) if dy else math.inf]
        return min(fractions)


@dataclass(frozen=True)
class Marker:
    label: str
    risk: int  # index in ``picture.risks``
    target: bool  # Y, the cell after measures


def marker_width(label: str) -> float:
    return len(label) * CHAR_WIDTH + 10


def cell_box(probability: int, consequence: int) -> Box:
    """The cell's square; the highest consequence at the top."""
    return Box(LEFT + (probability - 1) * CELL, TOP + (5 - consequence) * CELL, CELL, CELL)


def layout_cell(labels: list[str], cell: Box) -> tuple[list[Box], int]:
    """Boxes for the first markers of a cell, in rows below its count, each row centred; and how many did not fit
    (the last box is then the "+n" marker). Boxes never overlap and never leave the cell."""
    area = Box(cell.x + PADDING, cell.y + COUNT_BAND, cell.width - 2 * PADDING, cell.height - COUNT_BAND - PADDING)
    max_rows = int((area.height + GAP) // (MARKER_HEIGHT + GAP))

    def rows_for(widths: list[float]) -> list[list[float]]:
        rows: list[list[float]] = [[]]
        for width in widths:
            used = sum(rows[-1]) + GAP * len(rows[-1])
            if rows[-1] and used + width > area.width:
                rows.append([])
            rows[-1].append(width)
        return rows

    widths = [marker_width(label) for label in labels]
    shown, hidden = len(widths), 0
    while len(rows_for(widths[:shown] + ([marker_width(f"+{hidden}")] if hidden else []))) > max_rows:
        shown -= 1
        hidden = len(widths) - shown
    placed = widths[:shown] + ([marker_width(f"+{hidden}")] if hidden else [])
    boxes: list[Box] = []
    for row_index, row in enumerate(rows_for(placed)):
        x = area.x + (area.width - (sum(row) + GAP * (len(row) - 1))) / 2
        y = area.y + row_index * (MARKER_HEIGHT + GAP)
        for width in row:
            boxes.append(Box(x, y, width, MARKER_HEIGHT))
            x += width + GAP
    return boxes, hidden


def _cell_markers(risks: list[PlacedRisk]) -> dict[tuple[int, int], list[Marker]]:
    cells: dict[tuple[int, int], list[Marker]] = defaultdict(list)
    for index, risk in enumerate(risks):
        cells[(risk.probability, risk.consequence)].append(Marker(risk.marker, index, target=False))
        if risk.target_marker and risk.target_probability is not None and risk.target_consequence is not None:
            cells[(risk.target_probability, risk.target_consequence)].append(
                Marker(risk.target_marker, index, target=True)
            )
    return cells


def _marker(box: Box, label: str, *, target: bool, css: str = "marker") -> str:
    # X: white with a solid edge; Y: grey with a dashed edge — told apart without colour.
    fill, dash = ("#e6e6e6", ' stroke-dasharray="3 2"') if target else ("#ffffff", "")
    cx, cy = box.centre
    return (
        f'<g class="{css}"><rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.width:.1f}" height="{box.height:.1f}" '
        f'rx="9" fill="{fill}" stroke="#000" stroke-width="1.5"{dash}/>'
        f'<text x="{cx:.1f}" y="{cy + 4:.1f}" text-anchor="middle" font-size="11" font-weight="bold">'
        f"{escape(label)}</text></g>"
    )


def _arrow(start: Box, end: Box) -> tuple[str, str] | None:
    """The line from the edge of ``start`` to just outside the edge of ``end``, and its head; none when the two
    markers sit side by side (the key says where the target is)."""
    (x1, y1), (x2, y2) = start.centre, end.centre
    dx, dy = x2 - x1, y2 - y1
    leaving, arriving = start.edge_towards(dx, dy), 1 - end.edge_towards(dx, dy)
    length = math.hypot(dx, dy) * (arriving - leaving)
    if length < 2 * ARROW_LENGTH:
        return None
    sx, sy = x1 + dx * leaving, y1 + dy * leaving
    ux, uy = dx / math.hypot(dx, dy), dy / math.hypot(dx, dy)
    tx, ty = x1 + dx * arriving - ux * 2, y1 + dy * arriving - uy * 2  # the tip, 2 px off the target's edge
    bx, by = tx - ux * ARROW_LENGTH, ty - uy * ARROW_LENGTH
    line = (
        f'<line class="arrow" x1="{sx:.1f}" y1="{sy:.1f}" x2="{bx:.1f}" y2="{by:.1f}" stroke="#000" '
        'stroke-width="1.5" stroke-dasharray="5 3"/>'
    )
    corners = (
        (tx, ty),
        (bx - uy * ARROW_HALF_WIDTH, by + ux * ARROW_HALF_WIDTH),
        (bx + uy * ARROW_HALF_WIDTH, by - ux * ARROW_HALF_WIDTH),
    )
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in corners)
    head = f'<polygon class="arrowhead" points="{points}" fill="#000" stroke="#fff" stroke-width="1"/>'
    return line, head


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


def render(picture: RiskPicture, language: Language) -> str:
    """The SVG document of the picture."""
    colours = picture.matrix.colours
    key_top = TOP + SIZE + 108
    height = key_top + KEY_LINE * len(picture.risks) + 16
    title = escape(picture.scope)
    body: list[str] = []
    for consequence in range(1, 6):
        for probability in range(1, 6):
            zone = Zone(picture.matrix.grid[consequence - 1][probability - 1])
            box = cell_box(probability, consequence)
            zone_label = escape(ZONE_LABELS[zone].render(language))
            body.append(
                f'<rect class="cell" x="{box.x}" y="{box.y}" width="{CELL}" height="{CELL}" fill="{colours[zone]}" '
                f'fill-opacity="0.55" stroke="#fff" stroke-width="2"><title>{zone_label}</title></rect>'
            )
            if count := picture.cells[consequence - 1][probability - 1]:
                body.append(
                    f'<text class="count" x="{box.x + 6}" y="{box.y + 15}" font-size="12" font-weight="bold">'
                    f"{count}</text>"
                )
    for level in range(1, 6):
        name = escape(f"{level} {LEVEL_LABELS[level - 1].render(language)}")
        x_centre, _ = cell_box(level, 1).centre
        _, y_centre = cell_box(1, level).centre
        body.append(f'<text x="{x_centre}" y="{TOP + SIZE + 20}" text-anchor="middle" font-size="13">{name}</text>')
        body.append(f'<text x="{LEFT - 8}" y="{y_centre + 4}" text-anchor="end" font-size="13">{name}</text>')
    body.append(
        f'<text x="{LEFT + SIZE / 2}" y="{TOP + SIZE + 46}" text-anchor="middle" font-size="15" '
        f'font-weight="bold">{AXIS_PROBABILITY.render(language)}</text>'
    )
    body.append(
        f'<text x="20" y="{TOP + SIZE / 2}" text-anchor="middle" font-size="15" font-weight="bold" '
        f'transform="rotate(-90 20 {TOP + SIZE / 2})">{AXIS_CONSEQUENCE.render(language)}</text>'
    )

    boxes: dict[tuple[int, bool], Box] = {}
    markers: list[str] = []
    crowded: list[tuple[int, int, int]] = []
    for (probability, consequence), in_cell in sorted(_cell_markers(picture.risks).items()):
        placed, hidden = layout_cell([m.label for m in in_cell], cell_box(probability, consequence))
        shown = in_cell[: len(placed) - (1 if hidden else 0)]
        for marker, box in zip(shown, placed, strict=False):
            boxes[(marker.risk, marker.target)] = box
            markers.append(_marker(box, marker.label, target=marker.target))
        if hidden:
            more = escape(MORE.render(language, n=hidden))
            markers.append(
                _marker(placed[-1], f"+{hidden}", target=False, css="more").replace(
                    "</g>", f"<title>{more}</title></g>"
                )
            )
            crowded.append((probability, consequence, hidden))
    lines, heads = [], []
    for index in range(len(picture.risks)):
        start, end = boxes.get((index, False)), boxes.get((index, True))
        if start is not None and end is not None and (arrow := _arrow(start, end)) is not None:
            lines.append(arrow[0])
            heads.append(arrow[1])

    legend_y = TOP + SIZE + 76
    for index, zone in enumerate(Zone):
        x = LEFT + index * 190
        body.append(f'<rect x="{x}" y="{legend_y - 12}" width="14" height="14" fill="{colours[zone]}"/>')
        body.append(
            f'<text x="{x + 20}" y="{legend_y}" font-size="13">{escape(ZONE_LABELS[zone].render(language))}</text>'
        )
    key = [f'<text x="20" y="{key_top - 8}" font-size="13" font-weight="bold">{KEY_HEADING.render(language)}</text>']
    for row, risk in enumerate(picture.risks):
        y = key_top + row * KEY_LINE
        now_box = Box(20, y, marker_width(risk.marker), MARKER_HEIGHT)
        key.append(_marker(now_box, risk.marker, target=False, css="key-marker"))
        if risk.target_marker:
            target_box = Box(now_box.x + now_box.width + 22, y, marker_width(risk.target_marker), MARKER_HEIGHT)
            key.append(
                f'<text x="{now_box.x + now_box.width + 11}" y="{y + 15}" text-anchor="middle" font-size="13">→</text>'
            )
            key.append(_marker(target_box, risk.target_marker, target=True, css="key-marker"))
        key.append(
            f'<text class="key" x="150" y="{y + 15}" font-size="13">{escape(_shorten(risk.title, 78))}'
            f"<title>{escape(risk.title)}</title></text>"
        )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="title desc" font-family="sans-serif" lang="{language}">',
        f'<title id="title">{title}</title>',
        f'<desc id="desc">{escape(describe(picture, language, crowded))}</desc>',
        f'<rect width="{WIDTH}" height="{height}" fill="#fff"/>',
        f'<text x="{LEFT + SIZE / 2}" y="34" text-anchor="middle" font-size="18" font-weight="bold">'
        f"{escape(_shorten(picture.scope, 64))}</text>",
        *body,
        *lines,
        *markers,
        *heads,
        *key,
        "</svg>",
    ]
    return "\n".join(parts)
