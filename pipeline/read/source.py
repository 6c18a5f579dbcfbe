"""Read a seed's bytes into clean Unicode text: encodings, byte-order marks, line endings, control characters."""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import SeedError
from pipeline.model import Diagnostic
from pipeline.parse.rules import CONTROL_CHARS, EDGE_SPACE
from pipeline.read.files import Refused, read_within

#: Seeds larger than this are refused before they are read into memory (override with the build's option).
#: The PDF costs most: about 30 s and 200 MB of memory per MiB of text (a 5 MB seed took 155 s and 1 GB), while
#: a long magazine article is under 100 kB. 2 MiB keeps a build's time and memory bounded for any accepted seed.
DEFAULT_MAX_BYTES = 2 * 1024 * 1024

#: Longest run of characters without a space. WeasyPrint breaks an unbreakable run by trying each position in
#: turn, at a cost growing with the square of its length: 500 `<div>` in a row took 4 s for the PDF, 2,000 took
#: 107 s. The longest real words and URLs are a few hundred characters.
MAX_RUN_CHARS = 1_000
#: Runs of over LONG_RUN_CHARS without a space each cost the PDF time growing with the square of their length
#: (WeasyPrint shapes the rest of the run again at each place it tries to break it): 20 runs of 1,000 letters took
#: 77 s for the three editions. Their squared lengths together may not exceed MAX_LONG_RUN_COST, some 20 s of
#: layout: five runs of 1,000 characters, fifty of 300 or five hundred of 100. Real articles hold a few long URLs
#: (the corpus at most 260,000).
LONG_RUN_CHARS = 100
MAX_LONG_RUN_COST = 5_000_000
#: Longest line (a paragraph is one line): 100,000 characters is some 30 printed pages without a break.
MAX_LINE_CHARS = 100_000
#: Most lines holding text. Each becomes a block at least; 20,000 one-word lines take 28 s and 440 MB for the PDF,
#: 50,000 took 106 s and 1.24 GB.
MAX_LINES = 25_000

# Share of control bytes above which a file is taken for binary data rather than text with stray controls.
BINARY_CONTROL_SHARE = 0.05


@dataclass(frozen=True)
class SourceText:
    """A seed's text after decoding, with the encoding used and what decoding had to say."""

    text: str
    encoding: str
    diagnostics: tuple[Diagnostic, ...] = ()


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if not sample:
        return False
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 11, 12, 13))
    return controls / len(sample) > BINARY_CONTROL_SHARE


def decode(data: bytes) -> SourceText:
    """Decode a seed: UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1252; never fails on text."""
    notes: list[Diagnostic] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = data.decode("utf-16", errors="replace"), "utf-16"
    else:
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8):]
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            # A file with valid multi-byte UTF-8 in it is UTF-8 with a few damaged bytes; one with none is a
            # legacy single-byte file, and on the web that is almost always Windows-1252.
            if _has_utf8_multibyte(data):
                text, encoding = data.decode("utf-8", errors="replace"), "utf-8"
                notes.append(Diagnostic("W010", f"invalid UTF-8 at byte {exc.start}; replaced with U+FFFD"))
            else:
                text, encoding = data.decode("cp1252", errors="replace"), "cp1252"
                notes.append(Diagnostic("W011", "the file is not UTF-8; read it as Windows-1252"))
    return SourceText(clean_text(text), encoding, tuple(notes))


def _has_utf8_multibyte(data: bytes) -> bool:
    # Decode leniently and see whether any real non-ASCII character came out of a multi-byte sequence.
    text = data.decode("utf-8", errors="ignore")
    return any(ord(c) > 127 for c in text)


def clean_text(text: str) -> str:
    """Normalise line endings to `\\n`, compose characters (NFC) and remove control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    # A vertical tab or form feed inside a line (a page break from a PDF copy) separates words like a space: as a
    # line break it would split a paragraph in two and make a heading of a fragment.
    text = text.replace("\x0c", " ").replace("\x0b", " ")
    text = CONTROL_CHARS.sub("", text)
    # Unassigned code points and lone surrogates are no text: no font draws them and XML cannot hold the latter.
    strays = {ord(c): None for c in set(text) if ord(c) > 0x7F and unicodedata.category(c) in ("Cn", "Cs")}
    if strays:
        text = text.translate(strays)
    return unicodedata.normalize("NFC", text)


def seed_bytes(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, folders: tuple[Path, ...] | None = None) -> bytes:
    """The bytes of the seed at `path`, once it is known to be a regular file inside `folders` (its own folder by
    default) no larger than `max_bytes`; anything else raises `SeedError` (E105 for the size, else E106)."""
    try:
        return read_within(path, folders or (path.parent,), max_bytes)
    except Refused as exc:
        if exc.too_large:
            raise SeedError(f"the file {exc.reason} (see --max-bytes)", path=path, code="E105") from None
        raise SeedError(f"the file {exc.reason}", path=path, code="E106") from None


def read_seed(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, folders: tuple[Path, ...] | None = None
              ) -> SourceText:
    """Read and decode the seed at `path`, refusing what is not text, not inside `folders` or too large."""
    return check_bytes(seed_bytes(path, max_bytes=max_bytes, folders=folders), path, max_bytes=max_bytes)


def check_bytes(data: bytes, path: Path | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Decode a seed's bytes already read (by a build's planner or on a worker) with `read_seed`'s checks."""
    if len(data) > max_bytes:
        raise SeedError(f"the file is {len(data):,} bytes, over the limit of {max_bytes:,} (see --max-bytes)",
                        path=path, code="E105")
    if _looks_binary(data):
        raise SeedError("the file is binary data, not text", path=path, code="E102")
    source = decode(data)
    if not source.text.strip(EDGE_SPACE + " \n\t\u200b\u200c\u200d\u2060"):
        raise SeedError("the file is empty", path=path, code="E101")
    problem = bounds_problem(source.text)
    if problem:
        raise SeedError(problem, path=path, code="E108")
    return source


def bounds_problem(text: str) -> str | None:
    """Why `text` would cost a renderer unbounded time or memory (None when it would not): a line, a run without
    spaces or the number of lines over its limit. Checked before parsing, in linear time."""
    lines = long_runs = cost = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_CHARS:
            return f"line {number} is {len(line):,} characters long; at most {MAX_LINE_CHARS:,} are allowed"
        if len(line) > LONG_RUN_CHARS:
            runs = [len(run) for run in line.split() if len(run) > LONG_RUN_CHARS]
            if runs and max(runs) > MAX_RUN_CHARS:
                return (f"line {number} holds more than {MAX_RUN_CHARS:,} characters without a space; split it "
                        "(a long URL or a run of markup)")
            long_runs += len(runs)
            cost += sum(length * length for length in runs)
        if line.strip():
            lines += 1
    if cost > MAX_LONG_RUN_COST:
        return (f"the file holds {long_runs:,} runs of over {LONG_RUN_CHARS} characters without a space (long URLs "
                "or markup), too many to lay out in reasonable time; split them")
    if lines > MAX_LINES:
        return f"the file has {lines:,} lines of text; at most {MAX_LINES:,} are allowed"
    return None
