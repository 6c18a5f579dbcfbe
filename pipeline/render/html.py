"""The article as HTML, one markup for both the EPUB's XHTML and the PDF's HTML; media differ only in CSS."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pipeline import __version__
from pipeline.model import Document
from pipeline.render.labels import by_prefix, join_names, joiners, labels
from pipeline.render.outline import lead_photos, referenced_notes, sections
from pipeline.render.templating import render

# Scripts written right to left; their documents get `dir="rtl"`.
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv"})


def direction(language: str) -> str:
    """`rtl` for right-to-left languages, else `ltr`."""
    return "rtl" if language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


def context(doc: Document, *, epub: bool, image_src: Mapping[int, str] | None = None,
            idp: str = "") -> dict[str, Any]:
    """What every article template is given: the tree and the outline derived from it.

    `image_src` maps a photo's index in `doc.photos` to the address its image has in this medium; `idp`
    prefixes every id of the article's markup, for collections that put several articles in one document.
    """
    lang = doc.meta.language
    notes = {n.label: n.text for n in doc.notes}
    return {
        "doc": doc,
        "meta": doc.meta,
        "lang": lang,
        "dir": direction(lang),
        "labels": labels(lang),
        "sections": sections(doc),
        "lead_photos": lead_photos(doc),
        "byline": join_names(doc.author_names, lang),
        "by_prefix": by_prefix(lang),
        "author_joiners": joiners(len(doc.meta.authors), lang),
        "notes_map": notes,
        "note_labels": frozenset(notes),
        "referenced": referenced_notes(doc),
        "ref_counter": {},
        "image_src": dict(image_src or {}),
        "description": doc.description,
        "generator": f"article-pipeline {__version__}",
        "epub": epub,
        "idp": idp,
    }


def pdf_html(doc: Document, *, image_src: Mapping[int, str] | None = None) -> str:
    """The HTML document WeasyPrint lays out."""
    return render("pdf/article.html.j2", **context(doc, epub=False, image_src=image_src))


def epub_cover(doc: Document, *, stylesheet: str, image: str, alt: str, **extra: Any) -> str:
    """The EPUB's cover page: the cover image with its text alternative."""
    return render("epub/cover.xhtml.j2", stylesheet=stylesheet, image=image, alt=alt,
                  **{**context(doc, epub=True), **extra})


def epub_chapter(doc: Document, *, stylesheet: str, image_src: Mapping[int, str] | None = None) -> str:
    """The EPUB's content document (XHTML)."""
    return render("epub/chapter.xhtml.j2", stylesheet=stylesheet, **context(doc, epub=True, image_src=image_src))


def epub_nav(doc: Document, *, stylesheet: str, chapter: str, nav: str, **extra: Any) -> str:
    """The EPUB's navigation document: table of contents, landmarks and (given `pages`) the page list."""
    return render("epub/nav.xhtml.j2", stylesheet=stylesheet, chapter=chapter, nav=nav,
                  **{**context(doc, epub=True), **extra})
