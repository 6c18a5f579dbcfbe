"""Where the PDF's pages begin, as places in the article's text, so the EPUB can carry the print page numbers.

Both editions are made from one markup (templates/shared/article.html.j2). Its block elements (headings,
paragraphs, list items, captions: `BLOCK_TAGS`) are numbered in document order, the same in WeasyPrint's tree
and in the EPUB's XHTML. A page's start is then a block number and the count of non-space characters of that
block laid out on earlier pages, which survives whitespace collapsing, `text-transform` and hyphenation.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element

from lxml import etree

if TYPE_CHECKING:
    from weasyprint.document import Document as Layout

#: Elements whose text a page can start in: the blocks of the shared markup that hold text, and images.
BLOCK_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "dt", "dd", "figcaption", "pre", "td", "th",
                        "img"})
# Elements inside which a marker may not stand as a sibling of their children (only certain children allowed).
_NO_LOOSE_CHILDREN = frozenset({"ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr", "figure", "hgroup"})
# What hyphenation adds at a line's end: it is not in the source text.
_HYPHENS = frozenset("\u2010-\u00ad")

XHTML = "http://www.w3.org/1999/xhtml"
EPUB = "http://www.idpf.org/2007/ops"


@dataclass(frozen=True)
class PageStart:
    """Where a printed page begins: before the `offset`-th non-space character of block number `block`."""

    number: int
    block: int
    offset: int


PageMap = tuple[PageStart, ...]


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _body(root: Any) -> Any:
    return next(e for e in root.iter() if _local(e.tag) == "body")


def blocks(root: Any) -> list[Any]:
    """The numbered blocks under `<body>`, in document order (ElementTree and lxml trees alike)."""
    return [e for e in _body(root).iter() if _local(e.tag) in BLOCK_TAGS]


def _solid(text: str) -> str:
    return "".join(text.split())


def _text(element: Any) -> str:
    return "".join(element.itertext())


def _boxes(box: Any) -> Iterator[Any]:
    """Text and image boxes of a page in document order, without the page-margin boxes (running heads)."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.MarginBox):
        return
    if isinstance(box, boxes.TextBox | boxes.ReplacedBox) and "::" not in (box.element_tag or ""):
        yield box
    for child in getattr(box, "children", ()) or ():
        yield from _boxes(child)


def _consume(source: str, start: int, laid: str) -> int:
    """Advance through `source` (non-space characters) over the text of one laid-out box."""
    solid = _solid(laid)
    # Most boxes hold the source's characters as they are, some with a hyphen the line breaker added at the end:
    # compared at once, they give what the loop below would, without a step per character.
    if source.startswith(solid, start):
        return start + len(solid)
    if solid[-1:] in _HYPHENS and source.startswith(solid[:-1], start):
        return start + len(solid) - 1
    i = start
    for char in solid:
        if i < len(source) and char.casefold() == source[i].casefold():
            i += 1
        elif char in _HYPHENS:
            continue  # a hyphen the line breaker added
        elif i < len(source):
            i += 1  # a transform changed the character (ß as SS, …): keep in step
    return i


def _word_start(text: str, offset: int) -> int | None:
    """`offset` (non-space characters) moved forward to where a word starts; None when the block ends first."""
    seen = 0
    previous_space = True
    for char in text:
        if char.isspace():
            previous_space = True
            continue
        if seen >= offset and previous_space:
            return seen
        seen += 1
        previous_space = False
    return None


@dataclass(frozen=True)
class RawStart:
    """Where a laid-out page begins, before it is moved to a word's start: block number, non-space characters of
    that block on earlier pages, and the text of the page's first box ("" for an image)."""

    page: int
    block: int
    offset: int
    line: str


def raw_starts(pages: Layout) -> list[RawStart]:
    """Where each page of `pages` (numbered from 1) with something of the article on it begins."""
    root = pages.pages[0]._page_box.children[0].element
    parents: dict[Element, Element] = {child: parent for parent in root.iter() for child in parent}
    numbered = {id(e): n for n, e in enumerate(blocks(root))}
    texts = {n: _solid(_text(e)) for n, e in enumerate(blocks(root))}

    def block_of(element: Element | None) -> int | None:
        while element is not None:
            if id(element) in numbered:
                return numbered[id(element)]
            element = parents.get(element)
        return None

    consumed: dict[int, int] = {}
    starts: list[RawStart] = []
    for number, page in enumerate(pages.pages, start=1):
        first: RawStart | None = None
        for box in _boxes(page._page_box):
            block = block_of(box.element)
            if block is None:
                continue
            done = consumed.get(block, 0)
            if first is None:
                first = RawStart(number, block, done, getattr(box, "text", ""))
            if hasattr(box, "text"):
                consumed[block] = _consume(texts[block], done, box.text)
        if first is not None:  # a page with nothing from the article on it has no place in the text
            starts.append(first)
    return starts


def place(number: int, block: int, offset: int, text: str) -> PageStart:
    """Page `number`, starting `offset` non-space characters into block `block` whose whole text is `text`: a page
    that starts inside a (hyphenated) word is cited from the next word on."""
    if offset:
        moved = _word_start(text, offset)
        block, offset = (block, moved) if moved is not None else (block + 1, 0)
    return PageStart(number, block, offset)


def page_map(pages: Layout) -> PageMap:
    """Where each page of `pages` begins in the article's blocks."""
    root = pages.pages[0]._page_box.children[0].element
    full = [_text(e) for e in blocks(root)]
    return tuple(place(s.page, s.block, s.offset, full[s.block]) for s in raw_starts(pages))


def _text_slots(element: Any) -> Iterator[tuple[Any, str]]:
    """The places text sits in an lxml element, in reading order: (element, "text") and (child, "tail")."""
    yield element, "text"
    for child in element:
        if not isinstance(child.tag, str):
            continue
        yield from _text_slots(child)
        yield child, "tail"


def _marker(start: PageStart) -> Any:
    span = etree.Element(f"{{{XHTML}}}span", nsmap={None: XHTML, "epub": EPUB})
    span.set(f"{{{EPUB}}}type", "pagebreak")
    span.set("role", "doc-pagebreak")
    span.set("id", f"page-{start.number}")
    span.set("aria-label", str(start.number))
    return span


def insert_markers(root: Any, starts: PageMap) -> None:
    """Put a page-break marker into the XHTML tree `root` where each page of `starts` begins."""
    numbered = blocks(root)
    # Latest first: inserting a marker never moves the places still to come.
    for start in sorted(starts, key=lambda s: (s.block, s.offset), reverse=True):
        if start.block >= len(numbered):
            continue
        element = numbered[start.block]
        marker = _marker(start)
        if start.offset == 0:
            parent = element.getparent()
            if parent is not None and _local(parent.tag) not in _NO_LOOSE_CHILDREN and _local(element.tag) != "li":
                element.addprevious(marker)
            else:
                marker.tail = element.text
                element.text = None
                element.insert(0, marker)
            continue
        seen = 0
        for node, slot in _text_slots(element):
            text = getattr(node, slot) or ""
            for index, char in enumerate(text):
                if char.isspace():
                    continue
                if seen == start.offset:
                    marker.tail = text[index:]
                    setattr(node, slot, text[:index])
                    if slot == "text":
                        node.insert(0, marker)
                    else:
                        node.addnext(marker)
                    break
                seen += 1
            else:
                continue
            break
