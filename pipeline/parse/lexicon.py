"""The words the parser reads a language by: CLDR (through Babel) for dates and lists, one data file per language
for the site's own vocabulary (bylines, widgets, end sections), and a language-neutral set for everyone."""

from __future__ import annotations

import collections
import contextlib
import contextvars
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from pipeline.parse import compiled

#: The data files' keys that name site chrome: a line made only of these (and neutral chrome) is a leftover.
CHROME_KEYS = ("share", "comments", "comment_form", "follow", "print_listen", "newsletter", "paywall", "cookie",
               "advertising", "read_more", "navigation", "footer", "tags")
#: Keys whose phrases carry `{n}` / `{m}` number placeholders.
PATTERN_KEYS = ("reading_time", "relative_time", "gallery")
#: Keys a data file may leave out: words the named rule tables of `rules.py` are built from.
RULE_KEYS = ("credit_by", "courtesy", "caption_label", "roles", "offices", "place_prepositions", "date_words",
             "date_marks", "interview_labels", "notes_headings", "link_boxes", "placeholders", "comment_start",
             "author_box", "tagged", "clitics", "era_offsets", "eras", "era_first_year", "calendars", "and_words",
             "distinctive", "month_regions", "script_letters")
#: Keys only the language-neutral file has: names and shapes that are the same in every language.
NEUTRAL_KEYS = ("network", "agencies", "name_particles", "timezones", "key_chords")
ALL_KEYS = ("byline_prefix", "byline_suffix", "published", "updated", "credit", *CHROME_KEYS, *PATTERN_KEYS,
            "end_sections", *RULE_KEYS,
            "stop_words")

# A number as sites print it, in any script's digits.
_NUMBER = r"\d+"

#: The blocks of Unicode that hold combining marks (category M): diacritics typed apart, the vowel signs of Indic
#: and South-East Asian scripts, kana voicing marks.
_MARK_BLOCKS = ((0x0300, 0x1DFF), (0x20D0, 0x20FF), (0x302A, 0x309A), (0xA66F, 0xABFF), (0xFB1E, 0xFB1E),
                (0xFE00, 0xFE2F))


def _marks() -> str:
    cps = [cp for lo, hi in _MARK_BLOCKS for cp in range(lo, hi + 1) if unicodedata.category(chr(cp)).startswith("M")]
    ranges: list[tuple[int, int]] = []
    for cp in cps:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    return "".join(f"\\u{lo:04x}" if lo == hi else f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in ranges)


#: A letter of a word in any script. Python's `\w` leaves combining marks out, which would cut Hindi `के` into `क`
#: and a sign, and let a phrase match from the middle of a word.
WORD_CHAR = rf"[\w{_marks()}]"
#: Word edges that know combining marks: no letter of a word just before, or just after.
WORD_START = rf"(?<!{WORD_CHAR})"
WORD_END = rf"(?!{WORD_CHAR})"
#: A word: letters (with their marks), joined by hyphens or apostrophes inside it.
WORD = re.compile(rf"{WORD_CHAR}+(?:[-'’]{WORD_CHAR}+)*")
#: Marks that may close a sentence after its full stop: quotation marks of every convention (German closes with
#: `“`, Danish with `«`, Swiss with `›`), brackets, and the East Asian corner and angle brackets.
CLOSING_MARKS = "\"'’‘”“»«›‹)）]」』】〕〉》"


@lru_cache(maxsize=1)
def _variants() -> tuple[dict[int, str], dict[str, str]]:
    """Letters that stand for one another in text as typed (Arabic `ي` for Persian `ی` in a Windows-1256 file):
    a translation to one form, and each letter's character class."""
    groups = [g for g in _data("neutral").get("letter_variants", ()) if len(g) >= 2]
    table = {ord(ch): group[0] for group in groups for ch in group[1:]}
    classes = {ch: "[" + "".join(group) + "]" for group in groups for ch in group}
    return table, classes


def fold_letters(text: str) -> str:
    """`text` case-folded, with variant letters written one way (what prefix and suffix tests compare)."""
    # Case folding writes a capital dotted `İ` (Turkish, Azerbaijani) as `i` and a combining dot: the dot goes, so
    # that `DİNLE` folds to `dinle` as typed in lower case.
    return text.casefold().replace("i\u0307", "i").translate(_variants()[0])


