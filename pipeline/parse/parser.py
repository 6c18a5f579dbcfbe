"""Turn a seed's text into a `Document` through ordered tables of line, header and block rules; never raises on content.

The parse runs in passes, each reading the tables in `rules`:

1. lines: clean each line, cut the site's trailing matter, drop leftovers, collect tags and rights;
2. header: the headline, then the lines that belong to it (byline, date, dek, lead photo, repeated headline);
3. body: each remaining line becomes a block through `BLOCK_RULES`, tried in order;
4. finishing: pull quotes found, the language detected, typography set.
"""

from __future__ import annotations

import collections
import contextvars
import datetime as dt
import itertools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from pipeline.model import (
    Block,
    Byline,
    Diagnostic,
    Document,
    Dropped,
    Figure,
    Heading,
    ListBlock,
    Metadata,
    Note,
    Notes,
    Paragraph,
    Photo,
    PullQuote,
    Quote,
)
from pipeline.parse import compiled
from pipeline.parse.chrome import (
    BULLET,
    BUTTON,
    BUTTON_WORDS,
    LEAD_MARKS,
    LINK_ARROWS,
    MENU_ROW,
    NUMBERED,
    PROSE_WORDS,
    REWORDED_LABEL,
    chrome_blocks,
    chrome_hint,
    chrome_reason,
    contact_line,
    judging,
    prose_weight,
    unmarked,
    widget_words,
    words,
)
from pipeline.parse.dates import COUNTER, DateLine, find_dates, line_dates, read_date_line
from pipeline.parse.lexicon import (
    CLOSING_MARKS,
    WORD_CHAR,
    WORD_END,
    WORD_START,
    Lexicon,
    active,
    data_languages,
    fold_letters,
    lingua_franca,
    own_words,
    reading,
)
from pipeline.parse.rules import (
    ATTRIBUTION,
    BEFORE_DATE,
    BOILERPLATE_LINES,
    BYLINE_CONTACT,
    BYLINE_PLACE,
    BYLINE_RULES,
    CAPTION_LABEL,
    CAPTION_MAX_CHARS,
    CREDIT_RULES,
    EDGE_SPACE,
    HEADING_MAX_CHARS,
    HEADING_MAX_CHARS_UNSPACED,
    HEADING_MAX_WORDS,
    KEYWORD_LINE,
    KEYWORD_SEPARATORS,
    LINK_SECTION_MARKERS,
    NOT_HEADING,
    NOTE_LINE,
    NOTE_MARKER,
    NOTES_HEADING,
    PAREN_MARKER,
    PERSON_NAME,
    PULLQUOTE_MAX_WORDS,
    PULLQUOTE_MIN_WORDS,
    PULLQUOTE_QUOTED_MIN_WORDS,
    QUOTE_LINE,
    QUOTE_PREFIX,
    RIGHTS_LINE,
    ROLE_SEPARATOR,
    ROLE_WORDS,
    SUPERSCRIPT_MARKER,
    TAIL_MARKERS,
    Rule,
    Template,
    compile_rule,
    table,
)
from pipeline.parse.typography import smarten
from pipeline.read.language import CONFIDENT, Guess, identify
from pipeline.read.source import clean_text

#: The share of a sentence's words that widget phrases make up for it to be the page's, not the article's.
CHROME_SHARE = 0.3

#: The most short label lines dropped from the very end of a page.
MAX_END_LABELS = 3

#: The fewest words for which an uncertain language guess is worth a warning.
MIN_JUDGED_WORDS = 60

#: How many lines after the headline may still belong to the article's header.
HEADER_MAX_LINES = 8
#: How far down a hard-wrapped dump (in lines, blank ones included) its header may start: below a cookie
#: banner, a menu and a crumb trail.
WRAPPED_HEADER_ZONE = 24
#: The fewest words of the lines on both sides of a short line that make it a subheading between paragraphs.
BETWEEN_PROSE_WORDS = 15
#: The longest line (in words) taken for the site's own above its menu: a site's name or a skip link.
MENU_TOP_WORDS = 6
#: The reason a banner above the article in words the data file lacks goes (`_top_banner`).
TOP_BANNER = "a banner above the article: its text over its buttons"
#: The reasons (see chrome.py and rules.py) of lines dropped as the site's menus, crumb trails and banners: what
#: stands between the site's first line (its name, a skip link) and the headline.
MENU_REASONS = ("a menu", "a breadcrumb", "a navigation row", "a site leftover (nav-row)", TOP_BANNER)

_INNER_SPACE = re.compile(r"[ \t\u00a0]{2,}|\t")
# List markers that carry meaning of their own (a tick, an arrow): kept as the start of the item's text.
_MEANINGFUL_MARKERS = "✅✔☑✓➤►▶→①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳❶❷❸❹❺❻❼❽❾❿"
_SUPERSCRIPTS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")


@dataclass(frozen=True)
class Line:
    """A non-blank line of the seed, cleaned, with its 1-based line number."""

    no: int
    text: str
    #: Whether a blank line (or the seed's start) stands above it: it opens a block.
    opens: bool = False
    #: Whether it was set in from the margin (spaces or tabs before it), as a block quote's lines are copied.
    indented: bool = False


@dataclass
class _Found:
    """What the line pass collected besides the lines themselves."""

    keywords: list[str] = field(default_factory=list)
    rights: str | None = None
    notes: list[Diagnostic] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    #: Lines that are a letter's signature joined into one: text, never a heading.
    signatures: set[int] = field(default_factory=set)
    #: Lines of a hard-wrapped dump joined from two or more of the seed's: a heading is one line.
    wrapped: set[int] = field(default_factory=set)

    def drop(self, no: int, text: str, reason: str) -> None:
        self.dropped.append(Dropped(no, text, reason))


@dataclass
class _Header:
    title: str = ""
    subtitle: str | None = None
    authors: list[Byline] = field(default_factory=list)
    date: dt.date | None = None
    updated: dt.date | None = None
    photos: list[Photo] = field(default_factory=list)
    guessed_author: bool = False
    dropped: list[Dropped] = field(default_factory=list)


# --- small readers, each applying one table ---------------------------------------------------------


def _rule(template: Template) -> re.Pattern[str]:
    """One rule's pattern in the language of the article being parsed."""
    return compile_rule(template, active()).pattern


def _table(templates: tuple[Template, ...]) -> tuple[Rule, ...]:
    """A rule table in the language of the article being parsed."""
    return table(templates, active())


def _all_credit_rules() -> tuple[Rule, ...]:
    return _table(CREDIT_RULES)


def split_caption(text: str) -> Photo | None:
    """A caption line's caption and credit, kept apart, or None when the line carries no credit."""
    if len(text) > CAPTION_MAX_CHARS:
        return None
    for rule in _all_credit_rules():
        m = rule.pattern.search(text)
        if m and _credible(rule, m):
            caption = _rule(CAPTION_LABEL).sub("", text[: m.start()].strip(" |–—-"))
            credit = _whole_credit(m)
            if caption and credit and len(credit.split()) <= 15:
                return Photo(caption=caption, credit=credit)
    return _unlabelled_credit(text)


#: A caption's sentence, then a credit under one capitalised word and a colon (`… sumar. Mynd: Kristinn Ólafsson`).
_LABEL_CREDIT = re.compile(r"^(?P<caption>\S.{15,300}?[.!?])\s+(?P<label>[^\W\d_]{2,15})\s*[:：]\s*"
                           r"(?P<credit>\S.{2,60})$")
#: The words of a caption's sentence before a credit under a label the data file lacks.
UNLABELLED_CAPTION_WORDS = (3, 40)


def _unlabelled_credit(text: str) -> Photo | None:
    """A credit under a label the data file does not know: a caption's one sentence, a capitalised word and a
    colon, then two to four capitalised personal names (perhaps `/` an agency). Where names have no capitals
    the shape proves nothing, and a byline's or a date's label is no credit's."""
    m = _LABEL_CREDIT.match(text)
    if m is None or not active().capitalises or not m.group("label")[:1].isupper():
        return None
    caption, label, credit = m.group("caption"), fold_letters(m.group("label")), m.group("credit").strip()
    low, high = UNLABELLED_CAPTION_WORDS
    if not low <= len(caption.split()) <= high or _INNER_SENTENCE_END.search(caption):
        return None
    lex = active()
    if label in lex.stop_words or any(label == p.rstrip(":： ") for key in (*_NOT_AUTHOR_LABELS, "byline_prefix")
                                      for p in lex.folded(key)):
        return None
    name = credit.split("/")[0].strip()
    if not 2 <= len(name.split()) <= 4 or not _cased_name(name) or not _names_line(name):
        return None
    return Photo(caption=caption, credit=credit)


def _whole_credit(m: re.Match[str]) -> str:
    """The credit a match found, whole: where a label the data file knows (`Foto: Arquivo`, `Foto: Archivo`) took
    the credit's first word (`Foto: Arquivo pessoal`, `Foto: Archivo Municipal de Puerto Albar`), the credit is
    everything after the label's colon, as the editor's rules read `Photo: X`."""
    credit = m.group("credit").strip()
    head = m.string[m.start(): m.start("credit")]
    if (colon := max(head.rfind(":"), head.rfind("："))) >= 0 and head[colon + 1:].strip(" /／=()[]（）"):
        return f"{head[colon + 1:]}{m.group('credit')}".strip()
    return credit


def _credible(rule: Rule, m: re.Match[str]) -> bool:
    """A credit written as a phrase with no colon (`Photo by X`) names someone: a few words, capitalised where
    the script has capitals; `… shows a picture of an empty canteen` is prose."""
    if rule.name != "photo-by":
        return True
    credit = m.group("credit").strip()
    # After an abbreviated label (`Fot. archiwum prywatne`, "Photo: private archive") a credit may be a common noun.
    abbreviated = m.string[: m.start("credit")].rstrip().endswith((".", ":"))
    # Nor does a credit open on a function word: `ग्राफिक्स और आवाज़`, "Graphics and sound", is a heading.
    lex = active()
    first = fold_letters(credit.split()[0]) if credit.split() else ""
    if not abbreviated and (first in lex.stop_words or first in {fold_letters(w) for w in lex.and_words}):
        return False
    return len(credit.split()) <= 6 and (abbreviated or not credit[:1].islower())


def credit_only(text: str) -> str | None:
    """The credit of a line that holds nothing but one (`Photo: Jane Roe/Reuters`), else None."""
    if len(text) > 200:
        return None
    for rule in _all_credit_rules():
        m = rule.pattern.search(text)
        if m and _credible(rule, m) and not text[: m.start()].strip(" |–—-") and len(m.group("credit").split()) <= 15:
            return _whole_credit(m)
    return None


def _name_case(name: str) -> str:
    """`JANE O'BRIEN-SMITH` as `Jane O'Brien-Smith`: capitals after spaces, apostrophes and hyphens."""
    return re.sub(r"(^|[\s'’-])(\w)", lambda m: m.group(1) + m.group(2).upper(), name.lower())


def _affiliation(piece: str, names: str) -> bool:
    """A byline piece naming an outlet or a place rather than a person: `The Capital Ledger`, `, Wien`."""
    lex = active()
    first = piece.split()[0] if piece.split() else ""
    if len(piece.split()) >= 2 and fold_letters(first) in lex.stop_words:
        return True  # `The Capital Ledger`, `Die Zeitung`: an article before a name is an outlet's
    # `By Anna Berger, Wien`: one word after the only comma, nothing joined by `and`.
    return len(piece.split()) == 1 and names.count(",") == 1 and names.rstrip(" .").endswith(piece) and \
        not re.search(
            r"\s&\s" + "".join(rf"|\s{re.escape(w)}\s" for w in lex.and_words), names, re.IGNORECASE)


@lru_cache(maxsize=64)
def _name_separators(lex: Lexicon) -> re.Pattern[str]:
    """What separates names in a byline: commas, semicolons, `&`, and the language's own `and` (from CLDR)."""
    words = "".join(rf"|\s+{re.escape(w)}\s+" for w in lex.and_words if w not in lex.and_attached)
    attached = "".join(rf"|\s+{re.escape(w)}(?=\w)" for w in lex.and_attached)
    # Without spaces the `and` stands between two names as it is (`大野拓海と石井綾乃`), a name's two letters at
    # least on either side (Japanese `さとみ` holds `と`).
    solid = "".join(rf"|(?<=\w\w){re.escape(w)}(?=\w\w)" for w in lex.and_words if lex.unspaced and w.strip())
    return re.compile(rf"\s*(?:,|،|;|&|、|，)[\u200e\u200f]?\s*{words}{attached}{solid}", re.IGNORECASE)


def _split_names(names: str) -> list[Byline]:
    authors: list[Byline] = []
    for piece in (p.strip(" .") for p in _name_separators(active()).split(names)):
        if not piece:
            continue
        if authors and (_rule(ROLE_WORDS).search(piece) or _affiliation(piece, names)):
            last = authors[-1]
            authors[-1] = Byline(last.name, piece if last.role is None else f"{last.role}, {piece}")
            continue
        piece = BYLINE_CONTACT.sub("", piece)
        place = _rule(BYLINE_PLACE).search(piece)
        if place and len(piece[: place.start()].split()) >= 2:
            piece = piece[: place.start()]
        if piece.isupper() and len(piece) > 3:
            piece = _name_case(piece)  # BY JANE DOE
        authors.append(Byline(piece))
    return authors


#: An ending of up to four letters (with their marks) on a label, then its colon.
_INFLECTED_LABEL = re.compile(rf"{WORD_CHAR}{{1,6}}[:：]\s*(?=\S)")


def _lexicon_names(text: str) -> str | None:
    """The names part of a byline written with a prefix or a suffix of the article's language (`Skrevet av A`,
    `A 기자`), or None."""
    lex = active()
    folded = fold_letters(text)
    # Read on almost every line (leftover, unwrap and header tests ask whether a line is a byline): the lists
    # come folded and sorted once per language.
    for key in lex.folded("byline_prefix"):
        if folded.startswith(key) and (key.endswith((":", "：", "/", "／")) or
                                       text[len(key):len(key) + 1] in (" ", ":", "：", "/", "／", "=")):
            return text[len(key):].strip(" :：/／=\t")
    # A prefix of two words or more whose last word the line inflects (`Isinulat nina A at B`, the plural of the
    # file's `Isinulat ni`): a letter or two more on that word, then the names.
    # So does a one-word label the line inflects before a colon (`எழுதியவர்கள்:`, "writers:", for the file's
    # `எழுதியவர்`, "writer").
    for key in lex.folded("byline_prefix"):
        if " " in key and key[-1:].isalpha() and folded.startswith(key) \
                and (m := re.match(r"\w{1,2} ", folded[len(key):])) is not None:
            return text[len(key) + m.end():].strip()
        if key[-1:] not in ":：," and folded.startswith(key) \
                and (m := _INFLECTED_LABEL.match(folded[len(key):])) is not None:
            return text[len(key) + m.end():].strip()
    # Where words stand without spaces, a space sets the name apart from a job that ends in a suffix or a role of
    # the file's (`周慕言 特约评论员`, `周慕言 特约影评人`, a special critic): the whole last word is the job.
    if lex.unspaced and " " in (stripped := text.strip()):
        name, _, job = stripped.rpartition(" ")
        if name.strip() and fold_letters(job).endswith(lex.folded("byline_suffix") + lex.folded("roles")):
            return f"{name.strip()}, {job}"
    for key in lex.folded("byline_suffix"):
        if folded.endswith(key) and len(folded) > len(key):
            rest = text[: len(text) - len(key)]
            if lex.unspaced or rest[-1:] in (" ", ",", "|", "(", "（", "/", "·") or not rest[-1:].isalpha():
                return rest.strip(" ,|(（/·–—-\t")
    return None


