"""The document's outline as renderers need it: sections with ids, lead photos, localised labels."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Block, Document, Figure, Heading, Photo


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


def lead_photos(doc: Document) -> tuple[Photo, ...]:
    """Photos from the header: those no figure block places in the body."""
    placed = {b.photo for b in doc.blocks if isinstance(b, Figure)}
    return tuple(p for i, p in enumerate(doc.photos) if i not in placed)


# Words the editions print around the article's own text, by language; English stands in for the rest.
LABELS: dict[str, dict[str, str]] = {
    "en": {"by": "By", "and": "and", "photo": "Photo", "credit": "Credit", "contents": "Contents", "landmarks": "Guide",
           "start": "Start of article", "page": "Page"},
    "fr": {"by": "Par", "and": "et", "photo": "Photo", "credit": "Crédit", "contents": "Sommaire",
           "landmarks": "Repères", "start": "Début de l’article", "page": "Page"},
    "de": {"by": "Von", "and": "und", "photo": "Foto", "credit": "Bild", "contents": "Inhalt",
           "landmarks": "Orientierung", "start": "Beginn des Artikels", "page": "Seite"},
    "es": {"by": "Por", "and": "y", "photo": "Foto", "credit": "Crédito", "contents": "Índice", "landmarks": "Guía",
           "start": "Inicio del artículo", "page": "Página"},
}


def labels(language: str) -> dict[str, str]:
    """The label set for `language` (its primary subtag), falling back to English."""
    return LABELS.get(language.split("-")[0].lower(), LABELS["en"])


def join_names(names: list[str] | tuple[str, ...], language: str) -> str:
    """`A`, `A and B`, `A, B and C` in the article's language."""
    word = labels(language)["and"]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {word} {names[-1]}"
