"""A per-document memo of WeasyPrint's used lengths: of boxes (margins, padding, sizes), and of lines (struts)."""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from contextlib import AbstractContextManager
from operator import itemgetter
from typing import Any

from pipeline.render.patching import Patch

# WeasyPrint 70 calls `resolve_percentages` for every box each time it is laid out (a one-word paragraph: its
# block, line and text boxes, some 90,000 calls for 20,000 lines), and each call turns some twenty computed lengths
# into used ones, one Python call and attribute at a time. What it sets depends only on those computed values,
# the containing block's width and height and whether the box is a page (borders that collapse aside, which are
# left to WeasyPrint), and the values repeat from paragraph to paragraph. So, while `memo()` is active, the first
# box with given values is resolved by WeasyPrint itself and what it set is remembered; a later box with the same
# values gets the same attributes at once: the same numbers, and the same pages.

#: The computed values `resolve_percentages` (WeasyPrint 70) reads, lengths first.
_LENGTHS = ("margin_left", "margin_right", "margin_top", "margin_bottom", "padding_left", "padding_right",
            "padding_top", "padding_bottom", "width", "min_width", "max_width", "height", "min_height", "max_height")
_OTHERS = ("border_top_width", "border_right_width", "border_bottom_width", "border_left_width", "box_sizing")
#: The used values it sets on the box.
_SETS = (*_LENGTHS, "border_top_width", "border_right_width", "border_bottom_width", "border_left_width")

#: The modules of WeasyPrint 70 that call `resolve_percentages` by the name they imported.
_CALLERS = ("absolute", "block", "column", "float", "grid", "inline", "page", "table")

# The inline layout asks `strut(style)` for the line height and baseline of a style four times a line, and each
# time WeasyPrint makes its cache's key, a string of fourteen of the style's values. Its answer depends on those
# values and the fonts alone, and the layout changes no style's font or line height once made (it changes copies),
# so within `memo()` a style's first answer is kept for that style object (held by its entry, so its id is not
# reused meanwhile): the answer WeasyPrint's own cache would give.
_STRUT = object()  # marks the memo's keys by style, which never equal a key of used lengths

_active: contextvars.ContextVar[dict[tuple[Any, ...], Any] | None] = contextvars.ContextVar(
    "percentages_memo", default=None)


def installed() -> bool:
    """Whether the memo sits in this process's WeasyPrint (False when its `resolve_percentages` differs)."""
    return _PATCH.installed


def _install() -> bool:
    return _PATCH()


def _put_in() -> bool:
    import importlib
    import inspect

    import weasyprint
    from weasyprint.css.properties import Dimension
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import percent

    original: Callable[..., Any] = percent.resolve_percentages
    callers = [importlib.import_module(f"weasyprint.layout.{name}") for name in _CALLERS]
    inline = importlib.import_module("weasyprint.layout.inline")
    if not (weasyprint.__version__.split(".")[0] == "70"
            and tuple(inspect.signature(original).parameters) == ("box", "containing_block")
            and all(getattr(module, "resolve_percentages", None) is original for module in callers)
            and tuple(inspect.signature(inline.strut).parameters) == ("style",)):
        return False
    box_type, page_type, dimension = boxes.Box, boxes.PageBox, Dimension
    lengths_of, others_of = itemgetter(*_LENGTHS), itemgetter(*_OTHERS)

    def resolve_percentages(box: Any, containing_block: Any) -> None:
        cache = _active.get()
        if cache is None:
            original(box, containing_block)
            return
        style = box.style
        if isinstance(containing_block, box_type):
            width, height = containing_block.width, containing_block.height
        else:
            width, height = containing_block
        lengths = lengths_of(style)
        # With the numbers' types: 0 and 0.0 are equal keys, but a used length keeps its type. A length in `calc()`
        # (no `Dimension`) is resolved against more of the style, and collapsed borders by the table's layout.
        kinds = [type(value[0]) if value.__class__ is dimension else (value if value == "auto" else None)
                 for value in lengths]
        if None in kinds or style["border_collapse"] == "collapse":
            original(box, containing_block)
            return
        try:
            key = (lengths, *kinds, *others_of(style), width, type(width), height, type(height),
                   isinstance(box, page_type))
            found = cache.get(key)
        except TypeError:  # a value that cannot be hashed
            original(box, containing_block)
            return
        if found is None:
            original(box, containing_block)
            cache[key] = {name: getattr(box, name) for name in _SETS}
        else:
            box.__dict__.update(found)

    original_strut: Callable[..., Any] = inline.strut

    def strut(style: Any) -> Any:
        cache = _active.get()
        if cache is None:
            return original_strut(style)
        key = (_STRUT, id(style))
        found = cache.get(key)
        if found is not None and found[0] is style:
            return found[1]
        answer = original_strut(style)
        cache[key] = (style, answer)
        return answer

    percent.resolve_percentages = resolve_percentages
    for module in callers:
        module.resolve_percentages = resolve_percentages  # type: ignore[attr-defined]
    inline.strut = strut  # type: ignore[attr-defined]
    return True


_PATCH = Patch(_put_in)


def memo() -> AbstractContextManager[None]:
    """Remember used lengths while one document is laid out (in this thread), and forget them after."""
    return _PATCH.switched_on(_active, {})
