"""The parser's large regular expressions compiled once per user: the regex engine's code kept in the user's cache."""

from __future__ import annotations

import array
import importlib
import marshal
import re
import sys
import threading
from typing import Any

from pipeline import cache

# Compiling the parser's rule tables and phrase alternations (thousands of phrases in some) is a tenth of a cold
# build's CPU: `re` compiles in Python. What it hands the C engine (`_sre.compile`) is the pattern, its flags and a
# list of integers; that list, kept in the user's cache (a file per language), makes the same pattern object again
# for a fraction of the cost. It is safe to trust because:
# - every entry was made by `re`'s own compiler, and kept only when the pattern made from it equals (same code,
#   flags, groups and group names) what `re.compile` made in the same process;
# - the file is keyed on the interpreter's exact version and the engine's constants, so another Python compiles
#   afresh, and it is checksummed like every cache file (see pipeline/cache.py);
# - the engine validates the code it is given (bad code raises, and the pattern is compiled afresh).
_sre: Any = None
_compiler: Any = None
_parser: Any = None
try:
    _sre, _compiler, _parser = (importlib.import_module(name) for name in ("_sre", "re._compiler", "re._parser"))
    # The code is kept as the engine's own machine words (a list of Python ints takes ten times as long to load).
    _WORD = next(code for code in "IL" if array.array(code).itemsize == _sre.CODESIZE)
    ENGINE: str | None = cache.key("sre", sys.version, _sre.MAGIC, _sre.CODESIZE, _sre.MAXREPEAT,
                                    _sre.MAXGROUPS, _WORD)
except (ImportError, AttributeError, StopIteration):  # another implementation of Python: `re` alone
    ENGINE = None

#: A language's file keeps at most this many patterns; past it, only those the saving process used are kept (the
#: data files change, and patterns made from old phrases would pile up: a language uses some 50, in about 1 MB).
MAX_PATTERNS = 300

_Key = tuple[str, int]
# `_sre.compile`'s arguments after the pattern: flags, code, groups, group index, index group; as saved, the code
# is the bytes of its machine words.
_Args = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
_Saved = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]
# What a failed load or a refused entry may raise: the cache is never needed.
_REFUSED = (TypeError, ValueError, RuntimeError, OverflowError, AttributeError, IndexError, KeyError, re.error)


class _Scope:
    """One language's compiled patterns: those read from its file, those made here, and those used here."""

    def __init__(self, known: dict[_Key, Any]) -> None:
        self.known = known
        self.used: set[_Key] = set()
        self.new = False


#: A scope names a file: a language's primary subtag, or a word.
_SCOPE = re.compile(r"[a-z0-9_]{1,24}")
_lock = threading.Lock()
_scopes: dict[str, _Scope] = {}


def _file(scope: str) -> str:
    return f"regex-{scope}.marshal"


def saved(scope: str) -> dict[_Key, Any]:
    """The patterns `scope`'s cache file holds (empty when it is missing, stale or damaged)."""
    if ENGINE is None:
        return {}
    entry = cache.read(_file(scope), ENGINE)
    if entry is None:
        return {}
    try:
        table = marshal.loads(entry.payload[: entry.header["bytes"]])
    except (EOFError, *_REFUSED):
        return {}
    return table if isinstance(table, dict) else {}


def compile(pattern: str, flags: int = 0, *, scope: str) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, from the code saved in `scope`'s cache file when it holds the pattern."""
    if ENGINE is None or not _SCOPE.fullmatch(scope) or cache.folder() is None:
        return re.compile(pattern, flags)
    flags = int(flags)  # a `re.RegexFlag` is no plain int to marshal
    key = (pattern, flags)
    with _lock:
        found = _scopes.get(scope)
        if found is None:
            found = _scopes[scope] = _Scope(saved(scope))
        args = found.known.get(key)
        found.used.add(key)
    if args is not None:
        try:
            code = array.array(_WORD)
            code.frombytes(args[1])
            made: re.Pattern[str] = _sre.compile(pattern, args[0], code.tolist(), *args[2:])
            return made
        except _REFUSED:
            pass
    reference = re.compile(pattern, flags)
    if (args := _arguments(pattern, flags, reference)) is not None:
        with _lock:
            found.known[key] = args
            found.new = True
    return reference


def _arguments(pattern: str, flags: int, reference: re.Pattern[str]) -> _Saved | None:
    """What `re` hands the engine for `pattern` (as `re._compiler.compile` makes it), or None when the pattern it
    makes is not `reference` in every respect."""
    try:
        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        args: _Args = (int(flags | parsed.state.flags), [int(op) for op in code], parsed.state.groups - 1, groupindex,
                       tuple(indexgroup))
        made = _sre.compile(pattern, *args)
        words = array.array(_WORD, args[1]).tobytes()
    except _REFUSED:
        return None
    same = made == reference and made.groups == reference.groups and made.groupindex == reference.groupindex
    return (args[0], words, *args[2:]) if same else None


def forget() -> None:
    """Forget every pattern read or made here, as a new process starts (the next `compile` reads the files)."""
    with _lock:
        _scopes.clear()


def save() -> None:
    """Write the patterns compiled here for the first time into their languages' files (merged with what other
    processes saved meanwhile); nothing when none is new. Never raises: a cache is never needed."""
    with _lock:
        dirty = [(scope, found) for scope, found in _scopes.items() if found.new]
        for _scope, found in dirty:
            found.new = False
    for scope, found in dirty:
        with _lock:
            mine = dict(found.known)
            used = set(found.used)
        table = {**saved(scope), **mine}
        if len(table) > MAX_PATTERNS:
            table = {key: args for key, args in mine.items() if key in used}
        data = marshal.dumps(table)
        cache.write(_file(scope), {"key": ENGINE, "bytes": len(data), "patterns": len(table)}, [data])
