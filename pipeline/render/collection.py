"""A collection's three editions, made from the single-article templates: one XHTML file per article in the EPUB,
one HTML document with prefixed ids for the PDF, the articles' text editions in a row for the text."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from pipeline import __version__
from pipeline.errors import ConfigError
from pipeline.model import Collection, Document
from pipeline.options import BuildOptions
from pipeline.render.assets import STYLES, image_url
from pipeline.render.cover import COVER_TYPES
from pipeline.render.html import context, direction
from pipeline.render.labels import join_names, labels
from pipeline.render.names import file_as
from pipeline.render.outline import Section, sections
from pipeline.render.templating import render

STYLESHEET = "styles/ebook.css"
COLLECTION_STYLESHEET = "styles/collection-ebook.css"
TITLEPAGE = "titlepage.xhtml"
CONTENTS = "contents.xhtml"
NAV = "nav.xhtml"

# Separates articles in the text edition: a centred row of asterisks, as typeset books do.
TEXT_BREAK = "\n\n" + "* * *".center(72).rstrip() + "\n\n"


@dataclass(frozen=True)
class Entry:
    """One article as the collection's templates see it."""

    doc: Document
    href: str
    idp: str
    byline: str
    sections: tuple[Section, ...]
    html: Markup


def _language(collection: Collection) -> str:
    return collection.language or collection.articles[0].meta.language


def _frame(collection: Collection, options: BuildOptions) -> dict[str, Any]:
    lang = _language(collection)
    return {
        "c": collection,
        "lang": lang,
        "dir": direction(lang),
        "labels": labels(lang),
        "edited_by": labels(lang)["edited_by"],
        "publisher": collection.publisher or options.publisher,
        "authors": collection.authors,
        "description": f"{collection.title}: " + "; ".join(d.meta.title for d in collection.articles),
        "generator": f"article-pipeline {__version__}",
        "stylesheet": STYLESHEET,
        "collection_stylesheet": COLLECTION_STYLESHEET,
    }


def _entries(collection: Collection, *, pdf: bool) -> list[Entry]:
    entries = []
    for n, doc in enumerate(collection.articles, start=1):
        idp = f"a{n}-" if pdf else ""
        html = Markup(render("shared/article.html.j2", **context(doc, epub=False, idp=idp))) if pdf else Markup("")
        entries.append(Entry(doc, f"article-{n:02d}.xhtml", idp, join_names(doc.author_names, doc.meta.language),
                             sections(doc), html))
    return entries


def identifier(collection: Collection) -> str:
    """A stable `urn:uuid` from what names the collection: its title, editor, date and articles."""
    from pipeline.render.epub import ID_NAMESPACE
    from pipeline.render.epub import identifier as article_identifier

    key = "\n".join((collection.title, collection.editor or "", collection.date.isoformat() if collection.date else "",
                     *(article_identifier(d) for d in collection.articles)))
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, key)}"


