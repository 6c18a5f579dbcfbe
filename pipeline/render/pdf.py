"""The print edition: the shared HTML laid out by WeasyPrint with print CSS and the project's own fonts."""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor, Future
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.model import Document
from pipeline.options import PAPERS, PDF_VARIANTS, BuildOptions
from pipeline.render import coldstart, columns, pangosetup, parts, percentages, streams
from pipeline.render.assets import (
    STYLES,
    FetchRefused,
    allowed_roots,
    font_face_css,
    image_url,
    needs_emoji_face,
    sealed_fetch,
)
from pipeline.render.balance import balance
from pipeline.render.fonts import check_coverage
from pipeline.render.html import pdf_html
from pipeline.render.linecache import memo
from pipeline.render.pagemap import PageMap, PageStart, page_map, place, raw_starts
from pipeline.render.stamp import modified_time

if TYPE_CHECKING:  # WeasyPrint takes half a second to import: only the PDF step pays for it.
    from weasyprint import CSS
    from weasyprint.document import Document as Layout
    from weasyprint.text.fonts import FontConfiguration

log = logging.getLogger(__name__)

#: Trim sizes small enough that two columns would be too narrow: they get one column and narrower margins.
SMALL_PAPERS = frozenset({"a5", "6x9"})

#: Page margins in mm: top, side, bottom. Two-sided printing moves GUTTER mm from the outer margin to the
#: inner one; the measure stays the same, so the lines break alike and the page map holds for both.
MARGINS: dict[bool, tuple[float, float, float]] = {False: (22, 20, 24), True: (16, 14, 18)}
GUTTER: dict[bool, float] = {False: 4, True: 3}

#: Trim sizes as a reader names them, for naming the print edition the EPUB's page numbers come from.
PAPER_NAMES: dict[str, str] = {"a4": "A4", "letter": "US Letter", "a5": "A5", "6x9": "6 × 9 in"}

#: The output intent of PDF/X-4 files: a CMYK printing condition, as print shops expect. Ghostscript's
#: default CMYK profile (Debian's `libgs-common`) is used unless the build names another.
DEFAULT_CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")


@dataclass(frozen=True)
class PrintSetup:
    """What decides the PDF's pages besides the document: trim size, bleed, sides and PDF variant."""

    paper: str = "a4"
    bleed_mm: float = 0.0
    two_sided: bool = False
    variant: str = "ua-1"
    cmyk_profile: Path | None = None

    @classmethod
    def of(cls, options: BuildOptions) -> PrintSetup:
        """The setup a build's options ask for (the default CMYK profile)."""
        return cls(options.paper, options.bleed_mm, options.two_sided, options.pdf_variant)

    @property
    def small(self) -> bool:
        return self.paper in SMALL_PAPERS

    def page_css(self) -> str:
        """The `@page` rules that depend on the setup; the rest of the design is in styles/print.css."""
        top, side, bottom = MARGINS[self.small]
        rules = [f"@page {{ size: {PAPERS[self.paper]}; margin: {top}mm {side}mm {bottom}mm {side}mm; }}"]
        if self.two_sided:
            inner, outer = side + GUTTER[self.small], side - GUTTER[self.small]
            rules.append(f"@page :left {{ margin-left: {outer}mm; margin-right: {inner}mm; }}")
            rules.append(f"@page :right {{ margin-left: {inner}mm; margin-right: {outer}mm; }}")
        if self.bleed_mm > 0:
            rules.append(f"@page {{ bleed: {self.bleed_mm}mm; marks: crop; }}")
        return "\n".join(rules)

    def style_files(self) -> tuple[str, ...]:
        files = ["print.css"]
        if self.small:
            files.append("print-small.css")
        if self.variant == "x-4":
            files.append("print-cmyk.css")  # PDF/X-4 with a CMYK intent forbids device RGB: grey inks as CMYK
        return tuple(files)


def url_fetcher(images: Mapping[str, bytes] | None = None) -> Any:
    """A fetcher for the project's own files and the document's `images` (their bytes by `image_url`)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots = allowed_roots()

    class SealedFetcher(URLFetcher):  # type: ignore[misc]
        """Serves the project's own files; anything else (network, other files, data: URLs) is refused."""

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            try:
                body = sealed_fetch(url, roots, images)
            except FetchRefused:
                log.warning("refused a fetch during PDF rendering: %s", url[:120])
                raise
            return URLFetcherResponse(url, body=body, headers={}, status=200)

    return SealedFetcher(allowed_protocols={"file"})


