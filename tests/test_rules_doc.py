"""The parser's rules are documented in one place a user can read: docs/parsing.md names every rule."""

from __future__ import annotations

from pipeline.parse import dates, rules
from pipeline.parse import parser as parse

from .conftest import ROOT


def test_every_rule_is_documented() -> None:
    doc = (ROOT / "docs" / "parsing.md").read_text(encoding="utf-8")
    names = [r.name for name, table in rules.TABLES.items() if name != "single" for r in table]
    names += [rules.KEYWORD_LINE.name, rules.RIGHTS_LINE.name, rules.DATE_LINE_FILLER.name]
    names += [r.name for r in dates.DATE_RULES]
    names += [name for name, _rule, _note in parse.HEADER_RULES + parse.BLOCK_RULES]  # type: ignore[operator]
    missing = [n for n in names if f"`{n}`" not in doc]
    assert not missing
