"""The columns of a multi-column box balanced on the page where its text ends, by moving laid-out lines and blocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from weasyprint.document import Document as Layout

# Why not let WeasyPrint balance (`column-fill: balance`)? It balances by trial: it lays the page's columns out
# at the mean height, then again and again a little taller until the text fits, which more than doubled the
# layout time of a two-page article. The print style sheet asks for `column-fill: auto` instead (each column
# filled to the foot of the page in turn, laid out once for trial and once for good), and this module evens out
# the last page afterwards. The columns have one width, and WeasyPrint breaks lines greedily from where a line
# starts, so a line moved to the top of the next column is the very line WeasyPrint would set there: moving
# boxes gives the pages WeasyPrint's own balancing would, at no further cost of layout. Two things differ on
# purpose: a margin at the top of a later column is truncated (WeasyPrint does so at the top of a page, not of a
# column on the first page), and `orphans` and `widows` hold on every page (WeasyPrint's last layout of balanced
# columns drops them on pages after the first, which takes them for empty).

#: `break-*` values that forbid a break there (in multi-column text, a column break is a break).
_AVOID = frozenset({"avoid", "avoid-column"})
#: Layout rounding: nobody sees a tenth of a CSS pixel.
_EPSILON = 0.1


@dataclass
class _Leaf:
    """What moves as one: a line of text, or a block that may not be broken (a figure, a heading, a list item)."""

    box: Any
    #: The boxes around it, from a child of its column down to its parent, and their identities (`_key`).
    chain: tuple[Any, ...]
    keys: tuple[tuple[int, str], ...]
    column: int
    top: float
    bottom: float
    line: bool


@dataclass
class _Node:
    """A box of a new column, rebuilt around the leaves placed in it (one or more laid-out fragments of it)."""

    key: tuple[int, str]
    first: Any  # the fragment its first leaf came from, and that leaf's shift
    first_shift: tuple[float, float]
    first_leaf: int
    last: Any = None
    last_shift: tuple[float, float] = (0.0, 0.0)
    last_leaf: int = 0
    children: list[Any] = field(default_factory=list)


def _key(box: Any) -> tuple[int, str]:
    """What the fragments of one box share, in every column and page: its element and tag (pseudo-elements too)."""
    return (id(box.element) if box.element is not None else id(box), str(box.element_tag))


def _length(value: Any, refer_to: float) -> float | None:
    """A computed margin in CSS pixels (None for what this module does not resolve, such as `calc()`)."""
    if value == "auto":
        return 0.0
    unit = getattr(value, "unit", None)
    if unit == "px":
        return float(value.value)
    if unit == "%":
        return refer_to * float(value.value) / 100
    return None


def _splittable(box: Any) -> bool:
    """Whether a block's children may go to different columns: a plain block that draws nothing of its own."""
    from weasyprint.formatting_structure import boxes

    style = box.style
    return (type(box) is boxes.BlockBox and bool(box.children) and style["break_inside"] not in _AVOID
            and "list-item" not in style["display"] and style["position"] == "static"
            and style["overflow"] == "visible" and style["column_count"] == "auto" and style["column_width"] == "auto"
            and not any((box.padding_top, box.padding_bottom, box.border_top_width, box.border_bottom_width,
                         box.border_left_width, box.border_right_width))
            and getattr(box, "background", None) is None)


def _flatten(column: Any, index: int, out: list[_Leaf]) -> bool:
    """Append the leaves of `column` to `out`; False if it holds something that cannot be moved (a float)."""
    from weasyprint.formatting_structure import boxes

    def walk(box: Any, chain: tuple[Any, ...], keys: tuple[tuple[int, str], ...]) -> bool:
        for child in box.children:
            if not isinstance(child, boxes.Box) or not child.is_in_normal_flow():
                return False
            if isinstance(child, boxes.LineBox):
                out.append(_Leaf(child, chain, keys, index, child.position_y, child.position_y + child.height, True))
            elif _splittable(child):
                if not walk(child, (*chain, child), (*keys, _key(child))):
                    return False
            elif isinstance(child, boxes.BlockLevelBox):
                top = child.border_box_y()
                out.append(_Leaf(child, chain, keys, index, top, top + child.border_height(), False))
            else:
                return False
        return True

    return walk(column, (), ())


def _common(a: _Leaf, b: _Leaf) -> int:
    depth = 0
    while depth < len(a.keys) and depth < len(b.keys) and a.keys[depth] == b.keys[depth]:
        depth += 1
    return depth


def _same_block(a: _Leaf, b: _Leaf) -> bool:
    """Whether two leaves are lines of one block of text."""
    return a.line and b.line and a.keys == b.keys


