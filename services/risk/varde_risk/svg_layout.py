"""Where things go on the drawn matrix, without drawing them: the cells, the markers of a cell laid out in rows
(never on top of each other, never outside the cell), and each arrow routed so that its head lands beside its
target marker on a side where no other marker or count lies under it.

Sizes are in the SVG's own units. The drawing is 568 wide: on a desk it is shown at that size or larger, on a
phone (390 px) at about two thirds, where the 12-unit marker labels are 8 px.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

CELL = 96
LEFT, TOP = 80, 56
SIZE = 5 * CELL
WIDTH = LEFT + SIZE + 8
MARKER_HEIGHT = 20
MARKER_FONT = 12
GAP = 4
COUNT_BAND = 18  # the top of each cell holds its count
PADDING = 4
ARROW_LENGTH, ARROW_HALF_WIDTH = 10.0, 5.0
# Advance widths of the bold sans-serif (Arial, Helvetica, Liberation Sans) in em; the text is also held to
# its box with textLength, so a wider fallback font is narrowed instead of running over the edge.
_ADVANCE = {".": 0.28, "+": 0.58, "X": 0.67, "Y": 0.67}
_DIGIT = 0.56


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.width / 2, self.y + self.height / 2

    def contains(self, point: tuple[float, float]) -> bool:
        return self.x <= point[0] <= self.x + self.width and self.y <= point[1] <= self.y + self.height

    def overlaps(self, other: Box) -> bool:
        return (
            self.x < other.x + other.width
            and other.x < self.x + self.width
            and self.y < other.y + other.height
            and other.y < self.y + self.height
        )


Point = tuple[float, float]


def text_width(label: str, font_size: float = MARKER_FONT) -> float:
    return sum(_ADVANCE.get(ch, _DIGIT) for ch in label) * font_size


def marker_width(label: str) -> float:
    return text_width(label) + 10


def cell_box(probability: int, consequence: int) -> Box:
    """The cell's square; the highest consequence at the top."""
    return Box(LEFT + (probability - 1) * CELL, TOP + (5 - consequence) * CELL, CELL, CELL)


def count_box(cell: Box) -> Box:
    """Where a cell's count is written (its top-left corner)."""
    return Box(cell.x + 2, cell.y + 2, 26, COUNT_BAND - 3)


LEVEL_WIDTH, LEVEL_FONT = 62, 10  # the longest level word (Uakseptabel) is 61 units wide in 10-unit Arial


def level_box(cell: Box) -> Box:
    """Where a cell's level is written in words: its top band, right of its count, clear of its markers."""
    return Box(cell.x + cell.width - 4 - LEVEL_WIDTH, cell.y + 2, LEVEL_WIDTH, COUNT_BAND - 4)


