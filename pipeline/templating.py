"""The one Jinja environment every renderer uses: autoescaped markup, strict about undefined names."""

from __future__ import annotations

import datetime as dt
import textwrap
from functools import lru_cache

import jinja2
from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date

from .assets import TEMPLATES
from .names import file_as

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


def wrap(text: str, width: int = TEXT_WIDTH, indent: str = "", first: str | None = None) -> str:
    """Wrap `text` at `width` columns without breaking words, URLs or hyphenated compounds."""
    return textwrap.fill(text, width=width, initial_indent=indent if first is None else first,
                         subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)


def underline(text: str, char: str = "=") -> str:
    """A setext underline as wide as the longest line of `text`."""
    return char * max((len(line) for line in text.splitlines()), default=0)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The shared environment, built once per process."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(human_date=human_date, wrap=wrap, underline=underline, file_as=file_as)
    return env


def render(template: str, **context: object) -> str:
    """Render one of the project's templates with `context`."""
    return environment().get_template(template).render(**context)
