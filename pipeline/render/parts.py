"""Long texts in parts: where the print HTML may be cut, each part's HTML, and the parts' PDFs joined into one.

WeasyPrint keeps every laid-out page of a document in memory until it is written, so a text of hundreds of pages
is laid out in parts of about `PART_COST` each (pipeline/render/pdf.py drives the loop). A part is laid out with
some text beyond its end; its pages up to the last one that starts where a new part can start are kept, and the
next part starts there. A page can start a part when it begins with a body paragraph (at its first character,
or, for a paragraph of plain text, at the first character of one of its lines) and carries no footnote: laid
out alone from that place, on a page of the same side, with the same page number and running heads, the text
breaks into the same lines and pages as it does in one piece (WeasyPrint breaks lines greedily, from the
place a line starts). `tests/test_long.py` lays the same text out in one piece and in parts and compares them.

Each part is written as a PDF of its own; `join` makes them one: the pages in order, one structure tree (WeasyPrint
tags page by page, so the trees simply follow one another), one parent tree numbered as one document's, one
outline, one table of named destinations.
"""

from __future__ import annotations

import html
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from pipeline.model import Document
from pipeline.render.pagemap import blocks

#: What a block costs to lay out besides its characters: a one-word paragraph takes about as long as 60
#: characters of running text (both come to some 7,000 a page of two-column A4).
BLOCK_COST = 60
#: The work of one part, in characters and blocks as above: about 20 pages of two-column A4. A part's layout
#: holds some 100 MiB at this size; smaller parts relay more pages (the last page of each is laid out again).
PART_COST = 150_000
#: Texts up to this cost are laid out in one piece, as they always were: their PDFs are the same bytes.
LONG_COST = 2 * PART_COST

# A page of its own before the text of a later part, so that its first page of text is not the document's first
# (`@page :first` has no running heads) and falls on the side the one-piece layout gives it.
_SPACER = '<div style="height: 2000mm"></div>'
# Stands in for the siblings before a container's first unit in a later part, so `:first-child` matches as before.
_PLACEHOLDER = '<span hidden=""></span>'


def cost(doc: Document) -> int:
    """The layout work of `doc`, in the units of `PART_COST`."""
    return sum(len(block.text) + BLOCK_COST for block in doc.blocks)


def is_long(doc: Document) -> bool:
    """Whether `doc` is laid out and written in parts."""
    return cost(doc) > LONG_COST


def _solid_length(text: str) -> int:
    return sum(1 for char in text if not char.isspace())


@dataclass(frozen=True)
class Unit:
    """A child of one of the body's containers (a section or the opening): the places a part may start."""

    container: int
    first_child: bool
    element: Any
    #: Number (in `blocks` order) of the unit's first block, or of the next block when it has none.
    block: int
    cost: int
    footnotes: int


@dataclass(frozen=True)
class Start:
    """Where a part starts: unit `unit`, `offset` non-space characters into its text (a paragraph's line)."""

    unit: int
    offset: int = 0


