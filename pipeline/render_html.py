"""The article as HTML, one markup for both the EPUB's XHTML and the PDF's HTML; media differ only in CSS."""

from __future__ import annotations

from typing import Any

from . import __version__
from .model import Document
from .outline import join_names, labels, lead_photos, sections
from .templating import render

# Scripts written right to left; their documents get `dir="rtl"`.
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv"})


def direction(language: str) -> str:
    """`rtl` for right-to-left languages, else `ltr`."""
    return "rtl" if language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


def context(doc: Document, *, epub: bool, idp: str = "") -> dict[str, Any]:
    """What every article template is given: the tree and the outline derived from it; `idp` prefixes every id
    of the article's markup, for collections that put several articles in one document."""
    lang = doc.meta.language
    return {
        "doc": doc,
        "meta": doc.meta,
        "lang": lang,
        "dir": direction(lang),
        "labels": labels(lang),
        "sections": sections(doc),
        "lead_photos": lead_photos(doc),
        "byline": join_names(doc.author_names, lang),
        "description": doc.description,
        "generator": f"article-pipeline {__version__}",
        "epub": epub,
        "idp": idp,
    }


def pdf_html(doc: Document) -> str:
    """The HTML document WeasyPrint lays out."""
    return render("pdf/article.html.j2", **context(doc, epub=False))


def epub_chapter(doc: Document, *, stylesheet: str) -> str:
    """The EPUB's content document (XHTML)."""
    return render("epub/chapter.xhtml.j2", stylesheet=stylesheet, **context(doc, epub=True))


def epub_nav(doc: Document, *, stylesheet: str, chapter: str, nav: str) -> str:
    """The EPUB's navigation document: table of contents and landmarks."""
    return render("epub/nav.xhtml.j2", stylesheet=stylesheet, chapter=chapter, nav=nav, **context(doc, epub=True))
