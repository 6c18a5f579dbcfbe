"""Read a seed's bytes into clean Unicode text: encodings, byte-order marks, line endings, control characters."""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import SeedError
from pipeline.model import Diagnostic
from pipeline.options import DEFAULT_MAX_BYTES

#: Whitespace that web copy leaves at line ends and on "blank" lines: tabs, no-break, thin and ideographic spaces.
EDGE_SPACE = " \t\u00a0\u2002\u2003\u2007\u2009\u200a\u202f\u205f\u3000\ufeff\u200b"

#: Characters that never belong in text: C0/C1 controls except tab and newline, DEL, and the noncharacters
#: U+FFFE and U+FFFF, which XML forbids (the EPUB's XHTML could not hold them).
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")

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


def read_seed(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Read and decode the seed at `path`, refusing what is not text or is larger than `max_bytes`."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SeedError(f"cannot read the file: {exc.strerror}", path=path, code="E106") from None
    if size > max_bytes:
        raise SeedError(f"the file is {size:,} bytes, over the limit of {max_bytes:,} (see --max-bytes)", path=path,
                        code="E105")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SeedError(f"cannot read the file: {exc.strerror}", path=path, code="E106") from None
    return check_bytes(data, path, max_bytes=max_bytes)


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
    return source
