"""Odd and hostile seeds: each builds into valid editions that show the text as written, or gets one error line.

The seeds are batched into a few books (one EPUBCheck JVM each): a "hostile" article holding markup, controls,
broken bytes, long words and emoji under a path-and-script headline; a right-to-left article; a 600-character
headline over 20,000 one-word lines; and a 5 MB article.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from lxml import etree
from pypdf import PdfReader

from pipeline.build.builder import build
from pipeline.options import DEFAULT_MAX_BYTES, BuildOptions
from pipeline.parse.parser import parse
from pipeline.render.epub import CHAPTER, NAV, render_epub
from pipeline.render.pdf import render_pdf
from pipeline.render.text import render_text

from .conftest import ROOT, SEED, Activity, CheckResult, guard

XHTML = "{http://www.w3.org/1999/xhtml}"
HEADER = "By Ann Lee\n\nFebruary 25, 2019\n\n"

HEADLINE = '../../etc/passwd <script>alert("pwned")</script>'
CONTROLS = "Ring\x07 the\x00 bell\x1b and\x0bthe\x0cform\x7f feed, all in one paragraph."
CONTROLS_SHOWN = "Ring the bell and the form feed, all in one paragraph."
RAW_HTML = (
    '<img src="file:///etc/passwd" onerror="alert(1)"> is shown as text.',
    '<iframe src="https://evil.example/"></iframe> is shown as text.',
    '<link rel=stylesheet href="https://evil.example/x.css"> is shown as text.',
    '<a href="javascript:alert(1)">click me</a> is shown as text.',
    "<style>@import url(file:///etc/passwd);</style> is shown as text.",
    "Entities stay as typed: &amp; &lt;b&gt; &#x41; &copy; and a bare & too.",
)
LONG_WORD = "x" * 300
URL = "https://example.org/archive/2019/02/25/" + "long-path-segment/" * 25
URL = URL + "q" * (500 - len(URL))
EMOJI = "Family 👨‍👩‍👧‍👦, flags 🇯🇵🇺🇦, skin tones 👍🏽👋🏿, rainbow 🏳️‍🌈, all whole."
# Broken bytes inside good UTF-8: each becomes U+FFFD and the words around it stay.
BROKEN = b"Caf\xc3\xa9 \xff\xfe au lait, \xc3 bien s\xc3\xbbr."
BROKEN_SHOWN = "Café \ufffd\ufffd au lait, \ufffd bien sûr."

RTL_HEADLINE = "עיתון ישראלי חדש"
RTL_PARAGRAPHS = ("זהו פסקה בעברית עם מספר 2019 ומילה English באמצע.", "مرحبا بالعالم، هذا نص عربي طويل بما يكفي.")

LONG_HEADLINE = " ".join(f"Headline{n:03d}" for n in range(50)) + "!"
WORDS = [f"word{n}" for n in range(20_000)]

BIG_BYTES = 5_000_000
BIG_END = b"The end of a very long article"


def hostile_seed() -> bytes:
    body = [CONTROLS, *RAW_HTML, f"A {LONG_WORD} word.", f"See {URL} for more.", EMOJI]
    text = f"{HEADLINE}\n\n{HEADER}" + "\n\n".join(body) + "\n\n"
    return text.encode() + BROKEN + b"\n"


@dataclass(frozen=True)
class Books:
    """One guarded build: its folders, report lines and what it touched."""

    seeds: Path
    dist: Path
    lines: list[str]
    activity: Activity

    def txt(self, stem: str) -> str:
        return (self.dist / f"{stem}.txt").read_bytes().decode("utf-8")  # valid UTF-8 or this raises

    def xhtml(self, stem: str, name: str = CHAPTER) -> etree._Element:
        with zipfile.ZipFile(self.dist / f"{stem}.epub") as z:
            return etree.fromstring(z.read(f"EPUB/{name}"))  # well-formed XML or this raises

    def pdf_text(self, stem: str, pages: slice = slice(None)) -> str:
        reader = PdfReader(self.dist / f"{stem}.pdf")
        return "\n".join(page.extract_text() or "" for page in reader.pages[pages])


def _warm_up() -> None:
    # First use imports the renderers (WeasyPrint looks for its C libraries) and loads the fonts: not the seeds' doing.
    doc = parse("Warm up\n\nBy Ann Lee\n\nOne paragraph.\n")
    render_epub(doc)
    render_pdf(doc)
    render_text(doc)


def _guarded_build(root: Path, seeds: dict[str, bytes], options: BuildOptions) -> Books:
    folder, dist = root / "seeds", root / "dist"
    folder.mkdir()
    for name, data in seeds.items():
        (folder / name).write_bytes(data)
    _warm_up()
    lines: list[str] = []
    with guard() as activity:
        # In this one process, so that the guard sees what every renderer does: with a second core, one article's
        # print edition is made by a helper process, whose files and fetches this process's guard would not see.
        report = build(folder, dist, options, emit=lines.append, jobs=1)
    assert not report.failed, lines
    return Books(folder, dist, lines, activity)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Books:
    return _guarded_build(tmp_path_factory.mktemp("hostile"), {"hostile.txt": hostile_seed()}, BuildOptions())


@pytest.fixture(scope="module")
def rtl(tmp_path_factory: pytest.TempPathFactory) -> Books:
    text = f"{RTL_HEADLINE}\n\n{HEADER}" + "\n\n".join(RTL_PARAGRAPHS) + "\n"
    return _guarded_build(tmp_path_factory.mktemp("rtl"), {"rtl.txt": text.encode()}, BuildOptions(language="he"))


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> Books:
    """A 600-character headline over 20,000 one-word lines with no blank line between them (the slowest PDF)."""
    text = f"{LONG_HEADLINE}\n\n{HEADER}" + "\n".join(WORDS) + "\n"
    return _guarded_build(tmp_path_factory.mktemp("crowded"), {"crowded.txt": text.encode()}, BuildOptions())


# --- every book is valid ---------------------------------------------------------------------------------------


def _assert_every_edition_is_valid(books: Books, name: str, epubcheck: Callable[[Path], CheckResult]) -> None:
    result = epubcheck(books.dist / f"{name}.epub")
    assert (result.fatals, result.errors, result.warnings) == (0, 0, 0), result.messages
    with pikepdf.open(books.dist / f"{name}.pdf") as pdf:
        assert len(pdf.pages) >= 1
    books.txt(name)
    for document in (CHAPTER, NAV):
        books.xhtml(name, document)
    assert books.activity.network == [] and books.activity.processes == []


# One test per book, each naming its fixture: the xdist groups (tests/conftest.py) read the fixtures a test names,
# so that the book is built once, on the worker that runs all its tests (a fixture fetched by name at run time
# would be built a second time elsewhere).


def test_every_edition_of_the_hostile_article_is_valid(hostile: Books,
                                                       epubcheck: Callable[[Path], CheckResult]) -> None:
    _assert_every_edition_is_valid(hostile, "hostile", epubcheck)


def test_every_edition_of_the_right_to_left_article_is_valid(rtl: Books,
                                                             epubcheck: Callable[[Path], CheckResult]) -> None:
    _assert_every_edition_is_valid(rtl, "rtl", epubcheck)


def test_every_edition_of_the_crowded_article_is_valid(crowded: Books,
                                                       epubcheck: Callable[[Path], CheckResult]) -> None:
    _assert_every_edition_is_valid(crowded, "crowded", epubcheck)


# --- the hostile article -----------------------------------------------------------------------------------------


def _chapter_text(books: Books, stem: str) -> str:
    return " ".join("".join(books.xhtml(stem).itertext()).split())


def _flat(text: str) -> str:
    return " ".join(text.split())


def _squeezed(text: str) -> str:
    # PDF text comes back with the lines as laid out and justified: compare without any white space.
    return "".join(text.split())


def test_headline_with_path_and_script_is_shown_literally(hostile: Books) -> None:
    chapter = hostile.xhtml("hostile")
    (h1,) = chapter.iter(f"{XHTML}h1")
    assert h1.text == HEADLINE and len(h1) == 0  # text, no child element
    assert not list(chapter.iter(f"{XHTML}script"))
    assert hostile.txt("hostile").splitlines()[0] == HEADLINE
    with pikepdf.open(hostile.dist / "hostile.pdf") as pdf:
        assert str(pdf.docinfo["/Title"]) == HEADLINE
    assert _squeezed(HEADLINE) in _squeezed(hostile.pdf_text("hostile"))
    # The headline names no file: the outputs are named after the seed, inside dist.
    editions = sorted(p.name for p in hostile.dist.iterdir() if not p.name.startswith("."))
    assert editions == ["hostile.epub", "hostile.pdf", "hostile.txt"]


def test_control_characters_are_removed_from_every_edition(hostile: Books) -> None:
    controls = {chr(c) for c in (*range(0, 9), *range(11, 32), 0x7F)}
    text = hostile.txt("hostile")
    assert CONTROLS_SHOWN in _flat(text)
    assert not controls & set(text)
    paragraphs = ["".join(p.itertext()) for p in hostile.xhtml("hostile").iter(f"{XHTML}p")]
    assert CONTROLS_SHOWN in paragraphs  # still one paragraph: VT and FF did not split it
    with zipfile.ZipFile(hostile.dist / "hostile.epub") as z:
        for name in z.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx", ".css", ".xml")):  # text entries; the cover is a PNG
                assert not controls & set(z.read(name).decode("utf-8", errors="ignore")), name
    pdf_text = hostile.pdf_text("hostile")
    assert _squeezed(CONTROLS_SHOWN) in _squeezed(pdf_text)
    assert not (controls - {"\n"}) & set(pdf_text)


def test_raw_html_is_shown_as_text_never_interpreted(hostile: Books) -> None:
    chapter = hostile.xhtml("hostile")
    body = chapter.find(f"{XHTML}body")
    tags = {etree.QName(e).localname for e in body.iter() if isinstance(e.tag, str)}
    assert not tags & {"img", "iframe", "link", "style", "script", "object", "embed"}, tags
    # The only links are the ones the renderer makes of web addresses, e-mail addresses and footnote markers.
    for link in body.iter(f"{XHTML}a"):
        assert link.get("class") in ("url", "email", "noteref", "backlink"), etree.tostring(link)
        assert link.get("href", "").startswith(("https://", "http://", "mailto:", "#")), link.get("href")
    paragraphs = ["".join(p.itertext()) for p in chapter.iter(f"{XHTML}p")]
    text, pdf_text = _flat(hostile.txt("hostile")), _squeezed(hostile.pdf_text("hostile"))
    for line in RAW_HTML:
        assert line in paragraphs  # entities and the bare & come back exactly as typed
        assert line in text
        assert _squeezed(line) in pdf_text
    # Nothing in the article made the PDF renderer fetch anything: it fetched only the emoji face our style sheet
    # declares (the article has emoji).
    from pipeline.render.fonts import FALLBACKS

    assert set(hostile.activity.fetched) <= {Path(f.file).as_uri() for f in FALLBACKS}


def test_invalid_utf8_is_replaced_and_the_text_around_it_kept(hostile: Books) -> None:
    assert any("W010 invalid UTF-8" in line for line in hostile.lines)
    assert BROKEN_SHOWN in _flat(hostile.txt("hostile"))
    assert BROKEN_SHOWN in _chapter_text(hostile, "hostile")
    assert _squeezed(BROKEN_SHOWN) in _squeezed(hostile.pdf_text("hostile"))


def test_long_word_and_url_are_kept_whole_in_the_text_edition(hostile: Books) -> None:
    words = hostile.txt("hostile").split()
    assert LONG_WORD in words and URL in words
    assert len(URL) == 500 and URL in _chapter_text(hostile, "hostile")
    # In the PDF they are broken across lines (see the layout test); read back, no character is lost. Hyphenation
    # may add a hyphen where it breaks a word of the URL (a known limitation), so hyphens are left out here.
    squeezed = _squeezed(hostile.pdf_text("hostile"))
    assert LONG_WORD in squeezed and URL.replace("-", "") in squeezed.replace("-", "")


def test_emoji_sequences_are_kept_intact(hostile: Books) -> None:
    assert EMOJI in _flat(hostile.txt("hostile"))
    assert EMOJI in _chapter_text(hostile, "hostile")
    # The PDF's text layer keeps the sequences too (how they look depends on an emoji font being installed).
    assert _squeezed(EMOJI) in _squeezed(hostile.pdf_text("hostile"))


def test_the_hostile_build_read_only_its_seed_and_the_project(hostile: Books) -> None:
    # Python's own modules (imported the first time the PDF needs, say, a font table) and the fallback fonts the
    # coverage check reads (pipeline/fonts.py) are the only other reads.
    from pipeline import cache
    from pipeline.render.fonts import FALLBACKS

    # The incremental build's digests read the pipeline's own code, templates and styles; the language model may
    # be mapped from the user's cache.
    allowed = (hostile.seeds, hostile.dist, ROOT / "styles", ROOT / "templates", ROOT / "pipeline",
               Path(sys.prefix), Path(sys.base_prefix), *(Path(f.file) for f in FALLBACKS),
               *(folder.resolve() for folder in [cache.folder()] if folder is not None))
    stray = {p for p in hostile.activity.opened if not any(p.resolve().is_relative_to(r) for r in allowed)}
    # WeasyPrint hands each declared face to fontconfig as a file in a temporary folder of its own, and reads it back.
    temporary = Path(tempfile.gettempdir())
    own = {p for p in stray if p.parent.name.startswith("weasyprint-") and p.parent.parent == temporary}
    assert stray - own == set()
    assert Path("/etc/passwd") not in {p.resolve() for p in hostile.activity.opened}


# --- right to left ------------------------------------------------------------------------------------------------


def test_right_to_left_text(rtl: Books) -> None:
    text = rtl.txt("rtl")
    assert text.splitlines()[0] == RTL_HEADLINE
    for paragraph in RTL_PARAGRAPHS:
        assert paragraph in _flat(text)  # kept in logical order; direction is the reader's job
        assert paragraph in _chapter_text(rtl, "rtl")
    chapter = rtl.xhtml("rtl")
    assert chapter.get("dir") == "rtl" and chapter.get("lang") == "he"
    with zipfile.ZipFile(rtl.dist / "rtl.epub") as z:
        assert 'page-progression-direction="rtl"' in z.read("EPUB/content.opf").decode()
    with pikepdf.open(rtl.dist / "rtl.pdf") as pdf:
        assert str(pdf.docinfo["/Title"]) == RTL_HEADLINE and str(pdf.Root.Lang) == "he"


# --- a 600-character headline over 20,000 one-word lines ---------------------------------------------------------


def test_long_headline(crowded: Books) -> None:
    assert len(LONG_HEADLINE) == 600
    lines = crowded.txt("crowded").splitlines()
    title_end = lines.index("")
    assert " ".join(lines[: title_end - 1]) == LONG_HEADLINE
    assert all(len(line) <= 72 for line in lines[:title_end])
    assert "".join(crowded.xhtml("crowded").find(f".//{XHTML}h1").itertext()) == LONG_HEADLINE
    with pikepdf.open(crowded.dist / "crowded.pdf") as pdf:
        assert str(pdf.docinfo["/Title"]) == LONG_HEADLINE
    # The running head repeats it, on one line clipped at its box (see the layout test); its text stays readable.
    page_two = crowded.pdf_text("crowded", slice(1, 2)).splitlines()
    assert any(line.startswith("HEADLINE000 HEADLINE001") for line in page_two)


def test_twenty_thousand_one_word_lines_each_become_a_paragraph(crowded: Books) -> None:
    text = crowded.txt("crowded")
    body = text.split("February 25, 2019\n\n", 1)[1]
    assert body.split() == WORDS
    paragraphs = ["".join(p.itertext()) for p in crowded.xhtml("crowded").iter(f"{XHTML}p")]
    assert [p for p in paragraphs if p.startswith("word")] == WORDS
    reader = PdfReader(crowded.dist / "crowded.pdf")
    assert "word19999" in (reader.pages[-1].extract_text() or "")


# --- the PDF keeps long words, URLs and running heads inside the page ---------------------------------------------


def _text_outside(doc_text: str) -> list[str]:
    """Text the PDF draws outside its page margins (or, for running heads, outside the page), from WeasyPrint's
    layout: each text box clipped by the boxes around it that hide their overflow."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    from pipeline.render.assets import STYLES
    from pipeline.render.html import pdf_html
    from pipeline.render.pdf import PrintSetup, engine, stylesheets

    fonts, fetcher = engine()
    rendered = HTML(string=pdf_html(parse(doc_text)), base_url=STYLES.as_uri() + "/", url_fetcher=fetcher).render(
        stylesheets=list(stylesheets(PrintSetup())), font_config=fonts)
    problems: list[str] = []

    def walk(box: boxes.Box, clip: tuple[float, float], limit: tuple[float, float], page: int) -> None:
        if box.style["overflow"] != "visible":
            left = box.position_x + box.margin_left + box.border_left_width
            clip = (max(clip[0], left), min(clip[1], left + box.padding_width()))
        if isinstance(box, boxes.MarginBox):
            limit = (0.0, page_width)
        if isinstance(box, boxes.TextBox):
            x0, x1 = max(box.position_x, clip[0]), min(box.position_x + box.width, clip[1])
            if x1 > x0 and (x0 < limit[0] - 0.5 or x1 > limit[1] + 0.5):
                problems.append(f"page {page}: {box.text[:30]!r} drawn from {x0:.0f} to {x1:.0f}, limit {limit}")
        for child in getattr(box, "children", ()):
            walk(child, clip, limit, page)

    for number, page in enumerate(rendered.pages, start=1):
        page_box = page._page_box  # WeasyPrint's layout tree: the only way to see where each line landed
        page_width = page_box.margin_width()
        content = (page_box.margin_left, page_width - page_box.margin_right)
        walk(page_box, (float("-inf"), float("inf")), content, number)
    assert len(rendered.pages) >= 2  # so that running heads were drawn
    return problems


