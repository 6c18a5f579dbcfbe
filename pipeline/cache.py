"""The user's cache folder: checksummed copies of library data that is slow to load, each rebuilt when missing."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import mmap
import os
import struct
import sys
import time
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

# Reading a large file whole to check its CRC is most of what mapping it costs (45 ms a process for the language
# model's 68 MB, of which a classification reads a few pages). So a file whose CRC was checked in full is vouched
# for by a small checksummed record beside it (`NAME.verified`): the file's status (device, inode, size, mtime and
# ctime in ns), the CRC its preamble states, and the boot it was checked in. While all of these still match, the
# bytes are the ones that were checked: any write to a file moves its ctime (which no one can set back), a new copy
# is a new inode, and a cut is a new size. What the status cannot see is refused by the rest: a change within the
# file system's time granularity (see RACY_NS: a file changed that recently is not vouched for), and a crash that
# loses written data the metadata already shows (a new boot checks every file in full again, once).
#: A file whose mtime or ctime is more recent than this (ns) when it is checked is not vouched for.
RACY_NS = 2_000_000_000
#: Files smaller than this are checked in full every time: reading their record would cost about as much.
VOUCHED_BYTES = 1 << 20
_BOOT_ID = "/proc/sys/kernel/random/boot_id"


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
    return _read(name, expected_key, vouch=True)


def _read(name: str, expected_key: str, *, vouch: bool) -> Entry | None:
    where = folder()
    if where is None:
        return None
    try:
        fd = os.open(where / name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        status = os.fstat(fd)  # of the file opened, not of whatever the name leads to by now
        size = status.st_size
        if not _PREAMBLE.size < size <= MAX_BYTES:
            return None
        mapped = mmap.mmap(fd, size, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    finally:
        os.close(fd)
    booted = boot() if vouch and size >= VOUCHED_BYTES else None
    record: dict[str, Any] | None = None
    checked = False
    try:
        if booted is not None:
            record = _record(name, expected_key, status, _PREAMBLE.unpack_from(mapped, 0)[2], booted)
            checked = _vouched_for(name, record)
        entry = _verified(mapped, size, expected_key, checked=checked)
    except (ValueError, UnicodeDecodeError, KeyError, TypeError):
        entry = None
    if entry is None:
        mapped.close()
    elif record is not None and not checked and not _racy(status):
        write(f"{name}.verified", record, [])
    return entry


def _racy(status: os.stat_result) -> bool:
    """Whether the file changed too recently for its status to tell its bytes (see RACY_NS)."""
    return time.time_ns() - max(status.st_mtime_ns, status.st_ctime_ns) <= RACY_NS


@functools.cache
def boot() -> str | None:
    """This boot's identifier (Linux); None where there is none, and then every file is checked in full."""
    try:
        with open(_BOOT_ID, "rb") as source:
            return source.read(64).decode("ascii").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def _record(name: str, expected_key: str, status: os.stat_result, crc: int, booted: str) -> dict[str, Any]:
    """What vouches for the cache file `name` in the state `status` (see RACY_NS above)."""
    return {"key": key("verified", name, expected_key), "boot": booted, "crc": crc,
            "file": [status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns]}


def _vouched_for(name: str, record: dict[str, Any]) -> bool:
    """Whether `NAME.verified` records a full check of the file in the very state `record` describes."""
    entry = _read(f"{name}.verified", record["key"], vouch=False)
    return entry is not None and all(entry.header.get(field) == record[field] for field in ("boot", "crc", "file"))


def file_crc(path: Path) -> tuple[int, int]:
    """The length and CRC-32 of the file at `path` (OSError when it cannot be read): remembered in the cache with the
    file's status and boot, and read whole again only when these no longer match (as for a vouched-for cache file,
    above). A library's data file is keyed this way, its bytes being what its cached copy is derived from."""
    with open(path, "rb") as source:
        status = os.fstat(source.fileno())
        booted = boot()
        name = f"file-{hashlib.sha256(os.fsencode(path)).hexdigest()[:20]}.crc"
        record_key = key("file", os.fsdecode(path))
        record: dict[str, Any] = {"key": record_key, "boot": booted, "file": [
            status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns]}
        entry = _read(name, record_key, vouch=False) if booted is not None else None
        if entry is not None and all(entry.header.get(field) == record[field] for field in ("boot", "file")):
            length, crc = entry.header.get("length"), entry.header.get("crc")
            if isinstance(length, int) and isinstance(crc, int):
                return length, crc
        data = source.read()
    length, crc = len(data), zlib.crc32(data)
    if booted is not None and not _racy(status):
        write(name, {**record, "length": length, "crc": crc}, [])
    return length, crc


def _verified(mapped: mmap.mmap, size: int, expected_key: str, *, checked: bool = False) -> Entry | None:
    """The entry of a whole file derived for `expected_key`; `checked`: its CRC is known to hold (vouched for)."""
    magic, header_length, crc = _PREAMBLE.unpack_from(mapped, 0)
    start = _PREAMBLE.size
    if magic != MAGIC or start + header_length > size:
        return None
    if not checked and _checksum(mapped, start, size) != crc:
        return None
    header = json.loads(bytes(mapped[start:start + header_length]).decode("utf-8"))
    if not isinstance(header, dict) or header.get("key") != expected_key:
        return None
    body = start + header_length
    body += -body % ALIGN
    if size - body != header.get("payload_bytes"):
        return None
    return Entry(header, memoryview(mapped)[body:])


def _checksum(mapped: mmap.mmap, start: int, size: int) -> int:
    """The CRC-32 of the file's bytes from `start` on."""
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
    return check


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
