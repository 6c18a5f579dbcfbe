"""A per-document memo of WeasyPrint's line breaking, so that laying the same text out again costs nothing.

WeasyPrint lays the two-column body of each page out several times: once to see what fits at full height,
again for each step of balancing the last page, and once more for real. Each time it breaks the same
paragraphs into the same lines at the same width, and line breaking (Pango shaping and hyphenation) is most of
the layout's time. `split_first_line` is a pure function of its arguments (the text, its computed style, the
document's fonts, the width and the justification), and the Pango layout it returns is inactive until drawn, so
a repeated call may return the first call's result: the pages, and the PDF's bytes, are the same.

WeasyPrint gives the second column of a page a width a few ten-millionths of a pixel off the width it gave it
when it tried the page at full height (292.4314964 and 292.4314968 px: the column's position is added and taken
away again), so half the lines missed the memo. Such widths are interchangeable (`interchangeable`): Pango is
given the width in whole 1/1024 px, and every comparison `split_first_line` makes with it is against a line's
width, a whole number of 1/1024 px; so a line broken at one width is the line broken at the other.

The memo is active only inside `memo()`, for one document in one thread (a context variable): any other use of
WeasyPrint in the process, such as the bench's measure of WeasyPrint alone, breaks lines as usual.
"""

from __future__ import annotations

import contextvars
import inspect
import math
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from pipeline.render.patching import Patch

#: The arguments of `weasyprint.text.line_break.split_first_line` the memo was written for: with any other
#: signature (another WeasyPrint version) the memo stays out of the way.
_SIGNATURE = ("text", "style", "context", "max_width", "justification_spacing", "is_line_start", "minimum")

_active: contextvars.ContextVar[dict[tuple[Any, ...], tuple[Any, ...]] | None] = contextvars.ContextVar(
    "line_memo", default=None)
#: Whether widths a hair apart may share an entry: `interchangeable` was worked out from this WeasyPrint's
#: `split_first_line` (major version 70), and another version keeps to exact widths.
_near: bool = False
_NEAR = object()  # marks the keys by width step, which never equal a key by exact width


def installed() -> bool:
    """Whether the memo sits in this process's WeasyPrint (False when this WeasyPrint's line breaker differs)."""
    return _PATCH.installed


def _install() -> bool:
    """Put the memo between WeasyPrint's inline layout and its line breaker, once per process."""
    return _PATCH()


def _put_in() -> bool:
    global _near
    import weasyprint
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    original: Callable[..., Any] = line_break.split_first_line
    if tuple(inspect.signature(original).parameters) != _SIGNATURE or inline.split_first_line is not original:
        return False
    _near = weasyprint.__version__.split(".")[0] == "70"

    def split_first_line(text: str, style: Any, context: Any, max_width: float | None,
                         justification_spacing: float, is_line_start: bool = True, minimum: bool = False) -> Any:
        cache = _active.get()
        if cache is None:
            return original(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        # The style goes in by identity and is kept in the entry, so its id cannot be reused while the entry lives.
        key = (text, id(style), max_width, justification_spacing, is_line_start, minimum)
        hit = cache.get(key)
        if hit is not None and hit[0] is style:
            return hit[1]
        near = None
        if _near and isinstance(max_width, float) and 0 < max_width < math.inf:
            near = (_NEAR, text, id(style), math.floor(max_width * 1024), justification_spacing, is_line_start,
                    minimum)
            close = cache.get(near)
            if close is not None and close[0] is style and interchangeable(style, close[2], max_width):
                cache[key] = (style, close[1])
                return close[1]
        result = original(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        cache[key] = (style, result)
        if near is not None:
            cache[near] = (style, result, max_width)
        return result

    inline.split_first_line = split_first_line
    return True


_PATCH = Patch(_put_in)


def interchangeable(style: Any, a: float, b: float) -> bool:
    """Whether `split_first_line` (WeasyPrint 70) breaks a text in `style` alike at widths `a` and `b` (in px).

    Pango is given `int(width * 1024)`; the function compares the width with line widths, whole numbers of
    1/1024 px when there is no letter spacing to add, which are on the same side of both when both lie strictly
    inside one 1/1024 px step (the hyphenation zone being 0, the comparisons are with the width itself); and it
    cuts a draft of `int(width / font_size * 4)` characters, and tests `font_size * 4 > width`.
    """
    scaled_a, scaled_b = a * 1024, b * 1024
    if math.floor(scaled_a) != math.floor(scaled_b) or scaled_a.is_integer() or scaled_b.is_integer():
        return False
    size, spacing, zone = style["font_size"], style["letter_spacing"], style["hyphenate_limit_zone"]
    return (bool(size) and int(a / size * 4) == int(b / size * 4) and (size * 4 > a) == (size * 4 > b)
            and (spacing == "normal" or spacing == 0)
            and getattr(zone, "value", None) == 0 and getattr(zone, "unit", None) in ("px", "%"))


def memo() -> AbstractContextManager[None]:
    """Remember line breaks while one document is laid out (in this thread), and forget them after."""
    return _PATCH.switched_on(_active, {})