def test_long_words_and_urls_never_run_past_the_margin() -> None:
    filler = "Filler text that runs on long enough to fill the columns of a page. " * 12
    text = (f"Title {LONG_WORD}\n\nBy Ann {LONG_WORD}\n\nFebruary 25, 2019\n\n"
            f"A caption {LONG_WORD} (Photo: {LONG_WORD})\n\n{filler}\n\nA {LONG_WORD} word.\n\nSee {URL} now.\n\n"
            f"- item {LONG_WORD}\n- item {URL}\n\n" + f"{filler}\n\n" * 12)
    assert _text_outside(text) == []


# --- seeds that are refused: one line each, exit 2, dist untouched ----------------------------------------------


def _big_article() -> bytes:
    """A 5,000,000-byte article: the seed's header once, then its paragraphs over and over, then a last line."""
    seed = SEED.read_text(encoding="utf-8").split("Leave a Reply")[0].encode()
    paragraphs = [line.encode() for line in seed.decode().splitlines() if len(line) > 200]
    out, size, n = [seed], len(seed), 0
    while size + 2 + len(paragraphs[n % len(paragraphs)]) + len(BIG_END) + 200 < BIG_BYTES:
        out.append(b"\n\n" + paragraphs[n % len(paragraphs)])
        size, n = size + 2 + len(paragraphs[n % len(paragraphs)]), n + 1
    out.append(b"\n\n" + BIG_END + b"!" * (BIG_BYTES - size - len(BIG_END) - 3) + b"\n")
    return b"".join(out)


