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
from pipeline.read.files import Refused, read_within

#: Whitespace that web copy leaves at line ends and on "blank" lines: tabs, no-break, thin and ideographic spaces.
EDGE_SPACE = " \t\u00a0\u2002\u2003\u2007\u2009\u200a\u202f\u205f\u3000\ufeff\u200b"

#: Characters that never belong in text: C0/C1 controls except tab and newline, DEL, and the noncharacters
#: U+FFFE and U+FFFF, which XML forbids (the EPUB's XHTML could not hold them).
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")

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
    """Decode a seed: UTF-8 (BOM or not), UTF-16 with a BOM, else the legacy encoding the bytes were written in."""
    notes: list[Diagnostic] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = data.decode("utf-16", errors="replace"), "utf-16"
    else:
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8):]
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
            if (damaged := damage(text)) is not None:
                notes.append(Diagnostic("W012", f"the text still looks damaged ({damaged}); check the editions"))
        except UnicodeDecodeError as exc:
            # A file with valid multi-byte UTF-8 in it is UTF-8 with a few damaged bytes; one with none is written
            # in a legacy encoding, which a detector guesses.
            if _has_utf8_multibyte(data) and not _mostly_invalid_utf8(data):
                text, encoding = data.decode("utf-8", errors="replace"), "utf-8"
                notes.append(Diagnostic("W010", f"invalid UTF-8 at byte {exc.start}; replaced with U+FFFD"))
            else:
                text, encoding, damaged = legacy_decode(data)
                notes.append(Diagnostic("W011", f"the file is not UTF-8; read it as {encoding_name(encoding)}"))
                if damaged:
                    notes.append(Diagnostic("W012", f"the text read as {encoding_name(encoding)} still looks damaged "
                                                    f"({damaged}); "
                                                    "check the editions, or save the file as UTF-8"))
    return SourceText(clean_text(text), encoding, tuple(notes))


# Single-byte encodings that differ from a detector's pick only in a few letters: each is tried against the text's
# language when the detector names its sibling.
_SIBLINGS: dict[str, tuple[str, ...]] = {
    "cp1250": ("iso-8859-2", "cp1252"), "iso-8859-2": ("cp1250",), "cp1252": ("cp1250", "iso-8859-15"),
    "iso-8859-1": ("cp1252", "cp1250"), "latin_1": ("cp1252", "cp1250"), "cp1251": ("koi8-r", "koi8-u"),
    "koi8-r": ("cp1251",), "cp1254": ("cp1252",), "iso-8859-9": ("cp1254", "cp1252"), "cp1257": ("iso-8859-13",),
    "cp1253": ("iso-8859-7",), "iso-8859-7": ("cp1253",), "cp1255": ("iso-8859-8",), "iso-8859-8": ("cp1255",),
}


def encoding_name(codec: str) -> str:
    """A Python codec's name as people know the encoding: `cp1252` is Windows-1252, `iso8859_2` ISO-8859-2."""
    key = codec.lower().replace("_", "-")
    if key.startswith("cp125"):
        return f"Windows-{key[2:]}"
    if key.startswith(("iso8859", "iso-8859")):
        return "ISO-8859-" + key.rsplit("-", 1)[-1].replace("iso8859", "")
    return {"cp932": "Shift_JIS", "shift-jis": "Shift_JIS", "cp949": "EUC-KR", "euc-kr": "EUC-KR",
            "gb18030": "GB18030", "gbk": "GBK", "koi8-r": "KOI8-R", "koi8-u": "KOI8-U", "big5": "Big5",
            "euc-jp": "EUC-JP", "latin-1": "ISO-8859-1"}.get(key, codec)


# Multi-byte encodings a detector names with confidence; for single-byte files every common table is tried.
_MULTIBYTE = frozenset({"shift_jis", "cp932", "euc_jp", "gb18030", "gbk", "gb2312", "big5", "euc_kr", "cp949",
                        "utf_16", "utf_32", "iso2022_jp"})
_SINGLE_BYTE = ("cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "iso-8859-2",
                "koi8-r")

#: East Asian double-byte tables tried when the detector names none, with the languages each is written in.
_EAST_ASIAN: dict[str, tuple[str, ...]] = {"shift_jis": ("ja",), "euc-jp": ("ja",), "gb18030": ("zh",),
                                           "big5": ("zh",), "euc-kr": ("ko",)}

