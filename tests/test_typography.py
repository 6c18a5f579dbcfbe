"""Typewriter quotes, dashes and dots set for the article's language; addresses and set text untouched."""

from __future__ import annotations

import pytest

from pipeline.parse.typography import smarten

NBSP = "\u00a0"


@pytest.mark.parametrize(("raw", "lang", "expected"), [
    ('"Hello," he said -- it\'s the \'90s...', "en", "“Hello,” he said — it’s the ’90s…"),
    ('She called it "the \'best\' deal"', "en", "She called it “the ‘best’ deal”"),
    ('Il a dit : "Bonjour" !', "fr", f"Il a dit{NBSP}: «{NBSP}Bonjour{NBSP}»{NBSP}!"),
    ("C'est l'homme", "fr", "C’est l’homme"),
    ('Er sagte "Hallo".', "de", "Er sagte „Hallo“."),
    ('Dijo "hola".', "es", "Dijo «hola»."),
    ("Already “set” — fine…", "en", "Already “set” — fine…"),
    ("« déjà » posé", "fr", f"«{NBSP}déjà{NBSP}» posé"),
    ("word---word", "en", "word—word"),
])
def test_smarten(raw: str, lang: str, expected: str) -> None:
    assert smarten(raw, lang) == expected


def test_addresses_are_left_alone() -> None:
    text = 'See "https://example.org/a--b/x...y" or mail first.last--x@example.org -- thanks'
    assert smarten(text, "en") == "See “https://example.org/a--b/x...y” or mail first.last--x@example.org — thanks"
