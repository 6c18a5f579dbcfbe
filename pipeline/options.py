"""Build options: what to make, on which paper, with which defaults; checked once, then passed around frozen."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pipeline.errors import ConfigError

#: Seeds larger than this are refused before they are read into memory (override with the build's option).
#: The PDF costs most. A long text is laid out, written and joined in parts (pipeline/render/parts.py), so a build
#: holds one part's layout at a time and its time grows in step with the text: a 5 MB article (1,001 pages) peaks
#: at about 360 MiB and takes some 110-170 s of CPU on a shared 2-core machine, 20,000 one-word lines (the most
#: blocks a seed may have is 25,000) under 200 MiB; a long magazine article is under 100 kB.
DEFAULT_MAX_BYTES = 5 * 1024 * 1024

#: Output formats, in the order a build writes them, with the file extension each gets.
FORMATS: tuple[str, ...] = ("epub", "pdf", "txt")

#: Trim sizes for the PDF, as CSS `@page { size }` values.
PAPERS: dict[str, str] = {"a4": "A4", "letter": "letter", "a5": "A5", "6x9": "6in 9in"}

#: PDF variants a build can ask for, with WeasyPrint's name for each: tagged PDF/UA-1 for reading on screen
#: (the default), PDF/A-3b for archives, PDF/X-4 for a print shop.
PDF_VARIANTS: dict[str, str] = {"ua-1": "pdf/ua-1", "a-3b": "pdf/a-3b", "x-4": "pdf/x-4"}

# A bleed as print shops state it: a number and a unit (a bare number is millimetres).
_BLEED = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mm|in|pt)?\s*$", re.IGNORECASE)
#: Bleeds beyond this are a typo, not a print shop's request.
MAX_BLEED_MM = 10.0
_MM = {"mm": 1.0, "in": 25.4, "pt": 25.4 / 72}


def parse_bleed(value: str | None) -> float:
    """`3mm`, `0.125in`, `9pt` or `3` as millimetres; empty or None is no bleed."""
    if value is None or not value.strip():
        return 0.0
    match = _BLEED.match(value)
    if not match:
        raise ConfigError(f"bad --bleed {value!r}: give a length such as 3mm or 0.125in")
    mm = float(match.group(1)) * _MM[(match.group(2) or "mm").lower()]
    if mm > MAX_BLEED_MM:
        raise ConfigError(f"--bleed {value} is more than {MAX_BLEED_MM:g} mm")
    return round(mm, 3)


# A language tag's shape as BCP 47 (RFC 5646) gives it: language, then optional script, region and variants.
_TAG = re.compile(r"^(?P<language>[a-z]{2,3})(?:-(?P<script>[a-z]{4}))?(?:-(?P<region>[a-z]{2}|[0-9]{3}))?"
                  r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*$", re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def _registry() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """CLDR's languages, scripts and regions, from Babel's data (already a dependency, for dates)."""
    from babel import Locale

    english = Locale("en")
    def codes(table: Iterable[Any]) -> frozenset[str]:
        return frozenset(str(k).lower() for k in table if "_" not in str(k))

    return codes(english.languages), codes(english.scripts), codes(english.territories)


def is_language_tag(tag: str) -> bool:
    """Whether `tag` is a well-formed BCP 47 tag whose language, script and region CLDR knows (`pt-BR`, `sr-Latn`)."""
    match = _TAG.match(tag)
    if match is None:
        return False
    languages, scripts, regions = _registry()
    language: str = match.group("language")
    script: str | None = match.group("script")
    region: str | None = match.group("region")
    return (language.lower() in languages and (script is None or script.lower() in scripts)
            and (region is None or region.lower() in regions))


@dataclass(frozen=True)
class BuildOptions:
    """Everything besides the seeds that decides what a build writes."""

    formats: tuple[str, ...] = FORMATS
    paper: str = "a4"
    #: The language of seeds that do not say (sidecar); None detects it from the text.
    language: str | None = None
    publisher: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    strict: bool = False
    #: Bleed around each PDF page in millimetres; above zero, crop marks are drawn too.
    bleed_mm: float = 0.0
    #: Mirrored margins (wider inside, narrower outside) for printing on both sides of the sheet.
    two_sided: bool = False
    pdf_variant: str = "ua-1"
    #: The text edition in ASCII only, for systems that cannot show Unicode.
    ascii: bool = False

    def __post_init__(self) -> None:
        unknown = [f for f in self.formats if f not in FORMATS]
        if unknown or not self.formats:
            raise ConfigError(f"unknown format {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}")
        if self.paper not in PAPERS:
            raise ConfigError(f"unknown paper size {self.paper!r}; choose from {', '.join(PAPERS)}")
        if self.pdf_variant not in PDF_VARIANTS:
            raise ConfigError(f"unknown PDF variant {self.pdf_variant!r}; choose from {', '.join(PDF_VARIANTS)}")
        if not 0 <= self.bleed_mm <= MAX_BLEED_MM:
            raise ConfigError(f"--bleed must be between 0 and {MAX_BLEED_MM:g} mm")
        if self.max_bytes <= 0:
            raise ConfigError("--max-bytes must be a positive number of bytes")
        if self.language is not None and not is_language_tag(self.language):
            raise ConfigError(f"--language {self.language!r} is not a language tag such as en, fr or pt-BR")

    @classmethod
    def from_strings(cls, *, formats: str = ",".join(FORMATS), paper: str = "a4", language: str | None = None,
                     publisher: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                     strict: bool = False, bleed: str | None = None, two_sided: bool = False,
                     pdf_variant: str = "ua-1", ascii: bool = False) -> BuildOptions:
        """Options as a command line gives them: a comma-separated format list, names in any case."""
        wanted = tuple(dict.fromkeys(f.strip().lower() for f in formats.split(",") if f.strip()))
        ordered = tuple(f for f in FORMATS if f in wanted) + tuple(f for f in wanted if f not in FORMATS)
        return cls(formats=ordered, paper=paper.strip().lower(), language=(language or "").strip() or None,
                   publisher=publisher or None, max_bytes=max_bytes, strict=strict, bleed_mm=parse_bleed(bleed),
                   two_sided=two_sided, pdf_variant=pdf_variant.strip().lower().removeprefix("pdf/"),
                   ascii=ascii)


def parse_jobs(value: str | int | None) -> int | None:
    """`--jobs` as a positive number of processes; empty or 0 means all cores (None)."""
    text = str(value).strip() if value is not None else ""
    if text in ("", "0"):
        return None
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise ConfigError(f"--jobs {text!r} is not a positive whole number")
    return int(text)
