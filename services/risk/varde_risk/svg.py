"""The risk picture drawn as SVG: the 5×5 matrix in the kommune's colours with labelled axes, the number of risks
in each cell, each drawn risk as an X marker in its current cell and a Y marker in its target cell, an arrow
between them — the picture the quality committee puts on the wall. A screen reader gets the title and a
description that lists the drawn risks in words (and, for a kommune's picture, the count in each cell).
"""

from __future__ import annotations

from collections import defaultdict
from xml.sax.saxutils import escape

from varde_risk.domain import LEVEL_LABELS, ZONE_LABELS, Zone
from varde_risk.models import PlacedRisk, RiskPicture

CELL = 96
LEFT, TOP = 150, 60
SIZE = 5 * CELL
WIDTH, HEIGHT = LEFT + SIZE + 30, TOP + SIZE + 110
# Where in a cell the n-th marker sits (a cell holds several risks without covering each other).
_SLOTS = [(0.3, 0.3), (0.7, 0.3), (0.3, 0.7), (0.7, 0.7), (0.5, 0.5), (0.5, 0.2), (0.5, 0.8), (0.2, 0.5), (0.8, 0.5)]


def _x(probability: int, slot: float) -> float:
    return LEFT + (probability - 1 + slot) * CELL


def _y(consequence: int, slot: float) -> float:
    return TOP + (5 - consequence + slot) * CELL  # the highest consequence at the top


def _positions(
    cells: list[tuple[int, int] | None],
) -> list[tuple[float, float] | None]:
    taken: dict[tuple[int, int], int] = defaultdict(int)
    placed: list[tuple[float, float] | None] = []
    for where in cells:
        if where is None:
            placed.append(None)
            continue
        index = taken[where]
        taken[where] += 1
        sx, sy = _SLOTS[index % len(_SLOTS)]
        placed.append((_x(where[0], sx), _y(where[1], sy)))
    return placed


def _describe(picture: RiskPicture, labels: list[str]) -> str:
    lines = [f"{picture.total} risikoer i en 5×5-matrise, sannsynlighet bortover og konsekvens oppover."]
    if picture.total > len(picture.risks):
        counted = [
            f"sannsynlighet {p}, konsekvens {c}: {picture.cells[c - 1][p - 1]}"
            for c in range(5, 0, -1)
            for p in range(5, 0, -1)
            if picture.cells[c - 1][p - 1]
        ]
        lines.append("Antall per celle: " + "; ".join(counted) + ".")
        lines.append(f"Markørene viser de {len(picture.risks)} høyeste.")
    for label, risk in zip(labels, picture.risks, strict=True):
        line = (
            f"X{label} {risk.title}: sannsynlighet {risk.probability}, konsekvens {risk.consequence}, "
            f"{ZONE_LABELS[risk.zone].lower()}"
        )
        if risk.target_probability is not None and risk.target_consequence is not None and risk.target_zone:
            line += (
                f"; mål Y{label} etter tiltak: sannsynlighet {risk.target_probability}, "
                f"konsekvens {risk.target_consequence}, {ZONE_LABELS[risk.target_zone].lower()}"
            )
        lines.append(line + ".")
    return " ".join(lines)


def _marker(x: float, y: float, text: str, fill: str) -> str:
    return (
        f'<g class="marker"><circle cx="{x:.1f}" cy="{y:.1f}" r="13" fill="{fill}" stroke="#000" stroke-width="1.5"/>'
        f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="11" font-weight="bold">'
        f"{escape(text)}</text></g>"
    )


def render(picture: RiskPicture, labels: list[str]) -> str:
    """The SVG document; ``labels`` numbers the risks (X1/Y1 …) in the order of ``picture.risks``."""
    colours = picture.matrix.colours
    title = escape(picture.scope)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        'role="img" aria-labelledby="title desc" font-family="sans-serif">',
        f'<title id="title">{title}</title>',
        f'<desc id="desc">{escape(_describe(picture, labels))}</desc>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#000"/></marker></defs>',
        f'<text x="{LEFT + SIZE / 2}" y="30" text-anchor="middle" font-size="18" font-weight="bold">{title}</text>',
    ]
    for consequence in range(1, 6):
        for probability in range(1, 6):
            zone = Zone(picture.matrix.grid[consequence - 1][probability - 1])
            parts.append(
                f'<rect x="{_x(probability, 0)}" y="{_y(consequence, 0)}" width="{CELL}" height="{CELL}" '
                f'fill="{colours[zone]}" fill-opacity="0.55" stroke="#fff" stroke-width="2">'
                f"<title>{escape(ZONE_LABELS[zone])}</title></rect>"
            )
    for consequence in range(1, 6):
        for probability in range(1, 6):
            if count := picture.cells[consequence - 1][probability - 1]:
                parts.append(
                    f'<text class="count" x="{_x(probability, 0) + 6}" y="{_y(consequence, 0) + 15}" '
                    f'font-size="11">{count}</text>'
                )
    for level in range(1, 6):
        name = escape(f"{level} {LEVEL_LABELS[level - 1]}")
        parts.append(
            f'<text x="{_x(level, 0.5)}" y="{TOP + SIZE + 20}" text-anchor="middle" font-size="12">{name}</text>'
        )
        parts.append(f'<text x="{LEFT - 8}" y="{_y(level, 0.5) + 4}" text-anchor="end" font-size="12">{name}</text>')
    parts.append(
        f'<text x="{LEFT + SIZE / 2}" y="{TOP + SIZE + 45}" text-anchor="middle" font-size="14" '
        'font-weight="bold">Sannsynlighet</text>'
    )
    parts.append(
        f'<text x="20" y="{TOP + SIZE / 2}" text-anchor="middle" font-size="14" font-weight="bold" '
        f'transform="rotate(-90 20 {TOP + SIZE / 2})">Konsekvens</text>'
    )
    currents = _positions([(r.probability, r.consequence) for r in picture.risks])
    targets = _positions(
        [
            (r.target_probability, r.target_consequence)
            if r.target_probability is not None and r.target_consequence is not None
            else None
            for r in picture.risks
        ]
    )
    for now_at, target_at in zip(currents, targets, strict=True):
        if now_at and target_at and now_at != target_at:
            parts.append(
                f'<line x1="{now_at[0]:.1f}" y1="{now_at[1]:.1f}" x2="{target_at[0]:.1f}" y2="{target_at[1]:.1f}" '
                'stroke="#000" stroke-width="1.5" stroke-dasharray="5 3" marker-end="url(#arrow)"/>'
            )
    for label, now_at, target_at in zip(labels, currents, targets, strict=True):
        assert now_at is not None
        parts.append(_marker(*now_at, f"X{label}", "#fff"))
        if target_at:
            parts.append(_marker(*target_at, f"Y{label}", "#e0e0e0"))
    legend_y = TOP + SIZE + 75
    for index, zone in enumerate(Zone):
        x = LEFT + index * 170
        parts.append(f'<rect x="{x}" y="{legend_y - 12}" width="14" height="14" fill="{colours[zone]}"/>')
        parts.append(f'<text x="{x + 20}" y="{legend_y}" font-size="12">{escape(ZONE_LABELS[zone])}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def labels_for(risks: list[PlacedRisk], *, by_number: bool) -> list[str]:
    """An assessment numbers its risks itself (R3 is X3 and Y3); a unit's picture numbers them in its order."""
    return [r.marker.removeprefix("R") if by_number else str(i) for i, r in enumerate(risks, start=1)]
