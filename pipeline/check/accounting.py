"""Account for every line of a seed: each non-blank line is found in the document tree or listed as dropped."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.model import Diagnostic, Document

#: Keys of the tree's JSON whose values are not text taken from the seed.
_NOT_TEXT = frozenset({"source", "language", "date", "updated", "warnings", "dropped", "cover", "image", "type",
                       "ordered", "level", "photo", "description", "author_roles"})
_FOLD = str.maketrans({"‘": "'", "’": "'", "‚": "'", "′": "'", "“": '"', "”": '"', "„": '"', "″": '"',
                       "«": '"', "»": '"', "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-", "…": "...",
                       "\u00ad": None, "\u200b": None, "\u2060": None})
_SPACE = re.compile(r"\s+")
#: Spaces round quotes and before French punctuation come and go with typography: they are not compared.
_TIGHT = re.compile(r"\s*([\"';:!?])\s*")
#: A list item's or a note's marker, which the tree keeps apart from the item's text.
_MARKER = re.compile(r"^(?:[-*•·–—]|\d{1,3}[.)]|[a-z][.)]|[(\[]\d{1,3}[)\]]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|※\d{1,3})\s*")
#: A tree text shorter than this is not taken as proof that a line containing it was kept (an initial, `AP`).
_MIN_INSIDE = 3


@dataclass(frozen=True)
class Dropped:
    """A non-blank line of the seed whose text is nowhere in the tree, and what the parser said about it."""

    line: int
    text: str
    reasons: tuple[Diagnostic, ...]
    #: The line of an earlier dropped line, in the same run of dropped lines, that carries the reason.
    same_as: int | None = None
    #: The article's date was read from this line (it holds the date's year); only the rest of it was dropped.
    dated: bool = False

    def why(self) -> str:
        """The parser's reasons, or what can be said without one."""
        if self.reasons:
            return "; ".join(f"{d.code} {d.message}" for d in self.reasons)
        if self.same_as is not None:
            return f"dropped with line {self.same_as} (the same run of dropped lines)"
        if self.dated:
            return "the date was read from this line (no other part of it is in the tree)"
        return "not in the tree; the parser recorded no reason"


def fold(text: str) -> str:
    """Text compared without typography: quotes, dashes, spaces, case and compatibility forms folded."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD).replace("``", '"').replace("''", '"')
    text = _TIGHT.sub(r"\1", text.replace("--", "-"))
    return _SPACE.sub(" ", text).strip().casefold()


def tree_texts(tree: Any, key: str = "") -> Iterator[str]:
    """Every piece of text the tree holds, read from its JSON form whatever its shape."""
    if key in _NOT_TEXT:
        return
    if isinstance(tree, str):
        yield tree
    elif isinstance(tree, dict):
        for k, v in tree.items():
            yield from tree_texts(v, k)
    elif isinstance(tree, list | tuple):
        for v in tree:
            yield from tree_texts(v, key)


def dropped_lines(doc: Document, lines: Sequence[str]) -> list[Dropped]:
    """The seed's non-blank lines that are not in the tree, in order, each with the diagnostics at its line."""
    texts = [fold(t) for t in tree_texts(doc.as_dict()) if t.strip()]
    unused = Counter(texts)
    by_line: dict[int, list[Diagnostic]] = {}
    for d in doc.diagnostics:
        if d.line is not None:
            by_line.setdefault(d.line, []).append(d)
    # The parser's own account of each line it left out comes first.
    for drop in doc.dropped:
        by_line.setdefault(drop.line, []).insert(0, Diagnostic("I030", drop.reason, drop.line, "info"))
    # A line the parser says it left out is listed whatever the comparison of texts finds.
    said = {drop.line for drop in doc.dropped}
    years = {d.year for d in (doc.meta.date, doc.meta.updated) if d is not None}
    out: list[Dropped] = []
    run_start: int | None = None
    for number, raw in enumerate(lines, start=1):
        line = fold(raw)
        if not line:
            continue
        # A note's or an item's marker is kept apart from its text (and `¹` folds to a digit, so it goes first);
        # a quotation wrapped over lines has its marks outside the tree's text.
        bare = fold(_MARKER.sub("", raw.strip())).strip("\"'")
        if number not in said and _kept(line, bare, texts, unused):
            run_start = None
            continue
        reasons = tuple(by_line.get(number, ()))
        if reasons:
            run_start = number
        # The year may be written in the script's own digits (`२०२४`).
        ascii_digits = "".join(str(unicodedata.digit(ch)) if ch.isdecimal() else ch for ch in raw)
        dated = any(str(year) in ascii_digits for year in years)
        out.append(Dropped(number, raw.strip(), reasons, None if reasons else run_start, dated))
    return out


def _kept(line: str, bare: str, texts: list[str], unused: Counter[str]) -> bool:
    if unused[line] > 0:
        unused[line] -= 1
        return True
    if bare != line and unused[bare] > 0:
        unused[bare] -= 1
        return True
    pool = [t for t in texts if unused[t] > 0]
    if any(bare in t for t in pool if len(bare) <= len(t)):
        return True
    return any(t in line for t in pool if len(t) >= _MIN_INSIDE)
