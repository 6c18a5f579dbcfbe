"""Find calendar dates in a line of text, in the forms news sites print, as data-driven patterns."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from pipeline.parse import compiled
from pipeline.parse.lexicon import (
    Lexicon,
    active,
    apostrophes_alike,
    fold_letters,
    letters_regex,
    lingua_franca,
    longest_first,
    phrase_regex,
)
from pipeline.parse.rules import DATE_LINE_FILLER, compile_rule


@dataclass(frozen=True)
class DateRule:
    """A date pattern with named groups `year`, `month` (a number or a name) and `day`."""

    name: str
    pattern: re.Pattern[str]
    note: str
    #: The calendar the pattern's dates are in (`CALENDARS`); None for the Gregorian one.
    calendar: str | None = None


def _persian_months() -> tuple[str, ...]:
    import jdatetime  # only for a language whose pages print Solar Hijri dates: the cold path does not pay for it

    return tuple(jdatetime.date.j_months_fa)


def _persian_date(year: int, month: int, day: int) -> dt.date:
    import jdatetime

    result: dt.date = jdatetime.date(year, month, day).togregorian()
    return result


#: Calendars other than the Gregorian that a language's data file may name (`calendars`): where the names of
#: their months come from (a maintained package, not a hand list) and how a date of one becomes a Gregorian date.
CALENDARS: dict[str, tuple[Callable[[], tuple[str, ...]], Callable[[int, int, int], dt.date]]] = {
    "persian": (_persian_months, _persian_date),  # the Solar Hijri calendar of Iran's pages (jdatetime)
}


DATE_RULES: tuple[DateRule, ...] = (
    DateRule("iso", re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b"), "`2019-02-25`"),
    DateRule("dotted", re.compile(r"\b(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})\b"), "`25.02.2019`"),
    DateRule("slashed-dmy", re.compile(r"\b(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})\b"),
             "`25/02/2019` (read day first unless the day cannot be a month)"),
)

# A month's name in a case CLDR does not list goes on for a few letters after a form it does (Latvian `oktobrī`,
# "in October", after CLDR's `okt`): the whole word is the month's.
_INFLECTED = r"(?:(?<=[^\W\d_]{3})[^\W\d_]{1,6})?"

# CLDR date-pattern fields and what each stands for in a regex; letters not listed are not dates' parts.
_FIELDS = {"y": "year", "M": "month", "L": "month", "d": "day", "E": "weekday", "c": "weekday", "G": "era"}


def _cldr_pattern(pattern: str, month: str, weekday: str) -> str | None:
    """A CLDR date pattern (`d. MMMM y`, `y年M月d日`, `EEEE, d בMMMM y`) as a regex with groups `year`, `month` and
    `day`; literals must stand as written (but for those in brackets), punctuation and spaces may be left out; None
    without all three."""
    out: list[str] = []
    seen: set[str] = set()
    for m in re.finditer(r"'([^']*)'|([A-Za-z])\2*|(\s+)|(.)", pattern):
        quoted, letters, space, other = m.group(1), m.group(0) if m.group(2) else None, m.group(3), m.group(4)
        if quoted is not None:
            # A literal in brackets is one the language may leave out (Basque `y('e')'ko'`: `2026ko`, `2001eko`).
            optional = pattern[m.start() - 1: m.start()] == "(" and pattern[m.end(): m.end() + 1] == ")"
            literal = re.escape(quoted) if quoted else "'"
            out.append(f"(?:{literal})?" if optional else literal)
        elif letters:
            field = _FIELDS.get(letters[0])
            if field in ("year", "month", "day") and field in seen:
                return None
            if field == "year":
                if len(letters) == 2:
                    return None  # two-digit years are no year a news page needs guessing
                out.append(r"(?P<year>\d{4})")
            elif field == "month":
                out.append(rf"(?P<month>{month}){_INFLECTED}\.?" if len(letters) >= 3 else r"(?P<month>\d{1,2})")
            elif field == "day":
                out.append(r"(?P<day>\d{1,2})")
            elif field == "weekday":
                out.append(rf"(?:(?:{weekday})\.?)?")
            elif field == "era":
                out.append(r"(?:\S{1,6})?")
            else:
                return None
            if field:
                seen.add(field)
        elif space:
            out.append(r"\s*")
        elif other.isalpha():
            out.append(re.escape(other))
        else:
            out.append(re.escape(other) + "?")
    if not {"year", "month", "day"} <= seen:
        return None
    return "".join(out)


@dataclass(frozen=True)
class Found:
    """A date found in a line, with where it stands."""

    date: dt.date
    start: int
    end: int


def _month(value: str) -> int | None:
    if value.isdigit():
        return int(value)
    key = fold_letters(unicodedata.normalize("NFKC", value)).rstrip(".")
    months = active().months
    if key not in months and "'" in (straight := apostrophes_alike(key)):  # `d'octubre` for CLDR's `d’octubre`
        key = next((name for name in months if apostrophes_alike(name) == straight), key)
    found = months.get(key) or next((lex.months[key] for lex in lingua_franca() if key in lex.months), None)
    if found is None:  # a month's stem (`mart` of `marts`, written `martā`): the one month it is the stem of
        stems = {number for name, number in active().months.items() if _stem(name) == key}
        found = stems.pop() if len(stems) == 1 else None
    return found


def _stem(name: str) -> str | None:
    """A month's name without its last letter, where the name is long enough for that to stay its own: a case
    ending replaces the nominative's (Latvian `marts`, "March", is `martā` in a date)."""
    return name[:-1] if len(name) >= STEM_MONTH_LETTERS and name[-1].isalpha() else None


