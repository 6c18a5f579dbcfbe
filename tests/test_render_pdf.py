"""The PDF: metadata, bookmarks, embedded fonts, its text, paper sizes and a sealed renderer."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pikepdf
import pytest
from pypdf import PdfReader

from pipeline.model import Document
from pipeline.render.pdf import render_pdf

from .conftest import FIXTURES, SEED, Built


def _text(pdf: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)


def test_pdf_metadata(built: Built) -> None:
    with pikepdf.open(built.pdf) as pdf:
        info = pdf.docinfo
        assert str(info["/Title"]) == "The 2nd Trump-Kim Summit: Incremental Progress towards Needed Diplomacy"
        assert str(info["/Author"]) == "Stephen R. Nagy"
        assert str(info["/Subject"]).startswith("The Hanoi Summit between North Korean leader")
        assert str(info["/CreationDate"]).startswith("D:20190225")
        assert str(pdf.Root.Lang) == "en"


def test_pdf_bookmarks_follow_the_sections(built: Built, seed_doc: Document) -> None:
    with pikepdf.open(built.pdf) as pdf, pdf.open_outline() as outline:
        (top,) = outline.root
        assert top.title == seed_doc.meta.title
        assert [child.title for child in top.children] == [h.text for h in seed_doc.headings]


def test_every_font_is_embedded(built: Built) -> None:
    with pikepdf.open(built.pdf) as pdf:
        fonts: dict[str, bool] = {}
        for page in pdf.pages:
            for _name, font in page.resources.get("/Font", {}).items():
                descendants = font.get("/DescendantFonts")
                target = descendants[0] if descendants is not None else font
                descriptor = target.get("/FontDescriptor")
                embedded = descriptor is not None and any(
                    k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                fonts[str(font.get("/BaseFont"))] = embedded
    assert fonts and all(fonts.values()), fonts
    families = {name.split("+", 1)[-1] for name in fonts}
    assert any("Source-Serif" in f for f in families) and any("Source-Sans" in f for f in families)


def test_pdf_text_has_byline_caption_and_credit(built: Built) -> None:
    flat = " ".join(_text(built.pdf).split())
    assert "STEPHEN R. NAGY" in flat  # the byline is set in capitals
    assert "North Korean leader Kim Jong-un leaving Pyongyang Station, North Korea, for Vietnam." in flat
    assert "Korean Central News Agency/Korea News Service via AP" in flat
    for leftover in ("Leave a Reply", "Your email address", "0 comments"):
        assert leftover not in flat


def test_running_head_and_page_numbers(built: Built, seed_doc: Document) -> None:
    pages = [page.extract_text() or "" for page in PdfReader(built.pdf).pages]
    assert len(pages) >= 2
    head = seed_doc.meta.title.upper()
    assert head not in pages[0].replace("\n", " ")  # no running head over the headline
    for number, page in enumerate(pages[1:], start=2):
        assert head[:30] in page.replace("\n", " ")
        assert str(number) in page.split()


@pytest.mark.parametrize(("paper", "size"), [("a4", (595.28, 841.89)), ("letter", (612.0, 792.0))])
def test_paper_sizes(seed_doc: Document, tmp_path: Path, paper: str, size: tuple[float, float]) -> None:
    out = tmp_path / f"{paper}.pdf"
    out.write_bytes(render_pdf(seed_doc, paper=paper))
    with pikepdf.open(out) as pdf:
        box = [float(v) for v in pdf.pages[0].MediaBox]
    assert box[2] == pytest.approx(size[0], abs=0.5) and box[3] == pytest.approx(size[1], abs=0.5)


def _same_pdf_without(doc: Document, patch: ModuleType, monkeypatch: pytest.MonkeyPatch, what: str) -> None:
    """The PDF of `doc` with a change to WeasyPrint (`patch`: a module of pipeline/render with `installed()` and
    `_install()`) and without it are the same bytes, and the change fits the WeasyPrint installed."""
    from pipeline.render.pdf import layout

    layout.cache_clear()
    changed = render_pdf(doc, source_date_epoch=1_700_000_000)
    assert patch.installed(), f"the {what} no longer fits this WeasyPrint: it is off, and the layout is slower"
    monkeypatch.setattr(patch, "_install", lambda: False)
    layout.cache_clear()
    try:
        assert render_pdf(doc, source_date_epoch=1_700_000_000) == changed
    finally:
        layout.cache_clear()


def test_the_line_memo_changes_no_byte(seed_doc: Document, monkeypatch: pytest.MonkeyPatch) -> None:
    """Remembering line breaks within a layout (pipeline/render/linecache.py) gives the very same PDF."""
    from pipeline.render import linecache

    _same_pdf_without(seed_doc, linecache, monkeypatch, "memo")


@pytest.mark.parametrize("seed", [SEED, FIXTURES / "parse" / "12_footnotes.txt"], ids=["seed", "footnotes"])
def test_skipping_the_column_trials_changes_no_byte(seed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Laying the columns out once a page (pipeline/render/columns.py) gives the very same PDF as WeasyPrint's trial
    and real run; with footnotes still to place the trial stays, and the PDF is the same too."""
    from pipeline.build.builder import load
    from pipeline.options import BuildOptions
    from pipeline.render import columns

    _same_pdf_without(load(seed, BuildOptions()), columns, monkeypatch, "skip")


