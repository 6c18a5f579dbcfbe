"""Build options: what to make, on which paper, with which defaults; checked once, then passed around frozen."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ConfigError
from .source import DEFAULT_MAX_BYTES

#: Output formats, in the order a build writes them, with the file extension each gets.
FORMATS: tuple[str, ...] = ("epub", "pdf", "txt")

#: Paper sizes for the PDF, as CSS `@page { size }` values.
PAPERS: dict[str, str] = {"a4": "A4", "letter": "letter"}


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

    def __post_init__(self) -> None:
        unknown = [f for f in self.formats if f not in FORMATS]
        if unknown or not self.formats:
            raise ConfigError(f"unknown format {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}")
        if self.paper not in PAPERS:
            raise ConfigError(f"unknown paper size {self.paper!r}; choose from {', '.join(PAPERS)}")
        if self.max_bytes <= 0:
            raise ConfigError("--max-bytes must be a positive number of bytes")

    @classmethod
    def from_strings(cls, *, formats: str = ",".join(FORMATS), paper: str = "a4", language: str | None = None,
                     publisher: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                     strict: bool = False) -> BuildOptions:
        """Options as a command line gives them: a comma-separated format list, names in any case."""
        wanted = tuple(dict.fromkeys(f.strip().lower() for f in formats.split(",") if f.strip()))
        ordered = tuple(f for f in FORMATS if f in wanted) + tuple(f for f in wanted if f not in FORMATS)
        return cls(formats=ordered, paper=paper.strip().lower(), language=(language or "").strip() or None,
                   publisher=publisher or None, max_bytes=max_bytes, strict=strict)
