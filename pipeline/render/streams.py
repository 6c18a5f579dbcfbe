"""pydyf's streams serialised and compressed once per PDF written, and at zlib's default level, for our editions."""

from __future__ import annotations

import contextvars
import zlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from pipeline.render.patching import Patch

# pydyf 0.13 makes a stream's bytes anew each time they are asked for (`Stream.data`: every drawing operator turned
# into bytes, then zlib at level 9), and asks twice for each when the file has an identifier: once to write the
# object, once more for the digest the identifier is. While one of our editions is written, each stream's bytes
# are made once and kept until the file is written: the same bytes, for some 15% of the writing's CPU. And streams
# are compressed at zlib's default level (6) rather than its slowest (9): a tenth of an article's writing, for files
# about 1% larger (the seed: 43,100 -> 43,679 bytes); the long texts' joiner (`parts.py`) compresses at it too.

#: The zlib level of our editions' streams.
LEVEL = 6

_on: contextvars.ContextVar[bool] = contextvars.ContextVar("pydyf_streams_once", default=False)
# The bytes of each stream made while one file is written, by the stream's id (the stream is kept with them, so
# that its id stays its own).
_made: contextvars.ContextVar[dict[int, tuple[Any, bytes]] | None] = contextvars.ContextVar("pydyf_streams_made",
                                                                                            default=None)


class _Zlib:
    """The `zlib` pydyf sees: the module itself, but compressing at `LEVEL` while our editions are written."""

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    def compressobj(self, level: int = -1, *args: Any, **kwargs: Any) -> Any:
        return zlib.compressobj(LEVEL if _on.get() else level, *args, **kwargs)


def installed() -> bool:
    """Whether the change sits in this process's pydyf (False where its streams or writer differ from 0.13's)."""
    return _PATCH.installed


def _put_in() -> bool:
    import inspect

    import pydyf

    stream_data = inspect.getattr_static(pydyf.Stream, "data", None)
    write: Callable[..., Any] = pydyf.PDF.write
    if not (pydyf.__version__.startswith("0.13.") and isinstance(stream_data, property)
            and stream_data.fget is not None and getattr(pydyf, "zlib", None) is zlib
            and tuple(inspect.signature(write).parameters)[:4] == ("self", "output", "version", "identifier")):
        return False
    made_anew = stream_data.fget

    def data(self: Any) -> bytes:
        made = _made.get()
        if made is None:
            return made_anew(self)  # type: ignore[no-any-return]
        found = made.get(id(self))
        if found is None:
            found = made[id(self)] = (self, made_anew(self))
        return found[1]

    def written(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not _on.get():
            return write(self, *args, **kwargs)
        token = _made.set({})  # every object is final by now: each stream's bytes are made once
        try:
            return write(self, *args, **kwargs)
        finally:
            _made.reset(token)

    pydyf.Stream.data = property(data)
    pydyf.PDF.write = written
    pydyf.zlib = _Zlib()
    return True


_PATCH = Patch(_put_in)


def once() -> AbstractContextManager[None]:
    """Write the PDFs made meanwhile (in this thread) with each stream made once, at `LEVEL`."""
    return _PATCH.switched_on(_on, True)