REFUSED: dict[str, tuple[bytes, str]] = {
    "empty": (b"", "E101 the file is empty"),
    "blank": (" \n\u00a0\u00a0\n\t\u3000\n\u2003\u200b\n\n".encode(), "E101 the file is empty"),
    "headline-only": (b"Just a headline\n", "E104 no body: an article needs a headline and at least one paragraph"),
    "random-binary": (random.Random(5).randbytes(20_000), "E102 the file is binary data, not text"),
}


def _invoke(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=False)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_refused_seeds_get_one_line_and_leave_dist_unchanged(tmp_path: Path) -> None:
    seeds, dist = tmp_path / "seeds", tmp_path / "dist"
    seeds.mkdir()
    dist.mkdir()
    for name, (data, _message) in REFUSED.items():
        (seeds / f"{name}.txt").write_bytes(data)
        # Each had good editions from an earlier build: they must survive the failed one.
        for ext in ("epub", "pdf", "txt"):
            (dist / f"{name}.{ext}").write_bytes(f"earlier good {name}.{ext}".encode())
    (seeds / "big.txt").write_bytes(_big_article() + b"x" * (DEFAULT_MAX_BYTES + 1 - BIG_BYTES))
    before = _snapshot(dist)
    result = _invoke("build", "--seeds", str(seeds), "--dist", str(dist))
    assert result.returncode == 2
    errors = [line for line in result.stdout.splitlines() if line.startswith("error:")]
    expected = {f"error: {seeds / 'big.txt'}: E105 the file is {DEFAULT_MAX_BYTES + 1:,} bytes, over the limit of "
                f"{DEFAULT_MAX_BYTES:,} (see --max-bytes)"}
    expected |= {f"error: {seeds / name}.txt: {message}" for name, (_data, message) in REFUSED.items()}
    assert set(errors) == expected and len(errors) == len(expected)
    assert "Traceback" not in result.stdout + result.stderr and result.stderr == ""
    assert _snapshot(dist) == before


