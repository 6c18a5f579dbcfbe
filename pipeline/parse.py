"""Turn a seed's text into a `Document` through ordered tables of header and block rules; never raises on content."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .dates import read_date_line
from .model import (
    Block,
    Byline,
    Diagnostic,
    Document,
    Figure,
    Heading,
    ListBlock,
    Metadata,
    Paragraph,
    Photo,
)
from .rules import (
    BOILERPLATE_LINES,
    BYLINE_RULES,
    CREDIT_RULES,
    EDGE_SPACE,
    HEADING_MAX_CHARS,
    HEADING_MAX_WORDS,
    NAME_SEPARATORS,
    NOT_HEADING,
    ROLE_SEPARATOR,
    ROLE_WORDS,
    TAIL_MARKERS,
)
from .source import clean_text

#: How many lines after the headline may still belong to the article's header.
HEADER_MAX_LINES = 8

_INNER_SPACE = re.compile(r"[ \t]+")
_BULLET = re.compile(r"^(?:[•●▪◦‣∙·*\-–✅✔☑➤►]|\u2022)\s+(?P<item>\S.*)$")
_NUMBERED = re.compile(r"^(?P<num>\d{1,3})[.)]\s+(?P<item>\S.*)$")


@dataclass(frozen=True)
class Line:
    """A non-blank line of the seed, cleaned, with its 1-based line number."""

    no: int
    text: str


@dataclass
class _Header:
    title: str = ""
    subtitle: str | None = None
    authors: list[Byline] = field(default_factory=list)
    date: dt.date | None = None
    updated: dt.date | None = None
    photos: list[Photo] = field(default_factory=list)


# --- small readers, each applying one table ---------------------------------------------------------


def split_caption(text: str) -> Photo | None:
    """A caption line's caption and credit, kept apart, or None when the line carries no credit."""
    for rule in CREDIT_RULES:
        m = rule.pattern.search(text)
        if m:
            caption = text[: m.start()].strip()
            credit = m.group("credit").strip()
            if caption and credit:
                return Photo(caption=caption, credit=credit)
    return None


def read_byline(text: str) -> list[Byline] | None:
    """The authors a byline names, each with a role when the byline gives one; None if it is not a byline."""
    for rule in BYLINE_RULES:
        m = rule.pattern.match(text)
        if not m:
            continue
        names = m.group("names").strip()
        role: str | None = None
        parts = ROLE_SEPARATOR.split(names, maxsplit=1)
        if len(parts) == 2:
            names, role = parts[0].strip(), parts[1].strip()
        authors: list[Byline] = []
        for piece in (p.strip(" .") for p in NAME_SEPARATORS.split(names)):
            if not piece:
                continue
            if authors and ROLE_WORDS.search(piece):
                last = authors[-1]
                authors[-1] = Byline(last.name, piece if last.role is None else f"{last.role}, {piece}")
                continue
            authors.append(Byline(piece))
        if role and authors:
            authors = [Byline(a.name, a.role or role) for a in authors]
        # A byline names people: a long "By …" sentence is prose that happens to start with the word.
        if authors and all(len(a.name.split()) <= 5 for a in authors):
            return authors
    return None


def _comparable(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\W_]+", "", folded)


def _is_boilerplate(text: str) -> bool:
    return any(rule.pattern.search(text) for rule in BOILERPLATE_LINES)


def _is_tail(text: str) -> bool:
    return any(rule.pattern.search(text) for rule in TAIL_MARKERS)


def _heading_like(text: str) -> bool:
    if len(text) > HEADING_MAX_CHARS or len(text.split()) > HEADING_MAX_WORDS:
        return False
    if text[:1].islower():
        return False
    return not any(rule.pattern.search(text) for rule in NOT_HEADING)


# --- lines ------------------------------------------------------------------------------------------


def _lines(text: str, notes: list[Diagnostic]) -> list[Line]:
    lines: list[Line] = []
    for no, raw in enumerate(clean_text(text).split("\n"), start=1):
        cleaned = _INNER_SPACE.sub(" ", raw.strip(EDGE_SPACE))
        if not cleaned:
            continue
        if _is_tail(cleaned):
            notes.append(Diagnostic("I020", f"dropped the site's trailing matter from `{cleaned}` on", no, "info"))
            break
        if _is_boilerplate(cleaned):
            continue
        lines.append(Line(no, cleaned))
    return lines


# --- header -----------------------------------------------------------------------------------------

HeaderRule = Callable[[Line, _Header], bool]


def _header_title_repeat(line: Line, head: _Header) -> bool:
    return _comparable(line.text) == _comparable(head.title)


def _header_caption(line: Line, head: _Header) -> bool:
    photo = split_caption(line.text)
    if photo is None:
        return False
    head.photos.append(photo)
    return True


def _header_byline(line: Line, head: _Header) -> bool:
    authors = read_byline(line.text)
    if authors is None:
        return False
    head.authors.extend(a for a in authors if a not in head.authors)
    return True