@lru_cache(maxsize=1)
def _ld_cache() -> str:
    """The dynamic linker's list of libraries (`ldconfig -p`), read once."""
    try:
        return subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True, check=False,
                              env={"LC_ALL": "C", "LANG": "C"}, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def _find_library(name: str) -> str | None:
    """`ctypes.util.find_library` from the linker's cache alone, without its compiler and linker fallbacks."""
    found = re.search(rf"\s(lib{re.escape(name)}\.so[^\s]*)\s", _ld_cache())
    return found.group(1) if found else None


def import_weasyprint() -> None:
    """Import WeasyPrint, its libraries looked up in the linker's cache only.

    WeasyPrint tries several names per library (Windows and macOS ones too), and cffi asks `find_library` for
    each name that does not load, which runs `ldconfig`, a compiler and a linker every time: some 0.4 s of a
    cold start. The names that load are the sonames the linker finds by itself, so the compiler and linker
    fallbacks add nothing here; should the import still fail, it is tried again the usual way. fontTools'
    subsetter and instancer, WeasyPrint's fallbacks, are imported only if it ever uses them, and its other one-time
    costs are cut too (`coldstart`).
    """
    if "weasyprint" in sys.modules:
        return
    _import_weasyprint()
    coldstart.prepare()


def _import_weasyprint() -> None:
    with coldstart.deferred({**coldstart.FONTTOOLS_FALLBACKS, **coldstart.C_PARSER}), coldstart.cached_declarations():
        if not sys.platform.startswith("linux"):
            import weasyprint
            return
        import ctypes.util

        usual = ctypes.util.find_library
        ctypes.util.find_library = _find_library
        try:
            import weasyprint
        except OSError:
            ctypes.util.find_library = usual
            for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
                del sys.modules[name]
            import weasyprint  # noqa: F401
        finally:
            ctypes.util.find_library = usual


@lru_cache(maxsize=1)
def engine() -> tuple[FontConfiguration, Any]:
    """One font configuration and one fetcher per process: WeasyPrint's costly set-up, done once."""
    import_weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    # Drop the configuration before interpreter teardown: its finaliser needs modules that are gone by then.
    atexit.register(engine.cache_clear)
    atexit.register(layout.cache_clear)
    atexit.register(long_edition.cache_clear)
    fonts = FontConfiguration()
    # The configuration's copies of the fonts (13 MB), in a temporary folder its finaliser removes: removed at exit
    # here, since a build that ends its process leaves the collector's last pass out (`builder.build(exiting=True)`),
    # and a pool's worker ends with `os._exit`, which runs no finaliser and no `atexit` function; multiprocessing
    # runs its own finalisers there.
    atexit.register(_remove_font_copies, fonts)
    if (processes := sys.modules.get("multiprocessing.util")) is not None:
        processes.Finalize(fonts, _remove_font_copies, args=(fonts,), exitpriority=0)
    return fonts, url_fetcher()


