"""The parser's heuristics as data: named pattern tables, each rule saying what it catches.

Nothing here runs on its own; `parse` walks these tables in order. To teach the
parser a new site's habits, add a row to the right table (and a fixture).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """One named pattern; `note` says in a line what it catches."""

    name: str
    pattern: re.Pattern[str]
    note: str


def _rule(name: str, regex: str, note: str, flags: int = re.IGNORECASE) -> Rule:
    return Rule(name, re.compile(regex, flags), note)


# Whitespace that web copy leaves at line ends and on "blank" lines: tabs, no-break, thin and ideographic spaces.
EDGE_SPACE = " \t\u00a0\u2002\u2003\u2007\u2009\u200a\u202f\u205f\u3000\ufeff"

# Characters that never belong in text: C0/C1 controls except tab and newline, DEL, and the noncharacters
# U+FFFE and U+FFFF, which XML forbids (the EPUB's XHTML could not hold them).
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")

# --- Photo credits -------------------------------------------------------------------------------
# Each pattern matches a credit at the END of a caption line; group `credit` is the credit alone and
# everything before the match is the caption. Order matters: the first that matches wins.
CREDIT_RULES: tuple[Rule, ...] = (
    _rule("paren-photo", r"\s*\(\s*(?:photo|foto|image|picture|photograph|bild|crédit photo)\s*:\s*(?P<credit>[^()]+?)\s*\)\s*$",
          "a trailing `(Photo: X)`, `(Photo : X)`, `(Foto: X)` or `(Image: X)`"),
    _rule("paren-agency-photo", r"\s*\(\s*(?P<credit>(?:AP|AFP|Reuters|EPA|Getty|Xinhua|Kyodo)[^()]*?Photo[^()]*?)\s*\)\s*$",
          "a trailing `(AP Photo/Name)`: the agency is part of the credit"),
    _rule("paren-credit", r"\s*\(\s*(?:credit|courtesy)\s*:?\s*(?P<credit>[^()]+?)\s*\)\s*$",
          "a trailing `(Credit: X)` or `(Courtesy X)`"),
    _rule("photo-by", r"\s*(?:photo|photograph|image|picture)\s+by\s+(?P<credit>[^.()]+?)\.?\s*$",
          "a trailing sentence `Photo by X`"),
    _rule("label-credit", r"\s*(?:photo|foto|image|credit|bild)\s*:\s*(?P<credit>[^:]+?)\.?\s*$",
          "a trailing `Photo: X`, `Image: X` or `Credit: X/Reuters`"),
)

# --- Bylines -------------------------------------------------------------------------------------
# Group `names` holds one or more names, perhaps with a role after a comma or a bar.
BYLINE_RULES: tuple[Rule, ...] = (
    _rule("by", r"^(?:written\s+)?by\s*:?\s+(?P<names>\S.*)$", "`By A`, `Written by A`, `By: A`"),
    _rule("par", r"^par\s+(?P<names>\S.*)$", "French `Par A`"),
    _rule("von", r"^von\s+(?P<names>\S.*)$", "German `Von A`"),
    _rule("por", r"^por\s+(?P<names>\S.*)$", "Spanish or Portuguese `Por A`"),
    _rule("door", r"^door\s+(?P<names>\S.*)$", "Dutch `Door A`"),
    _rule("cjk", r"^(?:文|記者|撰文|作者)\s*[：:]\s*(?P<names>\S.*)$", "Chinese and Japanese `文：A`"),
)

# Separators between several names in one byline: `A and B`, `A, B and C`, `A & B`, `A et B`, `A und B`.
NAME_SEPARATORS = re.compile(r"\s*(?:,|;|&|\band\b|\bet\b|\bund\b|\by\b|\be\b|\ben\b|、)\s*", re.IGNORECASE)

# A byline segment that names a job rather than a person: `Special Correspondent`, `Staff Writer`.
ROLE_WORDS = re.compile(
    r"\b(?:correspondent|writer|editor|reporter|columnist|contributor|staff|fellow|professor|director|analyst|"
    r"researcher|journalist|chief|bureau|senior|associate|special|guest|rédact\w*|korrespondent\w*|redakt\w*|"
    r"envoyé\w*|corresponsal|redactor\w*)\b",
    re.IGNORECASE,
)

# Explicit role separators: `By A | Staff Writer`, `By A — Staff Writer`.
ROLE_SEPARATOR = re.compile(r"\s+[|–—]\s+")

# --- Site leftovers ------------------------------------------------------------------------------
# A line matching one of these is dropped wherever it stands.
BOILERPLATE_LINES: tuple[Rule, ...] = (
    _rule("comment-count", r"^\d+\s+(?:comments?|responses?|replies|kommentare?|commentaires?)$", "a bare comment counter"),
    _rule("email-notice", r"^your email address will not be published\b", "the comment form's e-mail notice"),
    _rule("required-fields", r"^required fields are marked", "the comment form's required-fields notice"),
    _rule("comments-closed", r"^comments are closed\.?$", "`Comments are closed.`"),
    _rule("share", r"^(?:share|share this|share this article|share on|teilen|partager)\s*:?$", "a `Share this:` label"),
    _rule("like", r"^like this:?$", "a `Like this:` label"),
    _rule("advert", r"^(?:advertisement|anzeige|publicité|sponsored|werbung)$", "an advertisement marker"),
    _rule("read-more", r"^(?:read more|see also|lesen sie auch|lire aussi|also read)\s*:", "a `Read more: …` teaser"),
    _rule("network-row", r"^(?:(?:facebook|twitter|x|linkedin|email|e-mail|print|whatsapp|reddit|pinterest|telegram|tumblr|pocket|copy link)"
          r"[\s,|·•]*){2,}$", "a row of share-button network names"),
)

# A line matching one of these starts the site's trailing matter: it and everything after it go.
TAIL_MARKERS: tuple[Rule, ...] = (
    _rule("comment-form", r"^leave a (?:reply|comment)\b", "the `Leave a Reply` comment form"),
    _rule("comment-section", r"^(?:\d+\s+)?(?:comments|responses)\s*(?:\(\d+\))?$", "a `Comments` section header"),
)

# --- Dates ---------------------------------------------------------------------------------------
# Words that may stand beside a date on a date line without making it prose.
DATE_LINE_FILLER = re.compile(
    r"(?:\b(?:posted|published|updated|last updated|on|at|am|pm|uhr|le|publié|mis à jour|veröffentlicht|"
    r"aktualisiert|am|um|de|del|el|il|op|"
    r"JST|KST|EST|EDT|CST|CDT|MST|MDT|PST|PDT|ET|PT|GMT|UTC|BST|CET|CEST|MEZ|MESZ|IST|AEST|AEDT|HKT|SGT)\b|\d+\s+(?:comments?|responses?|kommentare?|commentaires?)|\d{1,2}[:.h]\d{2}|"
    r"[|•·,\-–—:/()\s\u00a0\u3000]|[年月日時分]|更新|公開|[0-9]+\s*(?:min|minutes?)\s+read)",
    re.IGNORECASE,
)

# Words that mark the date after them as the update rather than the publication.
UPDATE_MARKER = re.compile(r"(?:updated|mis à jour|aktualisiert|actualizado|aggiornato|更新)", re.IGNORECASE)

# --- Body structure ------------------------------------------------------------------------------
HEADING_MAX_CHARS = 90
HEADING_MAX_WORDS = 12

# A line that cannot be a heading however short it is.
NOT_HEADING: tuple[Rule, ...] = (
    _rule("interview", r"^(?:Q|A|F|R|Frage|Antwort)\s*[:.]", "an interview's `Q: …` or `A: …` line"),
    _rule("sentence-end", r"[.,;…!]['\"’”»)]*$", "a line ending like a sentence (a period, comma, ellipsis)"),
    _rule("quoted", r"^[\"“„«‘'].*[\"”“»’']$", "a one-line quotation"),
    _rule("url", r"^(?:https?://|www\.)", "a bare link"),
)
