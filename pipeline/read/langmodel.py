"""py3langid's model, mapped from an uncompressed copy in the user's cache (derived from the packaged one once)."""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path
from typing import Any

from pipeline import cache

# The packaged model is an LZMA-compressed archive of arrays: decompressing it is half a second of every cold
# build that detects a language. The same arrays, uncompressed (some 68 MB) and checksummed, map in some 40 ms, and
# a classification then reads only the pages it needs. The arrays are byte for byte py3langid's, and so is the code
# that classifies with them: the guesses and their probabilities are the same.

#: Bumped when the cached file's layout changes.
LAYOUT = 1

# The arrays in the cache file, in order: the model's name for each, and how py3langid holds it.
_ARRAYS = ("ptc", "pc", "nextmove", "nextmove_row", "out_feat")


def _model_file() -> tuple[Path, str]:
    import py3langid
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    return Path(MODEL_DIR) / MODEL_FILE, str(getattr(py3langid, "__version__", "?"))


def _key(path: Path, version: str) -> str:
    # The packaged file's own checksum: every installation of the same model shares one copy, and a changed model is
    # never answered from the copy of another. Reading its 4.5 MB is some 8 ms: the checksum is remembered with the
    # file's status (`cache.file_crc`), and computed again whenever that changes.
    length, crc = cache.file_crc(path)
    return cache.key("py3langid", version, length, crc, LAYOUT)


def _name(version: str) -> str:
    return f"py3langid-{version}.model"


def cached_copy() -> tuple[str, str]:
    """The cache file the installed model's copy goes to, and the key that copy must carry."""
    path, version = _model_file()
    return _name(version), _key(path, version)


def identifier() -> Any:
    """A `py3langid` `LanguageIdentifier` (probabilities normalised) over the model's arrays: mapped from the
    cache when a whole copy derived from this very model file is there, else loaded by py3langid and then
    cached for the next process. The cache never decides the answer, only how fast the arrays arrive."""
    _import_numpy()
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    try:
        path, version = _model_file()
        expected = _key(path, version)
    except (OSError, ImportError):
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    entry = cache.read(_name(version), expected)
    if entry is not None:
        try:
            return _mapped(LanguageIdentifier, entry)
        except (KeyError, ValueError, TypeError, IndexError):
            pass  # a layout this code does not know: load the model as py3langid does, and cache it anew
    try:
        from py3langid.modelio import load_model

        arrays = load_model(path)
        made = _made(LanguageIdentifier, arrays)
    except (ImportError, ValueError, TypeError):
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    _save(_name(version), expected, arrays)
    return made


def _import_numpy() -> None:
    """Import NumPy (py3langid's) with its BLAS on one thread. A classification is one small product of a vector
    and a matrix, which no thread pool speeds up, and starting OpenBLAS's pool is half of NumPy's import time
    (some 50 ms). The variable is read when the library loads, and is put back as it was at once."""
    if "numpy" in sys.modules or "OPENBLAS_NUM_THREADS" in os.environ:
        return
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    try:
        import numpy  # noqa: F401
    finally:
        del os.environ["OPENBLAS_NUM_THREADS"]


def _made(cls: Any, arrays: tuple[Any, ...]) -> Any:
    """What `LanguageIdentifier.from_model_file` makes of the arrays `modelio.load_model` returns."""
    import numpy as np

    ptc, pc, classes, nextmove, row, output = arrays
    return cls(np.asarray(ptc), np.asarray(pc), classes, nextmove, output, norm_probs=True, tk_row=row)


def _save(name: str, expected: str, arrays: tuple[Any, ...]) -> None:
    import numpy as np

    ptc, pc, classes, nextmove, row, output = arrays
    ptc, pc, out_feat = np.ascontiguousarray(ptc), np.ascontiguousarray(pc), np.asarray(output, dtype=np.int32)
    # NumPy tables by dtype and shape; py3langid's automaton (stdlib arrays and a list) by type code and length.
    header = {"key": expected, "classes": list(classes),
              "ptc": [ptc.dtype.str, list(ptc.shape)], "pc": [pc.dtype.str, list(pc.shape)],
              "nextmove": [nextmove.typecode, len(nextmove)], "nextmove_row": [row.typecode, len(row)],
              "out_feat": ["i", len(out_feat)]}
    cache.write(name, header, [ptc.data, pc.data, memoryview(nextmove), memoryview(row), out_feat.data])


def _mapped(cls: Any, entry: cache.Entry) -> Any:
    """An identifier over the arrays of a verified cache file: NumPy tables and typed views of the mapping."""
    import numpy as np

    header, payload = entry.header, entry.payload
    offsets = dict(zip(_ARRAYS, header["offsets"], strict=True))

    def table(name: str) -> Any:
        dtype, shape = header[name]
        count = 1
        for extent in shape:
            count *= int(extent)
        return np.frombuffer(payload, dtype=np.dtype(dtype), count=count, offset=offsets[name]).reshape(shape)

    def typed(name: str) -> memoryview:
        code, length = header[name]
        start = offsets[name]
        view = payload[start:start + length * struct.calcsize(code)].cast(code)
        if len(view) != length:
            raise ValueError(f"the cached model's {name} is cut short")
        return view

    classes = list(header["classes"])
    ptc, pc = table("ptc"), table("pc")
    if ptc.shape[1:] != (len(classes),) or pc.shape != (len(classes),):
        raise ValueError("the cached model's tables do not match its classes")
    nextmove, row, output = typed("nextmove"), typed("nextmove_row"), typed("out_feat")
    if len(row) != len(output) or len(nextmove) % 256:
        raise ValueError("the cached model's automaton is inconsistent")
    return cls(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)