#: The shortest month name whose last letter a case ending may replace.
STEM_MONTH_LETTERS = 5


@lru_cache(maxsize=64)
def _language_rules(lex: Lexicon) -> tuple[DateRule, ...]:
    """Date patterns in one language: CLDR's own date patterns for it, then looser orders of day, month name and
    year, with its month names (every form CLDR has) in them."""
    stems = {stem for m in lex.months if (stem := _stem(m)) is not None and stem not in lex.months}
    names = longest_first({letters_regex(m) for m in (*lex.months, *stems) if len(m) >= 2})
    if not names:
        return ()
    month = "|".join(names)
    weekday = "|".join(sorted((re.escape(w) for w in lex.weekdays if w), key=len, reverse=True)) or r"(?!x)x"
    regexes = [_cldr_pattern(p, month, weekday) for p in lex.date_patterns]
    cldr = tuple(DateRule(f"cldr-{lex.language}-{n}", re.compile(regex, re.IGNORECASE), "CLDR's date pattern")
                 for n, regex in enumerate(dict.fromkeys(r for r in regexes if r is not None)))
    # The same patterns with the year counted in an era of the language's pages (`令和6年5月14日`): the era's name,
    # then its year, up to three digits (Taiwan's 民國113年) or the word for its first year.
    if eras := _eras(lex):
        first = "|".join(re.escape(w) for w in lex.phrases("era_first_year"))
        year = rf"(?P<era>{'|'.join(sorted(map(re.escape, eras), key=len, reverse=True))})\s*" \
            rf"(?P<year>\d{{1,3}}{'|' + first if first else ''})(?!\d)"
        cldr += tuple(DateRule(f"era-{lex.language}-{n}", re.compile(regex.replace(r"(?P<year>\d{4})", year),
                                                                     re.IGNORECASE), "CLDR's date pattern in an era")
                      for n, regex in enumerate(dict.fromkeys(r for r in regexes if r is not None)))
    # Short words that may stand between a date's parts (`de`, `of`, `г.`): any one or two of up to four letters.
    joint = r"(?:\s*[^\W\d]{1,4}\.?)?"
    return (*cldr, *_calendar_rules(lex),
        DateRule("cldr-day-month-year", re.compile(
            rf"(?<!\d)(?P<day>\d{{1,2}})(?:\.|[^\W\d]{{1,3}}\.?)?\s*{joint}\s*(?P<month>{month}){_INFLECTED}\.?,?\s*{joint}\s*"
            rf"(?P<year>\d{{4}})(?!\d)", re.IGNORECASE), "`25 lutego 2019`, `25. helmikuuta 2019` (CLDR months)"),
        DateRule("cldr-month-day-year", re.compile(
            rf"(?<![^\W\d])(?P<month>{month}){_INFLECTED}\.?\s+(?P<day>\d{{1,2}})(?:\.|[^\W\d]{{1,3}})?,?\s+(?P<year>\d{{4}})(?!\d)",
            re.IGNORECASE), "`März 25, 2019` (CLDR months)"),
        DateRule("cldr-year-month-day", re.compile(
            rf"(?<!\d)(?P<year>\d{{4}})\.?\s*{joint}\s*(?P<month>{month}){_INFLECTED}\.?\s+(?P<day>\d{{1,2}})\.?(?!\d)",
            re.IGNORECASE), "`2019. február 25.` (CLDR months)"),
    )


