"""Which fonts the PDF may use for which scripts, and a check that they cover every character before rendering.

Latin, Greek and Cyrillic text is set in the project's own faces (Source Serif Pro and Source Sans Pro,
from PyPI, declared with `@font-face` in `assets`). Other scripts fall back to Debian's Noto fonts, named by
family in `styles/print.css` and found through fontconfig. Before a PDF is laid out, every character of its
text must be covered by one of these fonts: otherwise the build stops with a message naming the character
and the package to install, rather than printing a box.
"""

from __future__ import annotations

import contextlib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.errors import RenderError
from pipeline.render.assets import EMOJI_FAMILY, EMOJI_FILE, FONT_FACES


@dataclass(frozen=True)
class Fallback:
    """A system font the print styles fall back to: its family, one file that shows its coverage, its package."""

    family: str
    file: str
    package: str
    covers: str


_NOTO = "/usr/share/fonts/truetype/noto"
_NOTO_CJK = "/usr/share/fonts/opentype/noto"

# In the order `styles/print.css` lists them after the project's own faces.
FALLBACKS: tuple[Fallback, ...] = (
    Fallback("Noto Serif", f"{_NOTO}/NotoSerif-Regular.ttf", "fonts-noto-core",
             "Latin, Greek and Cyrillic beyond Source Serif Pro, and typographic spaces"),
    Fallback("Noto Naskh Arabic", f"{_NOTO}/NotoNaskhArabic-Regular.ttf", "fonts-noto-core", "Arabic"),
    Fallback("Noto Serif Hebrew", f"{_NOTO}/NotoSerifHebrew-Regular.ttf", "fonts-noto-core", "Hebrew"),
    Fallback("Noto Serif CJK JP", f"{_NOTO_CJK}/NotoSerifCJK-Regular.ttc", "fonts-noto-cjk",
             "Chinese, Japanese and Korean (with SC, TC and KR faces chosen by language)"),
    Fallback(EMOJI_FAMILY, str(EMOJI_FILE), "fonts-noto-color-emoji", "emoji (Noto Color Emoji, by unicode-range)"),
    Fallback("Noto Sans Symbols", f"{_NOTO}/NotoSansSymbols-Regular.ttf", "fonts-noto-core", "symbols"),
    Fallback("Noto Sans Symbols 2", f"{_NOTO}/NotoSansSymbols2-Regular.ttf", "fonts-noto-core", "more symbols"),
)

# Characters that need no glyph: spaces, controls, format characters (ZWJ, bidi marks), variation selectors.
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})


@cache
def cmap(path: str) -> frozenset[int]:
    """The code points a font file maps (the first face of a collection)."""
    from fontTools.ttLib import TTFont

    with TTFont(path, fontNumber=0, lazy=True) as font:
        # Only the code points are wanted, not the glyphs' names: numbered names spare reading the `post` table's
        # (half the time of a cold coverage check). The cmap maps the same code points whatever the names.
        with contextlib.suppress(KeyError, AttributeError):
            font.setGlyphOrder([f"glyph{n}" for n in range(font["maxp"].numGlyphs)])
        return frozenset(font.getBestCmap() or {})


def _needs_glyph(ch: str) -> bool:
    code = ord(ch)
    if 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
        return False
    return unicodedata.category(ch) not in _INVISIBLE_CATEGORIES


#: Folders of the Noto packages: for rare scripts (Linear B, Runic, Tifinagh …) any of their fonts may serve.
NOTO_DIRS = (Path(_NOTO), Path(_NOTO_CJK))


@cache
def fallback_files() -> tuple[str, ...]:
    """Font files for what the project's faces lack, in the order to try them: the named fallbacks that are
    installed, then every other font of the Noto packages."""
    listed = {f.file for f in FALLBACKS}
    others = (str(p) for d in NOTO_DIRS if d.is_dir() for p in sorted(d.iterdir())
              if p.suffix in (".ttf", ".otf", ".ttc") and str(p) not in listed)
    return (*(f.file for f in FALLBACKS if Path(f.file).is_file()), *others)


def uncovered(text: str) -> list[str]:
    """Characters of `text` that neither the project's faces nor any installed Noto font can draw.

    The named fallbacks are tried first; the rest of the Noto packages' fonts (which fontconfig finds for the
    scripts the style sheets do not name) only when some character is still without a font.
    """
    wanted = {ord(c) for c in set(text) if _needs_glyph(c)}
    for face in FONT_FACES:
        if face.weight == 400 and face.style == "normal":
            wanted -= cmap(str(face.path))
    for file in fallback_files():
        if not wanted:
            break
        wanted -= cmap(file)
    return [chr(c) for c in sorted(wanted)]


def _package_for(ch: str) -> str:
    name = unicodedata.name(ch, "")
    for words, package in ((("CJK", "HIRAGANA", "KATAKANA", "HANGUL"), "fonts-noto-cjk"),
                           (("EMOJI", "REGIONAL INDICATOR", "FACE", "SYMBOL"), "fonts-noto-color-emoji")):
        if any(w in name for w in words):
            return package
    return "fonts-noto-core"


def check_coverage(text: str) -> None:
    """Raise `RenderError` naming the first character no font can draw, and the package that would."""
    missing = uncovered(text)
    if not missing:
        return
    ch = missing[0]
    name = unicodedata.name(ch, "unnamed character")
    more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
    installed = [f for f in FALLBACKS if Path(f.file).is_file()]
    hint = (f"install the Debian package {_package_for(ch)}" if len(installed) < len(FALLBACKS)
            else "no font the project knows covers it")
    raise RenderError(f"no font covers U+{ord(ch):04X} {name}{more}: {hint}", code="E301")
