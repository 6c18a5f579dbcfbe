"""Publishing-grade checks on every article of the corpus (the seeds and the parser's fixtures): EPUBCheck,
DAISY Ace, the cover, accessibility metadata that matches the content, the EPUB's print page numbers against
the PDF's pages, independent PDF checks, and what real readers (MuPDF) make of the files."""

from __future__ import annotations

import html
import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from pipeline.check.layout import check_layout
from pipeline.check.pdf import check_pdf
from pipeline.render.cover import cover_alt
from pipeline.render.epub import render_epub
from pipeline.render.pdf import MARGINS, SMALL_PAPERS, PrintSetup, edition_name, layout, print_pages, render_pdf

from .conftest import CORPUS, AceResult, CheckResult, Editions, corpus_id, editions
from .epubtools import NS

EPUB_TYPE = f"{{{NS['epub']}}}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: epub:type values and the DPUB-ARIA role each must come with.
ROLES = {"chapter": "doc-chapter", "pagebreak": "doc-pagebreak", "toc": "doc-toc", "page-list": "doc-pagelist",
         "cover": "doc-cover", "subtitle": "doc-subtitle", "footnote": "doc-footnote", "pullquote": "doc-pullquote"}

corpus_books = pytest.mark.parametrize("seed", CORPUS, ids=corpus_id)


class Book:
    """An EPUB opened for reading: its package document and its content documents by manifest path."""

    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path)
        container = etree.fromstring(self.zip.read("META-INF/container.xml"))
        self.opf_path = container.find(".//c:rootfile", NS).get("full-path")  # type: ignore[union-attr]
        self.base = self.opf_path.rsplit("/", 1)[0] + "/" if "/" in self.opf_path else ""
        self.opf = etree.fromstring(self.zip.read(self.opf_path))
        self.items = {i.get("id"): i for i in self.opf.iterfind("opf:manifest/opf:item", NS)}

    def read(self, href: str) -> bytes:
        return self.zip.read(self.base + href)

    def xml(self, href: str) -> etree._Element:
        return etree.fromstring(self.read(href))

    def meta(self, prop: str) -> list[str]:
        return [e.text or "" for e in self.opf.iterfind("opf:metadata/opf:meta", NS) if e.get("property") == prop]

    @property
    def documents(self) -> dict[str, etree._Element]:
        return {i.get("href"): self.xml(i.get("href")) for i in self.items.values()
                if i.get("media-type") == "application/xhtml+xml"}

    @property
    def spine(self) -> list[etree._Element]:
        return [self.items[r.get("idref")] for r in self.opf.iterfind("opf:spine/opf:itemref", NS)]


@corpus_books
def test_epubcheck_reports_nothing(seed: Path, corpus: dict[Path, Editions | str],
                                   corpus_verdicts: dict[Path, CheckResult]) -> None:
    editions(corpus, seed)
    result = corpus_verdicts[seed]
    assert (result.fatals, result.errors, result.warnings) == (0, 0, 0), result.messages


@corpus_books
def test_ace_reports_no_violation(seed: Path, corpus: dict[Path, Editions | str],
                                  ace: dict[Path, AceResult]) -> None:
    editions(corpus, seed)
    assert ace[seed].violations == (), ace[seed].violations
    assert ace[seed].outcome == "pass"


@corpus_books
def test_cover_is_declared_and_shown_first(seed: Path, corpus: dict[Path, Editions | str]) -> None:
    book = Book(editions(corpus, seed).epub)
    (image,) = [i for i in book.items.values() if "cover-image" in (i.get("properties") or "").split()]
    names = [e for e in book.opf.iterfind("opf:metadata/opf:meta", NS) if e.get("name") == "cover"]
    assert [e.get("content") for e in names] == [image.get("id")]  # for EPUB 2 readers
    with Image.open(io.BytesIO(book.read(image.get("href")))) as picture:
        assert picture.format in ("PNG", "JPEG") and picture.size == (1600, 2560)
        # A typographic cover: ink on paper, not a blank page.
        dark = sum(picture.convert("L").point(lambda v: 255 if v < 100 else 0).histogram()[255:])
        assert dark > 20_000
    first = book.spine[0]
    assert book.opf.find("opf:spine/opf:itemref", NS).get("linear") in (None, "yes")  # type: ignore[union-attr]
    page = book.xml(first.get("href"))
    (img,) = page.iterfind(".//x:img", NS)
    # The text alternative says what the drawn cover shows, in the article's language.
    assert img.get("src") == image.get("href") and img.get("alt") == cover_alt(editions(corpus, seed).doc)
    assert img.get(EPUB_TYPE) == "cover" and img.get("role") == "doc-cover"