def _remove_font_copies(fonts: FontConfiguration) -> None:
    folder = getattr(fonts, "_folder", None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
        fonts._folder = None


@lru_cache(maxsize=16)
def stylesheets(setup: PrintSetup, emoji: bool = True) -> tuple[CSS, ...]:
    """The parsed print style sheets for `setup`, shared by every document of a process; the emoji face is declared
    only with `emoji`, for a text that has a code point it may set (`assets.needs_emoji_face`).

    A process that declared it once keeps it in its font configuration, and lays out later texts without emoji with
    it: those come out alike either way, since the face is limited to code points they do not have."""
    fonts, fetcher = engine()
    from weasyprint import CSS

    return (
        CSS(string=font_face_css(emoji=emoji), font_config=fonts, url_fetcher=fetcher),
        *(CSS(filename=str(STYLES / name), font_config=fonts, url_fetcher=fetcher) for name in setup.style_files()),
        CSS(string=setup.page_css(), font_config=fonts, url_fetcher=fetcher),
    )


#: WeasyPrint's own balancing of the columns, by trial: for the rare page the balancing after layout declines.
BALANCED_COLUMNS = ".body { column-fill: balance; }"


def render_balanced(html: Any, sheets: list[CSS], variant: str | None) -> Layout:
    """`html` laid out with `sheets`, the columns balanced on the page where they end (see balance.py)."""
    fonts, _fetch = engine()
    from weasyprint import CSS

    # Lay the columns out once a page, break each line once, resolve each box's lengths once per style and set Pango
    # up once per font.
    with memo(), columns.skipped(), percentages.memo(), pangosetup.shared():
        laid = html.render(stylesheets=sheets, font_config=fonts, pdf_variant=variant)
        if balance(laid):
            return laid
        log.debug("columns balanced by WeasyPrint")
        return html.render(stylesheets=[*sheets, CSS(string=BALANCED_COLUMNS, font_config=fonts)],
                           font_config=fonts, pdf_variant=variant)


# The EPUB's page map and the PDF need the same layout: keep the last few so a build lays each article out once.
@lru_cache(maxsize=2)
def layout(doc: Document, setup: PrintSetup = PrintSetup()) -> Layout:
    """WeasyPrint's laid-out pages of `doc` for `setup`, before they are written as PDF."""
    engine()
    from weasyprint import HTML

    source, fetcher, emoji = _source(doc)
    html = HTML(string=source, base_url=STYLES.as_uri() + "/", url_fetcher=fetcher)
    return render_balanced(html, list(stylesheets(setup, emoji)), PDF_VARIANTS[setup.variant])


def _reproducible_metadata(layout_: Layout, doc: Document, source_date_epoch: int | None) -> None:
    """Give WeasyPrint fixed values where it would take the clock or a random UUID (PDF/X-4's XMP)."""
    from weasyprint.pdf.metadata import DocumentMetadata

    metadata = layout_.metadata
    stamp = modified_time(doc, source_date_epoch).strftime("%Y-%m-%dT%H:%M:%SZ")
    metadata.created = metadata.created or stamp
    metadata.modified = metadata.modified or stamp
    seed = "\n".join((doc.meta.title, *doc.author_names, metadata.modified))
    document_id = f"xmp.did:{uuid.uuid5(uuid.NAMESPACE_URL, 'article-pipeline:' + seed)}"

    class FixedMetadata(DocumentMetadata):  # type: ignore[misc]
        def generate_rdf_metadata(self, variant: str, version: int, conformance: str | None) -> bytes:
            rdf: bytes = super().generate_rdf_metadata(variant, version, conformance)
            return re.sub(rb"xmp\.did:[0-9a-f-]{36}", document_id.encode(), rdf)

    metadata.__class__ = FixedMetadata


def _number(reference: object) -> int | None:
    """The object number of a pydyf reference (`b"12 0 R"`), None for anything else."""
    text = reference.decode() if isinstance(reference, bytes) else str(reference)
    head = text.split()
    return int(head[0]) if len(head) == 3 and head[2] == "R" and head[0].isdigit() else None


def _running_heads_as_artifacts(_layout: Layout, pdf: Any) -> None:
    """Mark the running heads and page numbers as pagination artifacts, as PDF/UA-1 asks.

    WeasyPrint tags the page-margin boxes as Spans whose structure elements it leaves out of the tree (its
    note: an artifact in the tree needs PDF 2.0). Their text is then tagged content that no structure element
    reaches, which readers skip and validators flag. Here such runs become `/Artifact` marked content in the
    page streams, and the parent tree forgets them.
    """
    import pydyf

    if "StructTreeRoot" not in pdf.catalog:
        return
    objects = pdf.objects
    reachable: set[int] = set()
    pending = [_number(pdf.catalog["StructTreeRoot"])]
    while pending:
        number = pending.pop()
        if number is None or number in reachable:
            continue
        reachable.add(number)
        kids = objects[number].get("K", ())
        for kid in kids if isinstance(kids, list) else (kids,):
            pending.append(_number(kid))
    tree = objects[_number(pdf.catalog["StructTreeRoot"]) or 0]
    nums = objects[_number(tree["ParentTree"]) or 0]["Nums"]
    pages = [objects[n] for n in (_number(r) for r in pdf.page_references) if n is not None]
    for index in range(0, len(nums), 2):
        page_number, parents = nums[index], nums[index + 1]
        if not isinstance(page_number, int) or page_number >= len(pages) or not isinstance(parents, list):
            continue
        stray = {mcid for mcid, ref in enumerate(parents) if _number(ref) not in reachable}
        if not stray:
            continue
        stream = objects[_number(pages[page_number]["Contents"]) or 0].stream
        for position, item in enumerate(stream):
            if isinstance(item, dict) and item.get("MCID") in stray and position > 0:
                stream[position - 1] = "/Artifact"
                stream[position] = pydyf.Dictionary({"Type": "/Pagination"})
        for mcid in stray:
            parents[mcid] = "null"


_RGB = re.compile(rb"^(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (rg|RG)$")


def _cmyk(r: float, g: float, b: float) -> tuple[float, ...]:
    black = 1 - max(r, g, b)
    if black >= 1:
        return (0.0, 0.0, 0.0, 1.0)
    return (*((1 - v - black) / (1 - black) for v in (r, g, b)), black)


def _rgb_as_cmyk(_layout: Layout, pdf: Any) -> None:
    """Paint what WeasyPrint still paints in device RGB (its crop marks are a black SVG) in CMYK ink.

    PDF/X-4 with a CMYK output intent does not allow device RGB; the style sheet gives the design's inks in
    CMYK (print-cmyk.css), and this catches the rest.
    """
    for obj in pdf.objects:
        stream = getattr(obj, "stream", None)
        if not isinstance(stream, list):
            continue
        for index, item in enumerate(stream):
            match = _RGB.match(item) if isinstance(item, bytes) else None
            if match:
                inks = _cmyk(*(float(v) for v in match.groups()[:3]))
                operator = b"k" if match.group(4) == b"rg" else b"K"
                stream[index] = b" ".join([f"{v:.4g}".encode() for v in inks] + [operator])


def _finish(variant: str) -> Any:
    def finisher(layout_: Layout, pdf: Any) -> None:
        _running_heads_as_artifacts(layout_, pdf)
        if variant == "x-4":
            _rgb_as_cmyk(layout_, pdf)

    return finisher


def _cmyk_profile(setup: PrintSetup) -> Any:
    from weasyprint.css import ColorProfile

    path = setup.cmyk_profile or DEFAULT_CMYK_PROFILE
    if not path.is_file():
        raise FileNotFoundError(f"PDF/X-4 needs a CMYK ICC profile: {path} is missing (Debian: libgs-common)")
    with path.open("rb") as profile:
        return ColorProfile(profile, path.name, "relative-colorimetric", (["c"], ["m"], ["y"], ["k"]))


def _write(pages: Layout, doc: Document, setup: PrintSetup, source_date_epoch: int | None, *,
           part: bool = False) -> bytes:
    """Laid-out pages as PDF bytes: tagged, with the article's metadata, the same bytes for the same input.

    A `part` of a long text is written for `parts.Joiner` only: uncompressed, as the joiner compresses every stream
    once (at a cheaper level than pydyf's), and without an identifier, whose digest would have pydyf serialise and
    compress every object twice.
    """
    _reproducible_metadata(pages, doc, source_date_epoch)
    if setup.variant == "x-4":
        pages.color_profiles["device-cmyk"] = _cmyk_profile(setup)
    # fontTools stamps each embedded font subset's `head.modified` with the clock unless SOURCE_DATE_EPOCH is set:
    # pin it to the edition's own time while the fonts are written, so two builds give the same bytes.
    stamp = str(int(modified_time(doc, source_date_epoch).timestamp()))
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = stamp
    try:
        # Each line is drawn from a new Pango layout: set Pango up once per font; each stream made once.
        with pangosetup.shared(), streams.once():
            return pages.write_pdf(  # type: ignore[no-any-return]
                finisher=_finish(setup.variant),
                pdf_variant=PDF_VARIANTS[setup.variant],
                pdf_tags=True,  # every variant is tagged: PDF/A-3b and PDF/X-4 files are read on screen too
                pdf_identifier=not part,  # the file's ID is a digest of its content: the same input, the same bytes
                uncompressed_pdf=part,
                custom_metadata=False,
            )
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


@dataclass(frozen=True)
class LongEdition:
    """A long text's PDF, made in parts, with where its pages begin (for the EPUB) and how many parts it took."""

    pdf: bytes
    pages: PageMap
    parts: int


def _source(doc: Document) -> tuple[str, Any, bool]:
    """The print HTML of `doc`, checked for fonts, the fetcher that serves its images, and whether its text needs
    the emoji face."""
    from lxml import html as lxml_html

    images = {image_url(f"photo-{i + 1}"): p.data for i, p in enumerate(doc.photos) if p.data is not None}
    source = pdf_html(doc, image_src={i: image_url(f"photo-{i + 1}") for i, p in enumerate(doc.photos)
                                      if p.data is not None})
    # Every character must have a font before layout: a missing glyph is an error, never a printed box. What the
    # pages show is this text: the style sheets add only digits, hyphens and the list bullet (U+2022) of their own.
    text = lxml_html.fromstring(source).text_content()
    check_coverage(text)
    return source, url_fetcher(images), needs_emoji_face(text)


def _strings(pages: Any, strings: dict[str, str]) -> None:
    """Record in `strings` the named strings (`string-set`, the running heads) the boxes of `pages` assign."""
    pending = [page._page_box for page in pages]
    pending.reverse()
    while pending:
        box = pending.pop()
        for name, value in getattr(box, "string_set", None) or ():
            strings[name] = value
        pending.extend(reversed(getattr(box, "children", None) or ()))


def _footnotes(page: Any) -> bool:
    """Whether the page sets footnotes at its foot (they may have been called on an earlier page)."""
    from weasyprint.formatting_structure import boxes

    return any(isinstance(box, boxes.FootnoteAreaBox) and box.children for box in page._page_box.children)


# A long text's edition is made once for the EPUB's page numbers and the PDF of one build: keep the last one.
@lru_cache(maxsize=1)
def long_edition(doc: Document, setup: PrintSetup = PrintSetup(), source_date_epoch: int | None = None,
                 partner: Executor | None = None) -> LongEdition:
    """The PDF of a long text laid out and written in parts of bounded size (see pipeline/render/parts.py), joined
    into one document, and where its pages begin.

    With a `partner` (a pool of one process, idle), the parts are laid out by turns here and there: a part's layout
    tells where the next one starts, so the next is laid out in the other process while this one's part is
    written, and the text takes about the time of its layouts alone. The bytes are the same either way."""
    return parts.roomy(partial(_long_edition, doc, setup, source_date_epoch, partner))


@dataclass(frozen=True)
class _Cursor:
    """Where a part of a long text starts: its first unit, the page number and side of its first page, and the
    running heads (named strings) in force there."""

    start: parts.Start
    number: int
    side: str
    strings: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class _Part:
    """A part laid out: its pages to keep, where each begins, their bookmarks, and where the next part starts."""

    pages: Layout
    starts: tuple[PageStart, ...]
    marks: tuple[_Marks, ...]
    following: _Cursor | None


@dataclass(frozen=True)
class _Long:
    """What every part of one long text is laid out from, made once per process."""

    doc: Document
    setup: PrintSetup
    plan: parts.Plan
    fetcher: Any
    emoji: bool
    paragraphs: dict[int, int]  # the unit of each paragraph, by its block

    @classmethod
    def of(cls, doc: Document, setup: PrintSetup) -> _Long:
        engine()
        source, fetcher, emoji = _source(doc)
        plan = parts.Plan.of(source)
        return cls(doc, setup, plan, fetcher, emoji,
                   {unit.block: index for index, unit in enumerate(plan.units) if unit.element.tag == "p"})

    @property
    def right_first(self) -> bool:
        return not self.plan.rtl  # WeasyPrint's first page is a right page in a left-to-right document

    def first(self) -> _Cursor:
        return _Cursor(parts.Start(0), 1, "right" if self.right_first else "left", ())


def lay_part(long: _Long, cursor: _Cursor) -> _Part:
    """The part of `long` that starts at `cursor`, laid out with the garbage collector off (`_collect` after)."""
    import gc

    from weasyprint import CSS, HTML

    fonts, _fetch = engine()
    plan, start, number = long.plan, cursor.start, cursor.number
    budget = parts.PART_COST
    while True:
        end = plan.ends(start, budget)
        spacers = 0 if number == 1 else (2 if (cursor.side == "right") == long.right_first else 1)
        sheets = list(stylesheets(long.setup, long.emoji))
        if number > 1:
            sheets.append(CSS(string=parts.part_css(first_page=number - spacers, strings=list(cursor.strings),
                                                    footnotes=plan.footnotes_before(start.unit)),
                              font_config=fonts))
        gc.disable()
        laid = render_balanced(HTML(string=plan.part_html(start, end, spacers=spacers),
                                    base_url=STYLES.as_uri() + "/", url_fetcher=long.fetcher),
                               sheets, PDF_VARIANTS[long.setup.variant])
        raw = raw_starts(laid)
        first_block = plan.units[start.unit].block if number > 1 else 0  # the part's first block, numbered in all
        keep = len(laid.pages)
        following: _Cursor | None = None
        strings = dict(cursor.strings)
        if end < len(plan.units):
            # The last page that can start the next part, its first page excepted (the next part must move on).
            for page in reversed(raw[1:]):
                block = first_block + page.block
                offset = page.offset + (start.offset if page.block == 0 else 0)
                index = page.page - 1
                unit = long.paragraphs.get(block)
                if unit is not None and plan.can_start(unit, offset, page.line) and not _footnotes(
                        laid.pages[index]):
                    keep = index
                    _strings(laid.pages[spacers:keep], strings)
                    following = _Cursor(parts.Start(unit, offset), number + keep - spacers,
                                        laid.pages[index]._page_box.page_type.side, tuple(strings.items()))
                    break
            if following is None:  # no page here can start a part: lay a longer one out
                budget *= 2
                del laid, raw
                _collect()
                continue
        kept = laid.pages[spacers:keep]
        starts = tuple(place(number + page.page - 1 - spacers, first_block + page.block,
                             page.offset + (start.offset if page.block == 0 else 0),
                             plan.texts[first_block + page.block])
                       for page in raw if spacers < page.page <= keep)
        return _Part(laid.copy(kept), starts, tuple(_Marks(page.bookmarks, page.height) for page in kept), following)


def _collect() -> None:
    """Free a part's layout: it is all cyclic garbage (WeasyPrint's styles and boxes point back at each other)."""
    import gc

    gc.enable()
    gc.collect()


def _write_part(long: _Long, part: _Part, source_date_epoch: int | None) -> bytes:
    return _write(part.pages, long.doc, long.setup, source_date_epoch, part=True)


def _long_edition(doc: Document, setup: PrintSetup, source_date_epoch: int | None,
                  partner: Executor | None) -> LongEdition:
    import gc

    from weasyprint.document import Document as WeasyDocument

    joiner = parts.Joiner()
    written = 0
    bookmarks: list[_Marks] = []
    starts: list[PageStart] = []

    def join(data: bytes, part_starts: Sequence[PageStart], marks: Sequence[_Marks]) -> None:
        nonlocal written
        joiner.add(data)
        starts.extend(part_starts)
        bookmarks.extend(marks)
        written += 1

    if partner is not None:  # it makes what it needs of the text while this process lays out the first part
        opened = partner.submit(partner_open, pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL), setup)
    long = _Long.of(doc, setup)
    # The parts' layouts are the only large and short-lived things here: collect the garbage after each part
    # rather than traverse, over and over, what lives longer (the text, the fonts, the style sheets).
    collecting = gc.isenabled()
    gc.collect()
    gc.freeze()
    try:
        cursor: _Cursor | None = long.first()
        theirs: Future[tuple[bytes, tuple[PageStart, ...], tuple[_Marks, ...]]] | None = None
        while cursor is not None:
            part = lay_part(long, cursor)
            cursor = part.following
            following: Future[_Cursor | None] | None = None
            if partner is not None and cursor is not None:
                opened.result()
                following = partner.submit(partner_lay, cursor)
                laid_there = partner.submit(partner_write, source_date_epoch)
            if theirs is not None:  # the partner's part before this one, written meanwhile
                join(*theirs.result())
                theirs = None
            join(_write_part(long, part, source_date_epoch), part.starts, part.marks)
            del part
            _collect()
            if following is not None:
                cursor, theirs = following.result(), laid_there
        if theirs is not None:
            join(*theirs.result())
        tree = WeasyDocument.make_bookmark_tree(_Pages(bookmarks), scale=0.75, transform_pages=True)
        return LongEdition(joiner.finish([_bookmark(entry) for entry in tree]), tuple(starts), written)
    finally:
        if partner is not None:
            with suppress(RuntimeError):  # a partner that died or was stopped has nothing to let go
                partner.submit(partner_close)
        gc.unfreeze()
        if collecting:
            gc.enable()
        else:
            gc.disable()