def render_collection_epub(collection: Collection, options: BuildOptions, source_date_epoch: int | None) -> bytes:
    """The collection as one EPUB: title page, contents, one XHTML file per article, a nav nested by article."""
    from ebooklib import epub

    from pipeline.render.epub import add_people, repack
    from pipeline.render.html import epub_chapter
    from pipeline.render.stamp import modified_time

    frame = _frame(collection, options)
    entries = _entries(collection, pdf=False)
    book = epub.EpubBook()
    book.set_identifier(identifier(collection))
    book.set_title(collection.title)
    book.set_language(frame["lang"])
    if frame["dir"] == "rtl":
        book.set_direction("rtl")
    add_people(book, list(collection.authors),
               [p.credit for d in collection.articles for p in d.photos if p.credit])
    if collection.editor:
        book.add_metadata("DC", "contributor", collection.editor, {"id": "editor"})
        book.add_metadata(None, "meta", "edt", {"refines": "#editor", "property": "role", "scheme": "marc:relators"})
        book.add_metadata(None, "meta", file_as(collection.editor), {"refines": "#editor", "property": "file-as"})
    if collection.date:
        book.add_metadata("DC", "date", collection.date.isoformat())
    book.add_metadata("DC", "description", frame["description"])
    if frame["publisher"]:
        book.add_metadata("DC", "publisher", frame["publisher"])
    if collection.subtitle:
        book.add_metadata("DC", "title", collection.subtitle, {"id": "subtitle"})
        book.add_metadata(None, "meta", "subtitle", {"refines": "#subtitle", "property": "title-type"})

    cover = None
    if collection.cover is not None:
        cover = f"images/cover.{COVER_TYPES[collection.cover_type or 'image/png']}"
        image = epub.EpubItem(uid="cover-img", file_name=cover, media_type=collection.cover_type,
                              content=collection.cover)
        image.properties = ["cover-image"]
        book.add_item(image)
        book.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-img"})
    for uid, name in (("css", STYLESHEET), ("collection-css", COLLECTION_STYLESHEET)):
        book.add_item(epub.EpubItem(uid=uid, file_name=name, media_type="text/css",
                                    content=(STYLES / name.split("/")[-1]).read_bytes()))
    titlepage = epub.EpubItem(uid="titlepage", file_name=TITLEPAGE, media_type="application/xhtml+xml",
                              content=render("epub/collection-title.xhtml.j2", cover=cover, **frame).encode())
    contents = epub.EpubItem(uid="contents", file_name=CONTENTS, media_type="application/xhtml+xml",
                             content=render("epub/collection-contents.xhtml.j2", articles=entries, **frame).encode())
    nav = epub.EpubItem(uid="nav", file_name=NAV, media_type="application/xhtml+xml",
                        content=render("epub/collection-nav.xhtml.j2", articles=entries, titlepage=TITLEPAGE,
                                       nav=NAV, **frame).encode())
    nav.properties = ["nav"]
    chapters = [epub.EpubItem(uid=f"article-{n}", file_name=e.href, media_type="application/xhtml+xml",
                              content=epub_chapter(e.doc, stylesheet=STYLESHEET).encode())
                for n, e in enumerate(entries, start=1)]
    for item in (titlepage, contents, nav, *chapters):
        book.add_item(item)
    book.add_item(epub.EpubNcx())
    # The NCX (for EPUB 2 readers) mirrors the nav: each article, then its sections beneath it.
    book.toc = [
        (epub.Section(e.doc.meta.title, e.href),
         [epub.Link(f"{e.href}#{s.id}-h", s.heading.text, f"toc-{n}-{s.id}") for s in e.sections if s.heading])
        if any(s.heading for s in e.sections) else epub.Link(e.href, e.doc.meta.title, f"toc-{n}")
        for n, e in enumerate(entries, start=1)
    ]
    book.spine = [titlepage, contents, *chapters, (nav, "no")]
    day = collection.date
    if source_date_epoch is not None or day is None:
        mtime = modified_time(collection.articles[0], source_date_epoch)
    else:
        mtime = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    raw = io.BytesIO()
    epub.write_epub(raw, book, {"mtime": mtime, "epub3_pages": False, "raise_exceptions": True})
    return repack(raw.getvalue(), {})


def render_collection_pdf(collection: Collection, options: BuildOptions) -> bytes:
    """The collection as one PDF: title page, contents with page numbers, articles with page numbers running on;
    bookmarks nest each article's sections under its title."""
    from pipeline.render.pdf import PrintSetup, engine, render_balanced, stylesheets, url_fetcher

    fonts, _fetcher = engine()  # imports WeasyPrint the quick way
    from weasyprint import CSS, HTML

    # The sealed fetcher, serving one more thing: the collection's cover, from memory.
    cover = image_url("cover") if collection.cover is not None else None
    fetcher = url_fetcher({cover: collection.cover} if cover and collection.cover is not None else None)
    frame = _frame(collection, options)
    html = render("pdf/collection.html.j2", articles=_entries(collection, pdf=True), cover=cover, **frame)
    extra = CSS(filename=str(STYLES / "collection-print.css"), font_config=fonts, url_fetcher=fetcher)
    document = HTML(string=html, base_url=STYLES.as_uri() + "/", url_fetcher=fetcher)
    sheets = [*stylesheets(PrintSetup(options.paper, options.bleed_mm, options.two_sided)), extra]
    return render_balanced(document, sheets, None).write_pdf(  # type: ignore[no-any-return]
        pdf_identifier=True, custom_metadata=False)


def render_collection_text(collection: Collection, options: BuildOptions) -> bytes:
    """The collection as text: its front matter and contents, then each article's text edition in turn."""
    from pipeline.render.text import render_text

    entries = _entries(collection, pdf=False)
    front = render("text/collection.txt.j2", articles=entries, **_frame(collection, options))
    front = "\n".join(line.rstrip() for line in front.splitlines()).strip("\n")
    articles = [render_text(doc).decode("utf-8").rstrip("\n") for doc in collection.articles]
    return (TEXT_BREAK.join([front, *articles]) + "\n").encode("utf-8")


def render_collection(collection: Collection, fmt: str, options: BuildOptions, source_date_epoch: int | None) -> bytes:
    """One edition of the collection as bytes."""
    if fmt == "epub":
        return render_collection_epub(collection, options, source_date_epoch)
    if fmt == "pdf":
        return render_collection_pdf(collection, options)
    if fmt == "txt":
        return render_collection_text(collection, options)
    raise ConfigError(f"unknown format {fmt!r}")
