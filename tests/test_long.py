"""Long texts are laid out and written in parts: the joined PDF is the one-piece PDF page for page (text, page
numbers, running heads), with the same structure tree, parent tree, outline, named destinations and page map."""

from __future__ import annotations

import gc
import io
import resource
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pypdf import PdfReader

from pipeline.build.builder import load
from pipeline.check.pdf import check_pdf
from pipeline.errors import PipelineError
from pipeline.model import Document
from pipeline.options import BuildOptions
from pipeline.parse.parser import parse
from pipeline.render import parts
from pipeline.render import pdf as print_pdf

from .conftest import CORPUS, SEED

EPOCH = 1_700_000_000


def long_text() -> Document:
    """Twelve pages of the seed's paragraphs under headings, with web addresses (links) and numbered notes."""
    return parse(_long_seed())


def _long_seed() -> str:
    seed = SEED.read_text(encoding="utf-8").split("Leave a Reply")[0]
    paragraphs = [line for line in seed.splitlines() if len(line) > 200]
    body, notes = [], []
    for n in range(110):
        if n % 25 == 10:
            body.append(f"Section heading number {n}")
        text = paragraphs[n % len(paragraphs)]
        if n % 17 == 5:
            text += f" See https://example.org/report/{n} for the data."
        if n % 23 == 7:
            notes.append(f"[{len(notes) + 1}] A note about paragraph {n}.")
            text = text.replace(". ", f".[{len(notes)}] ", 1)
        body.append(text)
    return seed + "\n\n" + "\n\n".join(body) + "\n\nNotes\n\n" + "\n".join(notes) + "\n"


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Parts of about three pages, and every text laid out in parts."""
    monkeypatch.setattr(parts, "PART_COST", 18_000)
    monkeypatch.setattr(parts, "LONG_COST", 0)
    print_pdf.long_edition.cache_clear()
    yield
    print_pdf.long_edition.cache_clear()


def _texts(data: bytes) -> list[str]:
    # Each part embeds its own font subsets, whose ToUnicode maps give the glyph shared by U+2010 and "-" the
    # character it first drew in that part: the same glyph on the page either way.
    return [(page.extract_text() or "").replace("\u2010", "-") for page in PdfReader(io.BytesIO(data)).pages]


def _shape(data: bytes) -> dict[str, Any]:
    """What a reader of the file sees besides the page contents: tags, parent tree, outline, destinations."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
        tags: list[tuple[int, str, int | None]] = []

        def walk(element: Any, depth: int) -> None:
            if isinstance(element, pikepdf.Dictionary):
                page = pages.get(element.Pg.objgen) if "/Pg" in element else None
                tags.append((depth, str(element.get("/S")), page))
                kids = element.get("/K")
                for kid in kids if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]:
                    walk(kid, depth + 1)
            else:
                tags.append((depth, "MCID", int(element)))

        walk(pdf.Root.StructTreeRoot.K[0], 0)
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        keys = [int(nums[i]) for i in range(0, len(nums), 2)]
        values = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        # What each page's marked content is tagged as, found as a reader finds it: through the page's key.
        marked = [[str(element.S) if isinstance(element, pikepdf.Dictionary) else None
                   for element in values[int(page.obj.StructParents)]] for page in pdf.pages]
        links = [(pages[page.obj.objgen], int(annotation.StructParent)) for page in pdf.pages
                 for annotation in page.obj.get("/Annots") or []]
        outline: list[tuple[int, str, int, list[float]]] = []
        with pdf.open_outline() as tree:
            def entries(items: Any, depth: int) -> None:
                for item in items:
                    target = item.destination
                    outline.append((depth, item.title, pages[target[0].objgen], [float(v) for v in target[2:]]))
                    entries(item.children, depth + 1)

            entries(tree.root, 0)
        names = [str(name) for name in pdf.Root.Names.Dests.Names[::2]]
        return {"tags": tags, "parent tree keys": keys, "marked content": marked, "links": links, "outline": outline,
                "names": names, "version": str(pdf.pdf_version), "language": str(pdf.Root.Lang)}


@pytest.mark.parametrize("options", [dict(paper="a4", two_sided=True),
                                     dict(paper="6x9", bleed_mm=3.0, variant="x-4")], ids=["a4-ua1", "6x9-x4"])