#: The apostrophes a word is typed with (straight, typographic, the modifier letter), as a character class: one
#: stands for any, in the data files' phrases and in CLDR's names (Catalan `d’octubre`, typed `d'octubre`).
APOSTROPHES = "['’ʼ]"
_APOSTROPHE = re.compile(APOSTROPHES)


def letters_regex(text: str) -> str:
    """`text` escaped as a regex in which each variant letter matches its variants, and each apostrophe any."""
    classes = _variants()[1]
    return "".join(classes.get(ch, APOSTROPHES if _APOSTROPHE.fullmatch(ch) else re.escape(ch)) for ch in text)


def apostrophes_alike(text: str) -> str:
    """`text` with every apostrophe written straight: names typed with different ones compare equal."""
    return _APOSTROPHE.sub("'", text)


# (Compiled once: a lexicon turns thousands of phrases into regexes.)
_PLACEHOLDER = re.compile(r"(\{[nm]\}|\{text\})")


def phrase_regex(phrase: str) -> str:
    """A data-file phrase as a regex: spaces match any run of spaces, `{n}` and `{m}` any number, `{text}` a name
    of up to four words (`More from {text}`)."""
    parts = _PLACEHOLDER.split(phrase.strip())
    out = []
    for k, part in enumerate(parts):
        if part in ("{n}", "{m}"):
            out.append(_NUMBER)
        elif part == "{text}":
            out.append(r"\S+(?:\s+\S+){0,3}?")  # a name: a section's, a site's, an article's (four words at most)
        elif part.strip():
            # Spaces around a placeholder are optional (`5 min` and `5min` alike; `图片{n}/{m}` and `图片 1/8`).
            lead = r"\s*" if part[:1].isspace() or k > 0 else ""
            trail = r"\s*" if part[-1:].isspace() or k < len(parts) - 1 else ""
            # An apostrophe matches both its straight and its typographic form; a variant letter its variants.
            body = _APOSTROPHE.sub(APOSTROPHES, r"\s+".join(re.escape(word) for word in part.split()))
            classes = _variants()[1]
            if classes:
                body = "".join(classes.get(ch, ch) for ch in body)
            out.append(lead + body + trail)
        else:
            out.append(r"\s*")
    return "".join(out)


def _fold(text: str) -> str:
    return fold_letters(unicodedata.normalize("NFKC", text))


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one per language, cached
class Lexicon:
    """One language's words, merged with the language-neutral set, ready to match."""

    language: str
    words: dict[str, tuple[str, ...]]
    stop_words: frozenset[str]
    #: Month names and abbreviations (format and stand-alone forms, lower case, no dot) to month numbers.
    months: dict[str, int]
    #: Weekday names and abbreviations, lower case.
    weekdays: frozenset[str]
    #: The words CLDR joins the last two items of a list with (`and`, `et`, `und`, `i`, `및` …).
    and_words: tuple[str, ...]
    #: Those of them written onto the next word (Arabic `و`, Hebrew `ו`).
    and_attached: tuple[str, ...]
    #: CLDR's date patterns (`d MMMM y`, `y年M月d日`), full to short.
    date_patterns: tuple[str, ...]
    #: CLDR's words for minutes as durations are printed (`minutes`, `Min.`, `دقائق`, `분`).
    minutes: tuple[str, ...]
    #: Whether the language's script writes words without spaces (Chinese, Japanese, Thai …).
    unspaced: bool
    #: Whether CLDR prints the minutes' unit before the number (Swahili `dakika {0}`).
    minutes_first: bool = False

    @property
    def known(self) -> bool:
        """Whether a data file for this language exists (else only the neutral set and CLDR apply)."""
        return bool(self.words.get("byline_prefix"))

    def phrases(self, *keys: str) -> tuple[str, ...]:
        return tuple(p for key in keys for p in self.words.get(key, ()))

    def everywhere(self, *keys: str) -> tuple[str, ...]:
        """The phrases of `keys` in this language and in the web's lingua franca, whose widget words sites in
        every language print (`neutral.json` names it)."""
        return self.phrases(*keys) + tuple(p for other in lingua_franca() if other.language != self.language
                                           for p in other.phrases(*keys))

    @property
    def chrome_words(self) -> frozenset[str]:
        """The words (folded, stop words left out) the widget phrases of this language and of the lingua franca
        are made of: `Našli jste chybu?` gives `našli` and `chybu`, which a reworded `Našli jste v článku chybu?`
        still shows."""
        return _chrome_words(self, _WIDGET_KEYS)

    @property
    def link_words(self) -> frozenset[str]:
        """The words of the labels that point to another article (`Read also`, `Related`, `Sponsored`)."""
        return _chrome_words(self, _LINK_KEYS)

    @property
    def capitalises(self) -> bool:
        """Whether the language writes proper names with a capital letter: most of CLDR's names of countries in
        it start with one (English, Russian, Greek), or its script has no capitals; Georgian has capitals in
        Unicode but uses none."""
        return _capitalises(self.language)

    def folded(self, key: str) -> tuple[str, ...]:
        """One list's phrases case-folded and trimmed, longest first: what prefix and suffix tests try in order."""
        return _folded(self, key)

    @property
    def chrome(self) -> re.Pattern[str]:
        """Any widget, navigation, footer or network phrase, anywhere in a line."""
        return _pattern(self, "chrome")

    @property
    def end_section(self) -> re.Pattern[str]:
        """A whole line that labels an end section (`Related`, `Comments (3)`)."""
        return _pattern(self, "end")

    @property
    def counters(self) -> re.Pattern[str]:
        """A reading time, a relative time or a photo counter."""
        return _pattern(self, "counters")

    @property
    def tags(self) -> re.Pattern[str]:
        """A tag line's label: group `keywords` is the rest of the line."""
        return _pattern(self, "tags")

    @property
    def labels(self) -> re.Pattern[str]:
        """A line opening with a link or advertising label (`Read also: …`, `Sponsored: …`)."""
        return _pattern(self, "labels")


