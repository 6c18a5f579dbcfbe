"""The user's cache folder: checksummed copies of library data that is slow to load, each rebuilt when missing."""

from __future__ import annotations

import contextlib
import hashlib
import json
import mmap
import os
import struct
import sys
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Environment variable naming the cache folder; `off` (or empty) turns the cache off.
CACHE_ENV = "ARTICLE_PIPELINE_CACHE"

# A cache file: MAGIC, the header's length and the CRC-32 of everything after this preamble, then the header (JSON),
# padding to ALIGN, then the payload. The CRC covers the header too, so a damaged file is never half-trusted.
MAGIC = b"APCACHE1"
_PREAMBLE = struct.Struct("<8sII")
#: Payload offsets are multiples of this: arrays mapped from the file are aligned for any element type.
ALIGN = 64
# The checksum reads the file in pieces, and hands each back to the page cache, so that checking a large file
# does not count it all in the process's peak memory.
_CHUNK = 8 << 20
#: A cache file larger than this is not read (checking it would cost more than it saves).
MAX_BYTES = 256 << 20


def folder() -> Path | None:
    """The cache folder: $ARTICLE_PIPELINE_CACHE, else $XDG_CACHE_HOME/article-pipeline, else
    ~/.cache/article-pipeline; None when the cache is turned off or no home folder is known."""
    value = os.environ.get(CACHE_ENV)
    if value is not None:
        return None if value.strip() in ("", "off") else Path(value)
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG specification ignores a relative path
        home = os.path.expanduser("~")
        if home == "~":
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "article-pipeline"


def key(*parts: object) -> str:
    """A short digest of what a cached copy is derived from (library version, source file's status, layout)."""
    return hashlib.sha256(json.dumps([sys.byteorder, *parts], default=str).encode()).hexdigest()[:20]


@dataclass(frozen=True)
class Entry:
    """A verified cache file, mapped read-only: its header and its payload (offsets in the header count from 0)."""

    header: dict[str, Any]
    payload: memoryview


def _pad(length: int) -> bytes:
    return b"\0" * (-length % ALIGN)


def read(name: str, expected_key: str) -> Entry | None:
    """The cache file `name` if it exists, is whole and was derived for `expected_key`; else None (never raises
    for a missing, stale, damaged or unreadable file)."""
    where = folder()
    if where is None:
        return None
    try:
        fd = os.open(where / name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        size = os.fstat(fd).st_size
        if not _PREAMBLE.size < size <= MAX_BYTES:
            return None
        mapped = mmap.mmap(fd, size, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    finally:
        os.close(fd)
    try:
        entry = _verified(mapped, size, expected_key)
    except (ValueError, UnicodeDecodeError, KeyError, TypeError):
        entry = None
    if entry is None:
        mapped.close()
    return entry


def _verified(mapped: mmap.mmap, size: int, expected_key: str) -> Entry | None:
    magic, header_length, crc = _PREAMBLE.unpack_from(mapped, 0)
    start = _PREAMBLE.size
    if magic != MAGIC or start + header_length > size:
        return None
    check = 0
    view = memoryview(mapped)
    try:
        for offset in range(0, size, _CHUNK):
            low, high = max(offset, start), min(offset + _CHUNK, size)
            check = zlib.crc32(view[low:high], check)
            if hasattr(mapped, "madvise") and hasattr(mmap, "MADV_DONTNEED"):
                mapped.madvise(mmap.MADV_DONTNEED, offset, high - offset)
    finally:
        view.release()
    if check != crc:
        return None
    header = json.loads(bytes(mapped[start:start + header_length]).decode("utf-8"))
    if not isinstance(header, dict) or header.get("key") != expected_key:
        return None
    body = start + header_length
    body += -body % ALIGN
    if size - body != header.get("payload_bytes"):
        return None
    return Entry(header, memoryview(mapped)[body:])


def write(name: str, header: dict[str, Any], chunks: Iterable[bytes | memoryview]) -> bool:
    """Save a cache file atomically (a whole file or none): `header` (JSON, with `key`) and the payload made of
    `chunks`, each starting at a multiple of ALIGN (the header records `offsets`). False when it cannot be written:
    a cache is never needed."""
    where = folder()
    if where is None:
        return False
    import tempfile  # only a process that writes the cache needs it

    temporary = None
    try:
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
        pieces = [memoryview(chunk).cast("B") for chunk in chunks]
        offsets, length = [], 0
        for piece in pieces:
            offsets.append(length)
            length += piece.nbytes + len(_pad(piece.nbytes))
        head = json.dumps({**header, "offsets": offsets, "payload_bytes": length}, sort_keys=True).encode()
        padding = _pad(_PREAMBLE.size + len(head))
        crc = zlib.crc32(padding, zlib.crc32(head))
        for piece in pieces:
            crc = zlib.crc32(_pad(piece.nbytes), zlib.crc32(piece, crc))
        descriptor, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=where)
        with os.fdopen(descriptor, "wb") as out:
            out.write(_PREAMBLE.pack(MAGIC, len(head), crc))
            out.write(head)
            out.write(padding)
            for piece in pieces:
                out.write(piece)
                out.write(_pad(piece.nbytes))
        os.replace(temporary, where / name)
        temporary = None
        return True
    except (OSError, ValueError, TypeError):
        return False
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
