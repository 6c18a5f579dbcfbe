"""The EPUB 3 edition, assembled with ebooklib from our own XHTML and repacked byte-reproducibly."""

from __future__ import annotations

import io
import uuid
import zipfile

from ebooklib import epub

from .assets import STYLES
from .model import Document
from .names import file_as
from .outline import sections
from .render_html import direction, epub_chapter, epub_nav
from .stamp import modified_time

CHAPTER = "article.xhtml"
NAV = "nav.xhtml"
STYLESHEET = "styles/ebook.css"

# Namespace for identifiers derived from an article: the same article always gets the same urn:uuid.
ID_NAMESPACE = uuid.UUID("6f0c5a3e-8f1d-5b7e-9a52-3c1e0d4b7a21")

# Zip entries carry this time: the EPUB's bytes then depend on its contents alone (zip cannot store pre-1980).
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def identifier(doc: Document) -> str:
    """A stable `urn:uuid` from what names the article: its title, authors and date."""
    key = "\n".join((doc.meta.title, *doc.author_names, doc.meta.date.isoformat() if doc.meta.date else ""))
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, key)}"


def _book(doc: Document, publisher: str | None) -> epub.EpubBook:
    meta = doc.meta
    book = epub.EpubBook()
    book.set_identifier(identifier(doc))
    book.set_title(meta.title)
    book.set_language(meta.language)
    if direction(meta.language) == "rtl":
        book.set_direction("rtl")
    # Creators are written by hand: ebooklib's add_author reuses one id and files `file-as` under marc:relators.
    for n, author in enumerate(meta.authors, start=1):
        cid = f"creator{n}"
        book.add_metadata("DC", "creator", author.name, {"id": cid})
        book.add_metadata(None, "meta", "aut", {"refines": f"#{cid}", "property": "role", "scheme": "marc:relators"})
        book.add_metadata(None, "meta", file_as(author.name), {"refines": f"#{cid}", "property": "file-as"})
        book.add_metadata(None, "meta", str(n), {"refines": f"#{cid}", "property": "display-seq"})
    credits = list(dict.fromkeys(p.credit for p in doc.photos if p.credit))
    for n, credit in enumerate(credits, start=1):
        pid = f"photographer{n}"
        book.add_metadata("DC", "contributor", credit, {"id": pid})
        book.add_metadata(None, "meta", "pht", {"refines": f"#{pid}", "property": "role", "scheme": "marc:relators"})
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

    css = epub.EpubItem(uid="css", file_name=STYLESHEET, media_type="text/css",
                        content=(STYLES / "ebook.css").read_bytes())
    chapter = epub.EpubItem(uid="article", file_name=CHAPTER, media_type="application/xhtml+xml",
                            content=epub_chapter(doc, stylesheet=STYLESHEET).encode("utf-8"))
    nav = epub.EpubItem(uid="nav", file_name=NAV, media_type="application/xhtml+xml",
                        content=epub_nav(doc, stylesheet=STYLESHEET, chapter=CHAPTER, nav=NAV).encode("utf-8"))
    nav.properties = ["nav"]
    for item in (css, nav, chapter):
        book.add_item(item)
    book.add_item(epub.EpubNcx())
    # The NCX (for EPUB 2 readers) mirrors the nav: the article, then its sections.
    book.toc = [epub.Link(CHAPTER, meta.title, "toc-article")] + [
        epub.Link(f"{CHAPTER}#{s.id}-h", s.heading.text, f"toc-{s.id}") for s in sections(doc) if s.heading
    ]
    # The nav is a spine item (out of the reading order) so the landmarks may link to its table of contents.
    book.spine = [chapter, (nav, "no")]
    return book


def _repack(data: bytes) -> bytes:
    """Rewrite the zip with fixed timestamps and the `mimetype` entry first and stored, as OCF requires."""
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
                dst.writestr(info, src.read(name), compresslevel=9)
    return out.getvalue()


def render_epub(doc: Document, *, publisher: str | None = None, source_date_epoch: int | None = None) -> bytes:
    """The EPUB as bytes; the same document and options always give the same bytes."""
    book = _book(doc, publisher)
    raw = io.BytesIO()
    epub.write_epub(raw, book, {"mtime": modified_time(doc, source_date_epoch), "epub3_pages": False,
                                "raise_exceptions": True})
    return _repack(raw.getvalue())
