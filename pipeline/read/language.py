"""Identify a text's language with a maintained statistical model (py3langid), and its alphabet from CLDR."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# py3langid answers with ISO 639-1 codes; a few of them name a macrolanguage where the written standard is meant.
_STANDARD = {"no": "nb"}

#: Below this probability the guess is reported as uncertain (`inspect` shows it; the build warns).
CONFIDENT = 0.80

#: How much of a long text the model reads: a whole article's worth of evidence, in bounded time.
SAMPLE_CHARS = 12000


@dataclass(frozen=True)
class Guess:
    """A language guess: BCP 47 primary subtag and the model's probability for it."""

    language: str
    confidence: float
    #: The model's second guess and its probability: a close language (Bosnian beside Croatian) may be the one.
    runner_up: str | None = None
    runner_up_confidence: float = 0.0
    #: The model's next guesses after the first, with their probabilities, best first (the runner-up among them).
    rivals: tuple[tuple[str, float], ...] = ()


@lru_cache(maxsize=1)
def _identifier() -> Any:
    # Loaded once per process and only when a text's language is not given: mapped from the user's cache, as
    # decompressing the packaged model takes half a second (`langmodel`).
    from pipeline.read.langmodel import identifier

    return identifier()


def loaded() -> bool:
    """Whether this process holds the model."""
    return _identifier.cache_info().currsize > 0


def release() -> None:
    """Let the model go (some 90 MB): a build that has identified every seed's language renders without it."""
    _identifier.cache_clear()


def identify(text: str) -> Guess | None:
    """The language of `text`, or None when it has no letters to judge by."""
    sample = text[:SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return None
    ranked = _identifier().rank(sample)
    (language, probability), (second, second_probability) = ranked[0], ranked[1]
    rivals = tuple((_STANDARD.get(code, code), float(p)) for code, p in ranked[1:RIVALS + 1])
    return Guess(_STANDARD.get(language, language), float(probability), _STANDARD.get(second, second),
                 float(second_probability), rivals)


#: How many of the model's next guesses a `Guess` keeps: close languages (Croatian, Bosnian, Serbian) come in a
#: group.
RIVALS = 3


@lru_cache(maxsize=64)
def alphabet(language: str) -> frozenset[str]:
    """The letters `language` writes with, gathered from CLDR's names of months, days, languages and territories
    in that language (lower case); empty when CLDR has no such locale."""
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return frozenset()
    words: list[str] = []
    _strings(locale._data._data if hasattr(locale._data, "_data") else dict(locale._data), words)
    return frozenset(ch for word in words for ch in unicodedata.normalize("NFC", word.lower()) if ch.isalpha())


# CLDR's display names and patterns written in the locale's own language: enough words to hold every letter.
_CLDR_TEXT_KEYS = ("months", "days", "languages", "territories", "scripts", "variants", "currency_names",
                   "currency_names_plural", "date_fields", "unit_display_names", "unit_patterns", "time_zones",
                   "meta_zones", "list_patterns", "day_periods", "quarters", "eras")


def _strings(data: Any, out: list[str], depth: int = 0) -> None:
    """Collect the strings of CLDR's text-bearing tables (nested dicts) into `out`."""
    if depth == 0:
        for key in _CLDR_TEXT_KEYS:
            if key in data:
                _strings(data[key], out, 1)
        return
    if isinstance(data, str):
        out.append(data)
    elif isinstance(data, dict):
        for value in data.values():
            _strings(value, out, depth + 1)
    elif isinstance(data, list | tuple):
        for value in data:
            _strings(value, out, depth + 1)


def fitness(text: str, language: str) -> float:
    """The share of the non-ASCII letters of `text` that belong to `language`'s alphabet (1.0 with none)."""
    letters = alphabet(language)
    if not letters:
        return 1.0
    # Only letters of small alphabets tell encodings apart; ideographs and syllables are decoded or not at all.
    # A C1 control character (U+0080–U+009F) is what a table that lacks a letter makes of it (ISO-8859-2 reading
    # Windows-1250's `ž`): it counts against the reading as a letter outside the alphabet would.
    # A combining mark left over once letters are composed (NFC) is one a table made of a letter (Windows-1258's
    # tone marks reading Italian `ò`, Windows-1256's Arabic vowel signs reading Tagalog `ñ`): it counts against
    # the reading unless the language's own letters are of its script (Arabic writes its vowel signs).
    blocks = {ord(ch) >> 7 for ch in letters}
    # Letters of a far script in a language of a small alphabet are a table's too (Windows-1006's Arabic forms
    # reading Italian); where the alphabet itself is large (ideographs, syllables) they prove nothing.
    small = max((ord(ch) for ch in letters), default=0) < 0x0800
    sample = [ch for ch in unicodedata.normalize("NFC", text[:SAMPLE_CHARS].lower())
              if (ord(ch) > 127 and (ord(ch) < 0x0800 or small) and (ch.isalpha() or (
                  unicodedata.category(ch) == "Mn" and ord(ch) >> 7 not in blocks)))
              or 0x80 <= ord(ch) <= 0x9f or 0x2500 <= ord(ch) <= 0x259f]  # box drawing: KOI8-R reading `«—»`
    # A sign inside a word (`¶` where ISO-8859-7 has `Ά`, Windows-1253 read instead) is a letter a table lost.
    if small:
        sample += _IN_WORD_SIGN.findall(text[:SAMPLE_CHARS])
    if not sample:
        return 1.0
    return sum(1 for ch in sample if ch in letters) / len(sample)


# Latin-1's signs between two letters (the middle dot aside: Catalan writes `l·l`), or `¤ ¦ ¶` opening a word.
_IN_WORD_SIGN = re.compile(r"(?<=[^\W\d_])[\u00a2-\u00b6\u00b8-\u00bf\u00d7\u00f7](?=[^\W\d_])"
                           r"|(?<![^\W\d_])[\u00a4\u00a6\u00b6](?=[^\W\d_])")
