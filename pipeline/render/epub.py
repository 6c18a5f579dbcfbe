"""The EPUB 3 edition, assembled with ebooklib from our own XHTML and repacked byte-reproducibly."""

from __future__ import annotations

import io
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from ebooklib import epub
from lxml import etree

from pipeline import __version__
from pipeline.model import Document
from pipeline.render.assets import STYLES
from pipeline.render.cover import CoverImage, cover_alt, draw_cover
from pipeline.render.html import direction, epub_chapter, epub_cover, epub_nav
from pipeline.render.labels import labels
from pipeline.render.names import file_as
from pipeline.render.outline import sections
from pipeline.render.pagemap import PageMap, insert_markers
from pipeline.render.stamp import modified_time

CHAPTER = "article.xhtml"
COVER = "cover.xhtml"
NAV = "nav.xhtml"
OPF = "EPUB/content.opf"
STYLESHEET = "styles/ebook.css"
COVER_IMAGE_ID = "cover-image"
#: What a book that passes every check conforms to (EPUB Accessibility 1.1's own wording).
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"

# Namespace for identifiers derived from an article: the same article always gets the same urn:uuid.
ID_NAMESPACE = uuid.UUID("6f0c5a3e-8f1d-5b7e-9a52-3c1e0d4b7a21")

# Zip entries carry this time: the EPUB's bytes then depend on its contents alone (zip cannot store pre-1980).
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def identifier(doc: Document) -> str:
    """A stable `urn:uuid` from what names the article: its title, authors and date."""
    key = "\n".join((doc.meta.title, *doc.author_names, doc.meta.date.isoformat() if doc.meta.date else ""))
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, key)}"


@dataclass(frozen=True)
class Accessibility:
    """EPUB Accessibility 1.1 metadata, derived from what the book holds rather than claimed wholesale."""

    access_modes: tuple[str, ...]
    sufficient: tuple[str, ...]
    features: tuple[str, ...]
    summary: str
    conforms: bool


def accessibility(doc: Document, *, image_alts: list[str | None], pages: bool) -> Accessibility:
    """What the book offers readers who do not see, or who need to change how it looks.

    `image_alts` holds the text alternative of every image in the book (None where there is none); `pages`
    says whether it carries the print edition's page numbers.
    """
    has_images = bool(image_alts)
    all_alt = all(alt and alt.strip() for alt in image_alts)
    modes = ("textual", "visual") if has_images else ("textual",)
    # Text alone suffices only when every image has a text alternative.
    sufficient = (("textual",) if all_alt else ()) + (("textual,visual",) if has_images else ())
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "ARIA", "displayTransformability"]
    if has_images and all_alt:
        features.append("alternativeText")
    if pages:
        features += ["printPageNumbers", "pageBreakMarkers", "pageNavigation"]
    parts = ["The article is text with headings for its sections, a table of contents and a logical reading order;"
             " the reader's own typeface, size and colours apply."]
    if has_images:
        parts.append("Every image has a text alternative." if all_alt
                     else "Some images have no text alternative.")
    if pages:
        parts.append("Page-break markers and a page list give the page numbers of the PDF edition.")
    # The claim is made only where it holds: a missing text alternative fails WCAG 1.1.1.
    conforms = all_alt
    parts.append("It meets EPUB Accessibility 1.1 and WCAG 2.2 level AA." if conforms
                 else "It does not meet WCAG 2.2 level AA.")
    return Accessibility(modes, sufficient, tuple(features), " ".join(parts), conforms)


def _add_accessibility(book: epub.EpubBook, a11y: Accessibility, certifier: str) -> None:
    def meta(prop: str, value: str) -> None:
        book.add_metadata(None, "meta", value, {"property": prop})

    for mode in a11y.access_modes:
        meta("schema:accessMode", mode)
    for sufficient in a11y.sufficient:
        meta("schema:accessModeSufficient", sufficient)
    for feature in a11y.features:
        meta("schema:accessibilityFeature", feature)
    meta("schema:accessibilityHazard", "none")
    meta("schema:accessibilitySummary", a11y.summary)
    if a11y.conforms:
        meta("dcterms:conformsTo", CONFORMANCE)
        meta("a11y:certifiedBy", certifier)