@corpus_books
def test_every_document_has_the_language_and_matching_roles(seed: Path, corpus: dict[Path, Editions | str]) -> None:
    book = Book(editions(corpus, seed).epub)
    (language,) = [e.text for e in book.opf.iterfind("opf:metadata/dc:language", NS)]
    assert book.opf.get(XML_LANG) == language
    for href, document in book.documents.items():
        assert (document.get("lang"), document.get(XML_LANG)) == (language, language), href
        for element in document.iter():
            kind = element.get(EPUB_TYPE)
            tag = etree.QName(element).localname
            if kind is None or tag in ("body", "a"):
                continue  # body types and landmark links have no ARIA counterpart
            if tag == "nav" and kind == "landmarks":
                continue
            assert element.get("role") == ROLES[kind], f"{href}: <{tag} epub:type={kind}> role {element.get('role')}"


@corpus_books
def test_accessibility_metadata_matches_the_content(seed: Path, corpus: dict[Path, Editions | str]) -> None:
    book = Book(editions(corpus, seed).epub)
    images = [img for doc in book.documents.values() for img in doc.iterfind(".//x:img", NS)]
    all_alt = all(img.get("alt", "").strip() for img in images)
    nav = book.xml(next(i.get("href") for i in book.items.values() if "nav" in (i.get("properties") or "")))
    page_list = nav.find(".//x:nav[@epub:type='page-list']", NS)
    markers = [e for doc in book.documents.values() for e in doc.iter() if e.get(EPUB_TYPE) == "pagebreak"]
    features = set(book.meta("schema:accessibilityFeature"))

    assert set(book.meta("schema:accessMode")) == ({"textual", "visual"} if images else {"textual"})
    assert ("textual" in book.meta("schema:accessModeSufficient")) == all_alt
    assert ("alternativeText" in features) == bool(images and all_alt)
    assert {"structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"} <= features
    assert book.meta("schema:accessibilityHazard") == ["none"]
    assert len(book.meta("schema:accessibilitySummary")) == 1
    assert ("printPageNumbers" in features) == (page_list is not None) == bool(markers)
    if page_list is not None:
        # Each entry leads to its marker, in page order, and the print edition is named as their source.
        targets = [a.get("href").split("#")[1] for a in page_list.iter(f"{{{NS['x']}}}a")]
        assert targets == [m.get("id") for m in markers] == [f"page-{n}" for n in range(1, len(markers) + 1)]
        assert all(m.get("aria-label") == m.get("id").split("-")[1] for m in markers)
        sources = {e.get("id"): e.text for e in book.opf.iterfind("opf:metadata/dc:source", NS)}
        refined = [e.get("refines") for e in book.opf.iterfind("opf:metadata/opf:meta", NS)
                   if e.get("property") == "source-of" and e.text == "pagination"]
        assert refined and refined[0].lstrip("#") in sources and "PDF edition" in sources[refined[0].lstrip("#")]
    conforms = book.meta("dcterms:conformsTo")
    assert conforms == (["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"] if all_alt else [])
    assert bool(book.meta("a11y:certifiedBy")) == bool(conforms)


# ---- The EPUB's page numbers against the PDF's pages ------------------------------------------------------

HYPHEN = "\u2010"


def _normal(word: str) -> str:
    return word.casefold().replace(HYPHEN, "-").strip("“”\"'‘’()[],.;:!?")