# The partner's side of `long_edition`: what its parts are laid out from, and the part it laid out last.
_PARTNER: dict[str, Any] = {}


def partner_open(tree: bytes, setup: PrintSetup) -> None:
    """In the partner: make ready to lay out parts of the text pickled in `tree`."""
    import gc

    _PARTNER.clear()
    _PARTNER["long"] = _Long.of(pickle.loads(tree), setup)
    _PARTNER["collecting"] = gc.isenabled()
    gc.collect()
    gc.freeze()


def partner_lay(cursor: _Cursor) -> _Cursor | None:
    """In the partner: lay out the part at `cursor`, kept for `partner_write`; where the next part starts."""
    part: _Part = parts.roomy(partial(lay_part, _PARTNER["long"], cursor))
    _PARTNER["part"] = part
    return part.following


def partner_write(source_date_epoch: int | None) -> tuple[bytes, tuple[PageStart, ...], tuple[_Marks, ...]]:
    """In the partner: the part `partner_lay` laid out, written, with where its pages begin and their bookmarks."""
    part: _Part = _PARTNER.pop("part")
    data = parts.roomy(partial(_write_part, _PARTNER["long"], part, source_date_epoch))
    starts, marks = part.starts, part.marks
    del part
    _collect()
    return data, starts, marks


