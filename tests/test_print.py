"""Print production and archival PDFs: trim sizes, bleed and crop marks, mirrored margins, and each variant
passing the independent checks."""

from __future__ import annotations

import io

import pikepdf
import pytest

from pipeline.check.pdf import check_pdf
from pipeline.model import Document
from pipeline.options import BuildOptions, parse_bleed
from pipeline.render.pdf import PrintSetup, layout, print_pages, render_pdf

MM = 72 / 25.4
TRIMS = {"a4": (210 * MM, 297 * MM), "letter": (612.0, 792.0), "a5": (148 * MM, 210 * MM), "6x9": (432.0, 648.0)}
VARIANTS = [("ua-1", "a5", 0.0, False), ("a-3b", "letter", 0.0, False), ("x-4", "6x9", 3.0, True),
            ("x-4", "a4", 0.0, False)]


@pytest.mark.parametrize(("variant", "paper", "bleed", "two_sided"), VARIANTS)
def test_every_variant_passes_the_independent_checks(seed_doc: Document, variant: str, paper: str, bleed: float,
                                                     two_sided: bool) -> None:
    data = render_pdf(seed_doc, paper=paper, bleed_mm=bleed, two_sided=two_sided, variant=variant)
    found = check_pdf(data, variant)
    assert found.problems == []
    assert found.text_runs == found.tagged_runs > 0


def test_the_checks_catch_what_they_claim_to(seed_doc: Document) -> None:
    # An untagged PDF/X file that paints in device RGB, with no XMP identification: each is reported.
    from weasyprint import HTML

    bare = HTML(string="<p style='color: rgb(200, 0, 0)'>Red</p>").write_pdf()
    problems = " ".join(check_pdf(bare, "x-4").problems)
    for expected in ("no XMP metadata", "GTS_PDFX output intent", "no structure tree"):
        assert expected in problems
    ua = " ".join(check_pdf(bare, "ua-1").problems)
    assert "no structure tree" in ua and "PDF/UA-1" in ua


@pytest.mark.parametrize("paper", list(TRIMS))
def test_trim_sizes(seed_doc: Document, paper: str) -> None:
    with pikepdf.open(io.BytesIO(render_pdf(seed_doc, paper=paper))) as pdf:
        trim = [float(v) for v in pdf.pages[0].TrimBox]
    assert trim[2] - trim[0] == pytest.approx(TRIMS[paper][0], abs=0.5)
    assert trim[3] - trim[1] == pytest.approx(TRIMS[paper][1], abs=0.5)


def _strokes(page: pikepdf.Page) -> int:
    """Stroked paths a page draws, with those of the forms it draws (WeasyPrint draws marks as a form)."""
    stroking = {"S", "s", "B", "B*", "b", "b*"}
    count = 0
    forms = page.Resources.get("/XObject", {})
    for instruction in pikepdf.parse_content_stream(page):
        if str(instruction.operator) in stroking:
            count += 1
        elif str(instruction.operator) == "Do":
            form = forms[instruction.operands[0]]
            count += sum(1 for i in pikepdf.parse_content_stream(form) if str(i.operator) in stroking)
    return count


def test_bleed_adds_3mm_round_the_trim_and_crop_marks(seed_doc: Document) -> None:
    plain = render_pdf(seed_doc, paper="a5")
    bled = render_pdf(seed_doc, paper="a5", bleed_mm=3.0)
    with pikepdf.open(io.BytesIO(bled)) as pdf:
        page = pdf.pages[0]
        media = [float(v) for v in page.MediaBox]
        trim = [float(v) for v in page.TrimBox]
        assert trim[0] - media[0] == pytest.approx(3 * MM, abs=0.05)
        assert media[2] - trim[2] == pytest.approx(3 * MM, abs=0.05)
        strokes = _strokes(page)
    with pikepdf.open(io.BytesIO(plain)) as pdf:
        assert [float(v) for v in pdf.pages[0].MediaBox] == [float(v) for v in pdf.pages[0].TrimBox]
        plain_strokes = _strokes(pdf.pages[0])
    assert strokes >= plain_strokes + 8  # two strokes at each corner: the crop marks


def test_two_sided_mirrors_the_margins_and_keeps_the_page_breaks(seed_doc: Document) -> None:
    pages = layout(seed_doc, PrintSetup(paper="a5", two_sided=True)).pages
    verso, recto = pages[1]._page_box, pages[2]._page_box  # page 2 is a left page, page 3 a right one
    assert verso.margin_left < verso.margin_right and recto.margin_left > recto.margin_right
    assert verso.margin_left == pytest.approx(recto.margin_right)
    # The measure is the same, so the text breaks into the same pages as one-sided printing.
    assert print_pages(seed_doc, paper="a5", two_sided=True) == print_pages(seed_doc, paper="a5")


def test_pdf_ua_metadata(seed_doc: Document) -> None:
    with pikepdf.open(io.BytesIO(render_pdf(seed_doc))) as pdf:
        assert str(pdf.Root.Lang) == "en"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        assert pdf.open_metadata()["pdfuaid:part"] == "1"


@pytest.mark.parametrize(("text", "mm"), [("3mm", 3.0), ("0.125in", 3.175), ("9pt", 3.175), ("3", 3.0), ("", 0.0)])
def test_bleed_option(text: str, mm: float) -> None:
    assert parse_bleed(text) == pytest.approx(mm)
    assert BuildOptions.from_strings(bleed=text).bleed_mm == pytest.approx(mm)


@pytest.mark.parametrize("text", ["3cm", "lots", "-3mm", "20mm"])
def test_bad_bleed_is_refused(text: str) -> None:
    from pipeline.errors import ConfigError

    with pytest.raises(ConfigError):
        parse_bleed(text)


def test_unknown_variant_is_refused() -> None:
    from pipeline.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown PDF variant"):
        BuildOptions.from_strings(pdf_variant="x-1a")
    assert BuildOptions.from_strings(pdf_variant="PDF/A-3b").pdf_variant == "a-3b"