def _calendar_rules(lex: Lexicon) -> tuple[DateRule, ...]:
    """Day, month name and year in each other calendar the language's pages use (`١٥ مهر ١٤٠٣`)."""
    rules = []
    for calendar in lex.phrases("calendars"):
        months = CALENDARS[calendar][0]()
        names = "|".join(sorted((letters_regex(m) for m in months), key=len, reverse=True))
        rules.append(DateRule(f"{calendar}-day-month-year", re.compile(
            rf"(?<!\d)(?P<day>\d{{1,2}})\s*(?P<month>{names})\s*(?P<year>\d{{4}})(?!\d)", re.IGNORECASE),
            f"a day, month name and year of the {calendar} calendar", calendar))
    return tuple(rules)


def _calendar_month(calendar: str, name: str) -> int | None:
    key = fold_letters(unicodedata.normalize("NFKC", name))
    months = [fold_letters(m) for m in CALENDARS[calendar][0]()]
    return months.index(key) + 1 if key in months else None


#: Numeric dates whose order is year first: `2019.02.25.`, `2019/02/25`.
_YEAR_FIRST = DateRule("year-first", re.compile(r"(?<!\d)(?P<year>\d{4})\s*[./-]\s*(?P<month>\d{1,2})\s*[./-]\s*"
                                                r"(?P<day>\d{1,2})\.?(?!\d)"), "`2019.02.25.`, `2019/02/25`")
#: Day-first numeric dates with spaces after the dots: `25. 2. 2019`.
_DOTTED_SPACED = DateRule("dotted-spaced", re.compile(r"(?<!\d)(?P<day>\d{1,2})\.\s(?P<month>\d{1,2})\.\s?"
                                                      r"(?P<year>\d{4})(?!\d)"), "`25. 2. 2019`")
#: Day-first numeric dates with a dash: `25-02-2019`.
_DASHED = DateRule("dashed-dmy", re.compile(r"(?<!\d)(?P<day>\d{1,2})-(?P<month>\d{1,2})-(?P<year>\d{4})(?!\d)"),
                   "`25-02-2019`")