def test_a_5mb_article_builds_within_the_default_limit(tmp_path: Path,
                                                      epubcheck: Callable[[Path], CheckResult]) -> None:
    seeds, dist = tmp_path / "seeds", tmp_path / "dist"
    seeds.mkdir()
    article = _big_article()
    (seeds / "big.txt").write_bytes(article)
    # The child reports its own peak (VmHWM, reset when a program starts): ru_maxrss would carry over the peak of
    # this test process, which forked it.
    launcher = ("import runpy, sys\nsys.argv = ['invoke', *sys.argv[1:]]\ntry:\n"
                "    runpy.run_module('invoke', run_name='__main__')\nfinally:\n"
                "    sys.stderr.write([l for l in open('/proc/self/status') if l.startswith('VmHWM')][0])\n")
    process = subprocess.run([sys.executable, "-c", launcher, "build", "--seeds", str(seeds), "--dist", str(dist),
                              "--formats", "txt,epub"], cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False, timeout=300)
    assert process.returncode == 0, process.stderr  # its time is the bench's to measure, not a test's
    peak_kb = int(process.stderr.rsplit("VmHWM:", 1)[1].split()[0])
    assert peak_kb < 600 * 1024  # memory grows with the seed, not without bound
    text = (dist / "big.txt").read_bytes().decode("utf-8")
    assert len(article) == BIG_BYTES and len(text) > 4_000_000
    assert text.split()[-1].startswith(BIG_END.decode().split()[-1])
    result = epubcheck(dist / "big.epub")
    assert (result.fatals, result.errors) == (0, 0), result.messages
    shutil.rmtree(dist)