def layout_cell(labels: list[str], cell: Box) -> tuple[list[Box], int]:
    """Boxes for the first markers of a cell, in rows below its count, each row centred; and how many did not fit
    (the last box is then the "+n" marker)."""
    area = Box(cell.x + PADDING, cell.y + COUNT_BAND, cell.width - 2 * PADDING, cell.height - COUNT_BAND - PADDING)
    max_rows = int((area.height + GAP) // (MARKER_HEIGHT + GAP))

    def rows_for(widths: list[float]) -> list[list[float]]:
        rows: list[list[float]] = [[]]
        for width in widths:
            if rows[-1] and sum(rows[-1]) + GAP * len(rows[-1]) + width > area.width:
                rows.append([])
            rows[-1].append(width)
        return rows

    def with_more(shown: int) -> list[float]:
        hidden = len(labels) - shown
        return [marker_width(label) for label in labels[:shown]] + ([marker_width(f"+{hidden}")] if hidden else [])

    shown = len(labels)
    while len(rows_for(with_more(shown))) > max_rows:
        shown -= 1
    boxes: list[Box] = []
    for row_index, row in enumerate(rows_for(with_more(shown))):
        x = area.x + (area.width - (sum(row) + GAP * (len(row) - 1))) / 2
        y = area.y + row_index * (MARKER_HEIGHT + GAP)
        for width in row:
            boxes.append(Box(x, y, width, MARKER_HEIGHT))
            x += width + GAP
    return boxes, len(labels) - shown


@dataclass(frozen=True)
class Arrow:
    line: tuple[Point, ...]  # from the edge of the X marker to where the head begins
    head: tuple[Point, Point, Point]  # the tip first, just outside the Y marker


def _edge_point(box: Box, towards: Point) -> Point:
    """Where the line from the box's centre to ``towards`` leaves the box."""
    (cx, cy), (tx, ty) = box.centre, towards
    dx, dy = tx - cx, ty - cy
    if not dx and not dy:
        return cx, cy
    scale = min(box.width / 2 / abs(dx) if dx else math.inf, box.height / 2 / abs(dy) if dy else math.inf)
    return cx + dx * scale, cy + dy * scale


def _head(tip: Point, unit: Point) -> tuple[Point, Point, Point]:
    ux, uy = unit
    bx, by = tip[0] - ux * ARROW_LENGTH, tip[1] - uy * ARROW_LENGTH
    return (
        tip,
        (bx - uy * ARROW_HALF_WIDTH, by + ux * ARROW_HALF_WIDTH),
        (bx + uy * ARROW_HALF_WIDTH, by - ux * ARROW_HALF_WIDTH),
    )


def head_touches(head: tuple[Point, Point, Point], box: Box) -> bool:
    """Whether the arrowhead's triangle and the box overlap (enough for boxes no smaller than the head)."""
    (ax, ay), (bx, by), (cx, cy) = head
    if (
        max(ax, bx, cx) < box.x
        or min(ax, bx, cx) > box.x + box.width
        or max(ay, by, cy) < box.y
        or min(ay, by, cy) > box.y + box.height
    ):
        return False  # most boxes are nowhere near the head
    samples = [(ax, ay), (bx, by), (cx, cy), ((ax + bx + cx) / 3, (ay + by + cy) / 3)]
    samples += [
        ((px + qx) / 2, (py + qy) / 2)
        for (px, py), (qx, qy) in ((head[0], head[1]), (head[1], head[2]), (head[2], head[0]))
    ]
    if any(box.contains(point) for point in samples):
        return True
    corners = [
        (box.x, box.y),
        (box.x + box.width, box.y),
        (box.x, box.y + box.height),
        (box.x + box.width, box.y + box.height),
    ]
    return any(_in_triangle(corner, head) for corner in corners)


def _in_triangle(point: Point, triangle: tuple[Point, Point, Point]) -> bool:
    (x, y), ((x1, y1), (x2, y2), (x3, y3)) = point, triangle
    d1 = (x - x2) * (y1 - y2) - (x1 - x2) * (y - y2)
    d2 = (x - x3) * (y2 - y3) - (x2 - x3) * (y - y3)
    d3 = (x - x1) * (y3 - y1) - (x3 - x1) * (y - y1)
    return not ((d1 < 0 or d2 < 0 or d3 < 0) and (d1 > 0 or d2 > 0 or d3 > 0))


def _arrow(path: list[Point], into: Point) -> Arrow | None:
    """The arrow along ``path`` whose last leg arrives at ``into`` (on the target's edge); none when that leg is
    too short to hold a head."""
    (px, py), (ax, ay) = path[-1], into
    length = math.hypot(ax - px, ay - py)
    if length < ARROW_LENGTH + 4:
        return None
    unit = ((ax - px) / length, (ay - py) / length)
    tip = (ax - unit[0] * 2, ay - unit[1] * 2)
    base = (tip[0] - unit[0] * ARROW_LENGTH, tip[1] - unit[1] * ARROW_LENGTH)
    return Arrow(line=(*path, base), head=_head(tip, unit))


APPROACH = 14  # how far out from a side an arrow turns towards it, or away from its start
_SIDES: tuple[Point, ...] = ((0.0, -1.0), (0.0, 1.0), (-1.0, 0.0), (1.0, 0.0))


def _side(box: Box, normal: Point) -> Point:
    (cx, cy), (nx, ny) = box.centre, normal
    return cx + nx * box.width / 2, cy + ny * box.height / 2


def _segment_meets(start: Point, end: Point, box: Box) -> bool:
    """Whether the segment touches the box (edges included), by clipping it to the box (Liang–Barsky)."""
    (x1, y1), (x2, y2) = start, end
    dx, dy = x2 - x1, y2 - y1
    low, high = 0.0, 1.0
    for towards, room in (
        (-dx, x1 - box.x),
        (dx, box.x + box.width - x1),
        (-dy, y1 - box.y),
        (dy, box.y + box.height - y1),
    ):
        if towards == 0:
            if room < 0:
                return False  # parallel to this edge and outside it
            continue
        ratio = room / towards
        if towards < 0:
            low = max(low, ratio)
        else:
            high = min(high, ratio)
        if low > high:
            return False
    return True


def _crossings(path: tuple[Point, ...], obstacles: list[Box]) -> int:
    """How many of the boxes the dashed line runs under."""
    legs = list(itertools.pairwise(path))
    return sum(1 for box in obstacles if any(_segment_meets(a, b, box) for a, b in legs))


def route(start: Box, end: Box, obstacles: list[Box], words: list[Box] | None = None) -> Arrow | None:
    """The arrow from the X marker ``start`` to the Y marker ``end``, of the few it may take (straight, or turning
    out of a side of ``start`` and into a side of ``end``): the one that runs under the fewest markers, then the
    shortest, of those whose head no other marker or count lies under. None when there is none: the two sit side
    by side, or the target is hemmed in by others in a crowded cell; the key says where its target is.

    ``words`` (the cells' levels) are avoided where an arrow can: a head on one costs more than a longer way round,
    but is drawn when there is no other, since the word is still read beside it."""
    others = [box for box in obstacles if box not in (start, end)]
    best: tuple[float, Arrow] | None = None
    for leave in (None, (0.0, -1.0), (0.0, 1.0)):
        for arrive in (None, *_SIDES):
            path: list[Point] = []
            if leave is not None:
                exit_point = _side(start, leave)
                path += [exit_point, (exit_point[0] + leave[0] * APPROACH, exit_point[1] + leave[1] * APPROACH)]
            if arrive is not None:
                anchor = _side(end, arrive)
                turn = (anchor[0] + arrive[0] * APPROACH, anchor[1] + arrive[1] * APPROACH)
                if start.contains(turn):
                    continue
                path.append(turn)
            if not path:
                path.append(_edge_point(start, end.centre))
            elif leave is None:
                path.insert(0, _edge_point(start, path[0]))
            into = anchor if arrive is not None else _edge_point(end, path[-1])
            if end.contains((path[-1][0] * 0.9 + into[0] * 0.1, path[-1][1] * 0.9 + into[1] * 0.1)):
                continue  # the last leg would run through the target itself
            arrow = _arrow(path, into)
            if arrow is None:
                continue
            if any(head_touches(arrow.head, box) for box in [*others, start]):
                continue  # a head under a marker is never drawn
            length = sum(math.hypot(b[0] - a[0], b[1] - a[1]) for a, b in itertools.pairwise(arrow.line))
            on_words = sum(1 for box in words or [] if head_touches(arrow.head, box))
            cost = 50 * on_words + 10 * _crossings(arrow.line, [*others, start]) + length / 100
            if best is None or cost < best[0]:
                best = (cost, arrow)
    return best[1] if best is not None else None