@dataclass
class Plan:
    """The print HTML of a long text taken apart into what each part's HTML is made of."""

    head: str
    html_tag: str
    body_tag: str
    article: Any
    before_body: str
    body_tag_inner: str
    containers: list[Any]
    units: list[Unit]
    rtl: bool
    #: Every block's whole text, by number, to place page starts in words (see `pagemap.finish`).
    texts: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, source: str) -> Plan:
        root = etree.fromstring(source.encode("utf-8"))  # the print HTML is well-formed XML by design
        head, body = root.find("head"), root.find("body")
        article = body.find("article")
        inner = article.find("div[@class='body']")
        numbered = blocks(root)  # held, so that lxml keeps these proxies and their ids while `numbers` is in use
        numbers = {id(e): n for n, e in enumerate(numbered)}
        units: list[Unit] = []
        next_block = 0
        for index, container in enumerate(inner):
            for position, element in enumerate(e for e in container if isinstance(e.tag, str)):
                own = [numbers[id(e)] for e in element.iter() if id(e) in numbers]
                next_block = own[0] if own else next_block
                solid = _solid_length("".join(element.itertext()))
                units.append(Unit(index, position == 0, element, next_block, solid + BLOCK_COST * max(1, len(own)),
                                  len(element.xpath(".//span[@class='footnote']"))))
                next_block += len(own)
        before = "".join(_serialise(child) for child in article if child is not inner)
        return cls(_serialise(head), _open(root), _open(body), article, before, _open(inner), list(inner), units,
                   root.get("dir") == "rtl", ["".join(e.itertext()) for e in numbered])

    def ends(self, start: Start, budget: int) -> int:
        """The unit after the last one a part from `start` takes for `budget` of work (all, when little is left)."""
        total, end = 0, start.unit
        while end < len(self.units) and total < budget:
            total += self.units[end].cost
            end += 1
        rest = sum(unit.cost for unit in self.units[end:])
        return len(self.units) if rest < budget // 2 else end

    def footnotes_before(self, unit: int) -> int:
        return sum(u.footnotes for u in self.units[:unit])

    def can_start(self, unit: int, offset: int, line: str) -> bool:
        """Whether a part may start at `offset` into unit `unit`, where a page of the layout starts with `line`.

        Only body paragraphs qualify (no top margin to keep or drop at a page's top), inside a paragraph only
        one of plain text, and only where its remaining text starts as the page's first line does.
        """
        element = self.units[unit].element
        if element.tag != "p":
            return False
        if offset == 0:
            return True
        if len(element) or element.text is None:
            return False
        rest = _from(element.text, offset)
        first = "".join(line.split()).rstrip("\u2010-\u00ad")
        return bool(first) and "".join(rest.split()).startswith(first)

    def part_html(self, start: Start, end: int, *, spacers: int) -> str:
        """The HTML of the part from `start` to unit `end`, after `spacers` empty pages (none for the first part)."""
        return "".join(self._part(start, end, spacers))

    def _part(self, start: Start, end: int, spacers: int) -> Iterator[str]:
        yield f"<!DOCTYPE html>\n{self.html_tag}\n{self.head}\n{self.body_tag}\n"
        yield _SPACER * spacers
        first = start.unit == 0 and start.offset == 0
        yield _open(self.article, keep_id=first)
        if first:
            yield self.before_body
        yield self.body_tag_inner
        container = -1
        for index in range(start.unit, end):
            unit = self.units[index]
            if unit.container != container:
                if container >= 0:
                    yield f"</{self.containers[container].tag}>"
                container = unit.container
                whole = (index == start.unit and start.offset == 0 and unit.first_child) or index > start.unit
                yield _open(self.containers[container], keep_id=whole)
                if index == start.unit and not unit.first_child:
                    yield _PLACEHOLDER
            if index == start.unit and start.offset:
                yield _remainder(unit.element, start.offset)
            else:
                yield _serialise(unit.element)
        if container >= 0:
            yield f"</{self.containers[container].tag}>"
        yield "</div></article></body></html>"


def _serialise(element: Any) -> str:
    text: str = etree.tostring(element, method="html", encoding="unicode", with_tail=False)
    return text


def _open(element: Any, *, keep_id: bool = True) -> str:
    """The start tag of `element`; a part that continues an element leaves its id (an anchor) to the first part."""
    attributes = "".join(f' {name}="{html.escape(value)}"' for name, value in element.attrib.items()
                         if keep_id or name != "id")
    return f"<{element.tag}{attributes}>"


def _from(text: str, offset: int) -> str:
    """`text` from its `offset`-th non-space character on."""
    seen = 0
    for index, char in enumerate(text):
        if char.isspace():
            continue
        if seen == offset:
            return text[index:]
        seen += 1
    return ""


def _remainder(element: Any, offset: int) -> str:
    """A paragraph of plain text from `offset` on, as the lines after its first are set: without an indent."""
    attributes = "".join(f' {name}="{html.escape(value)}"' for name, value in element.attrib.items())
    return f'<p{attributes} style="text-indent: 0">{html.escape(_from(element.text, offset), quote=False)}</p>'


def css_string(value: str) -> str:
    """`value` as a CSS string."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\' or ord(c) < 0x20 or c == "\x7f" else c for c in value)
    return f'"{escaped}"'


def part_css(*, first_page: int, strings: Sequence[tuple[str, str]], footnotes: int) -> str:
    """What a later part carries over from the parts before it: the page counter (counted from its first page,
    a spacer), the running heads' strings and the footnote counter."""
    rules = [f"@page :first {{ counter-set: page {first_page}; }}"]
    declarations = [f"counter-set: footnote {footnotes}"]
    if strings:
        declarations.append("string-set: " + ", ".join(f"{name} {css_string(value)}" for name, value in strings))
    rules.append(f"html {{ {'; '.join(declarations)}; }}")
    return "\n".join(rules)