def longest_first(alternatives: Iterable[str]) -> list[str]:
    """Alternatives in the order a regex tries them: the longest first (so that `Share this` wins over `Share`),
    and those of one length in a fixed order, so that every process builds the same pattern (a set's order
    changes from one process to the next)."""
    return sorted(alternatives, key=lambda a: (-len(a), a))


def _alternation(phrases: tuple[str, ...]) -> str:
    # `{text}` phrases stand for whole lines (`More from {text}`); inside a line they would match any sentence.
    unique = longest_first({phrase_regex(p) for p in phrases if p.strip() and "{text}" not in p})
    return "|".join(unique) or r"(?!x)x"


def _labels(lex: Lexicon, *keys: str) -> tuple[str, ...]:
    """Label phrases without their colon or number placeholders."""
    return tuple(p.rstrip(" :：") for p in lex.phrases(*keys) if "{" not in p)


# Each pattern: (the phrases it is made of, the regex around their alternation).
_SHAPES: dict[str, tuple[Callable[[Lexicon], tuple[str, ...]], str]] = {
    # A name may carry a case ending after an apostrophe (Turkish `Pinterest’te`, `Facebook’ta`).
    "chrome": (lambda lex: lex.phrases(*CHROME_KEYS, "end_sections", "network"),
               WORD_START + r"(?:{body})(?:['’]\w{1,5})?" + WORD_END),
    "counters": (lambda lex: lex.phrases(*PATTERN_KEYS), WORD_START + r"(?:{body})" + WORD_END),
    "tags": (lambda lex: _labels(lex, "tags"), r"^(?:{body})\s*[:：]\s*(?P<keywords>\S.*)$"),
    "labels": (lambda lex: _labels(lex, "read_more", "advertising"), r"^(?:{body})\s*[:：»›>|·•–—→-]"),
    "end": (lambda lex: lex.phrases("end_sections") + tuple(p for p in lex.phrases("comments") if "{" not in p),
            # The count may stand in full-width brackets with a counter word after it (`コメント（3件）`).
            r"^(?:\d+\s+)?(?:{body})\s*[:：]?\s*(?:[(（]\d+\s*\w{0,2}[)）]|\d+)?$"),
}


#: The keys whose phrases are the site's own words, wherever they stand.
_WIDGET_KEYS = (*CHROME_KEYS, "end_sections", "link_boxes", "author_box", "comment_start", "placeholders")


_LINK_KEYS = ("read_more", "link_boxes", "advertising")


