"""A per-document memo of WeasyPrint's line breaking, so that laying the same text out again costs nothing.

WeasyPrint lays the two-column body of each page out several times: once to see what fits at full height,
again for each step of balancing the last page, and once more for real. Each time it breaks the same
paragraphs into the same lines at the same width, and line breaking (Pango shaping and hyphenation) is most of
the layout's time. `split_first_line` is a pure function of its arguments (the text, its computed style, the
document's fonts, the width and the justification), and the Pango layout it returns is inactive until drawn, so
a repeated call may return the first call's result: the pages, and the PDF's bytes, are the same.

The memo is active only inside `memo()`, for one document in one thread (a context variable): any other use of
WeasyPrint in the process, such as the bench's measure of WeasyPrint alone, breaks lines as usual.
"""

from __future__ import annotations

import contextvars
import inspect
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

#: The arguments of `weasyprint.text.line_break.split_first_line` the memo was written for: with any other
#: signature (another WeasyPrint version) the memo stays out of the way.
_SIGNATURE = ("text", "style", "context", "max_width", "justification_spacing", "is_line_start", "minimum")

_active: contextvars.ContextVar[dict[tuple[Any, ...], tuple[Any, Any]] | None] = contextvars.ContextVar(
    "line_memo", default=None)
_installed: bool | None = None
_installing = threading.Lock()  # a Dask worker lays articles out in several threads


def installed() -> bool:
    """Whether the memo sits in this process's WeasyPrint (False when this WeasyPrint's line breaker differs)."""
    return bool(_installed)


def _install() -> bool:
    """Put the memo between WeasyPrint's inline layout and its line breaker, once per process."""
    with _installing:
        return _installed if _installed is not None else _put_in()


def _put_in() -> bool:
    global _installed
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    original: Callable[..., Any] = line_break.split_first_line
    _installed = (tuple(inspect.signature(original).parameters) == _SIGNATURE
                  and inline.split_first_line is original)
    if not _installed:
        return False

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
        result = original(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        cache[key] = (style, result)
        return result

    inline.split_first_line = split_first_line
    return True


@contextmanager
def memo() -> Iterator[None]:
    """Remember line breaks while one document is laid out (in this thread), and forget them after."""
    if not _install():
        yield
        return
    token = _active.set({})
    try:
        yield
    finally:
        _active.reset(token)
