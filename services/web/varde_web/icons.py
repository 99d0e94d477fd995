"""The app's icon, a varde (a cairn of four stones) on the accent colour, drawn here as SVG and as PNG in the sizes an
installed web app needs. ``python -m varde_web.icons`` writes them to ``static/icons/``; a test holds the files to
what this draws. No image library: the stones are ellipses, filled span by span with 4 × 4 samples a pixel.

The PNG is square to its edges and keeps the stones inside the middle 80 %, so it serves as a maskable icon too (a
launcher may cut it to a circle); the SVG, shown in a browser tab, has rounded corners.
"""

from __future__ import annotations

import math
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

ICONS = Path(__file__).parent / "static" / "icons"
CANVAS = 512
BACKGROUND = (0x0B, 0x5A, 0x8A)  # varde.css --varde-accent
PNG_SIZES = (192, 512)
SAMPLES = 4


@dataclass(frozen=True)
class Stone:
    cx: float
    cy: float
    rx: float
    ry: float
    colour: tuple[int, int, int]

    def span(self, y: float) -> tuple[float, float] | None:
        """Where the stone crosses the line at ``y`` (canvas units), if it does."""
        height = (y - self.cy) / self.ry
        if abs(height) >= 1:
            return None
        half = self.rx * math.sqrt(1 - height * height)
        return self.cx - half, self.cx + half


# From the ground up, each a little smaller and a little off the middle, as a cairn is stacked by hand.
STONES = (
    Stone(256, 356, 150, 50, (0xE4, 0xEA, 0xEF)),
    Stone(246, 276, 118, 42, (0xF4, 0xF6, 0xF8)),
    Stone(264, 206, 86, 36, (0xD2, 0xDC, 0xE4)),
    Stone(252, 146, 54, 30, (0xFF, 0xFF, 0xFF)),
)


def svg() -> str:
    def hex_colour(colour: tuple[int, int, int]) -> str:
        return "#" + "".join(f"{part:02x}" for part in colour)

    stones = "".join(
        f'<ellipse cx="{s.cx:g}" cy="{s.cy:g}" rx="{s.rx:g}" ry="{s.ry:g}" fill="{hex_colour(s.colour)}"/>'
        for s in STONES
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CANVAS} {CANVAS}">'
        f'<rect width="{CANVAS}" height="{CANVAS}" rx="96" fill="{hex_colour(BACKGROUND)}"/>{stones}</svg>\n'
    )


def pixels(size: int) -> bytes:
    """The icon at ``size`` × ``size`` as RGB rows, each sample the colour of the topmost stone over it."""
    palette = [BACKGROUND, *(stone.colour for stone in STONES)]
    across = size * SAMPLES
    scale = CANVAS / across
    rows = bytearray()
    for row in range(size):
        totals = [[0, 0, 0] for _ in range(size)]
        for sub in range(SAMPLES):
            line = [0] * across
            y = (row * SAMPLES + sub + 0.5) * scale
            for index, stone in enumerate(STONES, start=1):
                crossing = stone.span(y)
                if crossing is None:
                    continue
                start = max(0, math.ceil(crossing[0] / scale - 0.5))
                end = min(across, math.floor(crossing[1] / scale - 0.5) + 1)
                if end > start:
                    line[start:end] = [index] * (end - start)
            for x in range(across):
                colour = palette[line[x]]
                total = totals[x // SAMPLES]
                total[0] += colour[0]
                total[1] += colour[1]
                total[2] += colour[2]
        rows.append(0)  # PNG filter type: none
        for total in totals:
            rows.extend(round(part / (SAMPLES * SAMPLES)) for part in total)
    return bytes(rows)


def png(size: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB, not interlaced
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels(size), 9))
        + chunk(b"IEND", b"")
    )


def drawn() -> dict[str, bytes]:
    """Every icon file by name, as this module draws it."""
    return {"varde.svg": svg().encode(), **{f"varde-{size}.png": png(size) for size in PNG_SIZES}}


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    for name, content in drawn().items():
        (ICONS / name).write_bytes(content)
        print(f"{ICONS / name}: {len(content)} bytes")


if __name__ == "__main__":
    main()
