"""WeasyPrint's one-time costs in a fresh process, cut without changing a byte of what it makes."""

from __future__ import annotations

import contextlib
import importlib
import marshal
import re
import sys
import types
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pipeline import cache

# --- fontTools' fallbacks, imported only when used ---------------------------------------------------------------

# WeasyPrint imports fontTools' subsetter and variable-font instancer as it loads, a third of its import time
# (fontTools' OpenType tables, feature and variation libraries), for fallbacks: it subsets with HarfBuzz when
# HarfBuzz can, and instantiates only variable fonts, which the project does not use. Each of these modules is
# imported when WeasyPrint first reaches into it, if ever.
FONTTOOLS_FALLBACKS = {"fontTools.subset": (), "fontTools.varLib.instancer": ("instantiateVariableFont",)}


class _Deferred(types.ModuleType):
    """Stands in for a module while WeasyPrint imports it: the real one is imported at the first use of a name."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system probing for a package (`__path__`) or a spec
            raise AttributeError(name)
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)


def _forwarder(module: str, name: str) -> Any:
    """A function that imports `module` when first called and calls its `name` (for `from module import name`)."""

    def forward(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    forward.__name__ = forward.__qualname__ = name
    return forward


@contextlib.contextmanager
def deferred(modules: Mapping[str, tuple[str, ...]] = FONTTOOLS_FALLBACKS) -> Iterator[None]:
    """Within: `modules` not yet imported are stand-ins (`_Deferred`) offering the names listed for each as
    forwarders. After: the stand-ins leave `sys.modules`, so any later import gets the real module."""
    placed: dict[str, _Deferred] = {}
    for module, names in modules.items():
        if module in sys.modules:
            continue
        stand_in = placed[module] = _Deferred(module)
        for name in names:
            setattr(stand_in, name, _forwarder(module, name))
        sys.modules[module] = stand_in
    try:
        yield
    finally:
        for module, stand_in in placed.items():
            if sys.modules.get(module) is stand_in:
                del sys.modules[module]


# --- C types without the C parser --------------------------------------------------------------------------------

# WeasyPrint asks cffi for C types by name (`ffi.new("PangoRectangle *")`, `ffi.new("hb_codepoint_t[497]")`, one
# array type per glyph count). cffi parses each new name with pycparser, after declaring every typedef of
# WeasyPrint's bindings again: 7 ms a name, some 0.13 s of a build's first layout and PDF. The names WeasyPrint
# uses are a typedef or a primitive type, then pointers or one array: those are built here from the model types
# cffi itself declared, as its parser would build them; anything else goes to the parser.
_SIMPLE_TYPE = re.compile(r"\s*([A-Za-z_]\w*(?: [A-Za-z_]\w*)?)\s*((?:\*\s*)*)(?:\[(\d*)\])?\s*")


def _simple_type(ffi: Any, cdecl: str) -> Any:
    """cffi's model type for `cdecl` when it is a simple one, else None."""
    from cffi import model
    from cffi.commontypes import resolve_common_type

    match = _SIMPLE_TYPE.fullmatch(cdecl)
    if match is None:
        return None
    base, stars, length = match.groups()
    declared = ffi._parser._declarations.get(f"typedef {base}")
    if declared is not None:
        tp, quals = declared
    elif base in model.PrimitiveType.ALL_PRIMITIVE_TYPES and base.split()[0] not in ("short", "long", "signed"):
        tp, quals = resolve_common_type(ffi._parser, base)
    else:
        return None
    if quals or (isinstance(tp, model.RawFunctionType | model.VoidType) and not stars):
        return None
    for _star in range(stars.count("*")):
        if isinstance(tp, model.RawFunctionType):
            return None
        tp = model.PointerType(tp, 0)
    if length is not None:
        tp = model.ArrayType(tp, int(length) if length else None)
    return tp


def fast_types(ffi: Any) -> None:
    """Let `ffi` build simple C types without parsing them (its `_typeof_locked`, for names it has not seen)."""
    if getattr(ffi, "_typeof_locked", None) is None or not hasattr(ffi, "_parsed_types"):
        return
    parse = ffi._typeof_locked
    if getattr(parse, "fast", False):
        return

    def typeof_locked(cdecl: Any) -> Any:
        known = ffi._parsed_types.get(cdecl)
        if known is not None:
            return known
        try:
            tp = _simple_type(ffi, cdecl) if isinstance(cdecl, str) else None
        except (AttributeError, ImportError, KeyError, ValueError):  # another cffi than this code knows
            tp = None
        if tp is None:
            return parse(cdecl)
        result = ffi._parsed_types[cdecl] = (ffi._get_cached_btype(tp), False)
        return result

    typeof_locked.fast = True  # type: ignore[attr-defined]
    ffi._typeof_locked = typeof_locked


