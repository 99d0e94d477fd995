"""The risk matrix is written into the page as markup, so the page shows it only when it is a drawing: anything in
it that could run or load (as the page, with the person's session) keeps it out."""

from __future__ import annotations

import pytest
from varde_web.svg_inline import inline_svg

DRAWING = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" role="img" aria-labelledby="t">'
    '<title id="t">ROS 1</title><rect class="cell" x="0" y="0" width="5" height="5" fill="#2e7d32"/>'
    '<text x="1" y="4">Akseptabel<title>Akseptabel risiko</title></text>'
    '<g class="marker"><polygon points="0,0 1,1 0,1"/><polyline points="0,0 1,1"/></g></svg>'
)


def test_a_drawing_is_written_into_the_page_as_it_came() -> None:
    assert inline_svg(DRAWING + "\n") == DRAWING


@pytest.mark.parametrize(
    "svg",
    [
        DRAWING.replace("<title id", "<script>alert(1)</script><title id"),
        DRAWING.replace('<rect class="cell"', '<rect onclick="alert(1)" class="cell"'),
        DRAWING.replace("<svg ", '<svg onload="alert(1)" '),
        DRAWING.replace("<rect ", '<a href="javascript:alert(1)"><rect ').replace("</g></svg>", "</g></a></svg>"),
        DRAWING.replace(
            '<svg xmlns="http://www.w3.org/2000/svg"',
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"',
        ).replace("<rect ", '<rect xlink:href="#x" '),
        DRAWING.replace("</svg>", "<foreignObject><div>hei</div></foreignObject></svg>"),
        DRAWING.replace("</svg>", '<image href="https://example.org/x.png"/></svg>'),
        DRAWING.replace("</svg>", '<set attributeName="fill" to="red"/></svg>'),
        DRAWING.replace('<rect class="cell"', '<rect style="position:fixed" class="cell"'),
        '<!DOCTYPE svg [<!ENTITY a "aaaaaaaa">]>' + DRAWING.replace("ROS 1", "&a;"),
        '<?xml version="1.0"?>' + DRAWING,
        DRAWING.replace("ROS 1", "ROS 1<!-- -->"),
        '<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
        "<svg",  # not even XML
        "",
    ],
    ids=[
        "script",
        "event handler",
        "onload",
        "link",
        "xlink",
        "foreign object",
        "image",
        "animation",
        "style",
        "entity",
        "declaration",
        "comment",
        "not svg",
        "broken",
        "empty",
    ],
)
def test_anything_that_could_run_or_load_keeps_the_picture_out(svg: str) -> None:
    assert inline_svg(svg) is None
