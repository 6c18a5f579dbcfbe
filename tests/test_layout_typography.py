"""Typography on the rendered pages: the checker finds each fault on purpose-made pages, and the editions
have none of them at any trim size."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image
from weasyprint import HTML

from pipeline.check.layout import check_layout
from pipeline.model import Document
from pipeline.options import PAPERS
from pipeline.render.pdf import PrintSetup, layout

# A small page with a 300px-wide column: faults are easy to provoke on it.
PAGE = "@page { size: 400px 300px; margin: 20px 50px; } body { margin: 0; font: 16px/20px serif; } p { margin: 0; }"
FILLER = "<p>" + " ".join(["word"] * 30) + "</p>"


def _faults(body: str, css: str = "") -> list[str]:
    return check_layout(HTML(string=f"<html><head><style>{PAGE}{css}</style></head><body>{body}</body></html>")
                        .render())


def _png(width: int, height: int) -> str:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (90, 90, 90)).save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def test_clean_pages_pass() -> None:
    assert _faults(FILLER * 3, "p { orphans: 2; widows: 2; }") == []


def test_finds_a_line_past_the_column() -> None:
    (fault,) = _faults("<p style='overflow-wrap: normal'>Pneumonoultramicroscopicsilicovolcanoconiosis"
                       "pneumonoultramicroscopicsilicovolcanoconiosis</p>")
    assert "runs" in fault and "past its column" in fault


def test_finds_an_image_wider_than_the_column() -> None:
    faults = _faults(f"<figure style='margin:0'><img src='{_png(500, 20)}' alt='grey'/>"
                     "<figcaption>A caption.</figcaption></figure>")
    assert any("an image" in f for f in faults), faults


def test_finds_a_single_line_alone_at_the_top_of_a_page() -> None:
    # 13 lines fill a page; a 14-line paragraph then leaves one line alone on the next page.
    faults = _faults("<p>" + "<br/>".join(["line"] * 14) + "</p>", "p { orphans: 1; widows: 1; }")
    assert any("single line alone" in f for f in faults), faults


def test_finds_a_heading_alone_at_the_foot_of_a_page() -> None:
    faults = _faults("<p>" + "<br/>".join(["line"] * 12) + "</p><h2>Heading</h2>" + FILLER,
                     "h2 { margin: 0; font-size: 16px; line-height: 20px; break-after: auto; }"
                     " p { orphans: 1; widows: 1; }")
    assert any("stands alone at the foot" in f for f in faults), faults


def test_finds_a_figure_split_from_its_caption() -> None:
    faults = _faults("<p>" + "<br/>".join(["line"] * 6) + "</p>"
                     f"<figure style='margin:0'><img src='{_png(100, 110)}' alt='grey' style='display:block'/>"
                     "<figcaption>A caption long enough to need lines of its own below the image.</figcaption>"
                     "</figure>", "figure { break-inside: auto; } p, figcaption { orphans: 1; widows: 1; }")
    assert any("split from its caption" in f for f in faults), faults


@pytest.mark.parametrize("paper", list(PAPERS))
@pytest.mark.parametrize("two_sided", [False, True], ids=["one-sided", "two-sided"])
def test_editions_have_no_typographic_fault(seed_doc: Document, paper: str, two_sided: bool) -> None:
    assert check_layout(layout(seed_doc, PrintSetup(paper=paper, two_sided=two_sided))) == []
