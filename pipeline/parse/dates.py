"""Find calendar dates in a line of text, in the forms news sites print, as data-driven patterns."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pipeline.parse.rules import DATE_LINE_FILLER, UPDATE_MARKER

# Month names and their usual abbreviations, by language; keys are lower case without a trailing dot.
MONTHS: dict[str, int] = {}
_MONTH_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "de": ("januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober",
           "november", "dezember"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"),
    "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
           "novembre", "dicembre"),
    "pt": ("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
           "novembro", "dezembro"),
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря"),
    "ru-nominative": ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
                      "ноябрь", "декабрь"),
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"),
}
for _names in _MONTH_NAMES.values():
    for _i, _name in enumerate(_names, start=1):
        MONTHS.setdefault(_name, _i)
# Abbreviations: `Feb.`, `Sept.`, `févr.`, `Jan`; three and four letters of each name.
for _name, _i in list(MONTHS.items()):
    MONTHS.setdefault(_name[:3], _i)
    MONTHS.setdefault(_name[:4], _i)
MONTHS.update({"sept": 9, "févr": 2, "janv": 1, "juil": 7, "déc": 12, "mär": 3, "mrz": 3})

_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))


@dataclass(frozen=True)
class DateRule:
    """A date pattern with named groups `year`, `month` (a number or a name) and `day`."""

    name: str
    pattern: re.Pattern[str]
    note: str


DATE_RULES: tuple[DateRule, ...] = (
    DateRule("iso", re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b"), "`2019-02-25`"),
    DateRule("cjk", re.compile(r"(?P<year>\d{4})\s*[年년]\s*(?P<month>\d{1,2})\s*[月월]\s*(?P<day>\d{1,2})\s*[日일]"),
             "`2019年2月25日` and Korean `2019년 2월 25일`"),
    DateRule("month-day-year", re.compile(
        rf"\b(?P<month>{_MONTH_ALT})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b", re.IGNORECASE),
        "`Feb. 25, 2019`, `February 25, 2019`"),
    DateRule("day-month-year", re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th|er|\.|º)?\s+(?:de\s+|of\s+)?(?P<month>{_MONTH_ALT})\.?,?\s+(?:de\s+)?(?P<year>\d{{4}})(?:\s*г\.?)?(?!\d)",
        re.IGNORECASE),
        "`25 February 2019`, `4 avril 2019`, `25. Februar 2019`, `25 de febrero de 2019`"),
    DateRule("dotted", re.compile(r"\b(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})\b"), "German `25.02.2019`"),
    DateRule("slashed-dmy", re.compile(r"\b(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})\b"),
             "`25/02/2019` (read day first unless the day cannot be a month)"),
)


@dataclass(frozen=True)
class Found:
    """A date found in a line, with where it stands."""

    date: dt.date
    start: int
    end: int


def _month(value: str) -> int | None:
    if value.isdigit():
        return int(value)
    return MONTHS.get(value.lower().rstrip("."))


def find_dates(line: str) -> list[Found]:
    """Every date in `line`, left to right, each span claimed by the first rule that matches it."""
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for rule in DATE_RULES:
        for m in rule.pattern.finditer(line):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            month = _month(m.group("month"))
            day, year = int(m.group("day")), int(m.group("year"))
            if rule.name == "slashed-dmy" and month is not None and month > 12 >= day:
                day, month = month, day
            if month is None:
                continue
            try:
                date = dt.date(year, month, day)
            except ValueError:
                continue
            if not 1800 <= year <= 2200:
                continue
            found.append(Found(date, m.start(), m.end()))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


@dataclass(frozen=True)
class DateLine:
    """A line that is only dates and their trimmings: the publication date and the update, if any."""

    published: dt.date
    updated: dt.date | None


def read_date_line(line: str) -> DateLine | None:
    """The dates of a header date line, or None when the line says more than a date line does."""
    found = find_dates(line)
    if not found:
        return None
    residue = line
    for f in reversed(found):
        residue = residue[: f.start] + " " + residue[f.end :]
    residue = DATE_LINE_FILLER.sub("", residue)
    if len(residue.strip()) > 3:
        return None
    published: dt.date | None = None
    updated: dt.date | None = None
    for f in found:
        before = line[: f.start]
        # The nearest marker word before this date decides whether it is the update.
        last_marker = max((m.end() for m in UPDATE_MARKER.finditer(before)), default=-1)
        last_date_end = max((g.end for g in found if g.end <= f.start), default=-1)
        if last_marker > last_date_end and updated is None:
            updated = f.date
        elif published is None:
            published = f.date
    if published is None:
        published, updated = updated or found[0].date, None
    return DateLine(published, updated)
