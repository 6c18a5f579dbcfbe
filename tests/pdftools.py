"""Facts about a PDF the tests check: which fonts it embeds and which characters each really draws."""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pikepdf

_BFCHAR = re.compile(r"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(r"beginbfrange(.*?)endbfrange", re.S)
_HEX = re.compile(r"<([0-9a-fA-F]+)>")


@dataclass(frozen=True)
class FontFact:
    name: str
    embedded: bool
    chars: frozenset[str]
    notdef: bool  # some text was drawn with glyph 0, the "missing glyph" box


def _unhex(value: str) -> str:
    return bytes.fromhex(value).decode("utf-16-be", errors="replace")


def _to_unicode(font: pikepdf.Dictionary) -> dict[int, str]:
    stream = font.get("/ToUnicode")
    if stream is None:
        return {}
    data = stream.read_bytes().decode("latin-1")
    mapping: dict[int, str] = {}
    for block in _BFCHAR.findall(data):
        values = _HEX.findall(block)
        for code, text in zip(values[::2], values[1::2], strict=False):
            mapping[int(code, 16)] = _unhex(text)
    for block in _BFRANGE.findall(data):
        values = _HEX.findall(block)
        for lo, hi, start in zip(values[::3], values[1::3], values[2::3], strict=False):
            first = int(start, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(first + offset)
    return mapping


def _program_chars(descriptor: pikepdf.Dictionary | None) -> frozenset[str]:
    """Characters the embedded font program itself maps (its subset's cmap)."""
    from fontTools.ttLib import TTFont

    if descriptor is None:
        return frozenset()
    for key in ("/FontFile2", "/FontFile3"):
        if key in descriptor:
            try:
                with TTFont(io.BytesIO(descriptor[key].read_bytes())) as program:
                    return frozenset(chr(c) for c in (program.getBestCmap() or {}))
            except Exception:  # a bare CFF program has no cmap: its ToUnicode says what it draws
                return frozenset()
    return frozenset()


def font_facts(pdf_path: Path) -> list[FontFact]:
    facts: dict[str, FontFact] = {}
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            fonts = page.resources.get("/Font", {})
            for _key, font in fonts.items():
                name = str(font.get("/BaseFont"))
                descendants = font.get("/DescendantFonts")
                target = descendants[0] if descendants is not None else font
                descriptor = target.get("/FontDescriptor")
                embedded = descriptor is not None and any(
                    k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                mapping = _to_unicode(font)
                old = facts.get(name)
                chars = (frozenset("".join(mapping.values())) | _program_chars(descriptor)
                         | (old.chars if old else frozenset()))
                facts[name] = FontFact(name, embedded and (old.embedded if old else True), chars,
                                       0 in mapping or (old.notdef if old else False))
    return list(facts.values())


def needs_glyph(ch: str) -> bool:
    code = ord(ch)
    if 0xFE00 <= code <= 0xFE0F or unicodedata.category(ch) in ("Zs", "Zl", "Zp", "Cc", "Cf"):
        return False
    return not ch.isspace()


def undrawn(pdf_path: Path, text: str) -> set[str]:
    """Characters of `text` that no font of the PDF draws (a missing glyph, or text that never made it in)."""
    drawn: set[str] = set()
    for fact in font_facts(pdf_path):
        drawn |= fact.chars
    # Styles may print a word in capitals (`text-transform`): its letters are drawn in the other case.
    return {c for c in set(text) if needs_glyph(c) and not {c, c.upper(), c.lower()} & drawn}