# Legacy encodings by how often web pages used them: the tie-break between decodings that read equally well.
_PREVALENCE = ("cp1252", "cp1251", "cp1250", "shift_jis", "cp932", "gb18030", "gbk", "euc-kr", "cp949", "big5",
               "cp1256", "iso-8859-2", "iso8859_2", "cp1253", "cp1254", "cp1255", "cp1257", "koi8-r", "euc-jp")


def legacy_decode(data: bytes) -> tuple[str, str, str | None]:
    """Text, encoding and (when the result still looks damaged) why, for bytes that are not UTF-8.

    charset-normalizer proposes encodings; among them and their single-byte siblings the one whose letters best
    fit the alphabet (from CLDR) of the language the text is written in wins, since siblings such as
    Windows-1250 and ISO-8859-2 differ only in a few letters that both decode to something.
    """
    from charset_normalizer import from_bytes

    from pipeline.read.language import fitness, identify

    matches = list(from_bytes(data))
    candidates = list(dict.fromkeys([m.encoding for m in matches] or ["cp1252"]))
    for name in list(candidates):
        candidates.extend(c for c in _SIBLINGS.get(name, ()) if c not in candidates)
    if all(m.encoding not in _MULTIBYTE for m in matches):
        candidates.extend(c for c in _SINGLE_BYTE if c not in candidates)
        # The detector may name nothing for a short file (a page of Japanese in Shift_JIS): the East Asian tables
        # are tried too, each kept only when what it reads is in a language it is written for.
        candidates.extend(c for c in _EAST_ASIAN if c not in candidates)
    # Coarse first: the letters' fit to a thousandth (three signs a table made of `Ά` in a page of Greek tell
    # ISO-8859-7 from Windows-1253) times the detector's confidence to a hundredth (a wrong table's reading of
    # Hebrew as Bulgarian is nearly as sure as the right one's); then the commoner encoding, then the finer score.
    scored: list[tuple[float, int, str, str, str, float]] = []
    for name in candidates:
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        guess = identify(text)
        language = guess.language if guess else ""
        if name in _EAST_ASIAN and language not in _EAST_ASIAN[name]:
            continue  # a Western text read through a double-byte table: its accents turned into random ideographs
        # Each reading is judged in the language it reads as: a wrong table gives letters no language uses
        # together, so the detector is unsure and the letters fit its alphabet badly.
        fit = fitness(text, language) if language else 0.0
        confidence = guess.confidence if guess else 0.0
        common = _PREVALENCE.index(name) if name in _PREVALENCE else len(_PREVALENCE)
        scored.append((round(round(fit, 3) * round(confidence, 2), 3), -common, name, text, language, fit * confidence))
    if not scored:
        return data.decode("cp1252", errors="replace"), "cp1252", "bytes no single encoding can read"
    _score, _common, name, text, language, _fine = max(scored, key=lambda item: (item[0], item[1], item[5]))
    fit = fitness(text, language) if language else 1.0
    damaged = damage(text)
    if damaged is None and fit < 0.97:
        damaged = f"{1 - fit:.0%} of its accented letters are not used in {language or 'its language'}"
    return text, name, damaged


_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{2,}")
_LOST_IN_WORD = re.compile(r"(?<=\w)[?\ufffd](?=\w)")


def damage(text: str) -> str | None:
    """Why a decoded text still looks damaged (mojibake), or None: UTF-8 once read through a single-byte table
    (`Ã©` for `é`), or characters lost to `?` inside words when the file was saved in a table that lacked them."""
    runs = _NON_ASCII_RUN.findall(text[:100000])
    doubled = 0
    for run in runs:
        for table in ("cp1252", "latin-1"):
            try:
                if run.encode(table).decode("utf-8") != run:
                    doubled += 1
                    break
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
    if runs and doubled >= max(2, len(runs) // 4):
        return f"{doubled} runs of letters read as UTF-8 twice, such as `{runs[0]}`"
    lost = len(_LOST_IN_WORD.findall(text[:100000]))
    if lost >= 3:
        return f"{lost} letters replaced by `?` or U+FFFD inside words"
    return None


def _mostly_invalid_utf8(data: bytes) -> bool:
    """Whether most non-ASCII bytes are outside valid UTF-8 sequences (a legacy file with a few lucky pairs)."""
    high = sum(1 for b in data if b > 127)
    valid = len(data.decode("utf-8", errors="ignore").encode("utf-8")) - sum(1 for b in data if b <= 127)
    return high > 0 and valid < high / 2


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