def _breaks(leaves: list[_Leaf]) -> list[bool]:
    """Whether the columns may break between each leaf and the next, as WeasyPrint would allow it: not inside a
    block that avoids breaks, not after a heading, no fewer lines of a paragraph than `orphans` before a break and
    `widows` after it."""
    count = len(leaves)
    before = [1] * count  # lines of the same block up to each leaf, and from it on
    for i in range(1, count):
        if _same_block(leaves[i - 1], leaves[i]):
            before[i] = before[i - 1] + 1
    after = [1] * count
    for i in range(count - 2, -1, -1):
        if _same_block(leaves[i], leaves[i + 1]):
            after[i] = after[i + 1] + 1
    allowed: list[bool] = []
    for i in range(count - 1):
        a, b = leaves[i], leaves[i + 1]
        depth = _common(a, b)
        if any(box.style["break_inside"] in _AVOID for box in a.chain[:depth]):
            allowed.append(False)
        elif _same_block(a, b):
            style = a.chain[-1].style if a.chain else a.box.style
            allowed.append(before[i] >= style["orphans"] and after[i + 1] >= style["widows"])
        else:
            ending = (*a.chain[depth:], *(() if a.line else (a.box,)))
            starting = (*b.chain[depth:], *(() if b.line else (b.box,)))
            allowed.append(not any(box.style["break_after"] in _AVOID for box in ending)
                           and not any(box.style["break_before"] in _AVOID for box in starting))
    return allowed


def _gap(a: _Leaf, b: _Leaf, width: float) -> float | None:
    """The space between two leaves laid out one under the other: their margins, collapsed (None: unknown)."""
    if _same_block(a, b):
        return 0.0
    depth = _common(a, b)
    margins = [_length(box.style["margin_bottom"], width) for box in (*a.chain[depth:], *(() if a.line else (a.box,)))]
    margins += [_length(box.style["margin_top"], width) for box in (*b.chain[depth:], *(() if b.line else (b.box,)))]
    known = [margin for margin in margins if margin is not None]
    if len(known) < len(margins):
        return None
    return max([0.0, *known]) + min([0.0, *known])


@dataclass(frozen=True)
class _Plan:
    """The leaves of one multi-column fragment in reading order, and where they would stand in one long column."""

    leaves: list[_Leaf]
    allowed: list[bool]
    #: Top and bottom of each leaf in one long column: as laid out in the first column, and the leaves of later
    #: columns following on from it.
    tops: list[float]
    bottoms: list[float]
    top: float

    def fill(self, height: float, count: int) -> tuple[list[int], float | None]:
        """WeasyPrint filling `count` columns of `height` with the leaves, breaking only where allowed: where each
        column starts (leaf indexes), and None if every leaf found a place, else the height the columns lack, as
        WeasyPrint reckons it (see `_trials`)."""
        starts: list[int] = []
        lack: float | None = None
        start, last = 0, len(self.leaves) - 1
        while len(starts) < count:
            top = self.top if start == 0 else self.tops[start]  # margins at the top of a column are truncated
            end = None
            for i in range(start, last + 1):
                if self.bottoms[i] - top > height + _EPSILON:
                    break
                if i == last or self.allowed[i]:
                    end = i
            if end is None:
                break  # nothing fits: WeasyPrint gives up on this column
            starts.append(start)
            if end == last:
                return starts, None
            following = end + 1
            # A column that ends inside a top-level block counts as full (WeasyPrint stretches a broken block to
            # the column's foot), and the next leaf is what WeasyPrint measures must fit.
            broken = self.leaves[end].keys[:1] == self.leaves[following].keys[:1]
            room = 0.0 if broken else height - (self.bottoms[end] - top)
            wanted = self.bottoms[following] - self.tops[following] - room
            if wanted > 1:
                lack = wanted if lack is None else min(lack, wanted)
            start = following
        return starts, 1.0 if lack is None else lack

    def heights(self, starts: list[int]) -> list[float]:
        """The height of each column from the given starts."""
        ends = [*starts[1:], len(self.leaves)]
        return [self.bottoms[end - 1] - (self.top if start == 0 else self.tops[start])
                for start, end in zip(starts, ends, strict=True)]