def partner_close() -> None:
    """In the partner: let the text go."""
    import gc

    collecting = _PARTNER.get("collecting", True)
    _PARTNER.clear()
    gc.unfreeze()
    if not collecting:
        gc.disable()


@dataclass(frozen=True)
class _Marks:
    """What WeasyPrint's outline needs of a page: its bookmarks and height."""

    bookmarks: list[Any]
    height: float


@dataclass(frozen=True)
class _Pages:
    pages: list[_Marks]


def _bookmark(entry: Any) -> parts.Bookmark:
    title, (page, x, y), children, state = entry
    return parts.Bookmark(title, page, x, y, tuple(_bookmark(child) for child in children), state == "closed")


def render_pdf(doc: Document, *, paper: str = "a4", bleed_mm: float = 0.0, two_sided: bool = False,
               variant: str = "ua-1", cmyk_profile: Path | None = None,
               source_date_epoch: int | None = None) -> bytes:
    """The PDF as bytes: tagged with the article's metadata, bookmarks from its headings, fonts embedded.

    The same document and options always give the same bytes. A long text is laid out and written in parts.
    """
    setup = PrintSetup(paper, bleed_mm, two_sided, variant, cmyk_profile)
    if parts.is_long(doc):
        return long_edition(doc, setup, source_date_epoch).pdf
    return _write(layout(doc, setup), doc, setup, source_date_epoch)


def print_pages(doc: Document, *, paper: str = "a4", bleed_mm: float = 0.0, two_sided: bool = False,
                variant: str = "ua-1", source_date_epoch: int | None = None) -> PageMap:
    """Where each page of the PDF that `render_pdf` makes with these options begins in the article."""
    setup = PrintSetup(paper, bleed_mm, two_sided, variant)
    if parts.is_long(doc):
        return long_edition(doc, setup, source_date_epoch).pages
    return page_map(layout(doc, setup))


def edition_name(doc: Document, *, paper: str = "a4") -> str:
    """How the EPUB names the print edition its page numbers come from (`pageBreakSource`)."""
    return f"{doc.meta.title} (PDF edition, {PAPER_NAMES[paper]})"
