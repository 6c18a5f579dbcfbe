"""The document tree: frozen, typed dataclasses that every renderer reads and nothing mutates.

The tree is the contract between the parser and the renderers. It holds no I/O
and no formatting: text is plain Unicode, already cleaned of control characters,
and the renderers decide how to escape and lay it out.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

Severity = Literal["info", "warning", "error"]

# Footnote markers (`[1]`) are references, not words: summaries leave them out.
_NOTE_MARKER = re.compile(r"\[\d{1,3}\]")


@dataclass(frozen=True)
class Diagnostic:
    """Something the parser noticed or had to guess, with a stable code."""

    code: str
    message: str
    line: int | None = None
    severity: Severity = "warning"

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "line": self.line, "severity": self.severity}


@dataclass(frozen=True)
class Dropped:
    """A line of the seed left out of the article: its number, its text and the reason."""

    line: int
    text: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "text": self.text, "reason": self.reason}


@dataclass(frozen=True)
class Photo:
    """A photograph as the article describes it: what it shows and who took it."""

    caption: str
    credit: str | None = None
    #: An image file for the photo, relative to the seed's folder (from a sidecar); None when only the caption is known.
    image: str | None = None
    alt: str | None = None
    #: The image's bytes and media type, loaded by the sidecar's reader: renderers get them here and open no file.
    data: bytes | None = field(default=None, repr=False)
    media_type: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"caption": self.caption, "credit": self.credit, "image": self.image, "alt": self.alt}


@dataclass(frozen=True)
class Heading:
    """A section heading inside the body (the headline itself is metadata, not a block)."""

    text: str
    level: int = 2
    type: ClassVar[str] = "heading"

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, "text": self.text, "level": self.level}


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of running text."""

    text: str
    type: ClassVar[str] = "paragraph"

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, "text": self.text}


@dataclass(frozen=True)
class Quote:
    """A block quotation, with the person or source it is attributed to when the article names one."""

    text: str
    attribution: str | None = None
    type: ClassVar[str] = "quote"

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, "text": self.text, "attribution": self.attribution}


@dataclass(frozen=True)
class ListBlock:
    """A bulleted or numbered list."""

    items: tuple[str, ...]
    ordered: bool = False
    type: ClassVar[str] = "list"

    @property
    def text(self) -> str:
        return "\n".join(self.items)

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, "text": self.text, "items": list(self.items), "ordered": self.ordered}


@dataclass(frozen=True)
class Figure:
    """A photo standing at its place in the body; `photo` indexes `Document.photos`."""

    photo: int
    caption: str
    credit: str | None = None
    type: ClassVar[str] = "figure"

    @property
    def text(self) -> str:
        return self.caption

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, "text": self.caption, "photo": self.photo, "credit": self.credit}


@dataclass(frozen=True)
class PullQuote:
    """A sentence of the body set again, large, as a teaser; printed once as such, never as body text."""

    text: str
    type: ClassVar[str] = "pullquote"

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, "text": self.text}


@dataclass(frozen=True)
class Note:
    """One footnote: the label its marker uses in the text (`1` for `[1]`) and the note itself."""

    label: str
    text: str


@dataclass(frozen=True)
class Notes:
    """The article's footnotes, gathered at the end; markers like `[1]` in the text point to them."""

    items: tuple[Note, ...]
    type: ClassVar[str] = "notes"

    @property
    def text(self) -> str:
        return "\n".join(f"[{n.label}] {n.text}" for n in self.items)

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, "text": self.text,
                "items": [{"label": n.label, "text": n.text} for n in self.items]}


Block = Heading | Paragraph | Quote | ListBlock | Figure | PullQuote | Notes


@dataclass(frozen=True)
class Byline:
    """An author as the byline names them, with the role the site gave them, if any."""

    name: str
    role: str | None = None


@dataclass(frozen=True)
class Metadata:
    """What the article says about itself: who, when, in which language."""

    title: str
    subtitle: str | None = None
    authors: tuple[Byline, ...] = ()
    date: dt.date | None = None
    updated: dt.date | None = None
    language: str = "en"
    publisher: str | None = None
    keywords: tuple[str, ...] = ()
    rights: str | None = None
    #: A cover image file (from a sidecar), relative to the seed's folder.
    cover: str | None = None


@dataclass(frozen=True)
class Document:
    """One article: its metadata, its photos, its body in reading order and what the parser had to guess."""

    source: str
    meta: Metadata
    blocks: tuple[Block, ...]
    photos: tuple[Photo, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = field(default=(), compare=False)
    #: Every line of the seed the parser left out of the article, with why: what `inspect` and the report show.
    dropped: tuple[Dropped, ...] = field(default=(), compare=False)
    #: The language detector's probability for `meta.language`; None when the language was given, not detected.
    language_confidence: float | None = field(default=None, compare=False)
    #: The sidecar's cover image (bytes and media type), carried in the tree so renderers open no file.
    cover_image: bytes | None = field(default=None, compare=False, repr=False)
    cover_type: str | None = field(default=None, compare=False)

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def author_names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.meta.authors)

    @property
    def headings(self) -> tuple[Heading, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Heading))

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Paragraph))

    @property
    def notes(self) -> tuple[Note, ...]:
        return tuple(n for b in self.blocks if isinstance(b, Notes) for n in b.items)

    @property
    def description(self) -> str:
        """The article's opening, cut at a word boundary: what catalogues show as its summary."""
        if self.meta.subtitle:
            return self.meta.subtitle
        first = next((p.text for p in self.paragraphs), "")
        return shorten(_NOTE_MARKER.sub("", first), 300)

    def as_dict(self) -> dict[str, Any]:
        """The tree as plain JSON-ready data; the keys documented in the README keep their meaning."""
        m = self.meta
        return {
            "source": self.source,
            "title": m.title,
            "subtitle": m.subtitle,
            "authors": [a.name for a in m.authors],
            "author_roles": [a.role for a in m.authors],
            "date": m.date.isoformat() if m.date else None,
            "updated": m.updated.isoformat() if m.updated else None,
            "language": m.language,
            "publisher": m.publisher,
            "keywords": list(m.keywords),
            "rights": m.rights,
            "cover": m.cover,
            "description": self.description,
            "photos": [p.as_dict() for p in self.photos],
            "blocks": [b.as_dict() for b in self.blocks],
            "warnings": [d.as_dict() for d in self.diagnostics],
        }


@dataclass(frozen=True)
class Collection:
    """Several articles made into one edition (a magazine issue or an anthology), as its manifest describes it."""

    name: str
    title: str
    articles: tuple[Document, ...]
    subtitle: str | None = None
    editor: str | None = None
    date: dt.date | None = None
    publisher: str | None = None
    language: str | None = None
    #: The cover image's bytes and media type, loaded by the manifest's reader.
    cover: bytes | None = field(default=None, repr=False)
    cover_type: str | None = None

    @property
    def authors(self) -> tuple[str, ...]:
        """Every distinct author, in the order the articles first name them."""
        return tuple(dict.fromkeys(name for doc in self.articles for name in doc.author_names))


def shorten(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` characters at a word boundary, marking the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"
