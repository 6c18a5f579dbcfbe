"""Tell an article's language from its text: by script first, then by the commonest words of each language.

Whole articles give plenty of evidence, so two cheap signals suffice and start instantly (a statistical
model such as langid takes longer to load than the rest of a text build): the share of letters in each
script, and for Latin script the frequency of each language's function words.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

#: Languages the detector can answer; anything else must be given with --language or a sidecar.
SUPPORTED = ("en", "fr", "de", "es", "it", "pt", "nl", "ja", "zh", "ko", "ar", "he", "ru")

# Function words that are frequent in one language and rare in the others (lower case).
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the and of to is that was for with on are as this have from by be not but which were".split()),
    "fr": frozenset("le la les des est une et du dans pour que qui sur pas au avec sont aux cette ce ont".split()),
    "de": frozenset("der die und das ist nicht ein eine mit sich auf dem den des im für von zu wird auch".split()),
    "es": frozenset("el los las del que es por una con para se al lo como más pero sus fue este está".split()),
    "it": frozenset("il che di della per una sono con non gli del alla anche nel più dei questo è".split()),
    "pt": frozenset("o os da do das dos que uma com para não em no na por mais foi são ao pelo".split()),
    "nl": frozenset("de het een van en is dat op te zijn voor met niet die aan er ook werd bij".split()),
}

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _script(ch: str) -> str | None:
    code = ord(ch)
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF:
        return "kana"
    if 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return "hangul"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
        return "han"
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF:
        return "arabic"
    if 0x0590 <= code <= 0x05FF or 0xFB1D <= code <= 0xFB4F:
        return "hebrew"
    if 0x0400 <= code <= 0x04FF:
        return "cyrillic"
    if ch.isalpha() and "LATIN" in unicodedata.name(ch, ""):
        return "latin"
    return None


def detect(text: str, default: str = "en") -> str:
    """The language of `text` as a BCP 47 primary subtag from SUPPORTED, or `default` when unsure."""
    sample = text[:20000]
    scripts = Counter(s for s in map(_script, sample) if s)
    total = sum(scripts.values())
    if not total:
        return default
    if (scripts["kana"] + scripts["han"] + scripts["hangul"]) / total > 0.3:
        if scripts["hangul"] > scripts["kana"] and scripts["hangul"] >= scripts["han"] * 0.2:
            return "ko"
        # Japanese mixes kana into kanji in every sentence; Chinese has none.
        return "ja" if scripts["kana"] >= 0.05 * (scripts["kana"] + scripts["han"]) else "zh"
    for script, language in (("arabic", "ar"), ("hebrew", "he"), ("cyrillic", "ru")):
        if scripts[script] / total > 0.4:
            return language
    words = [w.lower() for w in _WORD.findall(sample)]
    if not words:
        return default
    scores = {lang: sum(1 for w in words if w in vocab) for lang, vocab in FUNCTION_WORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    # Too little evidence (a headline and a line or two) is no evidence: keep the default.
    if scores[best] < 3 or scores[best] < 1.3 * sorted(scores.values())[-2]:
        return default
    return best
