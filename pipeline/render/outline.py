"""The document's outline as renderers need it: sections with ids, lead photos, localised labels."""

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


# Words the editions print around the article's own text, by language; English stands in for the rest.
_LABEL_KEYS = ("by", "and", "photo", "credit", "contents", "landmarks", "start", "page", "notes", "back")
_LABEL_ROWS: dict[str, tuple[str, ...]] = {
    "en": ("By", "and", "Photo", "Credit", "Contents", "Guide", "Start of article", "Page", "Notes", "Back to text"),
    "fr": ("Par", "et", "Photo", "Crédit", "Sommaire", "Repères", "Début de l’article", "Page", "Notes",
           "Retour au texte"),
    "de": ("Von", "und", "Foto", "Bild", "Inhalt", "Orientierung", "Beginn des Artikels", "Seite", "Anmerkungen",
           "Zurück zum Text"),
    "es": ("Por", "y", "Foto", "Crédito", "Índice", "Guía", "Inicio del artículo", "Página", "Notas",
           "Volver al texto"),
    "it": ("Di", "e", "Foto", "Credito", "Indice", "Guida", "Inizio dell’articolo", "Pagina", "Note",
           "Torna al testo"),
    "pt": ("Por", "e", "Foto", "Crédito", "Sumário", "Guia", "Início do artigo", "Página", "Notas",
           "Voltar ao texto"),
    "nl": ("Door", "en", "Foto", "Beeld", "Inhoud", "Gids", "Begin van het artikel", "Pagina", "Noten",
           "Terug naar de tekst"),
    "ru": ("Автор:", "и", "Фото", "Фото", "Содержание", "Ориентиры", "Начало статьи", "Страница", "Примечания",
           "Вернуться к тексту"),
    "ja": ("文：", "、", "写真", "写真", "目次", "ガイド", "本文", "ページ", "注", "本文に戻る"),
    "zh": ("作者：", "、", "图片", "图片来源", "目录", "导览", "正文", "页", "注释", "返回正文"),
    "ko": ("글:", ", ", "사진", "사진", "목차", "안내", "본문", "쪽", "주", "본문으로"),
    "ar": ("بقلم", "و", "صورة", "تصوير", "المحتويات", "دليل", "بداية المقال", "صفحة", "ملاحظات", "العودة إلى النص"),
    "he": ("מאת", "ו", "צילום", "צילום", "תוכן העניינים", "מדריך", "תחילת המאמר", "עמוד", "הערות", "חזרה לטקסט"),
}
LABELS: dict[str, dict[str, str]] = {
    lang: dict(zip(_LABEL_KEYS, row, strict=True)) for lang, row in _LABEL_ROWS.items()
}


def labels(language: str) -> dict[str, str]:
    """The label set for `language` (its primary subtag), falling back to English."""
    return LABELS.get(language.split("-")[0].lower(), LABELS["en"])


# Languages that list names with a mark instead of `A, B and C`, and those whose `and` joins the next word.
_LIST_MARKS = {"ja": "、", "zh": "、", "ko": ", "}
_PREFIX_AND = {"ar": " و", "he": " ו"}


def joiners(count: int, language: str) -> list[str]:
    """What follows each of `count` names in a list: `[", ", " and ", ""]` in English."""
    lang = language.split("-")[0].lower()
    if count <= 0:
        return []
    if lang in _LIST_MARKS:
        return [_LIST_MARKS[lang]] * (count - 1) + [""]
    last = _PREFIX_AND.get(lang, f" {labels(lang)['and']} ")
    return [", "] * (count - 2) + ([last] if count > 1 else []) + [""]


def join_names(names: list[str] | tuple[str, ...], language: str) -> str:
    """`A`, `A and B`, `A, B and C` in the article's language."""
    return "".join(n + j for n, j in zip(names, joiners(len(names), language), strict=True))


def by_prefix(language: str) -> str:
    """The byline's lead word with the spacing it takes: `By `, `Par `, `文：`."""
    word = labels(language)["by"]
    return word if word.endswith(("：", ":")) and not word.endswith(" :") and language.startswith(("ja", "zh")) \
        else f"{word} "


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


def segments(text: str, labels_known: frozenset[str] | set[str],
             counter: dict[str, int] | None = None) -> list[Segment]:
    """Split `text` into plain runs, links and references to notes that exist (other `[n]` stay text)."""
    counter = {} if counter is None else counter
    out: list[Segment] = []
    last = 0
    for m in _INLINE.finditer(text):
        if m.group("note") and m.group("note") not in labels_known:
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
    found: set[str] = set()
    for block in doc.blocks:
        if isinstance(block, (Paragraph, Quote, ListBlock)):
            for seg in segments(block.text, known):
                if seg.kind == "noteref":
                    found.add(seg.target)
    return frozenset(found)
