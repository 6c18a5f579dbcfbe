"""The document's outline as renderers need it: sections with ids, lead photos, inline links and notes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.model import Block, Document, Figure, Heading, ListBlock, Paragraph, Photo, Quote


@dataclass(frozen=True)
class Section:
    """A run of blocks under one heading; the first section may have none (the article's opening)."""

    id: str
    heading: Heading | None
    blocks: tuple[Block, ...]


def sections(doc: Document) -> tuple[Section, ...]:
    """Split the body at its headings; ids are stable (`s1`, `s2`, …) so links and goldens stay put."""
    out: list[Section] = []
    current: list[Block] = []
    heading: Heading | None = None
    for block in doc.blocks:
        if isinstance(block, Heading):
            if current or heading is not None:
                out.append(Section(f"s{len(out)}", heading, tuple(current)))
            heading, current = block, []
        else:
            current.append(block)
    if current or heading is not None:
        out.append(Section(f"s{len(out)}", heading, tuple(current)))
    return tuple(out)


def lead_photos(doc: Document) -> tuple[tuple[int, Photo], ...]:
    """Photos from the header (those no figure block places in the body), with their index in `doc.photos`."""
    placed = {b.photo for b in doc.blocks if isinstance(b, Figure)}
    return tuple((i, p) for i, p in enumerate(doc.photos) if i not in placed)


# --- inline text --------------------------------------------------------------------------------------

# Inline pieces a renderer links: web addresses, e-mail addresses and footnote markers (`[1]`).
_INLINE = re.compile(
    r"(?P<url>(?:https?://|www\.)[^\s\"'<>]*[^\s\"'<>.,;:!?)\]»”’])"
    r"|(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,})"
    r"|(?<=[^\s\[])\[(?P<note>\d{1,3})\]"
)


@dataclass(frozen=True)
class Segment:
    """A piece of a paragraph: plain text, a link, or a footnote reference with its unique anchor id."""

    kind: str  # "text" | "url" | "email" | "noteref"
    text: str
    target: str = ""
    anchor: str = ""


_IN_ATTRIBUTE = re.compile(r"=\s*[\"']?$")


def segments(text: str, labels_known: frozenset[str] | set[str],
             counter: dict[str, int] | None = None) -> list[Segment]:
    """Split `text` into plain runs, links and references to notes that exist (other `[n]` stay text)."""
    counter = {} if counter is None else counter
    # Most paragraphs hold nothing `_INLINE` can match (each of its branches needs one of these), and the search
    # costs, at every position, a run of word characters looking for an `@`: about 1 s per MB of text.
    if "@" not in text and "[" not in text and "http" not in text and "www." not in text:
        return [Segment("text", text)] if text else []
    out: list[Segment] = []
    last = 0
    for m in _INLINE.finditer(text):
        if m.group("note") and m.group("note") not in labels_known:
            continue
        # A URL inside markup shown as text (`<iframe src="…">`) is the markup's, not a link the article gives.
        if m.group("url") and _IN_ATTRIBUTE.search(text, 0, m.start()):
            continue
        if m.start() > last:
            out.append(Segment("text", text[last : m.start()]))
        if m.group("url"):
            url = m.group("url")
            out.append(Segment("url", url, url if url.startswith("http") else f"https://{url}"))
        elif m.group("email"):
            out.append(Segment("email", m.group("email"), f"mailto:{m.group('email')}"))
        else:
            label = m.group("note")
            counter[label] = counter.get(label, 0) + 1
            anchor = f"nref-{label}" if counter[label] == 1 else f"nref-{label}-{counter[label]}"
            out.append(Segment("noteref", label, label, anchor))
        last = m.end()
    if last < len(text):
        out.append(Segment("text", text[last:]))
    return out


def referenced_notes(doc: Document) -> frozenset[str]:
    """Labels of the notes that some marker in the body points to."""
    known = {n.label for n in doc.notes}
    if not known:  # no marker can point to a note (and each of the five renders asks)
        return frozenset()
    found: set[str] = set()
    for block in doc.blocks:
        if isinstance(block, (Paragraph, Quote, ListBlock)):
            for seg in segments(block.text, known):
                if seg.kind == "noteref":
                    found.add(seg.target)
    return frozenset(found)