# --- hyphenation patterns from the cache -------------------------------------------------------------------------

# WeasyPrint hyphenates with Pyphen, which parses a language's patterns from its `.dic` file the first time, 70 ms
# for English. The parsed patterns are kept in the user's cache (`pipeline.cache`, checksummed), keyed on Pyphen's
# version and the file's bytes, and read back in a few ms; a missing, stale or damaged copy is parsed again.

#: Bumped when the cached patterns' layout changes.
PATTERNS_LAYOUT = 2


def _patterns_name(path: Path) -> str:
    return f"pyphen-{path.stem}.patterns"


def _patterns_key(path: Path, data: bytes) -> str:
    import pyphen

    return cache.key("pyphen", getattr(pyphen, "__version__", "?"), path.name, len(data), zlib.crc32(data),
                     PATTERNS_LAYOUT)


def _encode_patterns(patterns: dict[str, tuple[int, tuple[int, ...]]]) -> bytes:
    # Most patterns are plain numbers, stored as Pyphen holds them: `{pattern: (start, (value, …))}`, so that
    # reading them back is one `marshal.loads` (4 ms for English, against 20 ms from JSON). The few with
    # nonstandard hyphenation data (Pyphen's `DataInt`, which marshal cannot hold) keep each value's data beside
    # it: `(start, ((value, change, index, cut) or value, …))`.
    plain: dict[str, tuple[int, tuple[int, ...]]] = {}
    marked: dict[str, tuple[int, tuple[Any, ...]]] = {}
    for key, (start, values) in patterns.items():
        if any(getattr(v, "data", None) is not None for v in values):
            marked[key] = (start, tuple((int(v), *v.data) if getattr(v, "data", None) is not None  # type: ignore[attr-defined]
                                        else int(v) for v in values))
        else:
            plain[key] = (int(start), tuple(int(v) for v in values))
    return marshal.dumps((plain, marked))


def _decode_patterns(raw: bytes) -> dict[str, tuple[int, tuple[int, ...]]]:
    import pyphen

    def value(v: Any) -> int:
        if isinstance(v, int):
            return v
        number, change, index, cut = v
        if not all(isinstance(x, int) for x in (number, index, cut)) or not isinstance(change, str):
            raise ValueError("a damaged hyphenation pattern")
        marked: int = pyphen.DataInt(number, (change, index, cut))
        return marked

    plain, marked = marshal.loads(raw)
    if not isinstance(plain, dict) or not isinstance(marked, dict) or not (plain or marked):
        raise ValueError("no hyphenation patterns")
    patterns: dict[str, tuple[int, tuple[int, ...]]] = plain
    patterns.update((key, (start, tuple(value(v) for v in values))) for key, (start, values) in marked.items())
    return patterns


def cached_hyphenation() -> None:
    """Let Pyphen read each language's parsed patterns from the user's cache, and save those it parses there."""
    import pyphen

    parse = pyphen.HyphDict
    if getattr(parse, "cached", False):
        return

    class CachedHyphDict(parse):  # type: ignore[misc,valid-type]
        """Pyphen's patterns of one `.dic` file, from the cache when a copy made from the same bytes is there."""

        cached = True

        def __init__(self, path: Path) -> None:
            path = Path(path)
            try:
                data = path.read_bytes()
            except OSError:
                super().__init__(path)  # Pyphen says what is wrong with the file
                return
            key = _patterns_key(path, data)
            entry = cache.read(_patterns_name(path), key)
            if entry is not None:
                try:
                    self.patterns = _decode_patterns(bytes(entry.payload[: entry.header["bytes"]]))
                    self.cache: dict[str, Any] = {}
                    self.maxlen = max(len(pattern) for pattern in self.patterns)
                    return
                except (EOFError, IndexError, KeyError, TypeError, ValueError):
                    pass
            super().__init__(path)
            encoded = _encode_patterns(self.patterns)
            cache.write(_patterns_name(path), {"key": key, "bytes": len(encoded)}, [encoded])

    pyphen.HyphDict = CachedHyphDict


def prepare() -> None:
    """Everything above, once WeasyPrint is imported."""
    from weasyprint.text.ffi import ffi

    fast_types(ffi)
    cached_hyphenation()
