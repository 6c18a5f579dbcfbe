"""What a build tells its user as it goes: a progress bar on a terminal, plain lines elsewhere, a summary at the end."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

Emit = Callable[[str], None]

#: Builds of fewer articles than this finish too soon for a bar to help.
BAR_MIN_TASKS = 2
# Redrawing on every article would cost more than a fast article does.
REDRAW_SECONDS = 0.1
BAR_WIDTH = 30


def _print_flushed(line: str) -> None:
    print(line, flush=True)


class Progress:
    """Reports a build: each outcome as a line (`emit`), or, on a terminal, a bar with problems printed above it."""

    def __init__(self, emit: Emit = print, *, stream: TextIO | None = None) -> None:
        self.emit = emit
        self.stream = stream
        self.total = 0
        self.done = 0
        self.failed = 0
        self.started = time.perf_counter()
        self._drawn = 0.0

    @classmethod
    def for_output(cls, emit: Emit) -> Progress:
        """A bar when `emit` is `print` to a terminal, else plain lines through `emit`."""
        if emit is print and sys.stdout.isatty():
            return cls(emit, stream=sys.stdout)
        if emit is print:
            # Piped to a log or another program, each line goes out as its article finishes, not when a buffer
            # fills: whoever watches the pipe sees the build's progress (and its last line before a Ctrl-C).
            return cls(_print_flushed)
        return cls(emit)

    @property
    def bar(self) -> bool:
        return self.stream is not None and self.total >= BAR_MIN_TASKS

    def start(self, total: int) -> None:
        self.total, self.done, self.failed = total, 0, 0
        self.started = time.perf_counter()
        self._draw(force=True)

    def note(self, line: str) -> None:
        """A line always worth printing (a warning or an error), also above the bar."""
        if self.bar and self.stream is not None:
            self.stream.write("\r\x1b[2K")
        self.emit(line)
        self._draw(force=True)

    def item(self, line: str, *, ok: bool) -> None:
        """One article finished: its line without a bar; failures always get theirs."""
        self.done += 1
        if not ok:
            self.failed += 1
            self.note(line)
        elif not self.bar:
            self.emit(line)
        else:
            self._draw()

    def finish(self, summary: str) -> None:
        if self.bar and self.stream is not None:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
        self.emit(summary)

    def _draw(self, *, force: bool = False) -> None:
        if not self.bar or self.stream is None:
            return
        now = time.perf_counter()
        if not force and now - self._drawn < REDRAW_SECONDS and self.done < self.total:
            return
        self._drawn = now
        filled = BAR_WIDTH * self.done // max(self.total, 1)
        elapsed = now - self.started
        rate = f" {self.done / elapsed:.1f}/s" if elapsed > 0 and self.done else ""
        failed = f", {self.failed} failed" if self.failed else ""
        self.stream.write(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {self.done}/{self.total}{failed}"
                          f" {elapsed:.0f} s{rate}")
        self.stream.flush()
