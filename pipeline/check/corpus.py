"""Score the parser on a labelled corpus: per-field accuracy and every miss, expected against found."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.model import Document, Figure, Heading, ListBlock, Notes, PullQuote, Quote
from pipeline.options import BuildOptions
from pipeline.read.source import check_bytes

#: The fields the labelling guide defines, in its order; each counts once per article.
FIELDS = ("title", "subtitle", "authors", "date", "language", "photos", "headings", "paragraph_count",
          "first_paragraph_starts", "last_paragraph_ends")

# Typography the parser sets (curly quotes, dashes, no-break spaces) is not a parsing error: texts are compared as
# their letters and digits only.
_NOT_WORD = re.compile(r"[\W_]+")


def _norm(text: str | None) -> str:
    if text is None:
        return ""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


def _block_text(block: Any) -> str:
    """A counted block's text as the guide reads it: its lines joined with single spaces."""
    if isinstance(block, ListBlock):
        # A numbered list's lines carry their numbers, as a reader sees them (`1) …`, `2) …`); bullets are no text.
        if block.ordered:
            return " ".join(f"{k}. {item}" for k, item in enumerate(block.items, start=1))
        return " ".join(block.items)
    if isinstance(block, Quote):
        return f"{block.text} {block.attribution or ''}".strip()
    if isinstance(block, Notes):
        return " ".join(f"{n.label} {n.text}" for n in block.items)
    return str(block.text)


def counted_blocks(doc: Document) -> list[Any]:
    """The body blocks the guide counts as paragraphs: not headings, captions or pull quotes."""
    return [b for b in doc.blocks if not isinstance(b, Heading | Figure | PullQuote)]


def found_fields(doc: Document) -> dict[str, Any]:
    """The parse of one article in the labels' shape."""
    counted = counted_blocks(doc)
    return {
        "title": doc.meta.title,
        "subtitle": doc.meta.subtitle,
        "authors": [a.name for a in doc.meta.authors] or None,
        "date": doc.meta.date.isoformat() if doc.meta.date else None,
        "language": doc.meta.language.split("-")[0].lower(),
        "photos": [{"caption": p.caption, "credit": p.credit} for p in doc.photos] or None,
        "headings": [b.text for b in doc.blocks if isinstance(b, Heading)] or None,
        "paragraph_count": len(counted),
        "first_paragraph_starts": _block_text(counted[0]) if counted else None,
        "last_paragraph_ends": _block_text(counted[-1]) if counted else None,
    }


def _same_text(expected: Any, found: Any) -> bool:
    return _norm(expected) == _norm(found)


def _same_list(expected: Any, found: Any) -> bool:
    expected, found = expected or [], found or []
    return len(expected) == len(found) and all(_norm(e) == _norm(f) for e, f in zip(expected, found, strict=True))


def _same_photos(expected: Any, found: Any) -> bool:
    expected, found = expected or [], found or []
    return len(expected) == len(found) and all(
        _norm(e.get("caption")) == _norm(f.get("caption")) and _norm(e.get("credit")) == _norm(f.get("credit"))
        for e, f in zip(expected, found, strict=True))


def _starts(expected: Any, found: Any) -> bool:
    e, f = _norm(expected), _norm(found)
    return bool(e) and f.startswith(e) if expected else found is None


def _ends(expected: Any, found: Any) -> bool:
    e, f = _norm(expected), _norm(found)
    return bool(e) and f.endswith(e) if expected else found is None


COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "title": _same_text, "subtitle": _same_text, "authors": _same_list,
    "date": lambda e, f: e == f, "language": lambda e, f: (e or "").split("-")[0].lower() == f,
    "photos": _same_photos, "headings": _same_list, "paragraph_count": lambda e, f: e == f,
    "first_paragraph_starts": _starts, "last_paragraph_ends": _ends,
}