def test_a_text_laid_out_in_parts_is_the_one_piece_document(small_parts: None, monkeypatch: pytest.MonkeyPatch,
                                                            options: dict[str, Any]) -> None:
    doc = long_text()
    edition = print_pdf.long_edition(doc, print_pdf.PrintSetup(**options), EPOCH)
    joined = print_pdf.render_pdf(doc, source_date_epoch=EPOCH, **options)
    assert joined == edition.pdf and edition.parts >= 3
    pages = print_pdf.print_pages(doc, source_date_epoch=EPOCH, **options)
    monkeypatch.setattr(parts, "LONG_COST", 10**9)  # the same text in one piece, as a short text is made
    whole = print_pdf.render_pdf(doc, source_date_epoch=EPOCH, **options)
    whole_pages = print_pdf.print_pages(doc, **options)

    texts, whole_texts = _texts(joined), _texts(whole)
    assert len(texts) == len(whole_texts) > 2 * edition.parts
    for number, (text, expected) in enumerate(zip(texts, whole_texts, strict=True), start=1):
        assert text == expected, f"page {number}"
        assert str(number) in text.splitlines(), f"page {number} is numbered {number}"
    assert pages == whole_pages
    shape, whole_shape = _shape(joined), _shape(whole)
    for key, value in whole_shape.items():
        assert shape[key] == value, key
    assert shape["links"] and shape["outline"] and len(shape["outline"]) > 5
    assert not check_pdf(joined, options.get("variant", "ua-1")).problems


def test_a_long_pdf_is_the_same_bytes_build_after_build(small_parts: None) -> None:
    first = print_pdf.render_pdf(long_text(), source_date_epoch=EPOCH)
    print_pdf.long_edition.cache_clear()
    assert print_pdf.render_pdf(long_text(), source_date_epoch=EPOCH) == first


def test_a_later_part_starts_inside_a_paragraph_at_a_line_it_holds() -> None:
    plan = parts.Plan.of("<!DOCTYPE html>\n<html lang='en' dir='ltr'><head><title>T</title></head><body>"
                         "<article class='article' id='article'><header class='masthead'><h1>T</h1></header>"
                         "<div class='body'><div class='opening' id='s0'><p class='first'>One two three four.</p>"
                         "<p>Five <a href='x'>six</a>.</p></div><section class='section' id='s1'><h2>H</h2>"
                         "<p>Seven eight nine.</p></section></div></article></body></html>".replace("'", '"'))
    assert [unit.element.tag for unit in plan.units] == ["p", "p", "h2", "p"]
    assert [unit.block for unit in plan.units] == [1, 2, 3, 4]
    assert plan.can_start(0, 6, "three four.") and not plan.can_start(0, 6, "four.")
    assert not plan.can_start(1, 2, "ve six.")  # not plain text
    assert not plan.can_start(2, 0, "H")  # a heading's top margin would be kept at the top of a part
    html = plan.part_html(parts.Start(0, 6), 4, spacers=1)
    assert '<p class="first" style="text-indent: 0">three four.</p>' in html
    assert 'id="s0"' not in html and 'id="article"' not in html and 'id="s1"' in html  # each anchor once
    assert "masthead" not in html
    later = plan.part_html(parts.Start(1), 4, spacers=2)
    assert '<div class="opening"><span hidden=""></span><p>Five' in later  # so `:first-child` is as before


def test_every_seed_and_fixture_is_laid_out_in_one_piece() -> None:
    # Their PDFs are the bytes the one-piece layout gives (and the build compared with `cmp` to earlier builds).
    for path in CORPUS:
        try:
            doc = load(path, BuildOptions())
        except PipelineError:  # a fixture the build refuses is not laid out at all
            continue
        assert not parts.is_long(doc), path.name


def test_deep_recursion_from_a_roomy_frame_maps_no_stack_chunks() -> None:
    # A recursion that goes back and forth across a boundary of the interpreter's frame stack (as a layout's does)
    # maps and unmaps a chunk at each crossing on CPython 3.11 and 3.12, and faults its pages in every time. From
    # `roomy`'s frame the same recursion stays within one chunk: the page faults it causes are bounded.
    def dive(depth: int) -> int:
        return 0 if depth == 0 else dive(depth - 1) + 1

    def churn() -> int:
        return sum(dive(150) for _ in range(20_000))

    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    assert parts.roomy(churn) == 150 * 20_000
    assert resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before < 2_000