# --- joining the parts' PDFs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bookmark:
    """An outline entry: its title, the (0-based) page of the joined PDF and the point it shows, and its children."""

    title: str
    page: int
    x: float
    y: float
    children: tuple[Bookmark, ...]
    closed: bool


def join(parts: Sequence[bytes], outline: Sequence[Bookmark]) -> bytes:
    """One PDF from the parts' PDFs, in order: the first part's catalog and metadata, every part's pages, their
    structure trees under one Document element, one parent tree, one outline and one set of named destinations."""
    import pikepdf

    pdfs = [pikepdf.open(io.BytesIO(data)) for data in parts]
    try:
        base = pdfs[0]
        tree = base.Root.StructTreeRoot
        document = tree.K[0]
        page_parents: list[Any] = []
        links: list[tuple[Any, Any]] = []  # (annotation, the structure element its parent-tree entry names)
        destinations: list[tuple[str, Any]] = []
        for pdf in pdfs:
            first = len(page_parents)
            if pdf is base:
                pages = list(base.pages)
            else:
                base.pages.extend(pdf.pages)
                pages = list(base.pages)[first:]
            nums = pdf.Root.StructTreeRoot.ParentTree.Nums
            entries = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
            if pdf is not base:
                kids = pdf.Root.StructTreeRoot.K[0].K
                for kid in kids:
                    del kid.P  # else copying would bring the part's whole tree along, its root and parent tree too
                copied = base.copy_foreign(pdf.make_indirect(kids))
                for kid in copied:
                    kid.P = document
                    document.K.append(kid)
                entries = {key: base.copy_foreign(pdf.make_indirect(value)) for key, value in entries.items()}
            page_parents.extend(entries[n] for n in range(len(pages)))
            for page in pages:
                for annotation in page.obj.get("/Annots") or []:
                    if "/StructParent" in annotation:
                        links.append((annotation, entries[int(annotation.StructParent)]))
            names: Any = pdf.Root.get("/Names")
            dests: Any = names.get("/Dests") if names is not None else None
            for i in range(0, len(dests.Names) if dests is not None else 0, 2):
                target = dests.Names[i + 1]
                if pdf is not base:
                    target = base.copy_foreign(pdf.make_indirect(target))
                destinations.append((str(dests.Names[i]), target))
        # Numbered as WeasyPrint numbers one document: pages first, then the links in page order.
        entries_in_order: list[Any] = []
        for number, parents in enumerate(page_parents):
            entries_in_order.extend([number, parents])
        for number, (annotation, element) in enumerate(links, start=len(page_parents)):
            annotation.StructParent = number
            entries_in_order.extend([number, element])
        tree.ParentTree = base.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(entries_in_order)))
        if destinations:
            flat = pikepdf.Array()
            for name, target in sorted(destinations, key=lambda pair: pair[0]):
                flat.extend([pikepdf.String(name), target])
            base.Root.Names.Dests = pikepdf.Dictionary(Names=flat)
        if "/Outlines" in base.Root:
            del base.Root.Outlines
        _add_outline(base, outline)
        out = io.BytesIO()
        base.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()
    finally:
        for pdf in pdfs:
            pdf.close()


def _add_outline(pdf: Any, outline: Sequence[Bookmark]) -> None:
    """The outline as WeasyPrint writes it (weasyprint.pdf.anchors.add_outlines), for the joined pages."""
    import pikepdf

    pages = list(pdf.pages)

    def add(items: Sequence[Bookmark], parent: Any) -> tuple[list[Any], int]:
        count = len(items)
        made: list[Any] = []
        for item in items:
            entry = pdf.make_indirect(pikepdf.Dictionary(
                Title=pikepdf.String(item.title),
                Dest=pikepdf.Array([pages[item.page].obj, pikepdf.Name.XYZ, item.x, item.y, 0])))
            children, children_count = add(item.children, entry)
            entry.Count = -children_count if item.closed else children_count
            if not item.closed:
                count += children_count
            if made:
                entry.Prev = made[-1]
                made[-1].Next = entry
            if children:
                entry.First, entry.Last = children[0], children[-1]
            if parent is not None:
                entry.Parent = parent
            made.append(entry)
        return made, count

    items, count = add(outline, None)
    if items:
        root = pdf.make_indirect(pikepdf.Dictionary(Count=count, First=items[0], Last=items[-1]))
        for item in items:
            item.Parent = root
        pdf.Root.Outlines = root
