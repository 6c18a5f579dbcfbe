"""The words the editions print around an article, by language: list joining from CLDR (Babel), the rest from
`data/labels.toml`."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from babel.core import Locale, UnknownLocaleError


@cache
def _table() -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """The words by language, and the CLDR locale whose list patterns each language takes where not its own."""
    data: dict[str, dict[str, str]] = tomllib.loads(
        resources.files("pipeline.render").joinpath("data", "labels.toml").read_text(encoding="utf-8"))
    lists = data.pop("lists")
    return data, lists


def _primary(language: str) -> str:
    return language.replace("_", "-").split("-")[0].lower()


def labels(language: str) -> dict[str, str]:
    """The label set for `language` (its primary subtag), falling back to English."""
    words, _lists = _table()
    return words.get(_primary(language), words["en"])


@cache
def _list_pattern(language: str) -> dict[str, str]:
    _words, lists = _table()
    try:
        patterns = Locale.parse(lists.get(language, language)).list_patterns["standard"]
    except (UnknownLocaleError, ValueError):
        patterns = Locale.parse(lists["en"]).list_patterns["standard"]
    # The words between two names, as the pattern `{0} and {1}` puts them.
    return {key: patterns[key].split("{0}", 1)[1].split("{1}", 1)[0] for key in ("start", "middle", "end", "2")}


def joiners(count: int, language: str) -> list[str]:
    """What follows each of `count` names in a list: `[", ", " and ", ""]` in English."""
    if count <= 0:
        return []
    if count == 1:
        return [""]
    seps = _list_pattern(_primary(language))
    if count == 2:
        return [seps["2"], ""]
    return [seps["start"], *[seps["middle"]] * (count - 3), seps["end"], ""]


def join_names(names: list[str] | tuple[str, ...], language: str) -> str:
    """`A`, `A and B`, `A, B and C` in the article's language."""
    return "".join(n + j for n, j in zip(names, joiners(len(names), language), strict=True))


def by_prefix(language: str) -> str:
    """The byline's lead word with the spacing it takes: `By `, `Par `, `文：`."""
    word = labels(language)["by"]
    return word if word.endswith(("：", ":")) and not word.endswith(" :") and language.startswith(("ja", "zh")) \
        else f"{word} "
