"""The project's own assets (templates, styles, fonts) and the only URL fetcher renderers may use."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlparse


def _folder(package: str) -> Path:
    found = resources.files(package)
    # Jinja, WeasyPrint and the fetcher read the assets by path: the package must be installed as files, as pip does.
    if not isinstance(found, Path):
        raise ImportError(f"{package} is not installed as files: install the project with pip")
    return found.resolve()


#: The owner's top-level templates/ and styles/, installed as packages of their own (see pyproject.toml).
TEMPLATES = _folder("pipeline.templates")
STYLES = _folder("pipeline.styles")


@cache  # the cover asks for a face's path at every size it tries: look the package up once
def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise ImportError(f"the font package {name!r} is not installed; install the project as the README says")
    return Path(spec.origin).resolve().parent / "files"


@dataclass(frozen=True)
class FontFace:
    """One face of a typeface the PDF embeds: CSS family, weight and style, and the file that draws it."""

    family: str
    weight: int
    style: str
    package: str
    file: str

    @property
    def path(self) -> Path:
        return _package_dir(self.package) / self.file


# The PDF's typefaces: Source Serif Pro for text, Source Sans Pro for the furniture (byline, captions,
# running heads). Both are SIL OFL 1.1 and come from PyPI packages, so every machine draws the same glyphs.
FONT_FACES: tuple[FontFace, ...] = (
    FontFace("Source Serif Pro", 400, "normal", "font_source_serif_pro", "SourceSerifPro-Regular.ttf"),
    FontFace("Source Serif Pro", 400, "italic", "font_source_serif_pro", "SourceSerifPro-It.ttf"),
    FontFace("Source Serif Pro", 600, "normal", "font_source_serif_pro", "SourceSerifPro-Semibold.ttf"),
    FontFace("Source Serif Pro", 700, "normal", "font_source_serif_pro", "SourceSerifPro-Bold.ttf"),
    FontFace("Source Serif Pro", 700, "italic", "font_source_serif_pro", "SourceSerifPro-BoldIt.ttf"),
    FontFace("Source Sans Pro", 400, "normal", "font_source_sans_pro", "SourceSansPro-Regular.ttf"),
    FontFace("Source Sans Pro", 400, "italic", "font_source_sans_pro", "SourceSansPro-It.ttf"),
    FontFace("Source Sans Pro", 600, "normal", "font_source_sans_pro", "SourceSansPro-Semibold.ttf"),
    FontFace("Source Sans Pro", 700, "normal", "font_source_sans_pro", "SourceSansPro-Bold.ttf"),
)


# Debian's colour emoji font, declared for emoji code points only: listed by family it would also claim digits,
# `#` and `*` (they are emoji bases too) and set them, spaced out, from its bitmaps.
EMOJI_FAMILY = "Article Emoji"
EMOJI_FILE = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")
EMOJI_RANGE = ("U+00A9, U+00AE, U+203C, U+2049, U+2122, U+2139, U+2194-21AA, U+231A-23FF, U+24C2, U+25AA-25FE, "
               "U+2600-27BF, U+2934-2935, U+2B05-2B55, U+3030, U+303D, U+3297, U+3299, U+1F000-1FAFF, U+FE0F, "
               "U+200D, U+20E3, U+E0020-E007F")


@cache
def _emoji_code_points() -> re.Pattern[str]:
    ranges = []
    for item in EMOJI_RANGE.split(","):
        low, _dash, high = item.strip().removeprefix("U+").partition("-")
        ranges.append(re.escape(chr(int(low, 16))) + (f"-{re.escape(chr(int(high, 16)))}" if high else ""))
    return re.compile(f"[{''.join(ranges)}]")


def needs_emoji_face(text: str) -> bool:
    """Whether `text` holds a code point of EMOJI_RANGE. The emoji face can set nothing else: a page whose text
    has none lays out alike without it, and declaring it costs some 35 ms a process (WeasyPrint reads its 10 MB,
    copies them into a temporary folder, and fontconfig scans the copy)."""
    return _emoji_code_points().search(text) is not None


def font_face_css(*, emoji: bool = True) -> str:
    """`@font-face` rules for every face, pointing at the packaged files by `file:` URL; the emoji face only with
    `emoji` (see `needs_emoji_face`)."""
    rules = []
    for face in FONT_FACES:
        rules.append(
            f'@font-face {{ font-family: "{face.family}"; font-weight: {face.weight}; '
            f'font-style: {face.style}; src: url("{face.path.as_uri()}"); }}'
        )
    if emoji and EMOJI_FILE.is_file():
        rules.append(f'@font-face {{ font-family: "{EMOJI_FAMILY}"; src: url("{EMOJI_FILE.as_uri()}"); '
                     f"unicode-range: {EMOJI_RANGE}; }}")
    return "\n".join(rules)


def allowed_roots() -> tuple[Path, ...]:
    """Folders a renderer may read from: our styles and templates, and the font packages' files."""
    fonts = {face.path.parent for face in FONT_FACES}
    return (STYLES, TEMPLATES, *sorted(fonts), EMOJI_FILE)


class FetchRefused(Exception):
    """Raised by the URL fetcher for anything outside the project's own assets."""


def _inside(path: Path, roots: tuple[Path, ...]) -> bool:
    return any(path == root or root in path.parents for root in roots)


#: The scheme of the URLs that name an image the document carries (a photo's or a cover's bytes, no file).
IMAGE_SCHEME = "article-image"


def image_url(name: str) -> str:
    """The URL a renderer gives an image it holds in memory; `sealed_fetch` serves it from its `images`."""
    return f"{IMAGE_SCHEME}:{name}"


def sealed_fetch(url: str, roots: tuple[Path, ...] | None = None, images: Mapping[str, bytes] | None = None) -> bytes:
    """Return the bytes of a `file:` URL inside the allowed roots, or of one of the document's `images` (by URL);
    refuse every other URL."""
    if images and url in images:
        return images[url]
    parsed = urlparse(url)
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        raise FetchRefused(f"refused to fetch {url[:80]!r}: only the project's own files are served")
    try:
        path = Path(unquote(parsed.path)).resolve()
        if not _inside(path, roots or allowed_roots()) or not path.is_file():
            raise FetchRefused(f"refused to fetch {url[:80]!r}: outside the project's assets")
        return path.read_bytes()
    except (OSError, ValueError) as exc:  # a NUL byte, a name too long, a loop of links: refused like the rest
        raise FetchRefused(f"refused to fetch {url[:80]!r}: {exc}") from None
