"""The one Jinja environment every renderer uses: autoescaped markup, strict about undefined names."""

from __future__ import annotations

import datetime as dt
import marshal
import re
import textwrap
import unicodedata
import zlib
from functools import lru_cache
from pathlib import Path

import jinja2
from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date

from pipeline import cache
from pipeline.render.assets import TEMPLATES
from pipeline.render.names import file_as
from pipeline.render.outline import segments

#: Width of the plain-text edition, in characters.
TEXT_WIDTH = 72


def _autoescape(name: str | None) -> bool:
    # Plain-text templates must print text as it is; everything else is markup and is escaped.
    return not (name or "").endswith(".txt.j2")


def human_date(value: dt.date, language: str) -> str:
    """A date as a reader of `language` writes it (`February 25, 2019`, `25 février 2019`)."""
    try:
        return format_date(value, "long", locale=Locale.parse(language.replace("-", "_")))
    except (UnknownLocaleError, ValueError):
        return format_date(value, "long", locale="en")


def columns(text: str) -> int:
    """Terminal columns `text` takes: wide (CJK) characters count two, combining marks none."""
    return sum(0 if unicodedata.combining(c) or c == "\u200d" else 2 if unicodedata.east_asian_width(c) in "WF"
               else 1 for c in text)


# Characters a line may not start with (closing marks) or end with (opening marks): Japanese kinsoku shori.
_NO_LINE_START = set("、。，．・：；？！）」』】〕〉》”’ー々ゝゞぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ,.!?:;)]}")
_NO_LINE_END = set("（「『【〔〈《“‘([{")
_CJK = r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\uac00-\ud7af]"
# A token is one CJK character, a run of other non-space characters, or white space.
_CJK_TOKEN = re.compile(rf"{_CJK}|\S+?(?={_CJK}|\s|$)|\s+")


def _wrap_cjk(text: str, width: int, first: str, indent: str) -> str:
    """Wrap text in which CJK characters may break anywhere, keeping closing marks off line starts."""
    lines: list[str] = []
    line = first
    for token in _CJK_TOKEN.findall(text):
        if token.isspace():
            token = " "
        if columns(line) + columns(token) > width and line.strip() and token[0] not in _NO_LINE_START:
            carry = ""
            while line and line[-1] in _NO_LINE_END:
                line, carry = line[:-1], line[-1] + carry
            lines.append(line.rstrip())
            line = indent + carry + token.lstrip()
        else:
            line += token
    lines.append(line.rstrip())
    return "\n".join(lines)


def wrap(text: str, width: int = TEXT_WIDTH, indent: str = "", first: str | None = None) -> str:
    """Wrap `text` at `width` columns without breaking words, URLs or hyphenated compounds; CJK text breaks
    between characters, which take two columns each."""
    first = indent if first is None else first
    if any(unicodedata.east_asian_width(c) in "WF" for c in text):
        return _wrap_cjk(text, width, first, indent)
    return textwrap.fill(text, width=width, initial_indent=first, subsequent_indent=indent,
                         break_long_words=False, break_on_hyphens=False)


def underline(text: str, char: str = "=") -> str:
    """A setext underline as wide as the longest line of `text`, in columns."""
    return char * max((columns(line) for line in text.splitlines()), default=0)


class CachedBytecode(jinja2.BytecodeCache):
    """Compiled templates kept in the user's cache (`pipeline.cache`): compiling the six templates a build uses is
    some 45 ms of a cold build. An entry is keyed on the template's path and source, Jinja's and Python's versions
    and this module's own source (the environment's options and the autoescape rule are here); the code is stored
    with `marshal` in a checksummed file, and any miss simply compiles the template again."""

    def _entry(self, bucket: jinja2.bccache.Bucket) -> tuple[str, str]:
        from importlib.util import MAGIC_NUMBER

        return f"jinja-{bucket.key}.code", cache.key("jinja2", jinja2.__version__, MAGIC_NUMBER.hex(),
                                                    bucket.checksum, _this_module())

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        name, key = self._entry(bucket)
        entry = cache.read(name, key)
        if entry is None:
            return
        try:
            bucket.code = marshal.loads(entry.payload[: entry.header["bytes"]])
        except (EOFError, KeyError, TypeError, ValueError):
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        name, key = self._entry(bucket)
        code = marshal.dumps(bucket.code)
        cache.write(name, {"key": key, "bytes": len(code)}, [code])


@lru_cache(maxsize=1)
def _this_module() -> int:
    return zlib.crc32(Path(__file__).read_bytes())


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The shared environment, built once per process."""
    env = jinja2.Environment(
        bytecode_cache=CachedBytecode() if cache.folder() is not None else None,
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(human_date=human_date, wrap=wrap, underline=underline, file_as=file_as, segments=segments)
    return env


def render(template: str, **context: object) -> str:
    """Render one of the project's templates with `context`."""
    return environment().get_template(template).render(**context)