def _with_markers(xhtml: str, pages: PageMap) -> str:
    """The chapter's XHTML with a page-break marker where each PDF page begins."""
    if not pages:
        return xhtml
    head, markup = xhtml[: xhtml.index("<html")], xhtml[xhtml.index("<html"):]
    root = etree.fromstring(markup.encode("utf-8"))
    insert_markers(root, pages)
    body: str = etree.tostring(root, encoding="unicode")
    return f"{head}{body}\n"


def add_people(book: epub.EpubBook, authors: list[str], credits: list[str]) -> None:
    """Creators with their role (`aut`), sort name and order; photographers as contributors (`pht`).

    Written by hand: ebooklib's add_author reuses one id and files `file-as` under marc:relators.
    """
    for n, name in enumerate(authors, start=1):
        cid = f"creator{n}"
        book.add_metadata("DC", "creator", name, {"id": cid})
        book.add_metadata(None, "meta", "aut", {"refines": f"#{cid}", "property": "role", "scheme": "marc:relators"})
        book.add_metadata(None, "meta", file_as(name), {"refines": f"#{cid}", "property": "file-as"})
        book.add_metadata(None, "meta", str(n), {"refines": f"#{cid}", "property": "display-seq"})
    for n, credit in enumerate(dict.fromkeys(credits), start=1):
        pid = f"photographer{n}"
        book.add_metadata("DC", "contributor", credit, {"id": pid})
        book.add_metadata(None, "meta", "pht", {"refines": f"#{pid}", "property": "role", "scheme": "marc:relators"})


def _book(doc: Document, publisher: str | None, cover: CoverImage, pages: PageMap,
          print_edition: str | None) -> epub.EpubBook:
    meta = doc.meta
    book = epub.EpubBook()
    book.set_identifier(identifier(doc))
    book.set_title(meta.title)
    book.set_language(meta.language)
    if direction(meta.language) == "rtl":
        book.set_direction("rtl")
    add_people(book, [a.name for a in meta.authors], [p.credit for p in doc.photos if p.credit])
    if meta.date:
        book.add_metadata("DC", "date", meta.date.isoformat())
    book.add_metadata("DC", "description", doc.description)
    publisher = meta.publisher or publisher
    if publisher:
        book.add_metadata("DC", "publisher", publisher)
    for keyword in meta.keywords:
        book.add_metadata("DC", "subject", keyword)
    if meta.rights:
        book.add_metadata("DC", "rights", meta.rights)
    if meta.subtitle:
        book.add_metadata("DC", "title", meta.subtitle, {"id": "subtitle"})
        book.add_metadata(None, "meta", "subtitle", {"refines": "#subtitle", "property": "title-type"})
    # EPUB 2 readers (and Kindle's converter) find the cover through this element.
    book.add_metadata(None, "meta", "", {"name": "cover", "content": COVER_IMAGE_ID})
    if pages and print_edition:
        # The source of the page numbers, as EPUB 3.3 says it (EPUBCheck does not know `a11y:pageBreakSource`).
        book.add_metadata("DC", "source", print_edition, {"id": "print-edition"})
        book.add_metadata(None, "meta", "pagination", {"refines": "#print-edition", "property": "source-of"})
    # The cover and the photos a sidecar gives images for (whose alt text falls back to their caption).
    photo_alts: list[str | None] = [p.alt or p.caption or None for p in doc.photos if p.data is not None]
    _add_accessibility(book, accessibility(doc, image_alts=[cover.alt, *photo_alts], pages=bool(pages)),
                       publisher or f"article-pipeline {__version__}")

    words = labels(meta.language)
    image_name = f"images/cover.{cover.extension}"
    css = epub.EpubItem(uid="css", file_name=STYLESHEET, media_type="text/css",
                        content=(STYLES / "ebook.css").read_bytes())
    image_src: dict[int, str] = {}
    for index, photo in enumerate(doc.photos):
        if photo.data is None or photo.image is None:
            continue
        name = f"images/photo-{index + 1}{PurePath(photo.image).suffix.lower()}"
        book.add_item(epub.EpubItem(uid=f"photo-{index + 1}", file_name=name, content=photo.data,
                                    media_type=photo.media_type))
        image_src[index] = name
    image = epub.EpubItem(uid=COVER_IMAGE_ID, file_name=image_name, media_type=cover.media_type, content=cover.data)
    image.properties = ["cover-image"]
    cover_page = epub.EpubItem(uid="cover", file_name=COVER, media_type="application/xhtml+xml",
                               content=epub_cover(doc, stylesheet=STYLESHEET, image=image_name,
                                                  alt=cover.alt or cover_alt(doc), labels=words).encode("utf-8"))
    chapter_html = epub_chapter(doc, stylesheet=STYLESHEET, image_src=image_src)
    chapter = epub.EpubItem(uid="article", file_name=CHAPTER, media_type="application/xhtml+xml",
                            content=_with_markers(chapter_html, pages).encode("utf-8"))
    nav = epub.EpubItem(uid="nav", file_name=NAV, media_type="application/xhtml+xml",
                        content=epub_nav(doc, stylesheet=STYLESHEET, chapter=CHAPTER, nav=NAV, cover=COVER,
                                         pages=pages, labels=words).encode("utf-8"))
    nav.properties = ["nav"]
    for item in (css, image, cover_page, nav, chapter):
        book.add_item(item)
    book.add_item(epub.EpubNcx())
    # The NCX (for EPUB 2 readers) mirrors the nav: the article, then its sections.
    book.toc = [epub.Link(CHAPTER, meta.title, "toc-article")] + [
        epub.Link(f"{CHAPTER}#{s.id}-h", s.heading.text, f"toc-{s.id}") for s in sections(doc) if s.heading
    ]
    # The cover is shown first. The nav is a spine item (out of the reading order) so the landmarks may link to
    # its table of contents.
    book.spine = [cover_page, chapter, (nav, "no")]
    book.guide = [{"type": "cover", "href": COVER, "title": words["cover"]}]
    return book


