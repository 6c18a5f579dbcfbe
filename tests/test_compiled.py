"""The parser's patterns from the user's cache: the very patterns `re` compiles, whatever state the cache is in."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import cache
from pipeline.parse import compiled
from pipeline.parse.lexicon import lexicon
from pipeline.parse.parser import parse

SEED = Path(__file__).resolve().parent.parent / "seeds"
# Named groups, a backreference, look-arounds, flags inside and outside, a class of many letters, a repeat.
PATTERNS = (
    (r"(?P<label>[^:：→]{2,40})(?:[:：]|\s→)\s*(?P<rest>\S.*)$", 0),
    (r"(?<!\w)(\w)(?:\s+\1(?!\w)){1,3}|(?-i:Share)\b", re.IGNORECASE),
    (r"\b(?:Lesen Sie auch|Read also|Читайте также)\b\s*[:：]?", re.IGNORECASE | re.UNICODE),
    (r"[\u0400-\u04ff]{3,}(?=\s)|\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})", 0),
)


@pytest.fixture()
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder, and no pattern remembered by this process."""
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    compiled.forget()
    return tmp_path


def _same(made: re.Pattern[str], pattern: str, flags: int) -> bool:
    reference = re.compile(pattern, flags)
    return made == reference and made.groupindex == reference.groupindex and made.groups == reference.groups


def _forget(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new process, as far as the cache goes: nothing remembered, and `re` may not compile these patterns."""
    compiled.forget()
    monkeypatch.setattr(compiled.re, "compile", lambda *_a: pytest.fail("compiled afresh"))


def test_patterns_are_saved_once_then_made_from_the_cache(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for pattern, flags in PATTERNS:
        assert _same(compiled.compile(pattern, flags, scope="xx"), pattern, flags)
    compiled.save()
    (saved,) = fresh.glob("regex-*")
    written = saved.stat().st_mtime_ns
    reference = [re.compile(p, f) for p, f in PATTERNS]
    _forget(monkeypatch)
    made = [compiled.compile(p, f, scope="xx") for p, f in PATTERNS]
    assert made == reference and [m.groupindex for m in made] == [r.groupindex for r in reference]
    assert made[0].match("Read also: The bridge opens").group("rest") == "The bridge opens"  # type: ignore[union-attr]
    compiled.save()  # nothing new: nothing written
    assert saved.stat().st_mtime_ns == written


@pytest.mark.parametrize("damage", ["flipped byte", "bad code", "other python"])
def test_a_damaged_or_foreign_file_is_never_trusted(fresh: Path, monkeypatch: pytest.MonkeyPatch, damage: str) -> None:
    pattern, flags = PATTERNS[0]
    compiled.compile(pattern, flags, scope="xx")
    compiled.save()
    (saved,) = fresh.glob("regex-*")
    if damage == "flipped byte":
        data = bytearray(saved.read_bytes())
        data[-20] ^= 0xFF
        saved.write_bytes(bytes(data))
    elif damage == "bad code":  # a whole file, rightly checksummed, whose code the engine refuses
        table = compiled.saved("xx")
        table[pattern, flags] = (table[pattern, flags][0], b"\xff" * 64, *table[pattern, flags][2:])
        data = compiled.marshal.dumps(table)
        assert cache.write(saved.name, {"key": compiled.ENGINE, "bytes": len(data)}, [data])
    else:
        monkeypatch.setattr(compiled, "ENGINE", cache.key("sre", "another Python"))
    compiled.forget()
    made = compiled.compile(pattern, flags, scope="xx")  # compiled afresh by `re`, the file left to be replaced
    assert _same(made, pattern, flags)


def test_a_disabled_cache_or_an_odd_scope_compiles_with_re_alone(fresh: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    pattern, flags = PATTERNS[1]
    assert _same(compiled.compile(pattern, flags, scope="../xx"), pattern, flags)
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    assert _same(compiled.compile(pattern, flags, scope="xx"), pattern, flags)
    compiled.save()
    assert not list(fresh.iterdir())


def _new_process() -> None:
    """Every pattern of every language made again, as in a new process (a new lexicon is compiled afresh)."""
    from pipeline.parse import rules

    lexicon.cache_clear()
    rules.compile_rule.cache_clear()
    rules.table.cache_clear()
    compiled.forget()


def test_a_parse_reads_the_same_with_the_cache_cold_and_warm(fresh: Path) -> None:
    (seed,) = SEED.glob("*.txt")
    text = seed.read_text(encoding="utf-8")
    _new_process()
    cold = parse(text, language="en")
    assert list(fresh.glob("regex-en.*"))
    _new_process()  # now from the file
    assert parse(text, language="en") == cold


def test_every_process_builds_the_same_patterns() -> None:
    """The alternations of a language's phrases do not depend on the order of a set (which changes with the
    process's hash seed): else the cache would miss, and two processes could read a line differently."""
    script = ("from pipeline.parse.lexicon import lexicon; import hashlib; lex = lexicon('de'); "
              "print(hashlib.sha256((lex.chrome.pattern + lex.labels.pattern + lex.counters.pattern).encode())"
              ".hexdigest())")
    made = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed, cache.CACHE_ENV: "off"}).stdout
            for seed in ("1", "2", "3")}
    assert len(made) == 1


def test_a_file_holding_too_many_patterns_keeps_those_in_use(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Patterns of phrases the data files no longer have do not pile up in the cache."""
    monkeypatch.setattr(compiled, "MAX_PATTERNS", 3)
    for n in range(3):
        compiled.compile(rf"old{n}\d+", scope="xx")
    compiled.save()
    assert len(compiled.saved("xx")) == 3
    compiled.forget()
    for pattern, flags in PATTERNS[:2]:
        compiled.compile(pattern, flags, scope="xx")
    compiled.save()
    assert sorted(compiled.saved("xx")) == sorted(PATTERNS[:2])