@dataclass
class ArticleScore:
    """One labelled article: the fields it got right, its misses, and leftovers that reached the text edition."""

    name: str
    right: int
    misses: list[tuple[str, Any, Any]] = field(default_factory=list)
    leaked: list[str] = field(default_factory=list)
    error: str | None = None


#: A line is hard-wrapped by `score --wrap` when it is at least this long and has more spaces than this.
WRAP_MIN_CHARS = 100
WRAP_MIN_SPACES = 10


def hard_wrapped(text: str, width: int) -> str:
    """`text` as an e-mail or a PDF copy would give it: every long line of spaced words broken at `width`
    columns, blank lines kept. A stress test of the parser's unwrapping: the labels do not change (a block's
    text is its lines joined with single spaces), so the score should not either."""
    import textwrap

    out: list[str] = []
    for line in text.splitlines():
        if len(line) >= WRAP_MIN_CHARS and line.count(" ") > WRAP_MIN_SPACES:
            out.extend(textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False))
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def score_article(seed: Path, labels: dict[str, Any], *, wrap: int = 0) -> ArticleScore:
    """Parse one dump as a build would (hard-wrapped at `wrap` columns first, if given) and compare it with its
    labels."""
    from pipeline.errors import PipelineError
    from pipeline.parse.parser import parse
    from pipeline.render.text import render_text

    options = BuildOptions(formats=("txt",))
    data = seed.read_bytes()
    try:
        # As a build reads a seed without a sidecar: decoded with its checks, then parsed.
        source = check_bytes(data, str(seed), max_bytes=options.max_bytes)
        text = hard_wrapped(source.text, wrap) if wrap else source.text
        doc = parse(text, source=seed.name, notes=source.diagnostics)
    except PipelineError as exc:
        return ArticleScore(seed.name, 0, [(f, labels.get(f), None) for f in FIELDS], error=str(exc))
    found = found_fields(doc)
    score = ArticleScore(seed.name, 0)
    for name in FIELDS:
        if COMPARE[name](labels.get(name), found[name]):
            score.right += 1
        else:
            score.misses.append((name, labels.get(name), found[name]))
    edition = render_text(doc).decode("utf-8").casefold()
    score.leaked = [s for s in labels.get("must_not_contain") or [] if s.casefold() in edition]
    return score


def score_folder(folder: Path, *, wrap: int = 0) -> list[ArticleScore]:
    """Every `NAME.txt` with a `NAME.json` of labels in `folder`, scored, in name order (see `score_article`)."""
    scores = []
    for labels_path in sorted(folder.glob("*.json")):
        seed = labels_path.with_suffix(".txt")
        if seed.is_file():
            scores.append(score_article(seed, json.loads(labels_path.read_text("utf-8")), wrap=wrap))
    return scores


def report(scores: list[ArticleScore], *, misses: bool = True) -> str:
    """Per-field accuracy, leaks and (optionally) every miss, as plain text."""
    lines: list[str] = []
    if misses:
        for s in scores:
            for name, expected, found in s.misses:
                lines.append(f"{s.name}: {name}: expected {json.dumps(expected, ensure_ascii=False)}, "
                             f"found {json.dumps(found, ensure_ascii=False)}")
            for leak in s.leaked:
                lines.append(f"{s.name}: must_not_contain: {leak!r} is in the text edition")
            if s.error:
                lines.append(f"{s.name}: error: {s.error}")
        lines.append("")
    n = len(scores)
    for name in FIELDS:
        right = sum(1 for s in scores if all(m[0] != name for m in s.misses))
        lines.append(f"{name:24} {right:4}/{n}  {100 * right / max(n, 1):5.1f}%")
    total = sum(s.right for s in scores)
    leaks = sum(1 for s in scores if s.leaked)
    lines.append(f"{'all fields':24} {total:4}/{n * len(FIELDS)}  {100 * total / max(n * len(FIELDS), 1):5.1f}%")
    lines.append(f"{'articles with leftovers':24} {leaks:4}/{n}")
    return "\n".join(lines)
