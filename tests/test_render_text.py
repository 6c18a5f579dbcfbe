"""The plain-text edition: layout, header, caption, no leftovers, and its golden copy."""

from __future__ import annotations

from pipeline.model import Document
from pipeline.parse.parser import parse
from pipeline.render.text import render_text

from .conftest import Built, golden

LEFTOVERS = ("Leave a Reply", "Your email address", "0 comments")


def test_text_edition_matches_golden(built: Built) -> None:
    actual = built.txt.read_text(encoding="utf-8")
    assert actual == golden("000_ce7740ea781b237b.txt", actual)


def test_text_edition_layout(built: Built, seed_doc: Document) -> None:
    text = built.txt.read_bytes().decode("utf-8")  # valid UTF-8 or this raises
    lines = text.split("\n")
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert all(len(line) <= 72 for line in lines), max(lines, key=len)
    assert all(line == line.rstrip() for line in lines)
    # Header: title underlined, then byline and date.
    assert lines[0] == seed_doc.meta.title
    assert set(lines[1]) == {"="} and len(lines[1]) == len(lines[0])
    assert "By Stephen R. Nagy" in lines[2:6]
    assert "February 25, 2019" in lines[2:6]
    # Headings are set off with a rule under them and blank lines around.
    for heading in seed_doc.headings:
        i = lines.index(heading.text)
        assert set(lines[i + 1]) == {"-"} and lines[i - 1] == "" and lines[i + 2] == ""
    # Paragraphs are separated by one blank line: 22 paragraphs + 3 headings + photo + byline block + title.
    assert "\n\n\n" not in text


def test_text_edition_photo_caption_and_credit(built: Built) -> None:
    flat = " ".join(built.txt.read_text(encoding="utf-8").split())
    assert ("[Photo] North Korean leader Kim Jong-un leaving Pyongyang Station, North Korea, for Vietnam. "
            "(Credit: Korean Central News Agency/Korea News Service via AP)") in flat


def test_text_edition_has_no_leftovers(built: Built) -> None:
    text = built.txt.read_text(encoding="utf-8")
    for leftover in LEFTOVERS:
        assert leftover not in text


def test_text_never_breaks_words_or_urls() -> None:
    url = "https://example.org/" + "a-very-long-path/" * 8 + "index.html"
    doc = parse(f"Headline\n\nSee {url} for the full report, which runs to many pages.\n")
    text = render_text(doc).decode("utf-8")
    assert url in text.split()
    words = " ".join(p.text for p in doc.paragraphs).split()
    assert " ".join(text.split("\n", 3)[3].split()) .endswith(" ".join(words[-4:]))