@lru_cache(maxsize=128)
def _chrome_words(lex: Lexicon, keys: tuple[str, ...]) -> frozenset[str]:
    out: set[str] = set()
    for source in (lex, *lingua_franca()):
        for phrase in source.phrases(*keys):
            if "{" in phrase:
                continue
            out.update(w for w in (fold_letters(w) for w in WORD.findall(phrase))
                       if len(w) >= 2 and not any(ch.isdigit() for ch in w) and w not in source.stop_words)
    # A word of the article's own function words is no evidence of a widget, whichever list names it.
    return frozenset(out - lex.stop_words)


@lru_cache(maxsize=512)
def _folded(lex: Lexicon, key: str) -> tuple[str, ...]:
    return tuple(sorted((fold_letters(p).strip() for p in lex.phrases(key) if p.strip()), key=len, reverse=True))


@lru_cache(maxsize=512)
def _pattern(lex: Lexicon, kind: str) -> re.Pattern[str]:
    phrases, shape = _SHAPES[kind]
    if lex.unspaced and kind in ("chrome", "counters"):
        # Words stand side by side without spaces: a phrase of two characters or more matches wherever it
        # stands, not only between word edges (a single character would match inside any sentence).
        found = phrases(lex)
        loose = _alternation(tuple(p for p in found if len(p.strip()) >= 2))
        tight = _alternation(tuple(p for p in found if len(p.strip()) < 2))
        return compiled.compile(rf"(?:{loose})|{WORD_START}(?:{tight}){WORD_END}", re.IGNORECASE, scope=lex.language)
    if kind == "chrome":
        # A one-letter button (`A` of a font-size row, `X` the network) is a word of every sentence in some case
        # (`a resident`, `A year on`): anywhere in a line only a network's letter counts, as printed.
        found = phrases(lex)
        letters = _alternation(tuple(p for p in lex.phrases("network") if len(p.strip()) == 1 and p.isalpha()))
        body = _alternation(tuple(p for p in found if not (len(p.strip()) == 1 and p.strip().isalpha())))
        return compiled.compile(shape.replace("{body}", rf"{body}|(?-i:{letters})"), re.IGNORECASE,
                                scope=lex.language)
    return compiled.compile(shape.replace("{body}", _alternation(phrases(lex))), re.IGNORECASE, scope=lex.language)


def _data(language: str) -> dict[str, Any]:
    folder = resources.files("pipeline.parse") / "data" / "lang"
    path = folder / f"{language}.json"
    if not path.is_file():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


#: The data files' keys that hold no phrase a site prints: function words, letter pairs.
_NOT_PHRASES = frozenset({"stop_words", "script_letters"})


@lru_cache(maxsize=64)
def vocabulary(language: str) -> frozenset[str]:
    """The content words of a language's data file (its phrases' words, function words left out), folded: the
    words its sites print around an article."""
    data = _data(language)
    stop = {fold_letters(w) for w in data.get("stop_words", ())}
    return frozenset(w for key, phrases in data.items() if key not in _NOT_PHRASES
                     for phrase in phrases if isinstance(phrase, str)
                     for w in (fold_letters(w) for w in WORD.findall(phrase)) if len(w) >= 3 and w not in stop)


def own_words(text: str, language: str, other: str) -> int:
    """How many of `text`'s words are in `language`'s data file and not in `other`'s (nor a function word of
    either): the evidence that tells two close languages apart. A word of the file's `distinctive` list, made to
    tell such languages apart (`sedmica` against `tjedan`), counts twice: the widget lists' words differ between
    two files by chance too."""
    theirs = _data(other).get("stop_words", ())
    distinct = vocabulary(language) - vocabulary(other) - {fold_letters(w) for w in theirs}
    marked = _distinctive(language) & distinct
    return sum(1 + (folded in marked) for w in WORD.findall(text) if (folded := fold_letters(w)) in distinct)


@lru_cache(maxsize=64)
def _distinctive(language: str) -> frozenset[str]:
    return frozenset(fold_letters(w) for w in _data(language).get("distinctive", ()))


def data_languages() -> list[str]:
    """The languages that have a data file."""
    folder = resources.files("pipeline.parse") / "data" / "lang"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".json") and p.name != "neutral.json")


