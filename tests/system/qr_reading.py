"""Reading a QR code from a browser's screenshot with zxing-cpp, an independent decoder: what a phone's camera would
read from the printed poster. The screenshot's PNG is unpacked here (8-bit RGB or RGBA, as Chromium writes it), so
the tests need no image library."""

from __future__ import annotations

import struct
import zlib

import zxingcpp

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {2: 3, 6: 4}  # PNG colour type: RGB, RGBA


def _paeth(left: int, up: int, corner: int) -> int:
    guess = left + up - corner
    near_left, near_up, near_corner = abs(guess - left), abs(guess - up), abs(guess - corner)
    if near_left <= near_up and near_left <= near_corner:
        return left
    return up if near_up <= near_corner else corner


def grey_pixels(png: bytes) -> tuple[int, int, bytes]:
    """Width, height and one byte of brightness a pixel."""
    assert png.startswith(PNG_SIGNATURE)
    position, packed = len(PNG_SIGNATURE), b""
    width = height = channels = 0
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind, body = png[position + 4 : position + 8], png[position + 8 : position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert (depth, interlace) == (8, 0), (depth, interlace)
            assert colour in CHANNELS, colour
            channels = CHANNELS[colour]
        elif kind == b"IDAT":
            packed += body
    raw, stride = zlib.decompress(packed), width * channels
    grey, previous, offset = bytearray(), bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[offset], bytearray(raw[offset + 1 : offset + 1 + stride])
        offset += 1 + stride
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            corner = previous[x - channels] if x >= channels else 0
            line[x] = (
                line[x] + (0, left, previous[x], (left + previous[x]) // 2, _paeth(left, previous[x], corner))[kind]
            ) & 0xFF
        grey.extend((line[x] * 299 + line[x + 1] * 587 + line[x + 2] * 114) // 1000 for x in range(0, stride, channels))
        previous = line
    return width, height, bytes(grey)


def read_qr_codes(png: bytes) -> list[str]:
    width, height, grey = grey_pixels(png)
    return [code.text for code in zxingcpp.read_barcodes(memoryview(grey).cast("B", shape=[height, width]))]
