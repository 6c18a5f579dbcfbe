"""Changes put into WeasyPrint's own code once per process, and only where they fit its version."""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

_T = TypeVar("_T")


class Patch:
    """One change to WeasyPrint: `put_in` makes it and answers whether it fitted this WeasyPrint. It runs once per
    process, under a lock, as a Dask worker lays articles out in several threads."""

    def __init__(self, put_in: Callable[[], bool]) -> None:
        self._put_in = put_in
        self._fitted: bool | None = None
        self._lock = threading.Lock()

    def __call__(self) -> bool:
        """Put the change in if it is not yet (and fits): whether it is in."""
        with self._lock:
            if self._fitted is None:
                self._fitted = self._put_in()
            return self._fitted

    @property
    def installed(self) -> bool:
        """Whether the change sits in this process's WeasyPrint."""
        return bool(self._fitted)

    @contextmanager
    def switched_on(self, switch: contextvars.ContextVar[_T], value: _T) -> Iterator[None]:
        """Put the change in, and turn it on in this thread by setting `switch` to `value` until the block ends;
        where the change does not fit this WeasyPrint, the block runs without it."""
        if not self():
            yield
            return
        token = switch.set(value)
        try:
            yield
        finally:
            switch.reset(token)