def _ascii_digits(line: str) -> str:
    """`line` with every decimal digit of any script as its ASCII digit: spans stay where they were."""
    if line.isascii():
        return line
    return "".join(str(unicodedata.digit(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in line)


def find_dates(line: str) -> list[Found]:
    """Every date in `line`, left to right, each span claimed by the first rule that matches it."""
    # Every date has a digit (a day, a month, a year); the parser asks of most lines more than once.
    if not any(ch.isdigit() for ch in line):
        return []
    return list(_dates_in(line, active()))


@lru_cache(maxsize=4096)
def _dates_in(line: str, lex: Lexicon) -> tuple[Found, ...]:
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    line = _ascii_digits(line)
    others = tuple(rule for other in lingua_franca() if other is not lex for rule in _language_rules(other))
    for rule in (DATE_RULES[0], *_language_rules(lex), *others, *DATE_RULES[1:], _YEAR_FIRST, _DOTTED_SPACED,
                 _DASHED):
        for m in rule.pattern.finditer(line):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            if rule.calendar is not None:
                month = _calendar_month(rule.calendar, m.group("month"))
                day, year = int(m.group("day")), int(m.group("year"))
            elif (era := m.groupdict().get("era")) is not None:
                month = _month(m.group("month"))
                day, year = int(m.group("day")), _era_year(lex, era, m.group("year")) or 0
            else:
                month = _month(m.group("month"))
                day, year = int(m.group("day")), _gregorian(int(m.group("year")), lex)
            if rule.name == "slashed-dmy" and month is not None and month > 12 >= day:
                day, month = month, day
            if month is None:
                continue
            try:
                date = dt.date(year, month, day) if rule.calendar is None else \
                    CALENDARS[rule.calendar][1](year, month, day)
            except ValueError:
                continue
            year = date.year
            if not 1800 <= year <= 2200:
                continue
            found.append(Found(date, m.start(), m.end()))
            taken.append((m.start(), m.end()))
    return tuple(sorted(found, key=lambda f: f.start))


@lru_cache(maxsize=64)
def _eras(lex: Lexicon) -> dict[str, int]:
    """The eras a language's pages count years in (`eras`: `令和 2019`), each with the Gregorian year of its first."""
    out: dict[str, int] = {}
    for entry in lex.phrases("eras"):
        name, _, first = entry.rpartition(" ")
        if name and first.isdigit():
            out[fold_letters(name)] = int(first)
    return out


def _era_year(lex: Lexicon, era: str, year: str) -> int | None:
    """The Gregorian year of `year` of `era`: the era's first year is written as a number or a word (`元`)."""
    first = _eras(lex).get(fold_letters(era))
    if first is None:
        return None
    return first + (int(year) - 1 if year.isdigit() else 0)


def _gregorian(year: int, lex: Lexicon) -> int:
    """A year as the Gregorian calendar counts it: a language whose pages count years in another era (Thai
    pages in the Buddhist era, 543 years ahead) names the era's offset in its data file."""
    if 1800 <= year <= 2200:
        return year
    for offset in lex.phrases("era_offsets"):
        if offset.isdigit() and 1800 <= year - int(offset) <= 2200:
            return year - int(offset)
    return year


@lru_cache(maxsize=64)
def _filler(lex: Lexicon) -> re.Pattern[str]:
    """What may stand beside a date on a date line in the article's language: labels, weekdays, month names,
    counters, comment and reading-time notes."""
    words = [*lex.phrases("published", "updated", "comments", "reading_time", "relative_time"),
             *lex.weekdays, *lex.months]
    body = "|".join(longest_first({_phrase(w) for w in words if w.strip()})) or r"(?!x)x"
    return compiled.compile(rf"(?<!\w)(?:{body})(?!\w)|\d+|[^\w\s]", re.IGNORECASE, scope=lex.language)


@lru_cache(maxsize=64)
def _updated(lex: Lexicon) -> re.Pattern[str]:
    body = _labels(lex, "updated")
    return re.compile(rf"(?<!\w)(?:{body or '(?!x)x'})", re.IGNORECASE)


def _labels(lex: Lexicon, *keys: str) -> str:
    """An alternation of the date labels of `keys` in this language and the lingua franca, longest first."""
    return "|".join(longest_first({_phrase(w) for w in lex.everywhere(*keys) if w.strip()}))


def _phrase(text: str) -> str:
    return phrase_regex(text.strip(" :："))


#: Another calendar's date printed beside the Gregorian one (`۲۵ اسفند ۱۴۰۲ - ۱۵ مارس ۲۰۲۴`): day, month, year.
_OTHER_CALENDAR = re.compile(r"(?<!\d)\d{1,2}\s+[^\W\d]{2,12}\s+\d{3,4}(?!\d)")


@dataclass(frozen=True)
class DateLine:
    """A line that is only dates and their trimmings: the publication date and the update, if any."""

    published: dt.date
    updated: dt.date | None


#: A day-first date with a two-digit year (`14.05.25`), read only after a `Published` or `Updated` label.
_DOTTED_SHORT = re.compile(r"(?<![\d.])(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{2})(?![\d.])")


@lru_cache(maxsize=64)
def _date_label(lex: Lexicon) -> re.Pattern[str] | None:
    labels = _labels(lex, "published", "updated")
    return re.compile(rf"\W*(?:{labels})", re.IGNORECASE) if labels else None


def _labelled_short_dates(line: str) -> list[Found]:
    """`פורסם: 14.05.25, 08:30`: a two-digit year is this century's, where a label says the line is a date line
    (without one, `1.2.25` may be a version or a score)."""
    labelled = _date_label(active())
    if labelled is None or not labelled.match(line):
        return []
    found = []
    for m in _DOTTED_SHORT.finditer(_ascii_digits(line)):
        try:
            found.append(Found(dt.date(2000 + int(m.group("year")), int(m.group("month")), int(m.group("day"))),
                               m.start(), m.end()))
        except ValueError:
            continue
    return found


def line_dates(line: str) -> list[Found]:
    """The dates of a date line: `find_dates`'s, or a two-digit year's after a `Published` label."""
    return find_dates(line) or _labelled_short_dates(line)


#: A counter: a number and a word or two (`23 comentarios`, `1.204 visualizações`).
COUNTER = r"\d[\d.,]*\s+[^\W\d_]+(?:\s+[^\W\d_]+)?"
_COUNTER_SEGMENT = re.compile(rf"(?:(?<=[·|•])|^)\s*{COUNTER}\s*(?=[·|•]|$)")


def read_date_line(line: str) -> DateLine | None:
    """The dates of a header date line, or None when the line says more than a date line does."""
    found = line_dates(line)
    if not found:
        return None
    residue = line
    for f in reversed(found):
        residue = residue[: f.start] + " " + residue[f.end :]
    # The article's own language first (its labels need their spaces), then the shared filler until nothing
    # changes: `10:15am` loses its time in one pass and its `am` in the next.
    # Another calendar's date goes first, while its numbers still stand beside its month.
    residue = _OTHER_CALENDAR.sub(" ", residue)
    # A counter set apart by a separator (`… · 23 comentarios`, `| 1.204 visualizações`) in words the data file
    # may lack: a number and a word or two, alone between separators, is no more than a date line says.
    residue = _COUNTER_SEGMENT.sub(" ", residue)
    filler = compile_rule(DATE_LINE_FILLER, active()).pattern
    # Words with their dots (`a.m.`) before the language's filler takes the dots away.
    residue = filler.sub(" ", residue)
    residue = _filler(active()).sub(" ", residue)
    for _ in range(3):
        shorter = filler.sub(" ", residue)
        if shorter == residue:
            break
        residue = shorter
    residue = re.sub(r"\s+", "", residue)
    if len(residue.strip()) > 3:
        return None
    published: dt.date | None = None
    updated: dt.date | None = None
    for f in found:
        before = line[: f.start]
        # The nearest marker word before this date decides whether it is the update.
        markers = list(_updated(active()).finditer(before))
        last_marker = max((m.end() for m in markers), default=-1)
        last_date_end = max((g.end for g in found if g.end <= f.start), default=-1)
        if last_marker > last_date_end and updated is None:
            updated = f.date
        elif published is None:
            published = f.date
    if published is None:
        published, updated = updated or found[0].date, None
    return DateLine(published, updated)
