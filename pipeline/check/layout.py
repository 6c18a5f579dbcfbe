"""Typography checked on the laid-out pages, not assumed from the CSS.

Walks WeasyPrint's boxes for each page and column and reports what a proof-reader would mark: a line or an
image wider than its column, a heading left alone at the foot of a page or column, a paragraph leaving a single
line alone at the top or foot of one, and a figure split from its caption.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from weasyprint.document import Document as Layout

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: Elements whose lines are running text: a single one of their lines must not stand alone on a page.
TEXT_BLOCKS = frozenset({"p", "li", "dd", "figcaption"})
#: Half a CSS pixel: rounding in the layout, not an overflow anyone could see.
TOLERANCE = 0.5


@dataclass(frozen=True)
class Place:
    """A page and a column on it (0 outside multi-column content)."""

    page: int
    column: int


def _label(element: Any) -> str:
    text = " ".join("".join(element.itertext()).split()) if element is not None else ""
    tag = element.tag if element is not None else "?"
    return f"<{tag}> “{text[:40]}…”" if len(text) > 40 else f"<{tag}> “{text}”"


def _walk(box: Any, place: Place, columns: dict[int, int]) -> Iterator[tuple[Any, Place, Any]]:
    """Every box of a page outside the margins, with its page and column, and its parent."""
    from weasyprint.formatting_structure import boxes

    for child in getattr(box, "children", ()) or ():
        if isinstance(child, boxes.MarginBox):
            continue
        here = place
        if getattr(child, "is_column", False):
            here = Place(place.page, columns.setdefault(id(child), len(columns) + 1))
        yield child, here, box
        yield from _walk(child, here, columns)


def _content_edges(block: Any) -> tuple[float, float]:
    left = block.content_box_x()
    return left, left + block.width


def check_layout(pages: Layout) -> list[str]:
    """What is wrong with the typography of `pages`; an empty list when nothing is."""
    from weasyprint.formatting_structure import boxes

    problems: list[str] = []
    lines: dict[Any, dict[Place, int]] = defaultdict(lambda: defaultdict(int))
    figures: dict[Any, set[Place]] = defaultdict(set)
    sequence: list[tuple[Any, Place]] = []  # text blocks and headings in reading order, one entry a fragment
    figure_of: dict[int, Any] = {}

    for number, page in enumerate(pages.pages, start=1):
        columns: dict[int, int] = {}
        block_of_line: dict[int, Any] = {}
        for box, place, parent in _walk(page._page_box, Place(number, 0), columns):
            element = box.element
            tag = box.element_tag or ""
            if isinstance(box, boxes.BlockBox) and tag == "figure":
                figure_of[id(element)] = element
            if isinstance(box, boxes.LineBox):
                block_of_line[id(box)] = parent
                if parent.element_tag in TEXT_BLOCKS | HEADINGS:
                    lines[parent.element][place] += 1
                    if not sequence or sequence[-1] != (parent.element, place):
                        sequence.append((parent.element, place))
            if isinstance(box, boxes.TextBox | boxes.ReplacedBox | boxes.InlineBlockBox):
                container = _container(box, parent, block_of_line)
                if container is None:
                    continue
                left, right = _content_edges(container)
                box_left, box_right = box.position_x, box.position_x + box.margin_width()
                if box_right > right + TOLERANCE or box_left < left - TOLERANCE:
                    what = "an image" if isinstance(box, boxes.ReplacedBox) else "a line"
                    problems.append(f"page {number}: {what} of {_label(_block_element(container))} runs "
                                    f"{max(box_right - right, left - box_left):.1f}px past its column")
            if element is not None and tag in ("img", "figcaption"):
                figures[_figure(element, figure_of, pages)].add(place)

    for element, places in lines.items():
        if len(places) > 1 and element.tag in HEADINGS:
            problems.append(f"{_label(element)} is split across pages or columns")
        elif len(places) > 1:
            for place, count in places.items():
                if count < 2:
                    problems.append(f"page {place.page}: {_label(element)} leaves a single line alone there")
    for index, (element, place) in enumerate(sequence[:-1]):
        following = sequence[index + 1][1]
        # A heading above the columns (column 0: full width) is followed by the columns' start on the same page.
        spans_page = place.column == 0 and following.page == place.page
        if element.tag in HEADINGS and following != place and not spans_page:
            problems.append(f"page {place.page}: {_label(element)} stands alone at the foot of the page or column")
    for figure, spread in figures.items():
        if figure is not None and len(spread) > 1:
            problems.append(f"{_label(figure)} is split from its caption across pages or columns")
    return problems


def _container(box: Any, parent: Any, block_of_line: dict[int, Any]) -> Any:
    """The block whose content box holds `box`: the block around its line."""
    from weasyprint.formatting_structure import boxes

    if isinstance(parent, boxes.LineBox):
        return block_of_line.get(id(parent))
    if isinstance(parent, boxes.BlockContainerBox):
        return parent
    return None  # inside an inline box: its line's block is checked through the line's own text boxes


def _block_element(block: Any) -> Any:
    return block.element


def _figure(element: Any, figures: dict[int, Any], pages: Layout) -> Any:
    """The `<figure>` an image or caption belongs to (None outside figures)."""
    root = pages.pages[0]._page_box.children[0].element
    for figure in figures.values():
        if any(child is element for child in figure.iter()):
            return figure
    for candidate in root.iter():
        if getattr(candidate, "tag", "") == "figure" and any(child is element for child in candidate.iter()):
            figures[id(candidate)] = candidate
            return candidate
    return None
