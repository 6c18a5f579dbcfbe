"""Long texts in parts: where the print HTML may be cut, each part's HTML, and the parts' PDFs joined into one.

WeasyPrint keeps every laid-out page of a document in memory until it is written, so a text of hundreds of pages
is laid out in parts of about `PART_COST` each (pipeline/render/pdf.py drives the loop). A part is laid out with
some text beyond its end; its pages up to the last one that starts where a new part can start are kept, and the
next part starts there. A page can start a part when it begins with a body paragraph (at its first character,
or, for a paragraph of plain text, at the first character of one of its lines) and carries no footnote: laid
out alone from that place, on a page of the same side, with the same page number and running heads, the text
breaks into the same lines and pages as it does in one piece (WeasyPrint breaks lines greedily, from the
place a line starts). `tests/test_long.py` lays the same text out in one piece and in parts and compares them.

Each part is written as a PDF of its own and handed at once to a `Joiner`, which copies its objects into the one
document and lets the part go: the pages in order, one structure tree (WeasyPrint tags page by page, so the trees
simply follow one another), one parent tree numbered as one document's, one outline, one table of named
destinations. So neither the layout nor the join ever holds more than one part, and the work grows in step with
the text.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import types
import zlib
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar, cast

from lxml import etree

from pipeline.model import Document
from pipeline.render import streams
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


T = TypeVar("T")

#: Local variables of the frame `roomy` runs its work from. CPython 3.11 and 3.12 keep frames on a per-thread
#: stack of 16 KiB chunks and free a chunk the moment its last frame returns (gh-142183, fixed in 3.13 and 3.14):
#: WeasyPrint's layout and drawing recurse up and down across such a boundary over and over, and each crossing
#: maps a fresh chunk and faults its pages in (20,000 one-word lines: 1.1 million page faults, 7 s of system
#: time). A frame of this many slots is given a chunk of its own of 512 KiB, and the frames of every call made
#: from it, some 1,000 deep, fit in the rest of that chunk.
ROOM = 33_000


def roomy(work: Callable[[], T]) -> T:
    """`work()`, called from a frame whose stack chunk has room for the deep recursion of a layout (see `ROOM`)."""
    return cast(T, _runner()(work))


@lru_cache(maxsize=1)
def _runner() -> Callable[[Callable[[], Any]], Any]:
    def run(work: Callable[[], Any]) -> Any:
        return work()

    code = run.__code__
    code = code.replace(co_varnames=code.co_varnames + tuple(f"_{n}" for n in range(ROOM)),
                        co_nlocals=code.co_nlocals + ROOM)
    return types.FunctionType(code, {})


def cost(doc: Document) -> int:
    """The layout work of `doc`, in the units of `PART_COST`."""
    return sum(len(block.text) + BLOCK_COST for block in doc.blocks)


def is_long(doc: Document) -> bool:
    """Whether `doc` is laid out and written in parts."""
    return cost(doc) > LONG_COST


def _solid_length(text: str) -> int:
    # `str.split()` cuts at the very characters `str.isspace` names, in C rather than one Python step a character.
    return len("".join(text.split()))


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


class Joiner:
    """Joins the parts' PDFs into one as they are made, holding one part at a time.

    Each part comes as a PDF of its own, best written uncompressed: its streams are compressed here, once. Its
    objects are renumbered and written out at once, the non-stream ones packed into compressed object streams.
    Only what the document's own objects need is kept until `finish`: the pages' numbers, the structure elements
    under each part's Document element, the parent tree's entries, the named destinations, and the links, whose
    parent-tree keys follow every page's. The first part gives the catalog's other entries, the document
    information and the metadata. The file identifier is a digest of the file, so the same parts give the same
    bytes.
    """

    # The objects the document has once, whatever its parts, numbered first.
    CATALOG, PAGES, TREE, DOCUMENT, PARENT_TREE = 1, 2, 3, 4, 5

    def __init__(self) -> None:
        self.out = io.BytesIO()
        self.next = 6
        self.xref: dict[int, tuple[int, int, int]] = {}  # number: (1, offset, 0) or (2, object stream, index)
        self.packed: list[tuple[int, bytes]] = []  # non-stream objects waiting for their object stream
        self.first = True
        self.catalog: dict[str, bytes] = {}
        self.tree: dict[str, bytes] = {}
        self.document: dict[str, bytes] = {}
        self.info: bytes | None = None
        self.pages: list[int] = []
        self.kids: list[bytes] = []
        self.parents: list[bytes] = []  # the parent tree's value for each page, in order
        self.link_order: dict[int, int] = {}  # a link annotation's number: its place among the links
        self.links: dict[int, tuple[bytes, bytes]] = {}  # number: (its dictionary, the element its key names)
        self.destinations: list[tuple[str, bytes]] = []

    def add(self, data: bytes) -> None:
        """Append the pages of one part's PDF, with their structure, links and named destinations."""
        import pikepdf

        with pikepdf.open(io.BytesIO(data)) as pdf:
            _Part(self, pdf).copy()

    def finish(self, outline: Sequence[Bookmark]) -> bytes:
        """The joined PDF, with `outline` as its bookmarks."""
        for number in sorted(self.links, key=self.link_order.__getitem__):
            body, element = self.links[number]
            self.write(number, body[:-2] + b"/StructParent %d >>" % len(self.parents))
            self.parents.append(element)
        self.write(self.DOCUMENT, _dictionary(self.document, P=_ref(self.TREE), K=_array(self.kids)))
        nums = [b"%d %s" % (key, value) for key, value in enumerate(self.parents)]
        self.write(self.PARENT_TREE, _dictionary({}, Nums=_array(nums)))
        self.write(self.TREE, _dictionary(self.tree, Type=b"/StructTreeRoot", K=_array([_ref(self.DOCUMENT)]),
                                          ParentTree=_ref(self.PARENT_TREE)))
        self.write(self.PAGES, _dictionary({}, Type=b"/Pages", Count=b"%d" % len(self.pages),
                                           Kids=_array([_ref(page) for page in self.pages])))
        catalog = dict(self.catalog, Type=b"/Catalog", Pages=_ref(self.PAGES), StructTreeRoot=_ref(self.TREE))
        if outline:
            catalog["Outlines"] = _ref(self._outline(outline))
        if self.destinations:
            self.destinations.sort(key=lambda pair: pair[0])
            names = [b"%s %s" % (_string(name), target) for name, target in self.destinations]
            catalog["Names"] = _dictionary({}, Dests=_dictionary({}, Names=_array(names)))
        self.write(self.CATALOG, _dictionary(catalog))
        self._flush()
        return self._trailer()

    # --- writing ---

    def number(self) -> int:
        """A new object number."""
        self.next += 1
        return self.next - 1

    def write(self, number: int, body: bytes) -> None:
        """Object `number`, not a stream, into an object stream."""
        self.packed.append((number, body))
        if len(self.packed) >= _PER_OBJECT_STREAM:
            self._flush()

    def stream(self, number: int, dictionary: bytes, data: bytes) -> None:
        """Stream object `number`, its `dictionary` giving the `data`'s length and filter."""
        self.xref[number] = (1, self.out.tell(), 0)
        self.out.write(b"%d 0 obj\n%s\nstream\n" % (number, dictionary))
        self.out.write(data)
        self.out.write(b"\nendstream\nendobj\n")

    def _flush(self) -> None:
        """Write the objects waiting as one compressed object stream."""
        if not self.packed:
            return
        number = self.number()
        header, offset = [], 0
        for index, (member, body) in enumerate(self.packed):
            header.append(b"%d %d" % (member, offset))
            offset += len(body) + 1
            self.xref[member] = (2, number, index)
        head = b" ".join(header) + b"\n"
        data = zlib.compress(head + b"".join(body + b"\n" for _member, body in self.packed), _LEVEL)
        self.stream(number, b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>"
                    % (len(self.packed), len(head), len(data)), data)
        self.packed = []

    def _trailer(self) -> bytes:
        """The cross-reference stream (the trailer too) and the end of the file."""
        number = self.number()
        offset = self.out.tell()
        self.xref[number] = (1, offset, 0)
        identifier = hashlib.md5(self.out.getbuffer(), usedforsecurity=False).hexdigest().encode()
        width = (max(offset, self.next).bit_length() + 7) // 8
        rows = [(0, 0, 65535)] + [self.xref[n] for n in range(1, self.next)]
        table = b"".join(bytes([kind]) + first.to_bytes(width, "big") + second.to_bytes(2, "big")
                         for kind, first, second in rows)
        data = zlib.compress(table, _LEVEL)
        info = b" /Info %s" % self.info if self.info is not None else b""
        self.stream(number, b"<< /Type /XRef /Size %d /W [ 1 %d 2 ] /Root %s%s /ID [ <%s> <%s> ] /Filter /FlateDecode "
                    b"/Length %d >>" % (self.next, width, _ref(self.CATALOG), info, identifier, identifier,
                                        len(data)), data)
        self.out.write(b"startxref\n%d\n%%%%EOF\n" % offset)
        return self.out.getvalue()

    def _outline(self, outline: Sequence[Bookmark]) -> int:
        """The outline as WeasyPrint writes it (weasyprint.pdf.anchors.add_outlines), for the joined pages."""
        root = self.number()
        count, first, last = self._entries(outline, root)
        self.write(root, _dictionary({}, Count=b"%d" % count, First=_ref(first), Last=_ref(last)))
        return root

    def _entries(self, items: Sequence[Bookmark], parent: int) -> tuple[int, int, int]:
        """Write `items`, the children of `parent`: how many open entries they make, the first and the last."""
        numbers = [self.number() for _item in items]
        count = len(items)
        for index, (item, number) in enumerate(zip(items, numbers, strict=True)):
            entry = {"Title": _string(item.title), "Parent": _ref(parent),
                     "Dest": b"[ %s /XYZ %s %s 0 ]" % (_ref(self.pages[item.page]), _real(item.x), _real(item.y))}
            if index:
                entry["Prev"] = _ref(numbers[index - 1])
            if index + 1 < len(items):
                entry["Next"] = _ref(numbers[index + 1])
            children = 0
            if item.children:
                children, first, last = self._entries(item.children, number)
                entry["First"], entry["Last"] = _ref(first), _ref(last)
            entry["Count"] = b"%d" % (-children if item.closed else children)
            if not item.closed:
                count += children
            self.write(number, _dictionary(entry))
        return count, numbers[0], numbers[-1]


