"""Open an input only when it resolves inside its allowed folder and is a regular file, and read a bounded size."""

from __future__ import annotations

import os
import stat
from pathlib import Path

# Flags for every input the build opens: never through a link (the path is resolved and checked first, so a
# link appearing in between is refused), never blocking on a FIFO, never becoming a controlling terminal.
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
               | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
_CHUNK = 1 << 20


class Refused(Exception):
    """An input the build will not read; `reason` completes "the file …", `too_large` marks a size refusal."""

    def __init__(self, reason: str, *, too_large: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.too_large = too_large


def within(path: Path, folders: tuple[Path, ...]) -> Path:
    """`path` resolved (links followed), refused unless it lies inside one of `folders` and is a regular file.

    Nothing is opened: resolving reads links and stats, so a name pointing at a secret or a device is refused
    before the file itself is ever touched.
    """
    try:
        target = path.resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # a loop of links, a NUL byte, a name too long
        raise Refused(f"cannot be resolved: {getattr(exc, 'strerror', None) or exc}") from None
    bases = [folder.resolve() for folder in folders]
    if not any(target == base or base in target.parents for base in bases):
        how = "is a link leading" if _is_link_anywhere(path) else "is"
        names = " or ".join(str(folder) for folder in folders)
        raise Refused(f"{how} outside {names}")
    try:
        info = os.stat(target)
    except FileNotFoundError:
        raise Refused("does not exist") from None
    except OSError as exc:
        raise Refused(f"cannot be read: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise Refused("is not a regular file (a folder, device, FIFO or socket)")
    return target


def _is_link_anywhere(path: Path) -> bool:
    return any(p.is_symlink() for p in (path, *path.parents) if p != Path(p.anchor))


def read_within(path: Path, folders: tuple[Path, ...], max_bytes: int) -> bytes:
    """The bytes of `path` once `within` accepts it, at most `max_bytes` of them (more is refused, `too_large`).

    The size is taken from the opened descriptor and reading stops at the limit, so a file that grows, or was
    swapped for a device after the check, never costs more than `max_bytes` of memory.
    """
    target = within(path, folders)
    try:
        fd = os.open(target, _OPEN_FLAGS)
    except OSError as exc:
        raise Refused(f"cannot be read: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Refused("is not a regular file (a folder, device, FIFO or socket)")
        if info.st_size > max_bytes:
            raise Refused(f"is {info.st_size:,} bytes, over the limit of {max_bytes:,}", too_large=True)
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(fd, min(_CHUNK, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > max_bytes:
            raise Refused(f"grew past the limit of {max_bytes:,} bytes while it was read", too_large=True)
        return b"".join(chunks)
    except OSError as exc:
        raise Refused(f"cannot be read: {exc.strerror}") from None
    finally:
        os.close(fd)