def _header_date(line: Line, head: _Header) -> bool:
    found = read_date_line(line.text)
    if found is None:
        return False
    if head.date is None:
        head.date, head.updated = found.published, found.updated
    return True


# Tried in order on each line after the headline; the first that claims a line consumes it.
HEADER_RULES: tuple[tuple[str, HeaderRule, str], ...] = (
    ("title-repeat", _header_title_repeat, "the headline printed a second time"),
    ("byline", _header_byline, "a `By …` line naming the authors"),
    ("date", _header_date, "a date line, with its comment counter and separators"),
    ("caption", _header_caption, "the lead photo's caption ending in its credit"),
)


def _claim_header_line(line: Line, head: _Header) -> bool:
    return any(rule(line, head) for _name, rule, _note in HEADER_RULES)


def _read_header(lines: Sequence[Line], head: _Header) -> int:
    """Consume the header after the headline; return the index of the first body line."""
    i = 1
    limit = min(len(lines), 1 + HEADER_MAX_LINES)
    while i < limit:
        if _claim_header_line(lines[i], head):
            i += 1
            continue
        # A dek (standfirst) is an unclaimed line with more header after it: it sits between headline and byline.
        if head.subtitle is None and not head.authors and head.date is None:
            probe = _Header(title=head.title)
            ahead = lines[i + 1 : i + 3]
            if any(_claim_header_line(nxt, probe) for nxt in ahead) and not probe.photos:
                head.subtitle = lines[i].text
                i += 1
                continue
        break
    return i


# --- body -------------------------------------------------------------------------------------------


@dataclass
class _Body:
    lines: Sequence[Line]
    photos: list[Photo]
    blocks: list[Block] = field(default_factory=list)
    notes: list[Diagnostic] = field(default_factory=list)


BlockRule = Callable[[_Body, int], int]


def _block_figure(body: _Body, i: int) -> int:
    photo = split_caption(body.lines[i].text)
    if photo is None:
        return 0
    body.photos.append(photo)
    body.blocks.append(Figure(len(body.photos) - 1, photo.caption, photo.credit))
    return 1


def _block_list(body: _Body, i: int) -> int:
    lines = body.lines
    for pattern, ordered in ((_BULLET, False), (_NUMBERED, True)):
        items: list[str] = []
        j = i
        while j < len(lines) and (m := pattern.match(lines[j].text)):
            items.append(m.group("item").strip())
            j += 1
        # A single numbered line is a numbered heading (`1. The rainfall record`), not a list.
        if len(items) >= 2 or (items and not ordered):
            body.blocks.append(ListBlock(tuple(items), ordered))
            return j - i
    return 0


def _block_heading(body: _Body, i: int) -> int:
    lines = body.lines
    text = lines[i].text
    if i + 1 >= len(lines) or not _heading_like(text):
        return 0
    if body.blocks and isinstance(body.blocks[-1], Heading):
        return 0
    nxt = lines[i + 1].text
    # A heading introduces text: two title-like lines in a row are more likely a list of names or a poem.
    if _heading_like(nxt) and not _BULLET.match(nxt):
        return 0
    body.blocks.append(Heading(text))
    return 1


def _block_paragraph(body: _Body, i: int) -> int:
    body.blocks.append(Paragraph(body.lines[i].text))
    return 1


# Tried in order at each body line; the first that consumes lines makes the block.
BLOCK_RULES: tuple[tuple[str, BlockRule, str], ...] = (
    ("figure", _block_figure, "a caption standing in the body, ending in its photo credit"),
    ("list", _block_list, "consecutive lines starting with a bullet, or two or more numbered lines"),
    ("heading", _block_heading, "a short title-like line followed by text"),
    ("paragraph", _block_paragraph, "anything else is a paragraph"),
)


def _read_body(body: _Body, start: int) -> None:
    i = start
    while i < len(body.lines):
        for _name, rule, _note in BLOCK_RULES:
            used = rule(body, i)
            if used:
                i += used
                break


# --- entry point ------------------------------------------------------------------------------------


def parse(text: str, *, source: str = "<text>", language: str = "en", notes: Sequence[Diagnostic] = ()) -> Document:
    """Parse an article dump into a `Document`; problems become diagnostics, never exceptions."""
    diagnostics: list[Diagnostic] = list(notes)
    lines = _lines(text, diagnostics)
    head = _Header()
    start = 0
    if lines:
        head.title = lines[0].text
        start = _read_header(lines, head)
    body = _Body(lines, head.photos)
    _read_body(body, start)
    if lines and not head.authors:
        diagnostics.append(Diagnostic("W101", "no byline found; the article has no author"))
    if lines and head.date is None:
        diagnostics.append(Diagnostic("W102", "no date found; the article is undated"))
    meta = Metadata(
        title=head.title,
        subtitle=head.subtitle,
        authors=tuple(head.authors),
        date=head.date,
        updated=head.updated,
        language=language,
    )
    return Document(source=source, meta=meta, blocks=tuple(body.blocks), photos=tuple(body.photos),
                    diagnostics=tuple(diagnostics))