#: Objects packed into one object stream; zlib's level for every stream (pydyf's 9 takes four times as long
#: for 3% less), the one our one-piece editions are written at.
_PER_OBJECT_STREAM = 200
_LEVEL = streams.LEVEL

# A token of an unparsed object that may hold a reference's look: a literal string (qpdf escapes every
# parenthesis in one), a hexadecimal string, or an indirect reference, the one token renumbered.
_TOKEN = re.compile(rb"\((?:[^\\()]|\\.)*\)|<[0-9A-Fa-f]*>|(?<![\d.+-])(\d+) (\d+) R\b", re.S)


class _Part:
    """One part's PDF being copied into a `Joiner`."""

    def __init__(self, joiner: Joiner, pdf: Any) -> None:
        self.joiner = joiner
        self.pdf = pdf
        self.tree = pdf.Root.StructTreeRoot
        self.document = self.tree.K[0]
        # The part's own page tree, structure tree root and Document element are the whole document's.
        self.numbers: dict[tuple[int, int], int] = {pdf.Root.Pages.objgen: Joiner.PAGES,
                                                    self.tree.objgen: Joiner.TREE,
                                                    self.document.objgen: Joiner.DOCUMENT}
        self.pending: deque[tuple[int, int]] = deque()
        self.links: dict[tuple[int, int], bytes] = {}  # link annotation: the structure element its key names

    def copy(self) -> None:
        import pikepdf

        joiner, pdf = self.joiner, self.pdf
        if joiner.first:  # what the document has once
            joiner.first = False
            joiner.out.write(b"%%PDF-%s\n%%\xe2\xe3\xcf\xd3\n" % str(pdf.pdf_version).encode())
            joiner.catalog = self._entries(pdf.Root, {"/Type", "/Pages", "/StructTreeRoot", "/Outlines", "/Names"})
            joiner.tree = self._entries(self.tree, {"/Type", "/K", "/ParentTree"})
            joiner.document = self._entries(self.document, {"/K", "/P"})
            if "/Info" in pdf.trailer:
                joiner.info = self._rewrite(pdf.trailer.Info.unparse())
        nums = self.tree.ParentTree.Nums
        entries = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for index, page in enumerate(pdf.pages):
            page.obj.StructParents = len(joiner.pages)  # its entry's key in the document's parent tree
            joiner.pages.append(self._reference(page.obj.objgen))
            joiner.parents.append(self._rewrite(entries[index].unparse(resolved=True)))
            for annotation in page.obj.get("/Annots") or ():
                if "/StructParent" in annotation:
                    if not annotation.is_indirect:
                        raise ValueError("a tagged annotation written as a direct object")
                    joiner.link_order[self._reference(annotation.objgen)] = len(joiner.link_order)
                    self.links[annotation.objgen] = self._rewrite(entries[int(annotation.StructParent)].unparse())
                    del annotation.StructParent  # numbered after every page's, in `finish`
        kids = self.document.K
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            joiner.kids.append(self._rewrite(kid.unparse()))
        names: Any = pdf.Root.get("/Names")
        dests: Any = names.get("/Dests") if names is not None else None
        for i in range(0, len(dests.Names) if dests is not None else 0, 2):
            target = self._rewrite(dests.Names[i + 1].unparse(resolved=True))
            joiner.destinations.append((str(dests.Names[i]), target))
        self._drain()

    def _entries(self, dictionary: Any, skip: set[str]) -> dict[str, bytes]:
        return {key[1:]: self._rewrite(value.unparse()) for key, value in dictionary.items() if key not in skip}

    def _reference(self, objgen: tuple[int, int]) -> int:
        number = self.numbers.get(objgen)
        if number is None:
            number = self.numbers[objgen] = self.joiner.number()
            self.pending.append(objgen)
        return number

    def _rewrite(self, text: bytes) -> bytes:
        """`text`, an unparsed object, with its references renumbered as the joined file's."""
        def renumber(match: re.Match[bytes]) -> bytes:
            if match.group(1) is None:
                return match.group(0)
            return _ref(self._reference((int(match.group(1)), int(match.group(2)))))

        return _TOKEN.sub(renumber, text)

    def _drain(self) -> None:
        """Write every object the part's pages, structure and destinations reach, in the order first reached."""
        import pikepdf

        joiner = self.joiner
        # One pass over the file's objects: qpdf finds them by number far more slowly (4,000 objects: 0.04 s
        # against 0.16 s).
        objects = {obj.objgen: obj for obj in self.pdf.objects}
        while self.pending:
            objgen = self.pending.popleft()
            number = self.numbers[objgen]
            obj = objects[objgen]
            if isinstance(obj, pikepdf.Stream):
                dictionary = pikepdf.Dictionary({k: v for k, v in obj.stream_dict.items() if k != "/Length"})
                data = obj.read_raw_bytes()
                if "/Filter" not in dictionary and dictionary.get("/Type") != pikepdf.Name.Metadata:
                    data = zlib.compress(data, _LEVEL)  # (XMP metadata stays legible, as PDF/A asks)
                    dictionary.Filter = pikepdf.Name.FlateDecode
                dictionary.Length = len(data)
                joiner.stream(number, self._rewrite(dictionary.unparse(resolved=True)), data)
            elif objgen in self.links:
                joiner.links[number] = (self._rewrite(obj.unparse(resolved=True)), self.links[objgen])
            else:
                joiner.write(number, self._rewrite(obj.unparse(resolved=True)))


def _ref(number: int) -> bytes:
    return b"%d 0 R" % number


def _array(items: Sequence[bytes]) -> bytes:
    return b"[ " + b" ".join(items) + b" ]"


def _dictionary(entries: dict[str, bytes], **more: bytes) -> bytes:
    merged = dict(entries, **more)
    return b"<< " + b" ".join(b"/%s %s" % (key.encode(), merged[key]) for key in sorted(merged)) + b" >>"


def _string(text: str) -> bytes:
    """`text` as a PDF string: in PDFDocEncoding where it can be, else in UTF-16 (qpdf's choice)."""
    import pikepdf

    unparsed: bytes = pikepdf.String(text).unparse()
    return unparsed


def _real(value: float) -> bytes:
    """`value` as pydyf writes a number."""
    return str(int(value)).encode() if float(value).is_integer() else f"{value:f}".rstrip("0").encode()
