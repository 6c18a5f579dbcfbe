"""The plain-text edition: UTF-8, wrapped at 72 columns, the article and nothing else."""

from __future__ import annotations

from .model import Document
from .render_html import context
from .templating import render


def render_text(doc: Document) -> bytes:
    """The text edition as UTF-8 bytes, ending in one newline."""
    text = render("text/article.txt.j2", **context(doc, epub=False))
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return ("\n".join(lines) + "\n").encode("utf-8")