@dataclass(frozen=True)
class _Cldr:
    months: dict[str, int]
    weekdays: frozenset[str]
    and_words: tuple[str, ...]
    and_attached: tuple[str, ...]
    date_patterns: tuple[str, ...]
    minutes: tuple[str, ...]
    #: CLDR's past relative times (`vor {n} Stunden`, `{n} घंटे पहले`) in the data files' placeholder form.
    ago: tuple[str, ...] = ()
    #: CLDR's names of the day's periods, printed after a time (`pagi`, `morgens`, `午後`, `AM`).
    day_periods: tuple[str, ...] = ()
    minutes_first: bool = False


#: The share of a language's past relative times (CLDR) that must end on one word for it to be the word for "ago".
AGO_SHARED_END = 0.8
#: The units a page's time stamp counts in (`3 hours ago`); `3 years ago` is as often a sentence's.
_AGO_UNITS = ("second", "minute", "hour", "day", "week")


def _cldr(language: str) -> _Cldr:
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return _Cldr({}, frozenset(), (), (), (), ())
    months: dict[str, int] = {}
    # The regions whose month names differ from the language's own that the data file names (Levantine Arabic
    # `كانون الأول` beside `ديسمبر`, Austrian `Jänner`): loading every region's locale would cost the cold build.
    regional = []
    for region in _data(language).get("month_regions", ()):
        with contextlib.suppress(UnknownLocaleError, ValueError):
            regional.append(Locale.parse(f"{language}_{region}"))
    for source in (locale, *regional):
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in source.months[context][width].items():
                    key = _fold(name).rstrip(".")
                    if key and not key.isdigit():
                        months.setdefault(key, number)
    weekdays = frozenset(_fold(name).rstrip(".") for context in ("format", "stand-alone")
                         for width in ("wide", "abbreviated") for name in locale.days[context][width].values())
    and_words: list[str] = []
    attached: list[str] = []
    # The pattern for two items (`{0} و {1}`) and for the last of several (`{0}، و {1}`, with the script's comma).
    for style, place in (("standard", "2"), ("standard", "end"), ("standard-short", "end")):
        pattern = locale.list_patterns.get(style, {}).get(place, "")
        joiner = pattern.replace("{0}", "").replace("{1}", "").strip().strip(",،、，\u200f").strip()
        if joiner and joiner not in and_words:
            and_words.append(joiner)
            if not pattern.replace("{1}", "")[-1:].isspace():  # a no-break space (Czech `a\u00a0`) is a space
                attached.append(joiner)
    dates = tuple(locale.date_formats[width].pattern for width in ("full", "long", "medium", "short"))
    units = locale._data["unit_patterns"].get("duration-minute", {})  # no public API for unit names
    patterns = [pattern for width in ("long", "short") for count, pattern in units.get(width, {}).items()
                if count != "per"]
    minutes = {pattern.replace("{0}", "").strip() for pattern in patterns}
    minutes_first = bool(patterns) and all(not p.startswith("{0}") for p in patterns)
    fields = locale._data["date_fields"]  # no public API for the patterns themselves
    ago = dict.fromkeys(pattern.replace("{0}", "{n}") for unit in _AGO_UNITS
                        for width in ("", "-short", "-narrow") if unit + width in fields
                        for pattern in fields[unit + width]["past"].values()
                        if "{0}" in pattern and pattern[:1] not in "−-+")  # `−{0} h`: a number's sign, no words
    # Sites shorten CLDR's words before the number (`3 timer siden` for CLDR's `for 3 timer siden`) where the
    # language says "ago" after the unit too, the same last word in every unit (Romanian's `acum 3 de minute` ends
    # on its units: `3 de minute` is a duration, not a time stamp).
    ends = collections.Counter(pattern.split()[-1] for pattern in ago)
    if ends and ends.most_common(1)[0][1] >= AGO_SHARED_END * len(ago):
        marker = ends.most_common(1)[0][0]
        ago.update(dict.fromkeys(tail for pattern in list(ago) if not pattern.startswith("{n}")
                                 and len((tail := pattern[pattern.find("{n}"):]).split()) >= 3
                                 and tail.split()[-1] == marker))
    periods = {name for context in locale.day_periods.values() for width in context.values()
               for name in width.values() if len(name) >= 2}
    return _Cldr(months, weekdays, tuple(and_words), tuple(attached), dates,
                 tuple(sorted((m for m in minutes if m), key=len, reverse=True)), tuple(ago),
                 tuple(sorted(periods, key=len, reverse=True)), minutes_first)