def repack(data: bytes, edits: dict[str, Callable[[bytes], bytes]]) -> bytes:
    """Rewrite the zip with fixed timestamps and the `mimetype` entry first and stored, as OCF requires;
    `edits` rewrites named entries on the way."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        names = src.namelist()
        order = ["mimetype"] + [n for n in names if n != "mimetype"]
        for name in order:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.create_system = 3
            if name == "mimetype":
                info.compress_type = zipfile.ZIP_STORED
                dst.writestr(info, src.read(name))
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                content = src.read(name)
                dst.writestr(info, edits[name](content) if name in edits else content, compresslevel=9)
    return out.getvalue()


def _package_language(opf: bytes, language: str) -> bytes:
    """Give the OPF's `<package>` the book's language (`xml:lang`), which ebooklib leaves out."""
    root = etree.fromstring(opf)
    root.set("{http://www.w3.org/XML/1998/namespace}lang", language)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True, pretty_print=True)  # type: ignore[no-any-return]


def render_epub(doc: Document, *, publisher: str | None = None, source_date_epoch: int | None = None,
                cover: CoverImage | None = None, pages: PageMap = (), print_edition: str | None = None) -> bytes:
    """The EPUB as bytes; the same document and options always give the same bytes.

    `cover` is the article's own cover image (a sidecar's); without one a typographic cover is drawn.
    `pages` places the print edition's page numbers (see `pagemap`); `print_edition` names that edition.
    """
    cover = cover or draw_cover(doc, publisher=publisher)
    book = _book(doc, publisher, cover, pages, print_edition)
    raw = io.BytesIO()
    epub.write_epub(raw, book, {"mtime": modified_time(doc, source_date_epoch), "epub3_pages": False,
                                "raise_exceptions": True, "epub2_guide": True})
    return repack(raw.getvalue(), {OPF: lambda opf: _package_language(opf, doc.meta.language)})
