"""The plain-text edition: UTF-8, wrapped at 72 columns, the article and nothing else."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from anyascii import anyascii

from pipeline.model import Document
from pipeline.render.html import context
from pipeline.render.templating import render


def render_text(doc: Document, *, ascii: bool = False) -> bytes:
    """The text edition as UTF-8 bytes, ending in one newline; with `ascii`, in ASCII only."""
    if ascii:
        doc = transliterate(doc)
    text = render("text/article.txt.j2", **context(doc, epub=False))
    if ascii:
        # What the template adds (dates in the reader's language, the attribution dash) is transliterated too.
        text = anyascii(text)
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return ("\n".join(lines) + "\n").encode("utf-8")


T = TypeVar("T")


def _ascii(value: Any) -> Any:
    if isinstance(value, str):
        return anyascii(value)
    if isinstance(value, tuple):
        return tuple(_ascii(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _ascii(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    return value


def transliterate(doc: T) -> T:
    """`doc` with every string in ASCII (`“` as `"`, `—` as `-`, `é` as `e`, `北京` as `BeiJing`), before the
    text is wrapped, so lines keep to the width however long a transliteration is."""
    result: T = _ascii(doc)
    return result