@lru_cache(maxsize=64)
def _capitalises(language: str) -> bool:
    from babel import Locale, UnknownLocaleError

    try:
        names = [name for code, name in Locale.parse(language).territories.items() if code.isalpha()]
    except (UnknownLocaleError, ValueError):
        return True
    cased = [name for name in names if name[:1].lower() != name[:1].upper()]
    return not cased or sum(1 for name in cased if name[:1].isupper()) >= len(cased) // 2


@lru_cache(maxsize=64)
def lexicon(language: str) -> Lexicon:
    """The lexicon of `language` (a BCP 47 tag; only its primary subtag counts), merged with the neutral set."""
    primary = language.split("-")[0].lower() or "und"
    own, neutral = _data(primary), _data("neutral")
    words = {key: tuple(own.get(key, ())) + tuple(neutral.get(key, ())) for key in (*ALL_KEYS, *NEUTRAL_KEYS)}
    # A language written in two scripts (Serbian in Cyrillic and in Latin letters) has each phrase in both: the
    # data file's `script_letters` pairs each letter of one with its spelling in the other.
    if pairs := own.get("script_letters"):
        for key, phrases in words.items():
            extra = [t for p in own.get(key, ()) if isinstance(p, str) for t in _transliterations(p, pairs)
                     if t not in phrases]
            words[key] = phrases + tuple(dict.fromkeys(extra))
    cldr = _cldr(primary)
    # A time stamp in CLDR's words counts as one in the data file's (`3 timer siden` beside `for 3 timer siden`).
    words["relative_time"] += tuple(p for p in cldr.ago if p not in words["relative_time"])
    words["day_periods"] = cldr.day_periods
    stop = frozenset(_fold(w) for w in own.get("stop_words", ()))
    unspaced = primary in neutral.get("unspaced_languages", ())
    # CLDR gives one `and` per language; bylines use its siblings too (Ukrainian `та` beside `і`, Bengali `ও`
    # beside `এবং`): the data file's `and_words` adds them, each written with spaces around it.
    and_words = cldr.and_words + tuple(w for w in own.get("and_words", ()) if w not in cldr.and_words)
    return Lexicon(primary, words, stop, cldr.months, cldr.weekdays, and_words, cldr.and_attached,
                   cldr.date_patterns, cldr.minutes, unspaced, cldr.minutes_first)


def _transliterations(phrase: str, letters: list[str]) -> list[str]:
    """`phrase` spelt in the language's other script, each way the data file's letter pairs (`љ lj`) allow
    (`Претплати се` and `Pretplati se`); the longest spellings first, so that `lj` is one letter, not `l` and `j`."""
    out = []
    pairs = [pair.split() for pair in letters]
    for source, target in ((0, 1), (1, 0)):
        table = sorted(((pair[source], pair[target]) for pair in pairs), key=lambda st: len(st[0]), reverse=True)
        spelt, k, changed = [], 0, False
        while k < len(phrase):
            if phrase[k] == "{" and (close := phrase.find("}", k)) > 0:  # a placeholder (`{n}`) stays as it is
                spelt.append(phrase[k: close + 1])
                k = close + 1
                continue
            for a, b in table:
                if phrase.startswith(a, k) or phrase.startswith(a.upper(), k) or phrase.startswith(a.capitalize(), k):
                    upper = phrase[k].isupper()
                    spelt.append(b.capitalize() if upper else b)
                    k += len(a)
                    changed = True
                    break
            else:
                spelt.append(phrase[k])
                k += 1
        if changed:
            out.append("".join(spelt))
    return out


@lru_cache(maxsize=1)
def lingua_franca() -> tuple[Lexicon, ...]:
    """The languages whose widget words stand on pages in every language (English `Share`, `Newsletter`)."""
    return tuple(lexicon(language) for language in _data("neutral").get("lingua_franca", ()))


_ACTIVE: contextvars.ContextVar[Lexicon | None] = contextvars.ContextVar("lexicon", default=None)


@contextlib.contextmanager
def reading(language: str) -> Iterator[Lexicon]:
    """Make `language`'s lexicon the one the parser's readers consult while one article is parsed."""
    token = _ACTIVE.set(lexicon(language))
    try:
        yield lexicon(language)
    finally:
        _ACTIVE.reset(token)


def active() -> Lexicon:
    """The lexicon of the article being parsed (the neutral set alone outside a parse)."""
    return _ACTIVE.get() or lexicon("und")
