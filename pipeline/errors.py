"""The pipeline's exceptions: a small hierarchy, each with a stable code and a process exit code."""

from __future__ import annotations

from pathlib import Path


class PipelineError(Exception):
    """Base of every error the pipeline raises on purpose; `tasks.py` turns it into an exit."""

    code = "E000"
    exit_code = 1

    def __init__(self, message: str, *, path: Path | str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        if code is not None:
            self.code = code

    def __reduce__(self) -> tuple[object, ...]:
        # Errors travel back from worker processes and cluster nodes by pickle: keep the path and code.
        return (_rebuild, (type(self), self.message, str(self.path) if self.path else None, self.code))

    def __str__(self) -> str:
        # A newline or an undecodable byte in a file name must not split the one line or crash the printing.
        where = f"{printable(self.path)}: " if self.path is not None else ""
        return f"{where}{self.code} {self.message}"


class SeedError(PipelineError):
    """A seed that cannot be understood as an article (empty, binary, no headline or no body)."""

    code = "E100"
    exit_code = 2


class ConfigError(PipelineError):
    """Options or settings that make no sense (unknown format, paper size, missing folder)."""

    code = "E200"
    exit_code = 3


class RenderError(PipelineError):
    """A renderer failed on a document that parsed; a bug or a missing system library."""

    code = "E300"
    exit_code = 4


class OutputError(PipelineError):
    """An edition could not be written: the output folder is a file, is read-only, or the disk is full."""

    code = "E500"
    exit_code = 5


class BuildError(PipelineError):
    """One or more seeds failed; the others were built."""

    code = "E400"
    exit_code = 1


class Interrupted(PipelineError):
    """Ctrl-C: the build stopped between whole editions; its one line says how many were written."""

    code = "E600"
    exit_code = 130

    def __str__(self) -> str:
        return self.message


def _rebuild(cls: type[PipelineError], message: str, path: str | None, code: str) -> PipelineError:
    return cls(message, path=path, code=code)


def printable(path: Path | str) -> str:
    """A file name for a one-line message: control characters (a newline in a name) escaped, undecodable bytes
    shown as `\\xNN`."""
    text = str(path)
    out = []
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # a byte the file system name held that is not UTF-8 (surrogateescape)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code < 0x20 or code == 0x7F or 0x80 <= code < 0xA0:
            out.append(repr(char)[1:-1])
        else:
            out.append(char)
    return "".join(out)