def _pdf_pages(pdf: Path, paper: str, rtl: bool = False) -> list[list[str]]:
    """Each page's words in reading order as Poppler sees them, without running heads and page numbers.

    Poppler lists right-to-left words in visual order, each spelled backwards: for `rtl` text each line is read
    back into logical order (words reversed, then each word's letters)."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(re.sub(rb"<!DOCTYPE[^>]*>", b"", out))
    top, _side, bottom = MARGINS[paper in SMALL_PAPERS]
    pt_per_mm = 72 / 25.4
    pages = []
    for page in root.iter("{*}page"):
        height = float(page.get("height"))
        words: list[str] = []
        for line in page.iter("{*}line"):
            kept = [w.text or "" for w in line.iter("{*}word") if float(w.get("yMin")) > top * pt_per_mm - 1
                    and float(w.get("yMax")) < height - bottom * pt_per_mm]
            words += [w[::-1] for w in reversed(kept)] if rtl else kept
        pages.append(words)
    return pages


def _joined(words: list[str]) -> list[str]:
    """Words with the line-end hyphenation undone: `diplo‐` `macy` as `diplomacy`, `Trump-` `Kim` kept whole."""
    out: list[str] = []
    carry = ""
    for word in words:
        word = carry + word
        carry = ""
        if word.endswith(HYPHEN):
            carry = word[:-1]
        elif word.endswith("-") and len(word) > 1:
            carry = word
        else:
            out.append(word)
    return out + ([carry] if carry else [])


def _words_after_markers(epub: Path) -> dict[int, list[str]]:
    with zipfile.ZipFile(epub) as z:
        xhtml = z.read("EPUB/article.xhtml").decode("utf-8")
    body = xhtml[xhtml.index("<body"):]
    out = {}
    for match in re.finditer(r'<span epub:type="pagebreak"[^>]*id="page-(\d+)"[^>]*/>', body):
        text = html.unescape(re.sub(r"<[^>]+>", " ", body[match.end():match.end() + 2000]))
        out[int(match.group(1))] = text.split()
    return out


def _assert_pages_agree(epub: Path, pdf: Path, paper: str, *, rtl: bool = False) -> int:
    pages = _pdf_pages(pdf, paper, rtl)
    after = _words_after_markers(epub)
    assert sorted(after) == list(range(1, len(pages) + 1)), "one marker for each PDF page"
    for number, words in enumerate(pages, start=1):
        top = _joined(words)
        previous = pages[number - 2] if number > 1 else []
        if previous and previous[-1].endswith((HYPHEN, "-")):
            top = _joined(words[1:])  # the page opens with the end of a word begun on the page before
        # Compared as characters without spaces: CJK text has no spaces, and Poppler splits its runs at will.
        expected = "".join(_normal(w) for w in top[:4])[:16]
        assert "".join(_normal(w) for w in after[number])[:len(expected)] == expected, f"page {number}"
    return len(pages)


@corpus_books
def test_page_list_agrees_with_the_pdf(seed: Path, corpus: dict[Path, Editions | str]) -> None:
    built = editions(corpus, seed)
    rtl = built.doc.meta.language.split("-")[0] in ("ar", "he", "fa", "ur")
    assert _assert_pages_agree(built.epub, built.pdf, "a4", rtl=rtl) >= 1


@pytest.mark.parametrize("paper", ["a5", "6x9", "letter"])
def test_page_list_agrees_with_the_pdf_on_other_papers(seed_doc: object, paper: str, tmp_path: Path) -> None:
    from pipeline.model import Document

    assert isinstance(seed_doc, Document)
    epub, pdf = tmp_path / "book.epub", tmp_path / "book.pdf"
    epub.write_bytes(render_epub(seed_doc, pages=print_pages(seed_doc, paper=paper, two_sided=True),
                                 print_edition=edition_name(seed_doc, paper=paper)))
    pdf.write_bytes(render_pdf(seed_doc, paper=paper, two_sided=True))
    assert _assert_pages_agree(epub, pdf, paper) >= 3


# ---- PDF -------------------------------------------------------------------------------------------------


@corpus_books
def test_pdf_passes_the_independent_checks(seed: Path, corpus: dict[Path, Editions | str]) -> None:
    found = check_pdf(editions(corpus, seed).pdf, "ua-1")
    assert found.problems == []
    assert found.text_runs > 0 and found.tagged_runs == found.text_runs and found.fonts >= 2


@corpus_books
def test_pdf_typography(seed: Path, corpus: dict[Path, Editions | str]) -> None:
    assert check_layout(layout(editions(corpus, seed).doc, PrintSetup())) == []


# ---- Real reading systems --------------------------------------------------------------------------------

#: What Debian's MuPDF 1.21 says of every file, about itself: it is built without LittleCMS, and its EPUB
#: reader predates EPUB 3's version number (it renders EPUB 3 all the same).
MUPDF_SELF = frozenset({"warning: ICC support is not available", "warning: unknown epub version: 3.0",
                        # One glyph standing for several characters (an emoji sequence, a ligature) is valid
                        # ToUnicode; this MuPDF reads only the first.
                        "warning: ignoring one to many mapping in cmap Adobe-Identity-UCS"})


@corpus_books
def test_mupdf_renders_every_page_without_complaint(seed: Path, corpus: dict[Path, Editions | str],
                                                    tmp_path: Path) -> None:
    built = editions(corpus, seed)
    for source in (built.epub, built.pdf):
        result = subprocess.run(["mutool", "draw", "-q", "-r", "20", "-o", str(tmp_path / f"{source.suffix}%d.png"),
                                 str(source)], capture_output=True, text=True, check=False, timeout=300)
        complaints = [line for line in result.stderr.splitlines() if line.strip() and line not in MUPDF_SELF]
        assert result.returncode == 0 and complaints == [], result.stderr
        assert list(tmp_path.glob(f"{source.suffix}*.png"))