def _plan(columns: list[Any]) -> _Plan | None:
    leaves: list[_Leaf] = []
    for index, column in enumerate(columns):
        if not _flatten(column, index, leaves):
            return None
    if not leaves or leaves[0].column != 0:
        return None
    width = columns[0].width
    shift = [0.0] * len(columns)
    for i in range(1, len(leaves)):
        a, b = leaves[i - 1], leaves[i]
        if b.column != a.column:
            gap = _gap(a, b, width)
            if gap is None:
                return None
            shift[b.column] = a.bottom + shift[a.column] + gap - b.top
    return _Plan(leaves, _breaks(leaves), [leaf.top + shift[leaf.column] for leaf in leaves],
                 [leaf.bottom + shift[leaf.column] for leaf in leaves], columns[0].content_box_y())


#: WeasyPrint's trials mostly end within a dozen (a pixel a trial at worst): more, and the page is left to it.
_TRIALS = 1000


def _consumed(column: Any) -> float:
    """How much of a laid-out column WeasyPrint counts as used: down to the border edge of its last block."""
    blocks = [child for child in column.children if child.is_in_normal_flow()]
    if not blocks:
        return 0.0
    last = blocks[-1]
    return float(last.position_y + last.margin_height() - last.margin_bottom - column.content_box_y())


def _room(page: Any, top: float) -> float:
    """The height the columns may take on the page from `top`: down to the page's footnotes, or its foot."""
    from weasyprint.formatting_structure import boxes

    bottom = page.content_box_y() + page.height
    for child in page.children:
        if isinstance(child, boxes.FootnoteAreaBox) and child.children:
            bottom -= child.margin_height()
    return float(bottom - top)


def _trials(plan: _Plan, count: int, columns: list[Any], room: float) -> list[int] | None:
    """The column starts WeasyPrint's own balancing (`column-fill: balance`) comes to, its trials replayed on the
    plan instead of laid out: from the mean height of the columns as first laid out, each trial taller by what
    the columns lacked, until every leaf fits in `count` columns, or the trials reach the whole `room` (then the
    columns stay as laid out, filled in order). None when the trials do not end."""
    height = sum(_consumed(column) for column in columns) / count
    for _ in range(_TRIALS):
        if height > room + _EPSILON:
            return [i for i, leaf in enumerate(plan.leaves) if i == 0 or plan.leaves[i - 1].column != leaf.column]
        starts, lack = plan.fill(height, count)
        if lack is None:
            return starts
        height += lack
    return None


def _finish(node: _Node, spans: dict[int, tuple[int, int]]) -> Any:
    """The box of a rebuilt node: a copy of its first fragment around its new children, its top and foot those of
    the fragments it begins and ends with when it holds their first or last leaf, else cut where its leaves are."""
    from weasyprint.formatting_structure import boxes

    children = [_finish(child, spans) if isinstance(child, _Node) else child for child in node.children]
    box = node.first.copy()
    box.children = children
    dx, dy = node.first_shift
    box.position_x = node.first.position_x + dx
    if spans[id(node.first)][0] == node.first_leaf:
        box.position_y = node.first.position_y + dy
    else:
        box.margin_top = box.padding_top = box.border_top_width = 0
        box.position_y = children[0].position_y
    if spans[id(node.last)][1] == node.last_leaf:
        box.margin_bottom = node.last.margin_bottom
        bottom = node.last.content_box_y() + node.last.height + node.last_shift[1]
    else:
        box.margin_bottom = box.padding_bottom = box.border_bottom_width = 0
        last = children[-1]
        bottom = (last.position_y + last.height if isinstance(last, boxes.LineBox)
                  else last.border_box_y() + last.border_height())
    box.height = max(0.0, bottom - box.content_box_y())
    return box


def _rebuild(plan: _Plan, columns: list[Any], starts: list[int], pitch: float, height: float) -> list[Any]:
    """New column boxes of `height` holding the leaves from each start on, moved there, with copies of the boxes
    around them."""
    spans: dict[int, tuple[int, int]] = {}  # each laid-out fragment's first and last leaf
    for index, leaf in enumerate(plan.leaves):
        for box in leaf.chain:
            first, _last = spans.get(id(box), (index, index))
            spans[id(box)] = (first, index)
    new_columns = []
    ends = [*starts[1:], len(plan.leaves)]
    for number, (start, end) in enumerate(zip(starts, ends, strict=True)):
        top = plan.top if number == 0 else plan.tops[start]
        x = columns[0].position_x + number * pitch
        roots: list[Any] = []
        stack: list[_Node] = []
        for index in range(start, end):
            leaf = plan.leaves[index]
            shift = (x - columns[leaf.column].position_x, plan.top + plan.tops[index] - top - leaf.top)
            depth = 0
            while depth < len(stack) and depth < len(leaf.keys) and stack[depth].key == leaf.keys[depth]:
                depth += 1
            del stack[depth:]
            for level in range(depth, len(leaf.keys)):
                node = _Node(leaf.keys[level], leaf.chain[level], shift, index)
                (stack[-1].children if stack else roots).append(node)
                stack.append(node)
            for level, node in enumerate(stack):
                node.last, node.last_shift, node.last_leaf = leaf.chain[level], shift, index
            moved = leaf.box.deepcopy()
            moved.translate(*shift)
            (stack[-1].children if stack else roots).append(moved)
        column = columns[0].copy()
        column.children = [_finish(root, spans) if isinstance(root, _Node) else root for root in roots]
        column.position_x = x
        column.height = height
        new_columns.append(column)
    return new_columns


