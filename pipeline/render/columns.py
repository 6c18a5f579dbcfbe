"""WeasyPrint's multi-column layout without its trial run of each page's columns where `column-fill: auto` decides."""

from __future__ import annotations

import contextvars
import inspect
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from pipeline.render.patching import Patch

# WeasyPrint 70's `columns_layout` lays each page's columns out twice: a trial at the full height of the page, to
# learn the height to balance to or the room that footnotes called in the columns take, then the columns for real
# at that height. With `column-fill: auto` (print.css; the last page is balanced after layout, balance.py), no
# footnote left to place, no `column-span` and no set height, the trial can only end at the full height: it
# changes nothing but the time (half of the body's layout, every line of the text laid out twice). So while
# `skipped()` is active, such a box's trial is answered at once with "nothing fits", which WeasyPrint takes for
# "lay the columns out at the full height", and only the real run lays them out. The print style sheets set no
# `float` in the body, whose shapes a trial would otherwise leave behind for the real run.

#: The parameters of `weasyprint.layout.column.columns_layout` and `weasyprint.layout.block.block_box_layout`
#: this was written for (WeasyPrint 70): with others it stays out of the way.
_COLUMNS = ("context", "box", "bottom_space", "skip_stack", "containing_block", "page_is_empty", "absolute_boxes",
            "fixed_boxes", "adjoining_margins", "first_letter_style", "first_line_style")
_BLOCK = ("context", "box", "bottom_space", "skip_stack", "containing_block", "page_is_empty", "absolute_boxes",
          "fixed_boxes", "adjoining_margins", "first_letter_style", "first_line_style", "discard", "max_lines")

_active: contextvars.ContextVar[bool] = contextvars.ContextVar("columns_skipped", default=False)
#: Whether the columns box being laid out needs no trial (set by `columns_layout` for the boxes it lays out).
_trialless: contextvars.ContextVar[bool] = contextvars.ContextVar("columns_trialless", default=False)


def installed() -> bool:
    """Whether the skip sits in this process's WeasyPrint (False when its column layout differs)."""
    return _PATCH.installed


def _install() -> bool:
    return _PATCH()


def _put_in() -> bool:
    import weasyprint
    from weasyprint.layout import block, column

    original_columns: Callable[..., Any] = column.columns_layout
    original_block: Callable[..., Any] = block.block_box_layout
    if not (weasyprint.__version__.split(".")[0] == "70"
            and tuple(inspect.signature(original_columns).parameters) == _COLUMNS
            and tuple(inspect.signature(original_block).parameters) == _BLOCK
            and block.columns_layout is original_columns):
        return False

    def columns_layout(context: Any, box: Any, *args: Any) -> Any:
        if not _active.get():
            return original_columns(context, box, *args)
        style = box.style
        trialless = (style["column_fill"] == "auto" and style["height"] == "auto" and not context.footnotes
                     and all(child.style["column_span"] != "all" for child in box.children))
        token = _trialless.set(trialless)
        try:
            return original_columns(context, box, *args)
        finally:
            _trialless.reset(token)

    def block_box_layout(context: Any, box: Any, bottom_space: Any, skip_stack: Any, containing_block: Any,
                         page_is_empty: Any, absolute_boxes: Any, fixed_boxes: Any, adjoining_margins: Any,
                         *args: Any, **kwargs: Any) -> Any:
        # The trial lays a column out with a list of adjoining margins, the real run with None.
        if box.is_column and adjoining_margins is not None and _trialless.get():
            return None, None, {"break": "any", "page": None}, [], False, None
        return original_block(context, box, bottom_space, skip_stack, containing_block, page_is_empty,
                              absolute_boxes, fixed_boxes, adjoining_margins, *args, **kwargs)

    block.columns_layout = columns_layout
    block.block_box_layout = block_box_layout
    return True


_PATCH = Patch(_put_in)


def skipped() -> AbstractContextManager[None]:
    """Skip the pointless column trials of the layouts made in this thread until the block ends."""
    return _PATCH.switched_on(_active, True)