def test_sharing_the_pango_setup_changes_no_byte(seed_doc: Document, monkeypatch: pytest.MonkeyPatch) -> None:
    """Setting Pango up once per font, direction and language (pipeline/render/pangosetup.py) rather than once per
    line laid out or drawn gives the very same PDF."""
    from pipeline.render import pangosetup

    _same_pdf_without(seed_doc, pangosetup, monkeypatch, "shared Pango set-up")


@pytest.mark.parametrize("seed", [SEED, FIXTURES / "parse" / "12_footnotes.txt"], ids=["seed", "footnotes"])
def test_the_length_memo_changes_no_byte(seed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Remembering the used lengths of boxes by their computed values, and each style's strut, within a layout
    (pipeline/render/percentages.py) gives the very same PDF."""
    from pipeline.build.builder import load
    from pipeline.options import BuildOptions
    from pipeline.render import percentages

    _same_pdf_without(load(seed, BuildOptions()), percentages, monkeypatch, "length memo")


def test_the_length_memo_keeps_each_style_s_strut(seed_doc: Document) -> None:
    """Within a layout a style's strut (its line height and baseline) is WeasyPrint's first answer, kept."""
    from weasyprint.layout import inline

    from pipeline.render import percentages
    from pipeline.render.pdf import layout

    layout.cache_clear()
    style = layout(seed_doc).pages[0]._page_box.style
    with percentages.memo():
        first = inline.strut(style)
        style.font_config.strut_layouts.clear()
        assert inline.strut(style) is first
        assert not style.font_config.strut_layouts, "asked WeasyPrint again"
    layout.cache_clear()


def test_runs_of_one_font_share_their_pango_setup(seed_doc: Document, monkeypatch: pytest.MonkeyPatch) -> None:
    """Within `pangosetup.shared()` runs of text in one style are set up once (one font description, one Pango
    context); outside, once each."""
    from weasyprint.text import fonts, line_break

    from pipeline.render import pangosetup
    from pipeline.render.pdf import layout

    layout.cache_clear()
    style = layout(seed_doc).pages[0]._page_box.style
    layout.cache_clear()
    made: list[object] = []
    original = fonts.get_font_description

    def counted(style: object) -> object:
        made.append(style)
        return original(style)

    monkeypatch.setattr(fonts, "get_font_description", counted)
    monkeypatch.setattr(line_break, "get_font_description", counted)
    with pangosetup.shared():
        line_break.Layout(style), line_break.Layout(style), line_break.Layout(style)
    assert len(made) <= 1
    made.clear()
    line_break.Layout(style), line_break.Layout(style)
    assert len(made) == 2


def _contents(data: bytes) -> dict[tuple[int, int], bytes]:
    """Every object of a PDF as it reads: streams decompressed, without the lengths that depend on compression."""
    import io

    out = {}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                entries = {k: v for k, v in obj.stream_dict.items() if k != "/Length"}
                out[obj.objgen] = obj.read_bytes() + repr(entries).encode()
            else:
                out[obj.objgen] = obj.unparse()
    return out


def test_each_stream_is_compressed_once_at_the_default_level(seed_doc: Document,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Our PDFs' streams are made and compressed once per file (pydyf makes each twice when the file has an
    identifier), at zlib's default level (pydyf's is its slowest): the same objects, the same text and drawing."""
    import contextlib
    import zlib

    from pipeline.render import streams
    from pipeline.render.pdf import layout

    levels: list[int] = []
    real = zlib.compressobj

    def counted(level: int = -1, *args: object, **kwargs: object) -> object:
        levels.append(level)
        return real(level, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(zlib, "compressobj", counted)
    layout.cache_clear()
    ours = render_pdf(seed_doc, source_date_epoch=1_700_000_000)
    assert streams.installed(), "pydyf changed: streams are made twice, at level 9"
    once = list(levels)
    levels.clear()
    monkeypatch.setattr(streams, "once", contextlib.nullcontext)
    layout.cache_clear()
    try:
        theirs = render_pdf(seed_doc, source_date_epoch=1_700_000_000)
    finally:
        layout.cache_clear()
    assert set(once) == {streams.LEVEL} and set(levels) == {9}
    assert len(once) * 2 - 1 == len(levels)
    mine, pydyfs = _contents(ours), _contents(theirs)
    xref = max(mine)  # the cross-reference stream: offsets and the identifier, which follow the compressed bytes
    assert mine.keys() == pydyfs.keys() and all(mine[k] == pydyfs[k] for k in mine if k != xref)