def _pitch(box: Any, columns: list[Any]) -> float:
    """How far one column stands from the next (negative right to left), as WeasyPrint places them."""
    if len(columns) > 1:
        return float(columns[1].position_x - columns[0].position_x)
    gap_value = box.style["column_gap"]
    gap = box.style["font_size"] if gap_value == "normal" else (_length(gap_value, box.width) or 0.0)
    step = float(columns[0].width + gap)
    return -step if box.style["direction"] == "rtl" else step


def _balance_box(box: Any, ancestors: list[Any]) -> bool:
    """Balance the columns of `box`, the last fragment of a multi-column box; False when it cannot be done here."""
    columns = [child for child in box.children if getattr(child, "is_column", False)]
    count = box.style["column_count"]
    if len(columns) != len(box.children) or not isinstance(count, int) or box.style["column_width"] != "auto":
        return False  # a spanning element, or a count from the width: not what the print style sheet makes
    if count < 2:
        return True
    # What follows the columns on the page would have to move up with their foot: there is nothing in our pages.
    # (The page box's own children besides the root are its margin boxes and footnote area: they stay.)
    for parent, child in pairwise([*ancestors[1:], box]):
        siblings = parent.children[parent.children.index(child) + 1:]
        if any(sibling.is_in_normal_flow() for sibling in siblings):
            return False
    plan = _plan(columns)
    if plan is None:
        return False
    laid = [i for i in range(len(plan.leaves)) if i == 0 or plan.leaves[i - 1].column != plan.leaves[i].column]
    starts = _trials(plan, count, columns, _room(ancestors[0], plan.top))
    if starts is None:
        return False
    # Even where the columns break as laid out, a margin WeasyPrint kept at the top of a later column goes.
    if starts == laid and all(plan.leaves[start].top <= columns[plan.leaves[start].column].content_box_y() + _EPSILON
                              for start in starts[1:]):
        return True
    # The columns, the box and the boxes around it get shorter by what the highest column lost (WeasyPrint gives
    # every column the height of the highest); the page box keeps its size.
    shrink = max(plan.heights(laid)) - max(plan.heights(starts))
    box.children = _rebuild(plan, columns, starts, _pitch(box, columns), columns[0].height - shrink)
    for outer in (*ancestors[1:], box):
        if isinstance(outer.height, int | float):
            outer.height -= shrink
    return True


def _multicolumn(page_box: Any) -> list[tuple[Any, list[Any]]]:
    """The multi-column boxes of a page, each with the boxes around it from the page box down."""
    from weasyprint.formatting_structure import boxes

    found: list[tuple[Any, list[Any]]] = []
    pending: list[tuple[Any, list[Any]]] = [(page_box, [])]
    while pending:
        box, ancestors = pending.pop()
        children = getattr(box, "children", None) or ()
        if any(getattr(child, "is_column", False) for child in children):
            found.append((box, ancestors))
            continue
        for child in children:
            if isinstance(child, boxes.BlockContainerBox) and not isinstance(child, boxes.MarginBox):
                pending.append((child, [*ancestors, box]))
    return found


def balance(layout: Layout) -> bool:
    """Balance the columns of every multi-column box on the page where it ends, in place.

    Returns False when one of them holds what cannot be moved this way (a float, a spanning element, a
    percentage margin in `calc()`, a break that these rules would not make): its columns are then left as
    WeasyPrint laid them out, and the caller lays the document out again with WeasyPrint's own balancing.
    """
    from weasyprint.document import Page

    done = True
    seen: set[int] = set()
    for number in range(len(layout.pages) - 1, -1, -1):
        page_box = layout.pages[number]._page_box
        changed = False
        for box, ancestors in _multicolumn(page_box):
            key = id(box.element)
            if key in seen:
                continue
            seen.add(key)
            before = box.children
            if not _balance_box(box, ancestors):
                done = False
            changed = changed or box.children is not before
        if changed:
            # A page gathers its links, anchors and bookmarks from the boxes when it is made: make it again.
            layout.pages[number] = Page(page_box)
    return done
