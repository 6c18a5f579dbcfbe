"""Writing outputs so that a reader of `dist/` only ever sees a whole old file or a whole new one."""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from pipeline.errors import OutputError

#: Temporary files are hidden and named after their target, `.NAME.apb-RANDOM.part`, beside `NAME`: the marker
#: `apb-` and mkstemp's eight random characters make a name no user file has by chance, so the sweep of stale
#: temporaries never takes a user's own `.notes.txt.v2.part`.
PART_MARKER = ".apb-"
PART_SUFFIX = ".part"
_PART_NAME = re.compile(r"^\.(?P<target>.+)\.apb-[a-z0-9_]{8}\.part$")


def is_part(name: str) -> bool:
    """Whether `name` is one of `write_atomic`'s temporary files."""
    return _PART_NAME.match(name) is not None


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, flush it to disk, then rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}{PART_MARKER}", suffix=PART_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def sweep_parts(folder: Path) -> list[Path]:
    """Delete the temporary files a killed writer left in `folder`; return what was deleted."""
    swept = []
    for path in folder.iterdir():
        if is_part(path.name) and path.is_file():
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                swept.append(path)
    return swept


@contextlib.contextmanager
def writing_into(folder: Path) -> Iterator[None]:
    """Create `folder` and hold a shared lock on it while writing; sweep stale temporaries when no one else writes.

    Every writer holds the shared lock while its temporary files exist, so the exclusive lock is only granted
    when the temporaries in the folder belong to nobody: a build killed mid-write (the kernel drops a dead
    process's locks). On systems without `flock` the sweep is skipped: a live build's files are never at risk.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if sys.platform == "win32":
        yield
        return
    import fcntl

    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pass  # another build is writing here: the temporaries may be its own
        else:
            sweep_parts(folder)
        fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def write_all(folder: Path, files: Iterable[tuple[Path, bytes]], *, source: Path,
              written: Callable[[Path], None] = lambda _path: None) -> tuple[Path, ...]:
    """Write each file atomically inside `folder` while holding its lock, telling `written` of each; a failure
    raises `OutputError` naming the file and `source` (what the files are made from), and the files before it stay."""
    done: list[Path] = []
    target = folder
    try:
        with writing_into(folder):
            for target, data in files:
                write_atomic(target, data)
                written(target)
                done.append(target)
    except OSError as exc:
        raise OutputError(f"cannot write {exc.filename or target}: {exc.strerror or exc}", path=source) from None
    return tuple(done)