#: The most letters of a personal name written solid in a script without capitals (`佐藤みどり`, `欧阳晓岚`).
UNCASED_NAME_LETTERS = 12
#: The most characters a name written solid in ideographs (Han, kana) has, with no middle dot in it.
SOLID_NAME_CHARS = 7
_IDEOGRAPHIC = re.compile(r"[\u3040-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _looks_like_name(name: str) -> bool:
    """A personal name: a few words, no digits, each capitalised where the script has capitals (a lower-case
    particle such as `van` or `de` aside); in scripts without capitals, short."""
    found = name.split()
    if not 1 <= len(found) <= 5 or len(name) > 60 or any(ch.isdigit() for ch in name):
        return False
    # Georgian has capital letters in Unicode but never writes names with them: only a language whose CLDR
    # country names are capitalised asks its names to be.
    cased = [w for w in found if any(ch.isalpha() and ch.lower() != ch.upper() for ch in w)] \
        if active().capitalises else []
    if not cased:
        # Letters, not code points (a Thai or Devanagari vowel sign is one of its own); a given name and a
        # surname apart, as Thai and Hindi write them, may be longer than a Chinese name written solid.
        letters = sum(1 for ch in name if ch != " " and not unicodedata.category(ch).startswith("M"))
        # A name written solid in ideographs is a few of them (`林晓雯`, `長谷川健太郎`); a foreign name spelt out
        # in them joins its parts with a middle dot (`玛丽亚·冈萨雷斯`).
        if len(found) == 1 and _IDEOGRAPHIC.fullmatch(name) and letters > SOLID_NAME_CHARS:
            return False
        return letters <= (UNCASED_NAME_LETTERS * 5 // 3 if 2 <= len(found) <= 3 else UNCASED_NAME_LETTERS)
    if len(cased) < len(found):
        return False
    lower = [w for w in cased if not w[0].isupper()]
    # A function word with a capital is a sentence's start (`Le maire`), not a name's; but a surname's particle
    # stands between the names capitalised as often as not (`Yann Le Goff`, `Ana De Souza`).
    particles = active().folded("name_particles")
    if active().stop_words and any(fold_letters(w) in active().stop_words and not (
            0 < k < len(cased) - 1 and fold_letters(w) in particles) for k, w in enumerate(cased) if w[0].isupper()):
        return False
    return len(lower) <= 1 and cased[0][0].isupper() and cased[-1][0].isupper() and len(found) >= 2


def _cased_name(name: str) -> bool:
    """Whether `name` is told for a name by its capitals (see `_looks_like_name`), not by its length alone."""
    return active().capitalises and any(ch.isalpha() and ch.lower() != ch.upper() for ch in name)


def _language_byline(text: str) -> list[Byline] | None:
    names = _lexicon_names(text)
    if not names:
        return None
    role: str | None = None
    parts = ROLE_SEPARATOR.split(names, maxsplit=1)
    if len(parts) == 2:
        names, role = parts[0].strip(), parts[1].strip()
    pieces = _split_language_names(names)
    authors: list[Byline] = []
    for piece in pieces:
        name, _, piece_role = _bracket_role(piece).partition(",")
        name = BYLINE_CONTACT.sub("", name).strip(" .")
        if authors and (not _looks_like_name(name) or _is_role(name)):
            last = authors[-1]
            authors[-1] = Byline(last.name, last.role or piece.strip())  # `A, correspondent`
            continue
        if not _looks_like_name(name):
            return None
        authors.append(Byline(name, piece_role.strip() or role))
    return authors or None


#: The shortest job word taken for the head of a compound (`…gagnrýnandi`, `…redakteurin`).
COMPOUND_ROLE_MIN = 6


def _is_role(text: str) -> bool:
    """A job title rather than a name: `Special Correspondent`, `redaktorka`, `staff writer`."""
    folded = text.casefold()
    lex = active()
    if _rule(ROLE_WORDS).search(text) or any(
            re.search(rf"(?<!\w){re.escape(s.casefold())}(?!\w)", folded) for s in lex.phrases("byline_suffix")):
        return True
    folded = folded.strip()
    if " " in folded:
        return False
    roles = [role.casefold() for role in lex.phrases("roles") if " " not in role]
    # Without spaces between words no boundary sets a job word apart: a compound title starts or ends with it
    # (Thai `นักเขียนคอลัมน์เกษตรในเมือง`, "urban farming columnist", after `นักเขียน`, "writer").
    if lex.unspaced:
        return any(folded.startswith(role) or folded.endswith(role) for role in roles)
    # A compound written as one word ends in its head (Icelandic `kvikmyndagagnrýnandi`, "film critic", is a
    # `gagnrýnandi`); a short job word would end other words too.
    return any(folded.endswith(role) for role in roles if len(role) >= COMPOUND_ROLE_MIN)


def _bracket_role(piece: str) -> str:
    """A role in brackets after a name written as after a comma: `李婉清（本网核查记者）` → `李婉清, 本网核查记者`."""
    if (bracket := re.search(r"\s*[(（]([^()（）]+)[)）]\s*$", piece)) is not None:
        return f"{piece[: bracket.start()]}, {bracket.group(1)}"
    return piece


def _split_language_names(names: str) -> list[str]:
    """Names joined by commas, `&`, middle dots or the language's own `and` (from CLDR)."""
    lex = active()
    # The Arabic script's comma is a comma; the direction marks CLDR sets after it (`،\u200f`) are no text.
    names = names.replace("،", ",").replace("\u200f", "").replace("\u200e", "")
    joiners = [re.escape(w) for w in lex.and_words if w.strip()]
    pattern = r"\s*(?:;|&|·|、|，|/)\s*" + "".join(rf"|\s+{w}\s+" for w in joiners)
    if lex.unspaced and " " not in names.strip():
        # `陈思远和刘晓岚`, `大野拓海と石井綾乃`: in a script without spaces the language's `and` stands between the
        # names as it is; only where every piece keeps a name's length (Japanese `さとみ` holds `と`).
        loose = pattern + "".join(rf"|(?<=\w){w}(?=\w)" for w in joiners)
        if all(len(chunk.strip()) >= 2 for chunk in re.split(f"(?:{loose})", names)):
            pattern = loose
    pieces = re.split(f"({pattern})", names)
    chunks = pieces[::2]
    # `Marta Vilaseca i Puig`: a double surname joined by the language's `and` (Catalan, Spanish) leaves one
    # capitalised word after it, which names no one alone; it is the name's own.
    for k in range(len(chunks) - 1, 0, -1):
        joiner, after, before = pieces[2 * k - 1], chunks[k].split(), chunks[k - 1].split()
        if joiner.strip() in lex.and_words and len(after) == 1 and after[0][:1].isupper() and len(before) >= 2 \
                and "," not in chunks[k - 1] and _cased_name(chunks[k]):
            chunks[k - 1 : k + 1] = [f"{chunks[k - 1]}{joiner}{chunks[k]}"]
    if lex.and_attached and not lex.unspaced:
        # `נועה ברק ויואב שגיא`: an `and` written onto the next name; a split only where every piece is a name's
        # length, as a byline's are (the letter opens many a word).
        attached = "|".join(rf"\s+{re.escape(w)}(?=\w)" for w in lex.and_attached)
        split = [piece for chunk in chunks for piece in re.split(attached, chunk)]
        if len(split) > len(chunks) and all(1 <= len(p.split(",")[0].split()) <= 3 for p in split):
            chunks = split
    out: list[str] = []
    for k, chunk in enumerate(chunks):
        # A comma separates names unless what follows it is a role (`A, B and C` vs `A, reporter`).
        parts = [p.strip() for p in chunk.split(",") if p.strip()]
        # In scripts without capitals a name cannot be told from a title by its shape: `A, B` with no `and`
        # anywhere is a name and a role, as bylines write them.
        uncased = not any(ch.isalpha() and ch.lower() != ch.upper() for ch in names)
        only_comma = len(parts) == 2 and chunk == names
        # `Joanna Michalska i Krzysztof Sowa, Departament Komunikacji`: the only comma, after names joined by
        # `and`, opens their department (a list of names puts its commas before the `and`).
        after_and = k > 0 and k == len(chunks) - 1 and len(parts) == 2 and names.count(",") == 1
        # `Dimas Prasetyo, Divisi Media SPKP`: after the only comma, three words or more with an acronym in them
        # name a department, not a person.
        acronym = len(parts) == 2 and names.count(",") == 1 and len(parts[-1].split()) >= 3 and any(
            len(w) >= 3 and w.isupper() for w in parts[-1].split()[1:])
        for n, part in enumerate(parts):
            if out and (not _looks_like_name(part) or _is_role(part) or (uncased and only_comma and n == 1)
                        or ((after_and or acronym) and n == 1)) \
                    and not out[-1].count(","):
                out[-1] = f"{out[-1]}, {part}"
            else:
                out.append(part)
    return out


def read_byline(text: str) -> list[Byline] | None:
    """The authors a byline names, each with a role when the byline gives one; None if it is not a byline."""
    if (found := _language_byline(text)) is not None:
        return found
    for rule in _table(BYLINE_RULES):
        m = rule.pattern.match(text)
        if not m:
            continue
        names = m.group("names").strip()
        role: str | None = None
        parts = ROLE_SEPARATOR.split(names, maxsplit=1)
        if len(parts) == 2:
            names, role = parts[0].strip(), parts[1].strip()
        authors = _split_names(names)
        if role and authors:
            authors = [Byline(a.name, a.role or role) for a in authors]
        # A byline names people: a long "By …" sentence is prose that happens to start with the word.
        if authors and all(1 <= len(a.name.split()) <= 5 and len(a.name) <= 60 and not a.name.endswith((",", ":"))
                           and (a.name[:1].isupper() or a.name[:1].lower() == a.name[:1].upper())
                           and not any(ch.isdigit() for ch in a.name)  # `By 2025, the minister had resigned.`
                           # Without capitals only a name's length tells it (`به قلم او بیش از دوازده کتاب …`,
                           # "by his pen more than twelve books", is a sentence).
                           and (_cased_name(a.name) or _looks_like_name(a.name))
                           for a in authors):
            return authors
    # A language without a data file knows no `By`: a page in it may print the lingua franca's (and a text the
    # identifier calls no language at all, `zxx`, has none of its own).
    if not active().known:
        for other in lingua_franca():
            with reading(other.language):
                if (found := read_byline(text)) is not None:
                    return found
    return None


def split_byline_date(text: str) -> tuple[list[Byline], DateLine | None] | None:
    """A byline that also carries the date (`By Ann Lee | Feb. 25, 2019`): its authors and dates."""
    authors = read_byline(text)
    found = find_dates(text)
    if not found:
        return (authors, None) if authors else None
    head = text[: found[0].start]
    head = head[: _rule(BEFORE_DATE).search(head).start()]  # type: ignore[union-attr]
    authors = read_byline(head) if head else None
    dates = read_date_line(text[len(head):])
    if authors is None or dates is None:
        return None
    return authors, dates


def _comparable(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\W_]+", "", folded)


def _matches(rules: Sequence[Rule], text: str) -> bool:
    return any(rule.pattern.search(text) for rule in rules)


#: Marks a quotation opens with: a line opening with one is no advertising marker.
QUOTE_OPENERS = "\"'“”„«»‘’‚「『"
_SPEAKER = re.compile(r"([^:：\d]{2,40})[:：]\s+\S")


def _heading_like(text: str, speakers: frozenset[str] | None = None) -> bool:
    if len(text) > HEADING_MAX_CHARS or len(text.split()) > HEADING_MAX_WORDS:
        return False
    # Without spaces between words the words cannot be counted: characters stand in for them.
    # Letters, not code points: a Thai vowel sign is a character of its own. Where sentences end unmarked (Thai)
    # a heading is told from prose by its length alone, and an alphabet's words are longer than ideographs.
    letters = sum(1 for ch in text if not unicodedata.category(ch).startswith("M"))
    limit = HEADING_MAX_CHARS_UNSPACED * (2 if unmarked() else 1)
    if active().unspaced and " " not in text.strip() and letters > limit:
        return False
    # A heading does not start in lower case; Georgian's letters are lower-case in Unicode, but the language writes
    # no capitals (`Lexicon.capitalises`).
    if text[:1].islower() and active().capitalises:
        return False
    # A speaker's line in an interview (`Paolo Ferri: Where did it start?`): a personal name before the colon.
    # Where names have no capitals to tell them (`पहला उपाय: …`, "first remedy: …"), only a speaker's line that
    # ends as a sentence or a question is taken for one, and in a body only a speaker who speaks more than once
    # (`दुसरा बदल: स्क्रीनऐवजी काय?`, "second change: what instead of the screen?", is a heading among its kind).
    # A capitalised place before a phrase is a heading's (`Veľké Lúčnice: park s tisovým labyrintom`): a name
    # that speaks once, in no sentence, does not make a speaker's line.
    if (speaker := _SPEAKER.match(text)) and _looks_like_name(speaker.group(1)):
        spoken = _ends_sentence(text) or text.rstrip().endswith(("?", "？", "؟"))
        again = speakers is not None and speaker.group(1).strip() in speakers
        if (_cased_name(speaker.group(1)) and (spoken or again)) or (spoken and (speakers is None or again)):
            return False
    return not _matches(_table(NOT_HEADING), text)


def _is_boilerplate(text: str) -> bool:
    if not _matches(_table(BOILERPLATE_LINES), text):
        return False
    # A byline or a date line with bars in it looks like a navigation row; it is not one.
    return read_byline(text) is None and not find_dates(text)


def _link_like(text: str) -> bool:
    """A line in a box of links: a headline-like title, a bullet or a date; a sentence ends the box."""
    if BULLET.match(text) or read_date_line(text):
        return True
    return len(text.split()) <= 20 and not text.rstrip(CLOSING_MARKS).endswith((".", "!", "。", "…"))


def _reworded_box(joined: list[str], at: int, prose_after: list[int], lex: Lexicon) -> bool:
    """`Поврзани рецепти` ("Related recipes") over two or more links after the article's last prose: a box of
    links whose heading the data file words otherwise (`Поврзани вести`), half its words or more a link label's.
    `prose_after[k]` is how many words of prose stand from line k on."""
    label = joined[at].strip(EDGE_SPACE)
    # The heading opens its block.
    if not label or (at and joined[at - 1].strip(EDGE_SPACE)) or len(label.split()) > 4 or _ends_sentence(label) \
            or label.endswith((":", "：")) or prose_after[at] > 0:
        return False
    following = joined[at + 1: at + 3]
    if len(following) < 2 or not all(t.strip(EDGE_SPACE) and _link_like(t.strip(EDGE_SPACE)) for t in following):
        return False
    hits, content = widget_words(label, lex, lex.link_words)
    return hits > 0 and hits >= 0.5 * content


def _boxed_link(joined: list[str], at: int, first: bool = False) -> bool:
    """A short line with a full stop inside a box of links (`Pavasarinė talka vyks balandžio 25 d.`, an
    abbreviation's point; `… na najvišem nivou od 2022.`, a year's ordinal point): a link still when the box goes
    on under it, with no blank line on either side, or only one between it and the box's heading (`first`)."""
    line = joined[at].strip(EDGE_SPACE)
    nxt = joined[at + 1].strip(EDGE_SPACE) if at + 1 < len(joined) else ""
    return bool(at and (first or joined[at - 1].strip(EDGE_SPACE)) and nxt) \
        and len(line.split()) <= LINK_SENTENCE_WORDS and _link_like(nxt)


#: The most words a line ending in a full stop has and still is a link in the box around it.
LINK_SENTENCE_WORDS = 10


# --- pass 1: lines ----------------------------------------------------------------------------------


def _joinable(line: str, nxt: str, separated: bool = False) -> bool:
    """Whether `nxt` continues the paragraph `line` in a hard-wrapped dump (`separated`: one whose paragraphs
    are set apart by blank lines)."""
    # A list item, a byline or a date line starts a block of its own; but a line in lower case goes on a
    # sentence (`de Vale de Souto, …` is no `De …` byline), and so does a dash in the middle of a sentence or after
    # a quotation when a verb of saying follows it (`„…”` / `– powiedział po rozprawie.`; a name is its source).
    # Nor is a counter (`Imagen 1 de 8` under a caption) or a gallery's buttons (`‹ Назад    Вперёд ›`) part of
    # the line above it.
    going_on = nxt[:1].islower() and active().capitalises
    quoted = line.endswith(("”", "“", "»", "«", '"'))
    said = nxt[1:].lstrip()[:1].islower() and active().capitalises  # `– powiedział`, not `— Michal Edri`
    dash_on = nxt[:1] in "–—" and ((quoted and said) or not (
        quoted or _ends_sentence(line) or line.endswith((":", "：", "?", "？"))))
    if not nxt or (BULLET.match(nxt) and not dash_on) or NUMBERED.match(nxt) \
            or (not going_on and (read_byline(nxt) or read_date_line(nxt))) \
            or active().counters.fullmatch(nxt.strip(" |·•-–—()[]")) \
            or (len(nxt.split()) <= 6 and not _ends_sentence(nxt) and chrome_reason(nxt, active(), nxt) is not None) \
            or (not going_on and active().labels.match(nxt.lstrip(LEAD_MARKS))):  # `Les også: …` under a paragraph
        return False
    if separated:
        return True
    ends_sentence = line.rstrip(CLOSING_MARKS).endswith((".", "!", "?", ":", "。"))
    return not ends_sentence or (nxt[:1].islower() and active().capitalises)


def _columns(text: str) -> int:
    """A line's width as a terminal or an editor's wrap sets it: wide (East Asian) characters take two columns."""
    return len(text) + sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")


def unwrap(raw_lines: list[str], origins: list[int] | None = None) -> list[str]:
    """Join the lines of a hard-wrapped dump (an e-mail or a PDF copied as text) back into paragraphs; `origins`,
    if given, receives the seed's line number (1-based) where each returned line starts.

    Web copies put each paragraph on one line; this only acts when the text is plainly wrapped: most lines
    stop short of one width, and several blank-line-separated chunks consist of such full lines. The width is
    counted in characters, or, for text of wide (East Asian) characters wrapped at a width in columns, in the
    columns an editor gives them (`_columns`).
    """
    joined = _unwrap(raw_lines, origins, len)
    if joined is raw_lines and any(unicodedata.east_asian_width(ch) in "WF" for line in raw_lines for ch in line):
        return _unwrap(raw_lines, origins, _columns)
    return joined


def _unwrap(raw_lines: list[str], origins: list[int] | None, measure: Callable[[str], int]) -> list[str]:
    """`unwrap` with line widths counted by `measure`."""
    if origins is not None:
        origins[:] = range(1, len(raw_lines) + 1)
    texts = [line.strip(EDGE_SPACE) for line in raw_lines]
    lengths = sorted(measure(t) for t in texts if t)
    if len(lengths) < 8:
        return raw_lines
    width = lengths[int(len(lengths) * 0.9)]
    # A few long lines (a cookie banner, a comment pasted whole) do not make a wrapped text unwrapped.
    if not 40 <= width <= 100 or sum(1 for n in lengths if n > width * 1.5) > max(1, len(lengths) // 10):
        return raw_lines
    full = 0.6 * width
    chunks: list[list[str]] = [[]]
    for t in texts:
        if t:
            chunks[-1].append(t)
        elif chunks[-1]:
            chunks.append([])
    wrapped = [c for c in chunks if len(c) >= 2 and all(measure(t) >= full for t in c[:-1])]
    # Chunks of short lines only (a letter's signature, a byline block) and lists say nothing either way.
    telling = [c for c in chunks if len(c) >= 2 and any(measure(t) >= full for t in c)
               and not all(BULLET.match(t) or NUMBERED.match(t) for t in c[1:])]
    if len(wrapped) < 2 or len(wrapped) < 0.5 * len(telling):
        return raw_lines
    # Paragraphs set apart by blank lines: a full line's sentence end is no paragraph end, only the blank is.
    separated = len(chunks) >= 0.2 * len(lengths)
    # A chunk of a few lines near the top with a byline or a date line in it is the header (headline, dek,
    # byline, date, one to a line): its lines stay apart, however long the headline.
    # Over such a chunk, a chunk of a few lines opens with the headline, whose dek starts on the next line
    # (headline and dek over the byline's own block): that line starts anew unless it goes on in lower case.
    header: set[int] = set()
    apart: set[int] = set()
    start = 0
    spans: list[range] = []
    for end in [*(k for k, t in enumerate(texts) if not t), len(texts)]:
        if end == start:
            start = end + 1
            continue
        # (A byline may be names with a job the data file knows after a comma and no `By`: `Десислава Маринова,
        # редактор на рубриката`, "section editor".)
        if start < WRAPPED_HEADER_ZONE and 1 <= end - start <= 8 and any(
                read_byline(texts[k]) or read_date_line(texts[k]) or _role_byline(texts[k], known_role=True)
                for k in range(start, end)):
            if end - start >= 2:
                header.update(range(start, end))
            # Not when the headline stands alone in the chunk above (a line that is no menu or breadcrumb).
            previous, above = (spans[-1] if spans else None), (spans[-2] if len(spans) > 1 else None)
            alone = above is not None and len(above) == 1 and not _ends_sentence(texts[above[0]]) \
                and chrome_reason(texts[above[0]], active(), raw_lines[above[0]]) is None
            if previous is not None and 2 <= len(previous) <= HEADER_ABOVE_LINES and not alone \
                    and not (texts[previous[1]][:1].islower() and active().capitalises):
                apart.add(previous[1])
        spans.append(range(start, end))
        start = end + 1
    # The links under a `Related` box's heading are one to a line, however long each is: they stay apart.
    box = False
    for k, t in enumerate(texts):
        box = bool(t) and (box or _matches(_table(LINK_SECTION_MARKERS), t))
        if box:
            header.add(k)
    out: list[str] = []
    starts: list[int] = []
    for i, t in enumerate(texts):
        # A headline standing first in its chunk over a bare line of names (`Arief Wicaksono, Maya Kartika
        # Siregar`) is over a byline with no `By`.
        # Only capitals tell names from words: in scripts without them a short line is no evidence.
        headline = bool(out) and out[-1] == texts[i - 1] and (i < 2 or not texts[i - 2]) and measure(t) < full \
            and any(ch.isupper() for ch in t) and not t.endswith((":", "：")) and _names_line(t) \
            and split_caption(t) is None  # `… Балки. Фото: Максим Петренко` ends a wrapped caption
        # In the header a full line goes on into a line in lower case (a dek wrapped in two), or after a function
        # word (`… helt ind til benet på` / `Havnescenen i …`), where capitals tell a line's start (a Persian
        # headline may end in a verb of the function words' list).
        go_on = i in header and i - 1 in header and not _ends_sentence(texts[i - 1]) and not read_byline(t) \
            and not read_date_line(t) and active().capitalises and (t[:1].islower() or (
                bool(last := texts[i - 1].split()) and fold_letters(last[-1]) in active().stop_words
                and last[-1].lower() != last[-1].upper()))
        if out and t and out[-1] and i > 1 and measure(texts[i - 1]) >= full and not headline and i not in apart \
                and (i not in header or go_on) and _joinable(texts[i - 1], t, separated):
            out[-1] = f"{out[-1]} {t}"
        else:
            out.append(t)
            starts.append(i + 1)
    if origins is not None:
        origins[:] = starts
    return out


#: The most lines of a chunk above a hard-wrapped dump's byline block that open with its headline (a headline
#: and a dek wrapped in up to three lines).
HEADER_ABOVE_LINES = 4

#: The share of the prose lines that must open a block (a blank line above them) for a dump to set its
#: paragraphs apart that way, and so for two prose lines in one block to be one paragraph.
OPENING_SHARE = 0.6

# A label before a colon (`P:`, `Maria Lopes:`) opens a line of its own: an interview's speaker, a field.
_LABELLED = re.compile(r"[^:：\d]{1,40}[:：]\s")


def join_block_prose(raw_lines: list[str], origins: list[int] | None = None) -> list[str]:
    """Two lines of prose in one blank-line-separated block of a dump that sets its paragraphs apart with blank
    lines are one paragraph, as the editor reads a block (a `<br>` inside a paragraph copies as a line break);
    `origins`, if given, receives the seed's line number (1-based) where each returned line starts.

    Lines that start a block of their own stay apart: list items, quotations' sources, captions, notes, speakers,
    bylines, dates and the site's widgets (`_joinable`)."""
    texts = [line.strip(EDGE_SPACE) for line in raw_lines]
    lex = active()
    if unmarked():  # where sentences end unmarked (Thai) a headline over its dek is as long as prose
        return _join_unmarked_blocks(raw_lines, texts, origins, lex)
    prose = [bool(t) and prose_weight(t, lex) > 0 for t in texts]
    # A block with a byline or a date line in it is the header (headline, dek, byline, date): its lines stay apart.
    start = 0
    for end in [*(k for k, t in enumerate(texts) if not t), len(texts)]:
        if sum(prose[start:end]) >= 2 and any(read_byline(texts[k]) or read_date_line(texts[k])
                                              for k in range(start, end)):
            prose[start:end] = [False] * (end - start)
        start = end + 1
    opening = sum(1 for k, p in enumerate(prose) if p and (k == 0 or not texts[k - 1]))
    if opening < 3 or opening < OPENING_SHARE * sum(prose):
        return raw_lines
    out: list[str] = []
    starts: list[int] = []
    for k, t in enumerate(texts):
        if k and prose[k] and prose[k - 1] and out and out[-1] and not _LABELLED.match(t) \
                and not NOTE_LINE.match(t) and not NOTE_LINE.match(texts[k - 1]) \
                and split_caption(t) is None and split_caption(texts[k - 1]) is None \
                and _joinable(texts[k - 1], t, separated=True):
            out[-1] = f"{out[-1]} {t}"
        else:
            out.append(t if t else raw_lines[k])
            starts.append(k + 1)
    if len(out) == len(raw_lines):
        return raw_lines
    if origins is not None:
        origins[:] = starts
    return out


#: The fewest blocks of wrapped running text below the header that show a dump in a script whose sentences end
#: unmarked to wrap its paragraphs inside blank-line-separated blocks; the fewest characters of each line.
UNMARKED_WRAPPED_BLOCKS = 3
UNMARKED_LINE_CHARS = 15


def _join_unmarked_blocks(raw_lines: list[str], texts: list[str], origins: list[int] | None,
                          lex: Lexicon) -> list[str]:
    """Where sentences end unmarked (Thai), a dump may break its paragraphs at phrase ends inside blank-line-separated
    blocks: below the header's byline or date, a block of two lines or more, every one of them a phrase of running
    text (no list item, widget, byline or date), is one paragraph when the dump has several such blocks."""
    marks = [k for k, t in enumerate(texts[:WRAPPED_HEADER_ZONE]) if t and (read_byline(t) or read_date_line(t))]
    if not marks:  # no header to stand below: a headline over its dek would look the same
        return raw_lines
    spans: list[range] = []
    start = 0
    for end in [*(k for k, t in enumerate(texts) if not t), len(texts)]:
        block = range(start, end)
        start = end + 1
        if len(block) < 2 or block.start <= marks[0]:
            continue
        if all(len(texts[k]) >= UNMARKED_LINE_CHARS and not BULLET.match(texts[k]) and not NUMBERED.match(texts[k])
               and chrome_reason(texts[k], lex, raw_lines[k]) is None and split_caption(texts[k]) is None
               and not read_byline(texts[k]) and not read_date_line(texts[k]) for k in block):
            spans.append(block)
    if len(spans) < UNMARKED_WRAPPED_BLOCKS:
        return raw_lines
    joined = {k for span in spans for k in span[1:]}
    out: list[str] = []
    starts: list[int] = []
    for k, t in enumerate(texts):
        if k in joined:
            out[-1] = f"{out[-1]} {t}"
        else:
            out.append(t if t else raw_lines[k])
            starts.append(k + 1)
    if origins is not None:
        origins[:] = starts
    return out


def _reading_time(text: str, lex: Lexicon) -> bool:
    """A header's reading time in any wording: a short line with a number of minutes, CLDR's unit words."""
    if not lex.minutes or (not 2 <= len(text.split()) <= 6 and not lex.unspaced) or _ends_sentence(text.rstrip(".")):
        return False
    # An abbreviation's dot may be left out (`6 min de citit` beside CLDR's `min.`).
    units = "|".join(re.escape(m.rstrip(".")) + r"\.?" if m.endswith(".") else re.escape(m) for m in lex.minutes)
    # A date line's clock time (`2024年5月18日 6時00分`) has minutes too: the header's date reader takes that line.
    # Without spaces the unit runs on into the next word (`約3分で読めます`).
    # A unit of three letters or more may take an ending CLDR does not list (Tagalog `minutong`, the unit with
    # its linker; Hungarian `perces`).
    end = "" if lex.unspaced else r"(?:(?<=[^\W\d_]{3})[^\W\d_]{1,3})?(?!\w)"
    # Where CLDR prints the unit first (Swahili `dakika {0}`), a line opening on the unit and its number
    # (`Dakika 4 za kusoma`).
    first = rf"|^(?:{units})\s*\d+(?!\d)" if lex.minutes_first else ""
    return re.search(rf"\d+\s*(?:{units}){end}{first}", text, re.IGNORECASE) is not None and len(text) <= 60 \
        and not find_dates(text)


# A title abbreviated with a full stop before a name: a word of up to five letters and its dot.
_TITLE_ABBREVIATION = re.compile(r"^[^\W\d_]{1,5}\.\s+(?=\S)")


# The parts of a footer's line: set apart by a middle dot, a bar or a bullet.
_FOOTER_PARTS = re.compile(r"\s+[·|•]\s+")
#: The most words of each part before a footer's copyright notice (the site's name, its address).
FOOTER_PART_WORDS = 6


def _rights_after_address(text: str) -> bool:
    """`Δήμος Ακροποταμίας · Πλατεία Δημαρχείου 1 · © 2024 Με την επιφύλαξη παντός δικαιώματος`: the site's name and
    address, short parts set apart by dots or bars, then its `© 2024 …` notice, is its copyright line (not a photo
    whose credit follows a `©`)."""
    parts = _FOOTER_PARTS.split(text)
    if len(parts) < 2 or not _rule(RIGHTS_LINE).match(parts[-1]):
        return False
    return all(len(part.split()) <= FOOTER_PART_WORDS and not _ends_sentence(part) for part in parts[:-1])


def _join_signatures(texts: list[str], signatures: set[int]) -> list[str]:
    """A letter's signature under the body, a name over a town on two lines set apart by blank lines, is one
    block (`Monika Adler` / `Lindenau`, `Karel Bednář` / `Horní Lhota`, a town named like a person): the two
    lines are joined, the second left blank so lines keep their numbers."""
    out = list(texts)
    stripped = [t.strip(EDGE_SPACE) for t in texts]
    seen_prose = False
    for k, t in enumerate(stripped):
        if len(t.split()) >= PROSE_WORDS:
            seen_prose = True
            continue
        if not seen_prose or not t or k + 1 >= len(stripped) or (k > 0 and stripped[k - 1]):
            continue
        town = stripped[k + 1]
        if not town or (k + 2 < len(stripped) and stripped[k + 2]):
            continue
        # The name may follow an abbreviated title (`инж. Румен Василев`, "eng.", `Dr. Hana Malá`).
        name = _TITLE_ABBREVIATION.sub("", t, count=1)
        if 1 <= len(town.split()) <= 6 and not any(ch.isdigit() for ch in town) \
                and not _ends_sentence(town) and not town.endswith((":", "：", "?")) and _names_line(name) \
                and read_byline(t) is None:
            out[k] = f"{t} {town}"
            out[k + 1] = ""
            signatures.add(k + 1)
    return out


#: The largest share of the article's prose words one cut may remove.
MAX_CUT_SHARE = 0.1


def _cut_allowed(weights: list[int], at: int) -> bool:
    """The rail against losing text: a cut at an end-section label removes at most a tenth of the prose."""
    before, after = sum(weights[:at]), sum(weights[at:])
    return before > 0 and after <= MAX_CUT_SHARE * (before + after)


#: How many lines under an end section's label are looked at for the signs of a comment thread.
THREAD_LINES = 6


#: A label with a count in brackets (`Comments (3)`, `Коментари (2)`): an end section's, when a thread is under it.
_COUNTED_LABEL = re.compile(r"^[^\W\d_][^\d()（）]{0,30}\s*[(（]\d+[)）]$")


def _thread(texts: list[str], at: int, lex: Lexicon) -> bool:
    """Whether what follows line `at` is a comment thread: two or more `Reply` buttons, relative times or
    comment counters among its first lines (a comment form at the page's very end says nothing of what stands
    between: the article's body, under a comment counter in its header)."""
    signs = 0
    following = [raw.strip(EDGE_SPACE) for raw in texts[at + 1:] if raw.strip(EDGE_SPACE)][:THREAD_LINES]
    # A `Reply` button in words the data file lacks: the same short line under each comment.
    repeated = collections.Counter(line for line in following if len(line.split()) <= BUTTON_WORDS
                                   and not _ends_sentence(line) and not any(ch.isdigit() for ch in line))
    signs += sum(n for n in repeated.values() if n >= 2)
    reading_note = next(rule.pattern for rule in _table(BOILERPLATE_LINES) if rule.name == "reading-time")
    for line in following:
        # A reading time is the header's, never a comment's (`Lecture : 4 min` under a header's comment counter).
        if len(line.split()) > 6 or _reading_time(line, lex) or reading_note.search(line.strip(" ·|–—-")):
            continue
        if lex.counters.fullmatch(line.strip(" ·|–—-")) or _rule(BOILERPLATE_LINES[0]).search(line) or any(
                line.casefold() == p.casefold().strip(" :：") for p in lex.everywhere("comments") if "{" not in p):
            signs += 1
    return signs >= 2


def _drop_tail(found: _Found, joined: list[str], at: int, reason: str) -> None:
    for k in range(at, len(joined)):
        if joined[k].strip(EDGE_SPACE):
            found.drop(k + 1, joined[k].strip(EDGE_SPACE), reason)


#: The fewest words of a line opening with `©` that make it the site's notice rather than a photo's credit.
RIGHTS_NOTICE_WORDS = 8


def _lines(text: str, found: _Found) -> list[Line]:
    lines: list[Line] = []
    in_links = False
    box_first = False  # the line under a box of links' heading is the box's first
    raw_lines = clean_text(text).split("\n")
    origins: list[int] = []
    joined = unwrap(raw_lines, origins)
    if joined is not raw_lines:
        found.notes.append(Diagnostic("I025", "joined the lines of a hard-wrapped text into paragraphs", None, "info"))
    else:
        joined = join_block_prose(raw_lines, origins)
    joined = _join_signatures(joined, found.signatures)
    lex = active()
    promoted = more_ads = False
    blocks = chrome_blocks(joined, lex)
    # Each line as the shape rules read it, and its prose weight, once for all of them.
    texts = [_INNER_SPACE.sub(" ", raw.strip(EDGE_SPACE)) for raw in joined]
    line_weights = [prose_weight(t, lex) for t in texts]
    for shape_rule in (_advert_blocks, _form_blocks, _top_banner, _repeated_labels):
        blocks.update(shape_rule(texts, line_weights, lex))
    # A cookie banner's or a paywall's sentences are the site's, not the article's prose.
    weights = [0 if k in blocks else weight for k, weight in enumerate(line_weights)]
    # A reading time stands in the header: above the body's first prose, which the dek's one sentence may precede.
    prose_lines = [k for k, w in enumerate(weights) if w]
    prose_after = list(itertools.accumulate(reversed(weights)))[::-1]
    first_prose = prose_lines[1] if len(prose_lines) > 1 else len(joined)
    for no, raw in enumerate(joined, start=1):
        cleaned = texts[no - 1]
        if not cleaned:
            continue
        if no - 1 < first_prose and _reading_time(cleaned, lex):
            found.drop(no, cleaned, "a reading time: a number of minutes (CLDR's word for them) in a short line")
            continue
        lexical_end = bool(lex.end_section.match(cleaned)) and not _matches(_table(LINK_SECTION_MARKERS), cleaned)
        marked_end = _matches(_table(TAIL_MARKERS), cleaned)
        # A counted label in words the data file lacks (`Коментари (2)`) ends the article only over a thread.
        counted_end = _COUNTED_LABEL.match(cleaned) is not None and _thread(joined, no - 1, lex)
        # The rail: an end section is cut only below some of the article's prose (a comment counter in the header
        # must not take the body with it), and only when what goes is at most a tenth of the prose, unless it is
        # a comment thread, marked as one by its `Reply` buttons, times and counters.
        if (marked_end or lexical_end or counted_end) and sum(weights[: no - 1]) > 0:
            # A thread's cut may take more than a tenth, under two lines of prose at least: under the dek alone
            # stands the header's comment counter, with the header's widgets (a relative time) under it.
            if _cut_allowed(weights, no - 1) or (sum(1 for w in weights[: no - 1] if w) >= 2
                                                 and _thread(joined, no - 1, lex)):
                found.notes.append(Diagnostic("I020", f"dropped the site's trailing matter from `{cleaned[:60]}` on",
                                              no, "info"))
                _drop_tail(found, joined, no - 1, f"in the site's trailing matter from line {no}")
                break
            kept = sum(weights[no - 1:])
            found.notes.append(Diagnostic(
                "W106", f"kept the {kept} words of prose after `{cleaned[:60]}`: cutting there would remove more than "
                "a tenth of the article's prose", no))
            # Only the label goes: what stands under it (a heading, a list) may be the article's own. Over the
            # article's prose, below some of it, a label worded as a heading (`Have your say`, no counter) is the
            # article's subheading; an author box's label (`About the author`) is not.
            nxt = next((k for k in range(no, len(joined)) if joined[k].strip(EDGE_SPACE)), None)
            if nxt is not None and weights[nxt] and not any(ch.isdigit() for ch in cleaned) \
                    and len(cleaned.split()) <= HEADING_MAX_WORDS and not _ends_sentence(cleaned) \
                    and fold_letters(cleaned).rstrip(":： ") not in lex.folded("author_box"):
                lines.append(Line(no, cleaned, no == 1 or not joined[no - 2].strip(EDGE_SPACE),
                                  joined[no - 1][:1] in EDGE_SPACE))
                continue
            found.drop(no, cleaned, "an end section's label; the cut after it was refused (W106)")
            continue
        # A tag line names topics, never a date (`Publicado em 21/04/2024` is WordPress's `Posted in` and `Posted on`).
        if ((m := _rule(KEYWORD_LINE).match(cleaned)) or (m := lex.tags.match(cleaned))) and not find_dates(cleaned):
            found.keywords.extend(k for k in KEYWORD_SEPARATORS.split(m.group("keywords")) if k.strip())
            found.drop(no, cleaned, "a tag or keyword line (kept as the book's keywords)")
            continue
        # A line opening with the copyright sign and running on as a notice (`© Crown copyright. All content is
        # available under …`) is the site's too, with no year; a photo's `© Name` credit is a few words.
        if _rule(RIGHTS_LINE).match(cleaned) or (cleaned.startswith(("©", "ⓒ"))
                                                  and len(cleaned.split()) >= RIGHTS_NOTICE_WORDS) \
                or _rights_after_address(cleaned):
            # The site's copyright footer is a leftover (the editor's rules); a book's rights come from its sidecar.
            found.drop(no, cleaned, "the site's copyright line")
            continue
        if in_links:
            first_link, box_first = box_first, False
            if _link_like(cleaned) or _boxed_link(joined, no - 1, first=first_link):
                found.drop(no, cleaned, "a link in a box of links")
                continue
            in_links = False
        if _matches(_table(LINK_SECTION_MARKERS), cleaned) or _reworded_box(joined, no - 1, prose_after, lex):
            in_links = box_first = True
            found.notes.append(Diagnostic("I021", f"dropped the links box `{cleaned[:60]}`", no, "info"))
            found.drop(no, cleaned, "the heading of a box of links")
            continue
        if (why := blocks.get(no - 1)) is not None:
            found.drop(no, cleaned, why)
            continue
        if _is_boilerplate(cleaned):
            found.drop(no, cleaned, "a site leftover (" + _boilerplate_rule(cleaned) + ")")
            promoted = _boilerplate_rule(cleaned) == "advert"
            continue
        # A headline in title case has no function words either (Indonesian `Hakim Tolak Eksepsi Mantan …`): over
        # a byline or a date line a row of words without gaps between them is the headline.
        if (why := chrome_reason(cleaned, lex, raw)) is not None and read_byline(cleaned) is None \
                and not find_dates(cleaned) and read_date_line(cleaned) is None \
                and not (why == MENU_ROW and _over_byline(joined, no)) \
                and not (why == BUTTON and _between_prose(joined, no, lex)) \
                and not (why == REWORDED_LABEL and not lines):  # `Последние смотрители: как …`, a headline
            found.drop(no, cleaned, why)
            promoted = bool(_advert_rule().pattern.search(cleaned)) or any(
                re.fullmatch(rf"\W*{re.escape(a)}\W*", cleaned, re.IGNORECASE) for a in lex.phrases("advertising"))
            continue
        # The promoted headline under an advertising marker is the advertisement's, not the article's: in one
        # block with the marker; set apart by a blank line, a short line is the article's next heading. So are the
        # further headlines under it in the same block (`REKLAMA` over three offers).
        above = no >= 2 and bool(joined[no - 2].strip(EDGE_SPACE))
        if promoted and prose_weight(cleaned, lex) == 0 and len(cleaned.split()) <= 20 \
                and (above if more_ads else (no < 2 or above or len(cleaned.split()) > HEADING_MAX_WORDS
                                             or _offer(cleaned) or not _prose_next(joined, no, lex))):
            found.drop(no, cleaned, "the promoted headline under an advertising marker")
            promoted = more_ads = above  # on in the marker's own block; set apart from it, one headline goes
            continue
        promoted = more_ads = False
        lines.append(Line(no, cleaned, no == 1 or not joined[no - 2].strip(EDGE_SPACE),
                          joined[no - 1][:1] in EDGE_SPACE))
    lines = _trim_tail(_widget_neighbours(lines, found, joined, lex), found, lex, joined)
    return _renumbered(lines, found, origins, raw_lines) if joined is not raw_lines else lines


def _renumbered(lines: list[Line], found: _Found, origins: list[int], raw_lines: list[str]) -> list[Line]:
    """The line pass numbers the lines of an unwrapped text as joined; what it found is told by the seed's line
    numbers (where each joined line starts), as `invoke inspect` and the line accounting read them."""
    def at(no: int | None) -> int | None:
        return origins[no - 1] if no is not None and 1 <= no <= len(origins) else no

    ends = [*origins[1:], len(raw_lines) + 1]
    found.wrapped = {start for start, end in zip(origins, ends, strict=True)
                     if sum(1 for k in range(start, end) if raw_lines[k - 1].strip(EDGE_SPACE)) > 1}

    found.dropped[:] = [Dropped(at(d.line) or d.line, d.text, d.reason) for d in found.dropped]
    found.notes[:] = [replace(n, line=at(n.line)) for n in found.notes]
    found.signatures = {at(k) or k for k in found.signatures}
    return [Line(at(line.no) or line.no, line.text, line.opens, line.indented) for line in lines]


#: An advertising marker's most characters (`Annonsørinnhold`, `Publizitatea`, `Quảng cáo`).
MARKER_MAX_CHARS = 25


def _blocks_of(texts: list[str]) -> list[list[int]]:
    """The indexes of the lines of each blank-line-separated block of `texts`."""
    spans: list[list[int]] = []
    for k, text in enumerate(texts):
        if not text:
            continue
        if spans and k > 0 and texts[k - 1]:
            spans[-1].append(k)
        else:
            spans.append([k])
    return spans


#: The most words of a third line under an advertisement's headline (its sponsor, its offer).
AD_THIRD_WORDS = 6


def _advert_blocks(texts: list[str], weights: list[int], lex: Lexicon) -> dict[int, str]:
    """Lines (by index) of advertisements in the body in words the data file lacks: a block of two lines, a
    marker of a word or two over a promoted headline, set between two blocks of prose. A subheading stands alone
    in its block; a picture's counter over its caption, a byline over its date and a quotation are no such pair."""
    spans = _blocks_of(texts)

    def prose(span: list[int]) -> bool:
        return any(weights[k] for k in span)

    out: dict[int, str] = {}
    for n in range(1, len(spans) - 1):
        # A sponsor's or an offer's short line may stand under the headline (`სპონსორი: …`, "sponsor").
        if len(spans[n]) == 3:
            third = texts[spans[n][2]]
            if len(third.split()) > AD_THIRD_WORDS or _ends_sentence(third) or weights[spans[n][2]]:
                continue
        elif len(spans[n]) != 2:
            continue
        marker, headline = (texts[k] for k in spans[n][:2])
        if len(marker.split()) > 2 or len(marker) > MARKER_MAX_CHARS or any(ch.isdigit() for ch in marker) \
                or marker[:1] in QUOTE_OPENERS or _ends_sentence(marker) or marker.endswith((":", "：")) \
                or (_cased_name(marker) and _names_line(marker)):
            continue
        if len(headline.split()) > 20 or _ends_sentence(headline) or weights[spans[n][1]] \
                or split_caption(headline) is not None or find_dates(headline) or read_byline(headline) is not None:
            continue
        # A widget's row under its label (`Artikel teilen` over `Facebook X WhatsApp …`) goes by its own rule.
        if chrome_reason(headline, lex) is not None:
            continue
        # The article's prose around it, perhaps past a caption above or a subheading below.
        if any(prose(span) for span in spans[max(0, n - 2):n]) and any(prose(span) for span in spans[n + 1:n + 3]):
            out.update((k, "an advertisement: a marker over its promoted headline, between the article's prose")
                       for k in spans[n])
    return out


#: A sign-up box's buttons and field labels under its text: two or three lines, and the most lines of its text.
FORM_FIELDS = (2, 3)
FORM_TEXT_LINES = 3
_FULL_STOP = re.compile(rf"[.!?。！？؟।][{re.escape(CLOSING_MARKS)}]*$")


#: The most words of a form's field label or button (`Adresa ta de e-mail`).
FIELD_WORDS = 4


def _field(text: str) -> bool:
    """A form's field label or a button: a few words, no sentence, no figure, no name, no list item."""
    return 1 <= len(text.split()) <= FIELD_WORDS and not _ends_sentence(text.rstrip(":：*")) \
        and not any(ch.isdigit() for ch in text) and not (_cased_name(text) and _names_line(text)) \
        and not BULLET.match(text) and text[:1] not in QUOTE_OPENERS and read_byline(text) is None


def _form_blocks(texts: list[str], weights: list[int], lex: Lexicon) -> dict[int, str]:
    """Lines (by index) of sign-up boxes in the body in words the data file lacks: a block of a short text with a
    sentence in it (a line or two of pitch, perhaps its title), over a field's label and a button (short lines,
    no sentence, no figure, no name), with the article's prose above it and below it."""
    spans = _blocks_of(texts)
    prose = [any(weights[k] for k in span) for span in spans]

    out: dict[int, str] = {}
    for n in range(1, len(spans) - 1):
        span = spans[n]
        if prose[n] or not prose[n - 1] or not any(prose[n + 1:]):
            continue
        for fields in FORM_FIELDS:
            head, tail = span[:-fields], span[-fields:]
            if 1 <= len(head) <= FORM_TEXT_LINES and all(_field(texts[k]) for k in tail) \
                    and any(_FULL_STOP.search(texts[k]) for k in head) and not _field(texts[head[-1]]):
                out.update((k, "a sign-up box: its pitch over a field and a button, between the article's prose")
                           for k in span)
                break
    return out


#: A banner above the article: within this many lines of the page's top, and two to four buttons under its text.
TOP_BANNER_LINES = 12
TOP_BANNER_BUTTONS = (2, 4)


def _top_banner(texts: list[str], weights: list[int], lex: Lexicon) -> dict[int, str]:
    """Lines (by index) of a banner above the article in words the data file lacks: the page's first block with
    running text in it, near the top, whose text ends in sentences over two to four buttons (no sentence, no
    figure, no name, no byline). A dek over its byline and date has one such line at most."""
    filled = 0
    for span in _blocks_of(texts):
        filled += len(span)
        if not any(weights[k] for k in span):
            if filled > TOP_BANNER_LINES:
                return {}
            continue
        lines = [texts[k] for k in span]
        tail = list(itertools.takewhile(_field, reversed(lines)))
        low, high = TOP_BANNER_BUTTONS
        if low <= len(tail) <= high and len(tail) < len(lines) and _FULL_STOP.search(lines[-len(tail) - 1]):
            return dict.fromkeys(span, TOP_BANNER)
        return {}
    return {}


#: A link line's label and its headline: a label of up to three words before a colon or an arrow
#: (`함께 읽어볼 기사 ▶ …`), a headline of `LINK_HEADLINE_WORDS` words that ends no sentence.
_LABEL_LINE = re.compile(
    rf"^(?P<label>[^\W\d_][^:：\d{LINK_ARROWS}]{{0,30}}?)\s*(?:[:：]|\s[{LINK_ARROWS}])\s*(?P<rest>\S.*)$")
LINK_HEADLINE_WORDS = (4, 20)


def _repeated_labels(texts: list[str], weights: list[int], lex: Lexicon) -> dict[int, str]:
    """Lines (by index) of link lines in words the data file lacks: below the article's first prose, lines alone
    in their blocks, each a label and another article's headline, the same label over different headlines
    (`Čítajte aj: …` twice); a heading's label changes (`Day 1: …`, `Day 2: …`)."""
    found: dict[str, list[tuple[int, str]]] = collections.defaultdict(list)
    seen_prose = False
    for k, text in enumerate(texts):
        if not seen_prose:
            seen_prose = weights[k] > 0
            continue
        alone = (k == 0 or not texts[k - 1]) and (k + 1 == len(texts) or not texts[k + 1])
        if not alone or (m := _LABEL_LINE.match(text)) is None:
            continue
        label, rest = m.group("label"), m.group("rest")
        low, high = LINK_HEADLINE_WORDS
        # Without spaces between words, two characters stand in for a word (as in `prose_weight`).
        size, label_size = (len(rest) // 2, len(label) // 2) if lex.unspaced else \
            (len(rest.split()), len(label.split()))
        # A headline ends no sentence and holds none: an interview's question (`Q: … ?`) does.
        if label_size <= 3 and low <= size <= high and not _ends_sentence(rest) \
                and not _FULL_STOP.search(rest) and not _INNER_SENTENCE_END.search(rest) \
                and split_caption(text) is None and not find_dates(text):
            found[fold_letters(label)].append((k, fold_letters(rest)))
    out: dict[int, str] = {}
    for items in found.values():
        if len(items) >= 2 and len({rest for _, rest in items}) == len(items):
            out.update((k, "a link line: a label repeated over other articles' headlines") for k, _ in items)
    return out


def _offer(text: str) -> bool:
    """An advertisement's headline prices its offer (`Mulai Rp499 Ribu`, `o £9 y mis`); a subheading rarely
    carries a figure or a currency sign."""
    return any(ch.isdigit() or unicodedata.category(ch) == "Sc" for ch in text)


def _prose_next(joined: list[str], no: int, lex: Lexicon) -> bool:
    """Whether the next line of text after line `no` is prose: a subheading introduces text, an advertisement's
    headline may stand over the article's next subheading."""
    after = next((t.strip(EDGE_SPACE) for t in joined[no:] if t.strip(EDGE_SPACE)), "")
    return prose_weight(_INNER_SPACE.sub(" ", after), lex) > 0


def _between_prose(joined: list[str], no: int, lex: Lexicon) -> bool:
    """Whether the lines of text before and after line `no` are both prose: a short line there is a subheading,
    even when its words are all widgets' words (`Ce susține postarea`, "What the post claims")."""
    before = next((t.strip(EDGE_SPACE) for t in reversed(joined[: no - 1]) if t.strip(EDGE_SPACE)), "")
    after = next((t.strip(EDGE_SPACE) for t in joined[no:] if t.strip(EDGE_SPACE)), "")
    return all(prose_weight(t, lex) > 0 and len(t.split()) >= BETWEEN_PROSE_WORDS for t in (before, after))


def _over_byline(joined: list[str], no: int) -> bool:
    """Whether the next line of text after line `no` is a byline, a bare line of names or a date line."""
    nxt = next((t.strip(EDGE_SPACE) for t in joined[no:] if t.strip(EDGE_SPACE)), "")
    return bool(nxt) and (read_byline(nxt) is not None or read_date_line(nxt) is not None or _names_line(nxt))


def _short_label(text: str, lex: Lexicon) -> bool:
    """A line as short as a button's label: four words at most (twelve characters in unspaced scripts), not a
    sentence."""
    size_ok = len(text) <= 12 if lex.unspaced or " " not in text else len(text.split()) <= 4
    return size_ok and not _ends_sentence(text) and not text.endswith(("?", "？", ":", "："))


def _widget_neighbours(lines: list[Line], found: _Found, joined: list[str], lex: Lexicon) -> list[Line]:
    """Short lines standing in one block with the site's widgets are widgets too, whatever their words (`Lees
    voor` over `Printen` and `A A A`), as jusText reclassifies short blocks by their neighbours. The first line
    kept (the headline's place), bylines, dates and captions stay."""
    widget = {d.line for d in found.dropped}
    kept = {line.no: line for line in lines}
    # A photo gallery's counter over or under a caption (`Photo 3 of 12`, `第3张 共12张`, `사진 1 / 6`): two numbers,
    # the first at most the second, in a few words.
    for k, line in enumerate(lines):
        # A list's item is the article's (`• Script: 3 of 5` among a review's ratings).
        if len(line.text) > 30 or len(line.text.split()) > 5 or _ends_sentence(line.text) or BULLET.match(line.text):
            continue
        numbers = [int(n) for n in re.findall(r"\d+", line.text)]
        if not (len(numbers) == 2 and 1 <= numbers[0] <= numbers[1] <= 999):
            continue
        # Two numbers joined by a colon, or by a dot or an `h` before two digits, are a time of day (a live blog's
        # `12:20`, `2.05 petang` or `12h35` under its entry's photo).
        if re.search(r"\d\s*[:：]\s*\d|\d[.hH]\d\d(?!\d)", line.text):
            continue
        # The caption test last: it tries every credit rule on the lines around.
        if any(0 <= j < len(lines) and (split_caption(lines[j].text) or credit_only(lines[j].text))
               for j in (k - 1, k + 1)):
            found.drop(line.no, line.text, "a photo gallery's counter beside a caption")
            widget.add(line.no)
            del kept[line.no]
    first = lines[0].no if lines else 0
    changed = True
    while changed:
        changed = False
        for no, line in list(kept.items()):
            if no == first or not _short_label(line.text, lex):
                continue
            # Same block: the line directly above or below, with no blank line between.
            touching = any(n in widget and 1 <= n <= len(joined) and joined[n - 1].strip(EDGE_SPACE)
                           for n in (no - 1, no + 1))
            if not touching or read_byline(line.text) is not None or _role_byline(line.text) is not None \
                    or find_dates(line.text) \
                    or split_caption(line.text) is not None or credit_only(line.text) is not None \
                    or BULLET.match(line.text):
                continue
            found.drop(no, line.text, "a short line among the site's widgets")
            widget.add(no)
            del kept[no]
            changed = True
    # A reaction widget asks its question over its counters (`Vond u dit een goed artikel?` over `👍 214 👎 12`): a
    # short question directly over a widget's line that holds no letter at all is the widget's.
    for no, line in list(kept.items()):
        if no == first or no not in range(1, len(joined)) or not line.text.endswith(("?", "？", "؟")) \
                or len(line.text.split()) > REACTION_QUESTION_WORDS or no + 1 not in widget:
            continue
        below = joined[no].strip(EDGE_SPACE)
        if below and not any(ch.isalpha() for ch in below):
            found.drop(no, line.text, "a reaction widget's question over its counters")
            del kept[no]
    return [line for line in lines if line.no in kept]


#: The most words of a reaction widget's question (`Was this article helpful?`).
REACTION_QUESTION_WORDS = 8


_BRACKETED = re.compile(r"[(（][^()（）]+[)）]")
_CREDIT_LINE = re.compile(rf"^(?P<label>{WORD_CHAR}+(?:\s{WORD_CHAR}+){{0,2}})\s*[:：]\s*(?P<names>\S.{{1,80}})$")
#: The most words of a sentence that calls the reader to the site's channels (`Luister … via Spotify, Apple
#: Podcasts of je favoriete podcastapp.`).
PLATFORM_CALL_WORDS = 20


def _platform_call(text: str, lex: Lexicon) -> bool:
    """A call to the site's channels in any wording: one short sentence that opens on a widget's word (listen,
    follow, subscribe: an imperative) and names two networks or more. An article's own sentence that names them
    (`The video was shared on Facebook and X.`) opens otherwise."""
    found = text.split()
    if not found or len(found) > PLATFORM_CALL_WORDS or _INNER_SENTENCE_END.search(text):
        return False
    first = found[0].strip("\"'“”„«»‘’()[]")
    if not widget_words(first, lex)[0] or _network(lex).fullmatch(first):
        return False
    return len({fold_letters(m.group(0)) for m in _network(lex).finditer(text)}) >= 2


@lru_cache(maxsize=64)
def _network(lex: Lexicon) -> re.Pattern[str]:
    """The networks' and platforms' names as sites print them (the neutral file's, and the language's own)."""
    # A long name may take a case ending (Slovak `na Facebooku, Instagrame a X`); a short one would then be a word.
    long = sorted((re.escape(n) for n in lex.phrases("network") if len(n) >= 5), key=len, reverse=True)
    short = sorted((re.escape(n) for n in lex.phrases("network") if 2 <= len(n) < 5), key=len, reverse=True)
    return re.compile(rf"{WORD_START}(?:(?:{'|'.join(long) or '(?!x)x'})[^\W\d_]{{0,3}}|"
                      rf"(?:{'|'.join(short) or '(?!x)x'})){WORD_END}")


def _chrome_led(text: str, lex: Lexicon) -> bool:
    """Whether a line opens with a widget phrase of two words or more (`Follow us on`, `Sign up for`)."""
    m = lex.chrome.match(text)
    return m is not None and len(m.group(0).split()) >= 2


#: Running text: at least this many words in at least two sentences.
RUNNING_TEXT_WORDS = 20
_INNER_SENTENCE_END = re.compile(rf"[.!?。！？…;؟।۔][{re.escape(CLOSING_MARKS)}]*\s+\S")


def _running_text(text: str) -> bool:
    """Two sentences or more of twenty words in all, however the last one ends (a quotation mark the tests of a
    sentence's end do not know, a smiley)."""
    return len(text.split()) >= RUNNING_TEXT_WORDS and _INNER_SENTENCE_END.search(text) is not None


def _between_chrome(no: int, joined: list[str], dropped: set[int]) -> bool:
    """Whether the nearest lines of text above and below line `no` both went as the site's (jusText's short block
    between two bad ones); the page's end counts as the site's."""
    above = next((k for k in range(no - 1, 0, -1) if joined[k - 1].strip(EDGE_SPACE)), None)
    below = next((k for k in range(no + 1, len(joined) + 1) if joined[k - 1].strip(EDGE_SPACE)), None)
    return above in dropped and (below is None or below in dropped)


def _trim_tail(lines: list[Line], found: _Found, lex: Lexicon, joined: list[str]) -> list[Line]:
    """After the article's last line of prose, lines that carry any widget word, handle or copyright sign are
    the page's footer, even when they also hold words the lexicon does not know."""
    # The headline is not the article's prose: with no prose under it there is no footer to tell apart.
    # A sentence that opens with a widget's words (`Follow us on Facebook, X and Instagram for live updates.`) is
    # the site's, however long.
    last = max((k for k, line in enumerate(lines) if k > 0 and prose_weight(line.text, lex)
                and not _chrome_led(line.text, lex) and not _platform_call(line.text, lex)), default=None)
    if last is None:
        return lines
    kept = lines[: last + 1]
    tail = lines[last + 1:]
    # The article's notes, cited in its text (`…[2]`), whatever their words (`[2] This post shares my experience
    # only.`): a marked note line whose label the text above used.
    cited = set().union(*(_cited(line.text) for line in kept))
    notes = {line.no for line in tail if (m := NOTE_LINE.match(line.text)) is not None
             and (m.group("b") or m.group("p") or m.group("s") or m.group("k")) and _note_label(m) in cited}
    boxed: set[int] = set()
    # Lines with a handle or an address: dropped already, or still to go as the footer's.
    handles = {d.line for d in found.dropped if contact_line(d.text)} | {t.no for t in tail if contact_line(t.text)}
    for k, line in enumerate(tail):
        # An author box: a short label, the name, then the handles or links under it.
        if _names_line(line.text) and "," not in line.text and not contact_line(line.text) \
                and (line.no + 1 in handles or line.no + 2 in handles):
            boxed.add(line.no)
            if k > 0 and len(tail[k - 1].text.split()) <= 4 and not _ends_sentence(tail[k - 1].text):
                boxed.add(tail[k - 1].no)
    # Headlines of other articles at the page's end: a run of unpunctuated lines of five words or more after the
    # last prose (an article never ends on a heading), with the short label over them.
    run = [k for k, line in enumerate(tail) if len(line.text.split()) >= 5 and not _ends_sentence(line.text)
           and split_caption(line.text) is None and not BULLET.match(line.text)
           and line.no not in found.signatures]
    if run and run[-1] == len(tail) - 1:
        start = run[-1]
        while start - 1 in run:
            start -= 1
        boxed.update(tail[k].no for k in range(start, len(tail)))
        if start > 0 and len(tail[start - 1].text.split()) <= 4 and not _ends_sentence(tail[start - 1].text):
            boxed.add(tail[start - 1].no)
    # Short labels left at the very end (`About the author`, `Report an error`): an article does not end on one.
    # A few at most: a long run of short lines is the article's own (a list, a poem), not a footer.
    end_labels: list[int] = []
    for line in reversed(tail):
        if line.no in boxed:
            continue
        # Where names have no capitals a short label looks like one (Bengali `আরও পর্ব`, "more episodes"): over
        # the page's last short lines it is a label too; a letter's signature ends the page.
        named = _names_line(line.text) and (_cased_name(line.text) or not (end_labels or boxed))
        if len(line.text.split()) <= 4 and not _ends_sentence(line.text) and not named \
                and split_caption(line.text) is None and not BULLET.match(line.text):
            end_labels.append(line.no)
            continue
        break
    if len(end_labels) <= MAX_END_LABELS:
        boxed.update(end_labels)
    # An editor's credit after the last prose (`Production and editing: Sharmin Nahar`), a label of a few words over
    # names only, is the site's, as the editor's rules say.
    credits = {line.no for line in tail if (m := _CREDIT_LINE.match(line.text)) is not None
               and not any(ch.isdigit() for ch in m.group("label")) and _names_line(m.group("names"))
               and line.no not in found.signatures}
    boxed |= credits
    # The rail: these rules read the shape of a box, not its words; running text of two sentences or more is the
    # article's whatever box it seems to stand in.
    boxed -= {line.no for line in tail if _running_text(line.text)}
    # The site's lines around the tail's: dropped already, boxed, or holding a widget's word and no prose.
    site = {d.line for d in found.dropped} | boxed | {t.no for t in tail if chrome_hint(t.text, lex)
                                                     and not prose_weight(t.text, lex)}
    # The page's last line of text, and its last that is not the site's: a line between the two has only the
    # site's lines under it.
    filled = [k for k in range(1, len(joined) + 1) if joined[k - 1].strip(EDGE_SPACE)]
    last_filled = filled[-1] if filled else 0
    last_own = max((k for k in filled if k not in site), default=0)
    for line in tail:
        if line.no in notes:
            kept.append(line)
            continue
        if line.no in credits:
            found.drop(line.no, line.text, "a credit: a label over names only, after the article's last prose")
            continue
        if line.no in boxed:
            found.drop(line.no, line.text, "an author box: a label and a name over its handles")
            continue
        # Below the last prose a short sentence with a widget's words is the page's (`Comments are closed for this
        # article.`, `Found an error? Tell us!`); a sentence of running-text length is the article's.
        if lex.unspaced and " " not in line.text.strip():  # no words to count: characters
            covered = sum(len(m.group(0)) for m in lex.chrome.finditer(line.text)) / max(1, len(line.text))
        else:
            matched = sum(len(m.group(0).split()) for m in lex.chrome.finditer(line.text))
            covered = matched / max(1, len(line.text.split()))
        long_enough = len(line.text.split()) >= 6 or (lex.unspaced and len(line.text) >= 15)
        # An author's note in brackets (`（作者系青梧县人，长期关注…）`) is a sentence that ends in its bracket.
        sentence = (_ends_sentence(line.text) or _BRACKETED.fullmatch(line.text) is not None) and long_enough \
            and "©" not in line.text \
            and covered < CHROME_SHARE and not _chrome_led(line.text, lex) and not _widget_sentence(line.text, lex) \
            and not _platform_call(line.text, lex)
        # A short sentence with a widget's word, between two of the site's lines, is the site's too
        # (`Kommentointi on suljettu tämän artikkelin osalta.` between the tag line and the copyright line).
        hits, content = widget_words(line.text, lex)
        # Under the article's last block with only the site's lines below it to the page's end, such a line that
        # ends no sentence is theirs too (`பிழையைத் தெரிவிக்க`, "report an error", over the copyright line).
        closing = last_own <= line.no < last_filled and not _ends_sentence(line.text) \
            and not (_names_line(line.text) and _cased_name(line.text))
        walled = not prose_weight(line.text, lex) and hits > 0 and 2 * hits >= content \
            and (_between_chrome(line.no, joined, site) or closing)
        # A headline between the site's lines (`이전 글` over it, `다음 글` under it: "previous post", "next post")
        # is a link of theirs: no sentence, no prose, walled in.
        walled = walled or (not _ends_sentence(line.text) and not prose_weight(line.text, lex)
                            and _between_chrome(line.no, joined, site) and not _running_text(line.text))
        if (not sentence or walled) and split_caption(line.text) is None \
                and (chrome_hint(line.text, lex) or _widget_sentence(line.text, lex) or walled):
            found.drop(line.no, line.text, "in the page's footer: a widget, contact or copyright line")
        else:
            kept.append(line)
    return kept


#: A short sentence is the site's when this share of its content words, and at least `WIDGET_WORDS_MIN` of
#: them, are words of the site's widget phrases (`Spotted a mistake? Select it and press Ctrl+Enter.`).
WIDGET_WORD_SHARE = 0.6
WIDGET_WORDS_MIN = 3


def _widget_sentence(text: str, lex: Lexicon) -> bool:
    """A sentence shorter than prose whose words are mostly the site's: a widget phrase reworded."""
    if lex.unspaced or prose_weight(text, lex):
        return False
    hits, content = widget_words(text, lex)
    return hits >= WIDGET_WORDS_MIN and hits >= WIDGET_WORD_SHARE * content


def _advert_rule() -> Rule:
    return next(rule for rule in _table(BOILERPLATE_LINES) if rule.name == "advert")


def _boilerplate_rule(text: str) -> str:
    return next((rule.name for rule in _table(BOILERPLATE_LINES) if rule.pattern.search(text)), "leftover")


# --- pass 2: header ---------------------------------------------------------------------------------

HeaderRule = Callable[[Sequence[Line], int, _Header], int]


def _header_title_repeat(lines: Sequence[Line], i: int, head: _Header) -> int:
    if _comparable(lines[i].text) != _comparable(head.title):
        return 0
    head.dropped.append(Dropped(lines[i].no, lines[i].text, "the headline printed a second time"))
    return 1


#: The article's words that it writes in lower case (`умер`, "died"): a capitalised one among them opens a sentence
#: or a headline, and is no personal name.
_COMMON: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar("common", default=frozenset())


def _common_words(text: str) -> frozenset[str]:
    return frozenset(w for w in words(text) if w[:1].islower())


def _role_byline(text: str, known_role: bool = False) -> list[Byline] | None:
    """`Ioana Mureșan, coordonatoare de programe`: names with a job the language's data file knows after the
    comma are a byline even with no `By` and no date beside them; with `known_role` false, any short lower-case
    phrase after capitalised names counts as the job."""
    name, comma, role = _bracket_role(text).partition(",")  # a job in brackets reads as after a comma
    if not comma and active().capitalises:
        # A job after the names with no comma (Icelandic `Ragnheiður Sölvadóttir kvikmyndagagnrýnandi`, "film
        # critic"): the names capitalised, then a few words in lower case that the data file knows for a job.
        pieces = text.split()
        k = next((n for n, piece in enumerate(pieces) if piece[:1].islower()), 0)
        if k >= 2 and len(pieces) - k <= 3 and _is_role(" ".join(pieces[k:])):
            name, comma, role = " ".join(pieces[:k]), ",", " ".join(pieces[k:])
    role = role.strip()
    if not comma or "," in role or len(text) > 80 or not _names_line(name):
        return None
    # A title-case headline has a comma too (`Jembatan Gantung Sukamaju Ambruk, Ratusan Pelajar Terpaksa Memutar
    # 12 Kilometer`): a job has no figures and few words, and a personal name at most three.
    if any(ch.isdigit() for ch in role) or len(role.split()) > 6 \
            or any(len(n.split()) > 3 for n in _split_language_names(name)):
        return None
    common = _COMMON.get()
    if any(w[:1].isupper() and w.lower() in common for w in words(name)):
        return None
    # A job in lower case after capitalised names (`coordonatoare de programe`) reads as one in any language.
    # Only where names take capitals: Georgian's letters are lower case in Unicode, and a name after the comma
    # (`ნინო ბერიძე, გიორგი ლომიძე`) is a second author's.
    lowered = active().capitalises and role[:1].islower() and len(role.split()) <= 5 \
        and not any(ch.isdigit() for ch in role) and not _ends_sentence(role)
    if not (_is_role(role) or (lowered and not known_role)):
        return None
    return [Byline(n.strip(), role) for n in _split_language_names(name)]


_LABELLED = re.compile(r"^(?P<label>[^\W\d_]{2,20}(?:\s[^\W\d_]{2,20})?)\s*[:：]\s*(?P<names>\S.{2,80})$")
#: Keys of labels that name someone other than the article's author (`Foto:`) or are no byline (`Q:`, dates).
_NOT_AUTHOR_LABELS = ("credit", "credit_by", "caption_label", "courtesy", "interview_labels", "date_words",
                      "published", "updated", "tags", "tagged", "notes_headings")


def _labelled_byline(text: str) -> list[Byline] | None:
    """`Avtorja: Maja Kovač in Luka Zupan`: in the header, a label of a word or two the data file does not know,
    then only personal names, is a byline (a form of the word for "author" the file lacks)."""
    m = _LABELLED.match(text)
    if not m or not _names_line(m.group("names")):
        return None
    label = fold_letters(m.group("label"))
    lex = active()
    if any(label == p.rstrip(":： ") for key in _NOT_AUTHOR_LABELS for p in lex.folded(key)):
        return None
    # Where names have no capitals their shape proves little: a known job word or the file's label is needed.
    if not any(_cased_name(n) for n in _split_language_names(m.group("names"))):
        return None
    pieces = [_bracket_role(piece).partition(",") for piece in _split_language_names(m.group("names"))]
    return [Byline(name.strip(), role.strip() or None) for name, _, role in pieces]


def _header_byline(lines: Sequence[Line], i: int, head: _Header) -> int:
    parsed = split_byline_date(lines[i].text) or _names_with_date(lines[i].text)
    # Above the headline a line of capitalised words, a comma and a lower-case phrase is the headline itself
    # (`Умер Григорий Левашов, основатель театра`, "Grigory Levashov has died, the theatre's founder") unless the
    # phrase is a job the data file knows.
    if parsed is None and (authors := _role_byline(lines[i].text, known_role=not head.title)
                           or _labelled_byline(lines[i].text)) is not None:
        parsed = (authors, None)
    if parsed is None:
        return 0
    authors, dates = parsed
    head.authors.extend(a for a in authors if a.name not in {b.name for b in head.authors})
    if dates is not None and head.date is None:
        head.date, head.updated = dates.published, dates.updated
    return 1


# What parts a line of names, a date and the site's counters: a bar, a dot, a dash, a slash or a wide gap; a
# comma does not (`New York, March 3, 2026` is a dateline's place).
_NAME_DATE_GAP = re.compile(r"\s*[|•·]\s*|\s+[–—/]\s+|\u3000+")


def _names_with_date(text: str) -> tuple[list[Byline], DateLine] | None:
    """`Ann Lee | March 3, 2026`, `March 3, 2026 · 4 min read · Ann Lee`, `陈晓东　　2026-03-12 09:30`: a line of
    personal names with no `By` and the date beside them (the site's counters between) is a byline with its date:
    the editor's rules' names standing with the date."""
    if not find_dates(text):
        return None
    lex = active()
    pieces = [p.strip() for p in _NAME_DATE_GAP.split(text) if p.strip()]
    read = {p: read_date_line(p) for p in pieces if find_dates(p)}
    dated = [p for p in pieces if read.get(p) is not None]
    # A section's or an agency's name beside the date is the site's (`Politics | …`): no job word, no widget word.
    named = [p for p in pieces if p not in dated and len(p) <= 60 and _names_line(p) and not _is_role(p)
             and not chrome_hint(p, lex)]
    rest = [p for p in pieces if p not in dated and p not in named]
    if len(named) != 1 or not dated or any(not (lex.counters.search(p) or chrome_hint(p, lex)) for p in rest
                                           if p is not _first_place(rest)):
        return None
    dates = read[dated[0]]
    assert dates is not None
    parts = [_bracket_role(piece).partition(",") for piece in _split_language_names(named[0])]
    return [Byline(name.strip(), role.strip() or None) for name, _, role in parts], dates


def _place(text: str) -> bool:
    """A dateline's place (`Madrid`, `Rio de Janeiro`): a word or three, capitalised, no digits, no sentence;
    where a script has no capitals a place cannot be told by its shape."""
    found = text.split()
    return 1 <= len(found) <= 3 and len(text) <= 40 and _cased_name(text) and found[0][:1].isupper() \
        and found[-1][:1].isupper() and not any(ch.isdigit() for ch in text) and not _ends_sentence(text) \
        and not chrome_hint(text, active())


def _first_place(pieces: list[str]) -> str | None:
    return next((p for p in pieces if _place(p)), None)


_PLACE_BEFORE = re.compile(r"^(?P<place>[^,،，|]{2,40}?)\s*[,،，]\s*(?=\S)")


#: A label of a word or three before a colon (`منتشر شده:`, "published:", in a wording the data file lacks).
_LABEL_BEFORE = re.compile(r"^(?P<label>[^\W\d_][^:：\d]{0,30})[:：]\s*(?=\S)")
LABEL_MAX_WORDS = 3


def _dated_line(text: str) -> DateLine | None:
    """A header's date line, perhaps after the place it was written in (`Madrid, 12 mar 2026 - 09:30 CET`) or
    under a label of a few words the data file does not know."""
    if (found := read_date_line(text)) is not None:
        return found
    m = _PLACE_BEFORE.match(text)
    if m and _place(m.group("place")):
        return read_date_line(text[m.end():])
    # `Yayınlanma: 14.03.2024 09:20 | Güncelleme: 14.03.2024 11:45`: labelled dates side by side, the first
    # the publication's and a later one its update.
    # A counter among them (`… | 23 comentarios`) is a date line's too.
    pieces = [_labelled_date(p) for p in _DATE_PIECES.split(text) if not _COUNTER_PIECE.fullmatch(p.strip())]
    if pieces and all(pieces):
        first, *rest = (p for p in pieces if p is not None)
        later = [d for p in rest for d in (p.published, p.updated) if d is not None and d != first.published]
        return DateLine(first.published, first.updated or max(later, default=None))
    return None


_DATE_PIECES = re.compile(r"\s+[|·•]\s+")
_COUNTER_PIECE = re.compile(COUNTER)


def _labelled_date(text: str) -> DateLine | None:
    if (found := read_date_line(text)) is not None:
        return found
    m = _LABEL_BEFORE.match(text)
    return read_date_line(text[m.end():]) if m and len(m.group("label").split()) <= LABEL_MAX_WORDS else None


def _header_date(lines: Sequence[Line], i: int, head: _Header) -> int:
    found = _dated_line(lines[i].text)
    if found is None:
        return 0
    spans = line_dates(lines[i].text)
    if spans[0].start > 0 or spans[-1].end < len(lines[i].text):
        head.dropped.append(Dropped(lines[i].no, lines[i].text, "the date line: the date is kept; its labels, "
                                                                 "counters and separators are left out"))
    if head.date is None:
        head.date, head.updated = found.published, found.updated
    elif found.updated is None and found.published != head.date and head.updated is None:
        head.updated = found.published  # a second date line is the update
    return 1


def _header_caption(lines: Sequence[Line], i: int, head: _Header) -> int:
    photo = split_caption(lines[i].text)
    if photo is not None:
        head.photos.append(photo)
        return 1
    # A credit standing alone (`Illustration by Mia Wong`): the lead picture has no caption.
    if (credit := credit_only(lines[i].text)) is not None:
        head.photos.append(Photo(caption="", credit=credit))
        return 1
    # A caption with its credit on the next line.
    if i + 1 < len(lines) and (credit := credit_only(lines[i + 1].text)) and len(lines[i].text) <= CAPTION_MAX_CHARS:
        head.photos.append(Photo(caption=lines[i].text, credit=credit))
        return 2
    return 0


# Tried in order on each line after the headline; the first that claims a line consumes it.
HEADER_RULES: tuple[tuple[str, HeaderRule, str], ...] = (
    ("title-repeat", _header_title_repeat, "the headline printed a second time"),
    ("byline", _header_byline, "a `By …` line naming the authors, perhaps with the date"),
    ("date", _header_date, "a date line, with its comment counter and separators"),
    ("caption", _header_caption, "the lead photo's caption ending in its credit, or with the credit below"),
)


def _claim(lines: Sequence[Line], i: int, head: _Header) -> int:
    for _name, rule, _note in HEADER_RULES:
        used = rule(lines, i, head)
        if used:
            return used
    return 0


# A site's name after the headline, as a page title carries it: `Headline | The Example Times`.
_SITE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—]{2,60}$")


def _ends_sentence(text: str) -> bool:
    # Urdu's full stop `۔` and Hindi's danda `।` end sentences as `.` does.
    return text.rstrip(CLOSING_MARKS).endswith((".", "!", "。", "…", "۔", "।"))


def _is_kicker(lines: Sequence[Line], start: int) -> bool:
    """Whether the line at `start` is a section label (`WORLD`, `Politics`) standing above the headline."""
    first, second = lines[start].text, lines[start + 1].text
    if _ends_sentence(first) or len(second.split()) < 4 or len(second) <= len(first):
        return False
    probe = _Header(title=second)

    def header_under(before: int) -> int | None:
        """Where the byline or date under the headline stands, from two lines below the label to `before`."""
        return next((j for j in range(start + 2, min(start + before, len(lines)))
                     if _header_byline(lines, j, probe) or _header_date(lines, j, probe)), None)

    # A section's crumb (`Подкасты / Город у воды`, "Podcasts / Town by the water"): short items set apart by a
    # separator, over a headline with the byline or date right under it.
    items = _CRUMB_PARTS.split(first)
    if len(items) > 1 and all(1 <= len(item.split()) <= 4 for item in items) and not _ends_sentence(second):
        return header_under(4) is not None
    if len(first.split()) > 3:
        return False
    if first.isupper() and not second.isupper():
        return True
    # One or two words over a headline with the byline or date right under it: the section's label.
    if len(first.split()) <= 2 and not _ends_sentence(second) and len(second) >= 3 * len(first) \
            and header_under(4) is not None:
        return True
    # A short label with headline, then dek or byline, under it: the byline or date comes three lines down.
    header_at = header_under(5)
    return header_at is not None and header_at - start >= 3 and not _ends_sentence(second)


# What sets a crumb's items apart (a dash sets a headline's parts apart: `Review: Korvi Pulse 3 – quiet, clumsy`).
_CRUMB_PARTS = re.compile(r"\s[/|›»·]\s")
_SITE_MARKS = re.compile(rf"^[▶►⏵]|{_CRUMB_PARTS.pattern}")
_SITE_PARTS = re.compile(r"\s[–—|·/]\s")


def _above_menu(lines: Sequence[Line], start: int, menus: set[int], dropped: set[int]) -> bool:
    """Whether the line at `start` is the site's (its name, a skip link) above its menu: a menu or crumb trail was
    dropped right under it, and under that stands a headline with the byline or date beneath it."""
    first, second = lines[start], lines[start + 1]
    # Without a menu under it, its own words tell it: mostly the widgets' (a skip link in other words than the
    # data file's, `გადასვლა ძირითად შინაარსზე`).
    # Under the site's lines, a line set with a play sign or with separators between its items is the site's too
    # (a radio's `▶ LISTEN LIVE 98.7 FM`, a crumb `Society / Regions`): a headline has neither.
    hits, content = widget_words(first.text, active())
    before = max((line.no for line in lines[:start]), default=0)
    # So is a line whose part after a dash or a bar is all widget words (`Radio Suara Lembah 98,4 FM – Dengarkan
    # Siaran Langsung`, "listen live"): the site's name and its player.
    parts = _SITE_PARTS.split(first.text)
    counts = [widget_words(p, active()) for p in parts]
    widget_part = len(parts) > 1 and any(h >= 2 and h >= WIDGET_WORD_SHARE * c for h, c in counts)
    under_menu = any(before < no < first.no for no in dropped) and (bool(_SITE_MARKS.search(first.text))
                                                                    or widget_part)
    if not any(first.no < no < second.no for no in menus) and not under_menu and not (
            hits >= 2 and hits >= WIDGET_WORD_SHARE * content):
        return False
    # The site's name is short; its player's words after it are not counted.
    named = max(len(p.split()) for p, (h, c) in zip(parts, counts, strict=True)
                if not (h >= 2 and h >= WIDGET_WORD_SHARE * c)) if widget_part else len(first.text.split())
    if named > MENU_TOP_WORDS or _ends_sentence(first.text) or _ends_sentence(second.text):
        return False
    probe = _Header(title=second.text)
    return any(_header_byline(lines, j, probe) or _header_date(lines, j, probe)
               for j in range(start + 2, min(start + 5, len(lines))))


def _find_title(lines: Sequence[Line], head: _Header, notes: list[Diagnostic], menus: set[int],
                dropped: set[int]) -> int:
    """Index of the headline, reading header lines that stand above it into `head`.

    The headline is the first line, unless: a date, byline or captioned photo stands above it (read, and the
    next line tried); a later line among the first few is the headline printed twice (a kicker or the site's
    name stood above it); the first line is a short all-capitals section label; or the first line is the
    headline with the site's name after it and the next lines print it without.
    """
    start = 0
    while start < min(3, len(lines) - 1) and (
            _header_date(lines, start, head) or _header_byline(lines, start, head)
            or (split_caption(lines[start].text) and _header_caption(lines, start, head))):
        start += 1
    for k in range(start + 1, min(start + 4, len(lines))):
        key = _comparable(lines[k].text)
        # A paragraph printed twice is the article's (a repeated quote), not its headline.
        if key and not prose_weight(lines[k].text, active()) and any(
                _comparable(lines[j].text) == key for j in range(k + 1, min(len(lines), k + 10))):
            notes.append(Diagnostic("I022", f"took line {lines[k].no} for the headline (it is printed twice)",
                                    lines[k].no, "info"))
            head.dropped.extend(Dropped(line.no, line.text, "above the headline, which is printed twice")
                                for line in lines[start:k])
            return k
    first = lines[start].text
    if len(lines) > start + 2 and _above_menu(lines, start, menus, dropped):
        notes.append(Diagnostic("I023", f"dropped `{first}` above the site's menu", lines[start].no, "info"))
        head.dropped.append(Dropped(lines[start].no, first, "the site's line above its menu"))
        return start + 1
    if len(lines) > start + 2 and _is_kicker(lines, start):
        notes.append(Diagnostic("I023", f"dropped the section label `{first}` above the headline", lines[start].no,
                                "info"))
        head.dropped.append(Dropped(lines[start].no, first, "a section label above the headline"))
        return start + 1
    # A headline is never running text: sentences above a headline that has its byline or date under it are a
    # notice's (a cookie banner in words the data file lacks), not the article's.
    if _running_text(first) and (below := _headline_below(lines, start)) is not None:
        notes.append(Diagnostic("I023", f"dropped the running text `{first[:40]}` above the headline",
                                lines[start].no, "info"))
        head.dropped.extend(Dropped(line.no, line.text, "running text above the headline: a notice")
                            for line in lines[start:below])
        return below
    suffix = _SITE_SUFFIX.search(first)
    if suffix:
        bare = _comparable(first[: suffix.start()])
        if any(_comparable(lines[j].text) == bare for j in range(start + 1, min(len(lines), start + 6))):
            notes.append(Diagnostic("I024", f"dropped the site's name `{suffix.group(0).strip()}` from the headline",
                                    lines[start].no, "info"))
    return start


def _headline_below(lines: Sequence[Line], start: int) -> int | None:
    """The index of a headline among the few lines under line `start`: no sentence, shaped like a heading, with
    a byline or a date line right under it."""
    for k in range(start + 1, min(start + 5, len(lines) - 1)):
        text = lines[k].text
        if _running_text(text) or _ends_sentence(text) or not _heading_like(text):
            continue
        probe = _Header(title=text)
        if any(_header_byline(lines, j, probe) or _header_date(lines, j, probe)
               for j in range(k + 1, min(k + 3, len(lines)))):
            return k
    return None


def _read_header(lines: Sequence[Line], head: _Header, found: _Found) -> int:
    """Consume the header; return the index of the first body line."""
    notes = found.notes
    menus = {d.line for d in found.dropped if d.reason.startswith(MENU_REASONS)}
    start = _find_title(lines, head, notes, menus, {d.line for d in found.dropped})
    head.title = lines[start].text
    suffix = _SITE_SUFFIX.search(head.title)
    if suffix and any(d.code == "I024" and d.line == lines[start].no for d in notes):
        head.title = head.title[: suffix.start()]
    i = start + 1
    limit = min(len(lines), i + HEADER_MAX_LINES)
    while i < limit:
        used = _claim(lines, i, head)
        if used:
            i += used
            continue
        probe = _Header(title=head.title)
        # More header comes next, or after one line that is no prose (a widget's line): over a paragraph of prose
        # the header has ended, whatever is claimed under it (the headline printed again).
        more_header = bool(_claim(lines, i + 1, probe)) if i + 1 < len(lines) else False
        if not more_header and i + 2 < len(lines) and prose_weight(lines[i + 1].text, active()) == 0:
            more_header = bool(_claim(lines, i + 2, probe))
        text = lines[i].text
        # A bare name next to the date or byline is the author (sites that print no `By`).
        name_line = _rule(PERSON_NAME).match(text.split(",")[0]) or _names_line(text)
        # The names' part is short; a department after the comma may be long (`…, Odjel za korporativne
        # komunikacije`).
        if not head.authors and name_line and len(text.split(",")[0]) <= 60 and len(text) <= 100 and (
                more_header or head.date is not None) and len(text.split(",")) <= 2:
            if _names_line(text):
                for piece in _split_language_names(text):
                    name, _, role = _bracket_role(piece).partition(",")
                    head.authors.append(Byline(name.strip(), role.strip() or None))
            else:
                name, _, role = text.partition(",")
                head.authors.append(Byline(name.strip(), role.strip() or None))
            head.guessed_author = True
            i += 1
            continue
        # A dek (standfirst) is an unclaimed line with more header after it, between headline and byline.
        # Over a captioned photo it is one only when the byline or the date comes under the photo (a body's first
        # paragraph may stand over a photo too).
        dated_below = bool(probe.photos) and any(
            _header_byline(lines, j, _Header(title=head.title)) or _header_date(lines, j, _Header(title=head.title))
            for j in range(i + 2, min(i + 5, len(lines))))
        if head.subtitle is None and not head.authors and head.date is None and more_header \
                and (not probe.photos or dated_below) and len(text.split()) <= 60:
            head.subtitle = text
            i += 1
            continue
        # A short line that is not prose with more header lines right after it is the site's (a widget, a
        # label): the header goes on past it.
        dated_next = any(_header_byline(lines, j, _Header(title=head.title))
                         or _header_date(lines, j, _Header(title=head.title))
                         for j in range(i + 1, min(i + 3, len(lines))))
        if dated_next and prose_weight(text, active()) == 0 and not _ends_sentence(text) and len(text.split()) <= 12:
            head.dropped.append(Dropped(lines[i].no, text, "a short leftover between the header's lines"))
            i += 1
            continue
        # Under the byline or the date, a number and a few words that make no sentence is the header's counter
        # whatever its words (a reading time, a time stamp, a count of comments or views: `3 மணி நேரத்திற்கு
        # முன்பு`, "3 hours ago").
        if (head.date is not None or head.authors) and _header_counter(text):
            head.dropped.append(Dropped(lines[i].no, text, "a counter under the header's byline or date: a number "
                                        "and a few words"))
            i += 1
            continue
        break
    return i


#: A count as sites print it: `12`, `1,234`, `1 234`.
_COUNT = re.compile(r"(?<![\d.,:])\d{1,3}(?:[.,\u00a0\u202f ]\d{3})*(?![\d.,:]?\d)")


def _header_counter(text: str) -> bool:
    """A short line of one count and a few words, no clock time, date, list marker or sentence (`4 min read`,
    `12 comments`, `3 hours ago`)."""
    if not 2 <= len(text.split()) <= 4 and not (active().unspaced and len(text) <= 20):
        return False
    if _ends_sentence(text.rstrip(".")) or re.match(r"\s*\d+[.)]\s", text) or re.search(r"\d[:.]\d\d(?!\d)", text):
        return False
    return len(_COUNT.findall(text)) == 1 and len(re.findall(r"\d+", text.replace(",", "").replace(".", ""))) <= 2 \
        and not find_dates(text)


def _names_line(text: str) -> bool:
    """A line that is only personal names (joined as the language joins them), perhaps with a role after a comma."""
    names = [_bracket_role(n) for n in _split_language_names(text.split("|")[0].strip())]
    pairs = [n.partition(",") for n in names]

    def named(k: int, name: str) -> bool:
        # `Aysel ve Orhan Tekin`: a given name alone before `and` shares the next name's surname.
        shared = len(name.split()) == 1 and name[:1].isupper() and k + 1 < len(pairs) \
            and len(pairs[k + 1][0].split()) >= 2 and _looks_like_name(f"{name} {pairs[k + 1][0].split()[-1]}")
        return _looks_like_name(name) or shared

    return bool(names) and len(names) <= 4 and all(
        named(k, name.strip()) and _role_like(role.strip()) for k, (name, _, role) in enumerate(pairs))


#: The longest role after a name, in letters, that needs no job word to be taken for one in a script without
#: capitals (`料理研究家`, `本网核查记者`); a longer clause is a sentence's (a dek's `…で、…一品です`).
ROLE_MAX_LETTERS = 12


def _role_like(role: str) -> bool:
    """Whether what follows a name's comma can be a role: none, a job word, a capitalised title, or short."""
    if not role or _is_role(role) or any(ch.isalpha() and ch.lower() != ch.upper() for ch in role):
        return True
    return len(role.replace(" ", "")) <= ROLE_MAX_LETTERS


# --- pass 3: body -----------------------------------------------------------------------------------


@dataclass
class _Body:
    lines: Sequence[Line]
    photos: list[Photo]
    blocks: list[Block] = field(default_factory=list)
    notes: list[Diagnostic] = field(default_factory=list)
    signatures: set[int] = field(default_factory=set)
    markers: set[str] = field(default_factory=set)
    dropped: list[Dropped] = field(default_factory=list)
    #: Labels before a colon that open two lines or more: an interview's speakers, who speak more than once.
    speakers: frozenset[str] = frozenset()


def _speakers(lines: Sequence[Line]) -> frozenset[str]:
    labels = collections.Counter(m.group(1).strip() for line in lines if (m := _SPEAKER.match(line.text)))
    return frozenset(label for label, n in labels.items() if n >= 2)


BlockRule = Callable[[_Body, int], int]


def _note_label(m: re.Match[str]) -> str:
    return (m.group("b") or m.group("p") or m.group("n") or m.group("c") or m.group("k")
            or (m.group("s") or "").translate(_SUPERSCRIPTS))


def _block_notes(body: _Body, i: int) -> int:
    lines = body.lines
    j = i
    headed = bool(_rule(NOTES_HEADING).match(lines[i].text))
    if headed:
        j += 1
    items: list[Note] = []
    run: list[re.Match[str]] = []
    while not headed and j + len(run) < len(lines) and (m := NOTE_LINE.match(lines[j + len(run)].text)):
        run.append(m)
    # A run of marked notes numbered 1, 2, 3 … is a notes block when the text used most of their markers: one
    # may hide where a marker cannot be told from a power (`€ 7,40¹`).
    numbered = bool(run) and all(m.group("b") or m.group("p") or m.group("s") or m.group("k") for m in run) \
        and [_note_label(m) for m in run] == [str(n) for n in range(1, len(run) + 1)] \
        and 2 * sum(_note_label(m) in body.markers for m in run) >= len(run)
    while j < len(lines) and (m := NOTE_LINE.match(lines[j].text)):
        # Without a heading only `[n]` notes whose marker the text used are notes; `1. …` would be a list.
        if not headed and not numbered and not (
                (m.group("b") or m.group("p") or m.group("s") or m.group("k")) and _note_label(m) in body.markers):
            break
        items.append(Note(_note_label(m), m.group("text").strip()))
        j += 1
    if not items:
        return 0
    body.blocks.append(Notes(tuple(items)))
    return j - i


def _block_figure(body: _Body, i: int) -> int:
    lines = body.lines
    photo = split_caption(lines[i].text)
    used = 1
    if photo is None and i + 1 < len(lines) and (credit := credit_only(lines[i + 1].text)) \
            and len(lines[i].text) <= CAPTION_MAX_CHARS and not BULLET.match(lines[i].text):
        photo, used = Photo(caption=lines[i].text, credit=credit), 2
    elif photo is None and (credit := credit_only(lines[i].text)) is not None:
        photo = Photo(caption="", credit=credit)
    if photo is None:
        return 0
    body.photos.append(photo)
    body.blocks.append(Figure(len(body.photos) - 1, photo.caption, photo.credit))
    return used


def _block_quote(body: _Body, i: int) -> int:
    lines = body.lines
    if QUOTE_PREFIX.match(lines[i].text):
        parts: list[str] = []
        j = i
        while j < len(lines) and (m := QUOTE_PREFIX.match(lines[j].text)):
            if m.group("text").strip():
                parts.append(m.group("text").strip())
            j += 1
        who = None
        if parts and (a := ATTRIBUTION.match(parts[-1])):
            who, parts = a.group("who").strip(), parts[:-1]
        elif j < len(lines) and (a := ATTRIBUTION.match(lines[j].text)):
            who, j = a.group("who").strip(), j + 1
        if not parts:
            return 0
        body.blocks.append(Quote(" ".join(parts), who))
        return j - i
    m = QUOTE_LINE.match(lines[i].text)
    if not m:
        return 0
    who = m.group("who")
    used = 1
    if who is None and i + 1 < len(lines) and (a := ATTRIBUTION.match(lines[i + 1].text)) \
            and len(a.group("who").split()) <= 15:
        who, used = a.group("who"), 2
    if who is None:
        return 0  # a quotation standing alone without a source: a paragraph (or a pull quote, found later)
    body.blocks.append(Quote(m.group("text"), who.strip()))
    return used


def _block_sourced(body: _Body, i: int) -> int:
    """A passage over its source on the next line of the same block (`— Kamala Devi, weaver`): a block quote. One
    line without quotation marks must read as a sentence of prose; a passage of several lines (a song's verse)
    must fill its block and stand in quotation marks, or be set in from the margin as a block quote is copied (a
    poem's lines). A dash line set apart by a blank line, or one that ends as a sentence, is dialogue."""
    lines = body.lines
    j = i
    while j + 1 < len(lines) and j - i < QUOTED_MAX_LINES and not lines[j + 1].opens \
            and not ATTRIBUTION.match(lines[j + 1].text):
        j += 1
    if j + 1 >= len(lines) or lines[j + 1].opens:
        return 0
    a = ATTRIBUTION.match(lines[j + 1].text)
    if a is None or len(a.group("who").split()) > SOURCE_MAX_WORDS or _ends_sentence(a.group("who")):
        return 0
    passage = " ".join(line.text for line in lines[i:j + 1])
    if j > i:
        # The verse in quotation marks as one line would read (`QUOTE_LINE`), with its source on the next.
        quoted = (m := QUOTE_LINE.match(passage)) is not None and m.group("who") is None
        # Or a passage whose every line is set in (a verse copied from a block quote), none of them a dash line.
        set_in = all(line.indented and not ATTRIBUTION.match(line.text) for line in lines[i:j + 1])
        if not ((quoted or set_in) and lines[i].opens and (j + 2 >= len(lines) or lines[j + 2].opens)):
            return 0
    elif not _ends_sentence(passage) or not prose_weight(passage, active()):
        return 0
    body.blocks.append(Quote(passage, a.group("who").strip()))
    return j - i + 2


#: The most lines of a quoted passage over its source (a verse of a song); longer runs are not looked through.
QUOTED_MAX_LINES = 8


#: The most words a quotation's source line under it has (a name, a role, a place, where it was said).
SOURCE_MAX_WORDS = 15


def _block_list(body: _Body, i: int) -> int:
    lines = body.lines
    for pattern, ordered in ((BULLET, False), (NUMBERED, True)):
        items: list[str] = []
        j = i
        # A list's items are consecutive lines: a blank line ends it (dialogue lines that open with a dash, each a
        # block of its own, are paragraphs).
        while j < len(lines) and (m := pattern.match(lines[j].text)) and (j == i or not lines[j].opens):
            # A marker that says something (`✅ done`, `➤ next`) stays with its item; a plain bullet does not.
            keep = not ordered and lines[j].text[:1] in _MEANINGFUL_MARKERS
            items.append(lines[j].text.strip() if keep else m.group("item").strip())
            j += 1
        # Pros and cons (`+ Fine graphics` over `– No hints`): the plus and the minus say which each item is.
        if not ordered and any(lines[k].text.startswith("+") for k in range(i, j)):
            items = [lines[k].text.strip() for k in range(i, j)]
        # A single numbered line is a numbered heading (`1. The rainfall record`), not a list.
        if len(items) >= 2 or (items and not ordered and lines[i].text[:1] in "•●▪◦‣∙・*" + _MEANINGFUL_MARKERS):
            body.blocks.append(ListBlock(tuple(items), ordered))
            return j - i
    return 0


def _introduces_list(lines: Sequence[Line], i: int) -> bool:
    """A line ending in a colon with a list right after it in its block: the list's lead-in sentence, not a
    heading. Set apart from the list by a blank line it is a block of its own, a heading (`Dalam episod ini:`)."""
    return lines[i].text.endswith((":", "：")) and i + 1 < len(lines) and not lines[i + 1].opens and bool(
        BULLET.match(lines[i + 1].text) or NUMBERED.match(lines[i + 1].text))


def _block_heading(body: _Body, i: int) -> int:
    lines = body.lines
    text = lines[i].text
    if not _heading_like(text, body.speakers) or _introduces_list(lines, i) or lines[i].no in body.signatures:
        return 0
    if i + 1 >= len(lines):
        return 0
    if body.blocks and isinstance(body.blocks[-1], Heading):
        return 0
    nxt = lines[i + 1].text
    # A heading introduces text: two title-like lines in a row are more likely a list of names or a poem.
    # A photo with its caption under a heading opens the section as text does.
    # A list's lead-in under it counts as text, in the list's block or set apart from it.
    leads_in = nxt.endswith((":", "：")) and i + 2 < len(lines) and bool(
        BULLET.match(lines[i + 2].text) or NUMBERED.match(lines[i + 2].text))
    next_is_text = bool(BULLET.match(nxt) or NUMBERED.match(nxt)) or leads_in \
        or split_caption(nxt) is not None \
        or (i + 2 < len(lines) and credit_only(lines[i + 2].text) is not None and len(nxt) <= CAPTION_MAX_CHARS)
    if _heading_like(nxt, body.speakers) and not next_is_text and not _rule(NOTES_HEADING).match(text):
        if len(text.split()) <= 8:
            body.notes.append(Diagnostic("W103", f"`{text[:60]}` may be a heading; kept as a paragraph",
                                         lines[i].no))
        return 0
    body.blocks.append(Heading(text))
    return 1


def _cited(text: str) -> set[str]:
    """The labels of the note markers in `text` (`…[2].`, `…(2)`, `…²`, `…※2`)."""
    return {m.group("label") for m in NOTE_MARKER.finditer(text)} \
        | {m.group("label") for m in PAREN_MARKER.finditer(text)} \
        | {(m.group("label") or m.group("mark")).translate(_SUPERSCRIPTS) for m in SUPERSCRIPT_MARKER.finditer(text)}


def _block_paragraph(body: _Body, i: int) -> int:
    text = body.lines[i].text
    body.markers |= _cited(text)
    body.blocks.append(Paragraph(text))
    return 1


# Tried in order at each body line; the first that consumes lines makes the block.
BLOCK_RULES: tuple[tuple[str, BlockRule, str], ...] = (
    ("notes", _block_notes, "footnotes: `[1] …` or `(1) …` lines, or numbered lines under a `Notes` heading"),
    ("figure", _block_figure, "a caption standing in the body, ending in its photo credit or with it below"),
    ("quote", _block_quote, "a quotation with its source (`“…” — Name`), or `> …` lines"),
    ("sourced", _block_sourced, "a passage over its source's dash line in the same block (`— Name, role`)"),
    ("list", _block_list, "lines starting with a bullet, or two or more numbered lines"),
    ("heading", _block_heading, "a short title-like line followed by text"),
    ("paragraph", _block_paragraph, "anything else is a paragraph"),
)


def _read_body(body: _Body, start: int, title: str = "") -> None:
    i = start
    key = _comparable(title)
    while i < len(body.lines):
        if key and _comparable(body.lines[i].text) == key:
            body.dropped.append(Dropped(body.lines[i].no, body.lines[i].text, "the headline printed again"))
            i += 1
            continue
        for _name, rule, _note in BLOCK_RULES:
            used = rule(body, i)
            if used:
                i += used
                break


# --- pass 4: finishing ------------------------------------------------------------------------------


def _norm_words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _pull_quotes(blocks: list[Block]) -> list[Block]:
    """Short paragraphs that repeat a passage of a longer paragraph are pull quotes."""
    # A shorter one counts when it stands in quotation marks (`“Ulaşım bir lüks değil, ihtiyaçtır.”`).
    candidates = [i for i, b in enumerate(blocks) if isinstance(b, Paragraph)
                  and len(b.text.split()) <= PULLQUOTE_MAX_WORDS and (len(b.text.split()) >= PULLQUOTE_MIN_WORDS or (
                      len(b.text.split()) >= PULLQUOTE_QUOTED_MIN_WORDS and QUOTE_LINE.match(b.text.strip())))]
    if not candidates:
        return _unspaced_pull_quotes(blocks)
    texts = {i: " ".join(_norm_words(b.text)) for i, b in enumerate(blocks) if isinstance(b, Paragraph)}
    # Only the candidates' opening words are looked for, so memory stays with the candidates, not the article.
    keys = {i: " ".join(texts[i].split()[:PULLQUOTE_QUOTED_MIN_WORDS]) for i in candidates}
    # The quote may drop what the sentence wrote onto its first word (Hebrew `ובשעות` "and in the hours", quoted
    # as `בשעות`): its words after the first are looked for too.
    tails = {i: " ".join(texts[i].split()[1:PULLQUOTE_QUOTED_MIN_WORDS + 1]) for i in candidates}
    wanted = set(keys.values()) | set(tails.values())
    hosts: dict[str, set[int]] = {}
    for i, text in texts.items():
        words = text.split()
        for k in range(0, max(1, len(words) - PULLQUOTE_QUOTED_MIN_WORDS + 1)):
            key = " ".join(words[k : k + PULLQUOTE_QUOTED_MIN_WORDS])
            if key in wanted:
                hosts.setdefault(key, set()).add(i)
    out = list(blocks)
    for i in candidates:
        text = texts[i]
        first, _, rest = text.partition(" ")
        if any(j != i and len(texts[j]) > len(text) and text in texts[j] for j in hosts.get(keys[i], ())) \
                or any(j != i and len(texts[j]) > len(text) and re.search(rf"\S{re.escape(first)} {re.escape(rest)}",
                                                                          texts[j])
                       for j in hosts.get(tails[i], ())):
            out[i] = PullQuote(blocks[i].text.strip("\"“”„«»‘’' "))
    return _unspaced_pull_quotes(out)


def _unspaced_pull_quotes(blocks: list[Block]) -> list[Block]:
    """In scripts written without spaces a pull quote is told by characters, not words: a short quoted paragraph
    whose letters (ten or more) stand in a longer paragraph."""
    def letters(text: str) -> str:
        return "".join(re.findall(r"\w+", text.casefold()))

    paragraphs = {i: letters(b.text) for i, b in enumerate(blocks) if isinstance(b, Paragraph)}
    out = list(blocks)
    for i, b in enumerate(blocks):
        # Thai sets spaces between phrases, not words: in a script without word spaces they prove nothing.
        if not isinstance(b, Paragraph) or (" " in b.text.strip() and not active().unspaced) \
                or not 10 <= len(paragraphs[i]) <= 120 \
                or not QUOTE_LINE.match(b.text):
            continue
        if any(j != i and len(host) > len(paragraphs[i]) and paragraphs[i] in host for j, host in paragraphs.items()):
            out[i] = PullQuote(b.text.strip("\"“”„«»‘’'「」『』 "))
    return out


def _set_type(doc_blocks: list[Block], head: _Header, language: str) -> tuple[list[Block], _Header]:
    def s(text: str) -> str:
        return smarten(text, language)

    blocks: list[Block] = []
    for b in doc_blocks:
        if isinstance(b, Paragraph):
            blocks.append(Paragraph(s(b.text)))
        elif isinstance(b, Heading):
            blocks.append(Heading(s(b.text), b.level))
        elif isinstance(b, Quote):
            blocks.append(Quote(s(b.text), s(b.attribution) if b.attribution else None))
        elif isinstance(b, PullQuote):
            blocks.append(PullQuote(s(b.text)))
        elif isinstance(b, ListBlock):
            blocks.append(ListBlock(tuple(s(t) for t in b.items), b.ordered))
        elif isinstance(b, Figure):
            blocks.append(Figure(b.photo, s(b.caption), b.credit))
        elif isinstance(b, Notes):
            blocks.append(Notes(tuple(Note(n.label, s(n.text)) for n in b.items)))
    head.title = s(head.title)
    head.authors = [Byline(s(a.name), s(a.role) if a.role else None) for a in head.authors]
    head.subtitle = s(head.subtitle) if head.subtitle else None
    head.photos = [Photo(s(p.caption), p.credit, p.image, p.alt) for p in head.photos]
    return blocks, head


# --- entry point ------------------------------------------------------------------------------------


def parse(text: str, *, source: str = "<text>", language: str | None = None, default_language: str = "en",
          notes: Sequence[Diagnostic] = (), detect: Callable[[str], Guess | None] | None = None) -> Document:
    """Parse an article dump into a `Document`; problems become diagnostics, never exceptions.

    The language comes first, since every rule that reads words reads them in it: `language` forces it; when None
    it is detected from the whole text (by `detect`, `language.identify` unless another process already did it
    for the same text), falling back to `default_language` when the text has no letters.
    """
    diagnostics: list[Diagnostic] = list(notes)
    confidence: float | None = None
    if language is None:
        cleaned = clean_text(text)
        guess = settle_language((detect or identify)(cleaned), cleaned, diagnostics)
        language, confidence = (guess.language, guess.confidence) if guess else (default_language, None)
        # A few lines are too little to judge by: the guess is kept quietly (its confidence is in the tree).
        if guess is not None and guess.confidence < CONFIDENT and len(text.split()) >= MIN_JUDGED_WORDS:
            diagnostics.append(Diagnostic("W105", f"the language is uncertain: {guess.language} with probability "
                                                  f"{guess.confidence:.2f}; set it with --language or a sidecar"))
    with reading(language):
        doc = _parse(text, source, language, confidence, diagnostics)
    compiled.save()  # the language's patterns compiled for the first time, for the next process
    return doc


#: A guess of the model after its first is weighed against it when it has at least this probability: the model
#: weighs close languages it knows from little text (Serbian in Latin letters) far apart.
RIVAL_CHANCE = 0.05
#: ... and it is taken when the words only its data file has (not the other's) are this many, and twice as many
#: as the other's own, against the first guess and every other rival.
RUNNER_UP_WORDS = 3


def settle_language(guess: Guess | None, text: str, diagnostics: list[Diagnostic]) -> Guess | None:
    """The model's guess, or another of its guesses when they are close languages the model weighs alike
    (Bosnian and Croatian) and the text uses that one's own words (`sedmica`, "week", against `tjedan`): the
    words each language's data file has and the other's has not. The one taken must beat every other candidate
    so."""
    if guess is None:
        return guess
    data = set(data_languages())
    rivals = guess.rivals or (((guess.runner_up, guess.runner_up_confidence),) if guess.runner_up else ())
    candidates = [(language, p) for language, p in rivals if p >= RIVAL_CHANCE and language in data]
    if guess.language not in data or not candidates:
        return guess
    field = [(guess.language, guess.confidence), *candidates]

    def beats(one: str, other: str) -> bool:
        theirs, ours = own_words(text, one, other), own_words(text, other, one)
        return theirs >= RUNNER_UP_WORDS and theirs >= 2 * ours

    for language, p in candidates:
        if all(beats(language, other) for other, _ in field if other != language):
            theirs, ours = own_words(text, language, guess.language), own_words(text, guess.language, language)
            diagnostics.append(Diagnostic(
                "I026", f"took the language for {language} (probability {p:.2f}) over {guess.language} "
                f"({guess.confidence:.2f}): {theirs} of its own words against {ours}", None, "info"))
            rest = tuple(entry for entry in field if entry[0] != language)
            return Guess(language, p, rest[0][0], rest[0][1], rest)
    return guess


def _parse(text: str, source: str, language: str, confidence: float | None,
           diagnostics: list[Diagnostic]) -> Document:
    found = _Found()
    cleaned = clean_text(text)
    token = _COMMON.set(_common_words(cleaned))
    try:
        with judging(cleaned.split("\n")):
            return _parse_lines(text, source, language, confidence, diagnostics, found)
    finally:
        _COMMON.reset(token)


def _parse_lines(text: str, source: str, language: str, confidence: float | None, diagnostics: list[Diagnostic],
                 found: _Found) -> Document:
    lines = _lines(text, found)
    head = _Header()
    body = _Body(lines, head.photos, signatures=found.signatures | found.wrapped, speakers=_speakers(lines))
    if lines:
        start = _read_header(lines, head, found)
        _read_body(body, start, head.title)
        found.dropped.extend(head.dropped)
        found.dropped.extend(body.dropped)
    diagnostics.extend(found.notes)
    diagnostics.extend(body.notes)
    blocks = _pull_quotes(body.blocks)
    blocks, head = _set_type(blocks, head, language)
    if lines and not head.authors:
        diagnostics.append(Diagnostic("W101", "no byline found; the article has no author"))
    elif head.guessed_author:
        diagnostics.append(Diagnostic("W104", f"took `{head.authors[0].name}` for the author (no `By` before it)"))
    if lines and head.date is None:
        diagnostics.append(Diagnostic("W102", "no date found; the article is undated"))
    meta = Metadata(
        title=head.title,
        subtitle=head.subtitle,
        authors=tuple(head.authors),
        date=head.date,
        updated=head.updated,
        language=language,
        keywords=tuple(dict.fromkeys(k.strip() for k in found.keywords)),
        rights=found.rights,
    )
    return Document(source=source, meta=meta, blocks=tuple(blocks), photos=tuple(head.photos),
                    diagnostics=tuple(diagnostics), dropped=tuple(sorted(found.dropped, key=lambda d: d.line)),
                    language_confidence=confidence)
