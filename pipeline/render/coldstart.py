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
#: Imported as WeasyPrint loads but used only to parse C declarations, which come from the cache (see below).
C_PARSER = {"pycparser": ()}


class _Deferred(types.ModuleType):
    """Stands in for a module while WeasyPrint imports it: the real one is imported at the first use of a name."""

    def __getattr__(self, name: str) -> Any:
        # The import system probes for a package (`__path__`) or a spec; a version is the real module's to tell.
        if name.startswith("__") and name != "__version__":
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


# --- WeasyPrint's C declarations from the cache ------------------------------------------------------------------

# WeasyPrint declares the C API of Pango, HarfBuzz and fontconfig to cffi as it loads (`ffi.cdef`): cffi imports
# pycparser, builds a C parser and parses some 500 declarations, 0.1 s of every cold start (on the helper's path,
# before any layout). What the parse leaves in cffi's parser is its model of each type and function: plain
# objects of `cffi.model`. They are kept in the user's cache (`pipeline.cache`, checksummed), keyed on the
# declarations' text, cffi's version and Python's, and read back in a millisecond, with pycparser left unimported
# (`deferred`) unless cffi ever has to parse a type name itself (`fast_types` builds the usual ones). The copy is
# read by an unpickler that makes nothing but cffi's model types and sets; a missing, stale or damaged copy means
# a parse, as before.

#: Bumped when the cached declarations' layout changes.
CDEF_LAYOUT = 1
# cffi's singletons, which its code compares by identity (`tp is model.void_type`): kept as references.
_SINGLETONS = ("void_type", "voidp_type", "const_voidp_type", "char_array_type")
# The parser's state that a parse leaves: all of it but a weak map from pycparser's nodes, used while parsing.
_TRANSIENT = frozenset({"_structnode2type"})


def dump_declarations(parser: Any) -> bytes:
    """What a parse left in cffi's `parser`, pickled, cffi's singletons by reference."""
    import io
    import pickle

    from cffi import model

    singletons = {id(getattr(model, name)): name for name in _SINGLETONS}

    class Pickler(pickle.Pickler):
        def persistent_id(self, obj: Any) -> str | None:
            return singletons.get(id(obj))

    out = io.BytesIO()
    Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(
        {name: value for name, value in vars(parser).items() if name not in _TRANSIENT})
    return out.getvalue()


def load_declarations(raw: bytes) -> dict[str, Any]:
    """A parser's state from `dump_declarations`' bytes, unpickled into nothing but cffi's model types and sets;
    anything else raises `pickle.UnpicklingError`, a state without declarations `ValueError`."""
    import io
    import pickle

    from cffi import model

    class Unpickler(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            found = getattr(model, name, None) if module == "cffi.model" else \
                {"set": set, "frozenset": frozenset}.get(name) if module == "builtins" else None
            if module == "cffi.model" and not (isinstance(found, type) and issubclass(found, model.BaseTypeByIdentity)):
                found = None
            if found is None:
                raise pickle.UnpicklingError(f"{module}.{name} is not a cffi type")
            return found

        def persistent_load(self, pid: Any) -> Any:
            if pid not in _SINGLETONS:
                raise pickle.UnpicklingError(f"unknown reference {pid!r}")
            return getattr(model, pid)

    state = Unpickler(io.BytesIO(raw)).load()
    if not isinstance(state, dict) or not isinstance(state.get("_declarations"), dict) or not state["_declarations"]:
        raise ValueError("no declarations")
    return state


@contextlib.contextmanager
def cached_declarations() -> Iterator[None]:
    """Within: a fresh cffi parser takes the model of the C declarations it is given from the user's cache when a
    copy made from the same text is there, and saves it there after parsing them. Enter it within `deferred`."""
    import hashlib
    import pickle

    import cffi
    from cffi import cparser

    parse = cparser.Parser.parse

    def cached_parse(self: Any, csource: str, override: bool = False, packed: bool = False, pack: int | None = None,
                     dllexport: bool = False) -> None:
        options = (override, packed, pack, dllexport)
        if self._declarations or self._int_constants or self._included_declarations or not isinstance(csource, str):
            parse(self, csource, *options)  # only a first parse, into an empty parser, is cached
            return None
        key = cache.key("cdef", cffi.__version__, sys.version, CDEF_LAYOUT, options,
                        hashlib.sha256(csource.encode()).hexdigest())
        entry = cache.read("cffi-declarations", key)
        if entry is not None:
            try:
                state = load_declarations(bytes(entry.payload[: entry.header["bytes"]]))
            except (EOFError, KeyError, TypeError, ValueError, AttributeError, pickle.UnpicklingError):
                pass
            else:
                vars(self).update(state)
                return None
        parse(self, csource, *options)
        try:
            data = dump_declarations(self)
        except (pickle.PicklingError, TypeError, AttributeError):  # another cffi than this code knows
            return None
        cache.write("cffi-declarations", {"key": key, "bytes": len(data)}, [data])
        return None

    cparser.Parser.parse = cached_parse
    try:
        yield
    finally:
        cparser.Parser.parse = parse


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
