"""Personal names as catalogues sort them."""

from __future__ import annotations

# Name endings that are not surnames: `Martin Luther King Jr.` files under King.
SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d.", "md", "esq", "esq."})

# Lower-case particles that belong with the surname: `Ludwig van Beethoven` files under `van Beethoven`.
PARTICLES = frozenset(
    {"van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "del", "dos", "das", "ten", "ter"}
)


def file_as(name: str) -> str:
    """`Stephen R. Nagy` as `Nagy, Stephen R.`; names in scripts without spaces stay as they are."""
    words = name.replace(",", " ").split()
    if len(words) < 2:
        return name
    suffix: list[str] = []
    while len(words) > 2 and words[-1].lower() in SUFFIXES:
        suffix.insert(0, words.pop())
    start = len(words) - 1
    while start > 1 and words[start - 1] in PARTICLES:
        start -= 1
    surname, given = " ".join(words[start:]), " ".join(words[:start])
    filed = f"{surname}, {given}"
    return f"{filed}, {' '.join(suffix)}" if suffix else filed
