"""Typographic clean-up of plain text: curly quotes in the article's language, dashes, ellipses, French spacing.

Only typewriter characters are changed: text that is already set (curly quotes, real dashes) stays as it is,
and URLs and e-mail addresses are left untouched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NBSP = "\u00a0"


@dataclass(frozen=True)
class QuoteStyle:
    """Primary and secondary quotation marks of a language."""

    open1: str
    close1: str
    open2: str
    close2: str


# Quotation marks by language (primary subtag); languages not listed use English marks.
QUOTE_STYLES: dict[str, QuoteStyle] = {
    "en": QuoteStyle("“", "”", "‘", "’"),
    "nl": QuoteStyle("“", "”", "‘", "’"),
    "pt": QuoteStyle("“", "”", "‘", "’"),
    "fr": QuoteStyle("«", "»", "“", "”"),
    "de": QuoteStyle("„", "“", "‚", "‘"),
    "es": QuoteStyle("«", "»", "“", "”"),
    "it": QuoteStyle("«", "»", "“", "”"),
    "ru": QuoteStyle("«", "»", "„", "“"),
    "ja": QuoteStyle("「", "」", "『", "』"),
    "zh": QuoteStyle("“", "”", "‘", "’"),
    "ko": QuoteStyle("“", "”", "‘", "’"),
    "he": QuoteStyle("”", "”", "’", "’"),
    "ar": QuoteStyle("«", "»", "“", "”"),
}

# Text never touched: web and mail addresses (their hyphens, quotes and dots are significant), and markup typed
# into an article (`<a href="…">`, `<script>alert("x")</script>`), which is shown exactly as typed.
PROTECTED = re.compile(r"<[A-Za-z/!][^<>]*>(?:.*<[A-Za-z/!][^<>]*>)?"
                       r"|(?:https?://|www\.)[^\s\"'<>]*[^\s\"'<>.,;:!?)\]]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# Rules applied in order to unprotected text; each with what it catches.
DASH_RULES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"(?<![-<!])---?(?![->])"), "—", "`--` or `---`, spaced or not: an em dash (not `<!--` or `-->`)"),
    (re.compile(r"(?<!\.)\.\.\.(?!\.)"), "…", "`...`: an ellipsis"),
)

def _is_opening(before: str) -> bool:
    # A quote opens at the start of text or after a space, an opening bracket or a dash.
    return not before or before.isspace() or before in "([{—–-/"


def _curl(text: str, style: QuoteStyle, prev: str) -> str:
    """Curl straight quotes; `prev` is the character before `text` (quotes read their left neighbour)."""
    out: list[str] = []
    for i, ch in enumerate(text):
        before = out[-1][-1:] if out else prev
        if ch == '"':
            out.append(style.open1 if _is_opening(before) else style.close1)
        elif ch == "'":
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if before.isalnum():
                out.append("’")  # an apostrophe: don't, l'homme, rock'n'roll
            elif _is_opening(before) and nxt.isdigit():
                out.append("’")  # an elided year: '90s
            elif _is_opening(before) and nxt and not nxt.isspace():
                out.append(style.open2)
            else:
                out.append(style.close2)
        else:
            out.append(ch)
    return "".join(out)


# French puts a no-break space before high punctuation and inside guillemets.
_FR_HIGH_PUNCT = re.compile(r"(?<=[^\s;:!?])[ \u00a0\u202f]?([;:!?])(?=\s|$)")
_FR_GUILLEMET_OPEN = re.compile(r"«[ \u00a0\u202f]*")
_FR_GUILLEMET_CLOSE = re.compile(r"[ \u00a0\u202f]*»")


def _french_spacing(text: str) -> str:
    text = _FR_HIGH_PUNCT.sub(lambda m: NBSP + m.group(1), text)
    text = _FR_GUILLEMET_OPEN.sub("«" + NBSP, text)
    return _FR_GUILLEMET_CLOSE.sub(NBSP + "»", text)


def _set_piece(text: str, language: str, prev: str) -> str:
    lang = language.split("-")[0].lower()
    style = QUOTE_STYLES.get(lang, QUOTE_STYLES["en"])
    for pattern, replacement, _note in DASH_RULES:
        text = pattern.sub(replacement, text)
    if '"' in text or "'" in text:
        text = _curl(text, style, prev)
    if lang == "fr":
        text = _french_spacing(text)
    return text


def smarten(text: str, language: str) -> str:
    """`text` with typewriter quotes, dashes and dots set for `language`; URLs and addresses untouched."""
    pieces: list[str] = []
    last = 0
    for m in PROTECTED.finditer(text):
        pieces.append(_set_piece(text[last : m.start()], language, text[last - 1 : last]))
        pieces.append(m.group(0))
        last = m.end()
    pieces.append(_set_piece(text[last:], language, text[last - 1 : last] if last else ""))
    return "".join(pieces)