def test_each_part_is_let_go_before_the_next_is_laid_out(small_parts: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # Bounded memory: when a part's PDF goes to the joiner, no earlier part's layout is alive, and the joiner keeps
    # nothing of the part's PDF but bytes it has written or will write.
    import weakref

    from weasyprint import HTML

    layouts: list[weakref.ref[Any]] = []
    render, add = HTML.render, parts.Joiner.add

    def recording_render(self: Any, *args: Any, **kwargs: Any) -> Any:
        laid = render(self, *args, **kwargs)
        layouts.append(weakref.ref(laid))
        return laid

    alive: list[int] = []

    def checking_add(self: parts.Joiner, data: bytes) -> None:
        add(self, data)
        gc.collect()
        alive.append(sum(ref() is not None for ref in layouts))
        assert all(isinstance(value, bytes | int | bool | list | dict | io.BytesIO | None)
                   for value in vars(self).values())

    monkeypatch.setattr(HTML, "render", recording_render)
    monkeypatch.setattr(parts.Joiner, "add", checking_add)
    edition = print_pdf.long_edition(long_text(), print_pdf.PrintSetup(), EPOCH)
    # (Only the pages a part keeps outlive its layout, copied, until it is written.)
    assert edition.parts >= 3 and len(layouts) >= len(alive) == edition.parts and max(alive) == 0


def test_lines_broken_at_widths_a_hair_apart_are_shared_and_change_no_byte(small_parts: None,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # WeasyPrint tries a page's second column at a width some 3e-7 px off the one it lays it out at; the line memo
    # takes such widths as one (pipeline/render/linecache.py), which must give the very bytes exact widths give.
    from pipeline.render import linecache

    shared: list[bool] = []
    interchangeable = linecache.interchangeable

    def counting(style: Any, a: float, b: float) -> bool:
        shared.append(interchangeable(style, a, b))
        return shared[-1]

    monkeypatch.setattr(linecache, "interchangeable", counting)
    doc = long_text()
    near = print_pdf.render_pdf(doc, source_date_epoch=EPOCH)
    assert linecache.installed() and sum(shared) > 100
    print_pdf.long_edition.cache_clear()
    monkeypatch.setattr(linecache, "_near", False)
    assert print_pdf.render_pdf(doc, source_date_epoch=EPOCH) == near


def test_a_long_text_laid_out_by_turns_with_a_partner_process_is_the_same_edition(small_parts: None) -> None:
    # A part's layout tells where the next one starts: with a second core, the next is laid out in a partner
    # process while this one writes its part, and so on by turns. The PDF and the page map are those of one process.
    from concurrent.futures import Executor, Future, ProcessPoolExecutor

    doc = long_text()
    alone = print_pdf.long_edition(doc, print_pdf.PrintSetup(), EPOCH)
    print_pdf.long_edition.cache_clear()
    submitted: list[str] = []
    with ProcessPoolExecutor(max_workers=1) as pool:

        class Recording(Executor):
            def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
                submitted.append(fn.__name__)
                return pool.submit(fn, *args, **kwargs)

        beside = print_pdf.long_edition(doc, print_pdf.PrintSetup(), EPOCH, Recording())
    assert beside == alone and alone.parts >= 3
    assert submitted.count("partner_lay") == submitted.count("partner_write") == alone.parts // 2
    assert submitted[0] == "partner_open" and submitted[-1] == "partner_close"


def test_a_long_seed_built_on_two_cores_is_laid_out_in_both_and_gives_the_same_files(
        small_parts: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from pipeline.build.builder import build

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "long.txt").write_text(_long_seed(), encoding="utf-8")
    calls = tmp_path / "calls"
    calls.mkdir()
    lay = print_pdf.lay_part

    def marking(*args: Any) -> Any:
        (calls / f"{os.getpid()}-{len(list(calls.iterdir()))}").touch()
        return lay(*args)

    monkeypatch.setattr(print_pdf, "lay_part", marking)  # inherited by the helper, forked as the build starts
    report = build(seeds, tmp_path / "two", BuildOptions(), emit=lambda _l: None, jobs=2)
    assert not report.failed, [str(r.error) for r in report.failed]
    assert len({p.name.split("-")[0] for p in calls.iterdir()}) == 2  # this process and the helper
    monkeypatch.setattr(print_pdf, "lay_part", lay)
    print_pdf.long_edition.cache_clear()
    report = build(seeds, tmp_path / "one", BuildOptions(), emit=lambda _l: None, jobs=1)
    assert not report.failed
    for name in ("long.epub", "long.pdf", "long.txt"):
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes(), name
