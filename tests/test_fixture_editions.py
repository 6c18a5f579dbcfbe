"""Every parser fixture built to all three editions: EPUBCheck clean, PDF glyphs all drawn, text clean."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree
from lxml import html as lxml_html

from pipeline.render.html import pdf_html
from pipeline.render.templating import columns

from .conftest import Editions
from .pdftools import font_facts, undrawn
from .test_fixtures import DUMPS, FIXTURES

XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_NS = "{http://www.idpf.org/2007/ops}"


Edition = Editions


@pytest.fixture(scope="module")
def editions(corpus: dict[Path, Editions | str]) -> dict[str, Edition]:
    """The fixtures' editions, from the session's corpus build (tests/conftest.py)."""
    built = {seed.stem: e for seed, e in corpus.items() if isinstance(e, Editions) and seed.parent == FIXTURES}
    assert len(built) == len(DUMPS) >= 20  # every fixture parses and builds
    return built


@pytest.mark.parametrize("name", [p.stem for p in DUMPS])
def test_pdf_fonts_embedded_and_every_character_drawn(editions: dict[str, Edition], name: str) -> None:
    edition = editions[name]
    facts = font_facts(edition.pdf)
    assert facts and all(f.embedded for f in facts), [f.name for f in facts if not f.embedded]
    assert not [f.name for f in facts if f.notdef]
    body = lxml_html.fromstring(pdf_html(edition.doc)).find("body")
    assert body is not None
    missing = undrawn(edition.pdf, body.text_content())
    assert not missing, sorted(f"U+{ord(c):04X}" for c in missing)


@pytest.mark.parametrize("name", [p.stem for p in DUMPS])
def test_text_edition(editions: dict[str, Edition], name: str) -> None:
    text = editions[name].txt.read_bytes().decode("utf-8")
    for line in text.splitlines():
        assert columns(line) <= 72 or " " not in line.strip(), line


def test_leftovers_are_gone_from_every_edition(editions: dict[str, Edition]) -> None:
    edition = editions["17_site_leftovers"]
    with zipfile.ZipFile(edition.epub) as z:
        epub_text = b"".join(z.read(n) for n in z.namelist() if n.endswith(".xhtml")).decode("utf-8")
    pdf_text = "".join(edition.pdf.read_bytes().decode("latin-1").split())  # fonts are subset: check via the tree
    # The site's copyright footer is a leftover too (the editor's rules): a book's rights come from its sidecar.
    for leftover in ("Skip to content", "Subscribe", "cookies", "newsletter", "Related Articles",
                     "Delta villages turn to eco-tourism", "Comments are closed", "12 comments", "Home | World",
                     "© 2021 The Example Times"):
        assert leftover not in epub_text
        assert leftover not in edition.txt.read_text(encoding="utf-8")
    assert pdf_text  # the PDF was written; its text is the tree's, checked above


def test_notes_are_real_footnotes(editions: dict[str, Edition]) -> None:
    edition = editions["12_footnotes"]
    with zipfile.ZipFile(edition.epub) as z:
        page = etree.fromstring(z.read("EPUB/article.xhtml"))
    refs = [a for a in page.iter(f"{XHTML}a") if a.get(f"{EPUB_NS}type") == "noteref"]
    notes = [n for n in page.iter(f"{XHTML}aside") if n.get(f"{EPUB_NS}type") == "footnote"]
    assert [r.get("href") for r in refs] == ["#fn-1", "#fn-2"]
    assert [n.get("id") for n in notes] == ["fn-1", "fn-2"]
    assert all(n.get("role") == "doc-footnote" for n in notes)
    text = edition.txt.read_text(encoding="utf-8")
    assert text.index("Notes\n-----") > text.index("Replacing pipes is far more")
    assert "[2] The relationship is not linear" in text
    from pypdf import PdfReader

    first_page = PdfReader(edition.pdf).pages[0].extract_text()
    assert "Estimates from a survey of forty European utilities" in " ".join(first_page.split())


def test_pull_quote_printed_once(editions: dict[str, Edition]) -> None:
    edition = editions["14_pullquote"]
    text = edition.txt.read_text(encoding="utf-8")
    assert " ".join(text.split()).count("just a place where people sleep") == 1
    with zipfile.ZipFile(edition.epub) as z:
        page = etree.fromstring(z.read("EPUB/article.xhtml"))
    asides = [a for a in page.iter(f"{XHTML}aside") if a.get("role") == "doc-pullquote"]
    assert len(asides) == 1


def test_right_to_left(editions: dict[str, Edition]) -> None:
    for name, lang in (("18_arabic", "ar"), ("19_hebrew", "he")):
        with zipfile.ZipFile(editions[name].epub) as z:
            page = etree.fromstring(z.read("EPUB/article.xhtml"))
            opf = z.read("EPUB/content.opf").decode("utf-8")
        assert (page.get("lang"), page.get("dir")) == (lang, "rtl")
        assert 'page-progression-direction="rtl"' in opf


def test_cjk_uses_the_regional_face(editions: dict[str, Edition]) -> None:
    for name, face in (("06_japanese", "CJK-JP"), ("21_chinese", "CJK-SC"), ("22_korean", "CJK-KR")):
        names = [f.name for f in font_facts(editions[name].pdf)]
        assert any(face in n for n in names), names


def test_sidecar_image_and_keywords(editions: dict[str, Edition]) -> None:
    edition = editions["30_sidecar"]
    with zipfile.ZipFile(edition.epub) as z:
        assert "EPUB/images/photo-1.png" in z.namelist()
        page = etree.fromstring(z.read("EPUB/article.xhtml"))
        opf = z.read("EPUB/content.opf").decode("utf-8")
    img = next(page.iter(f"{XHTML}img"))
    assert img.get("alt", "").startswith("A golden sun above a stone harbour wall")
    assert "<dc:subject>photography</dc:subject>" in opf
    assert "<dc:publisher>Harbour Gazette</dc:publisher>" in opf
    with pikepdf.open(edition.pdf) as pdf:
        assert str(pdf.docinfo["/Keywords"]) == "harbour, photography, spring"
        xobjects = pdf.pages[0].resources.get("/XObject", {})
        assert any(x.get("/Subtype") == "/Image" for _k, x in xobjects.items())
