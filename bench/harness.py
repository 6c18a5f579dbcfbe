"""The benchmark behind `invoke bench`: medians of timed runs on generated articles, against WeasyPrint and pandoc."""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.build.builder import load
from pipeline.build.workers import default_jobs, load_bytes, render
from pipeline.model import Document
from pipeline.options import PAPERS, BuildOptions
from pipeline.render.assets import STYLES, font_face_css

# The bench runs from a checkout: the project folder holds the seeds and tasks.py it times.
ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_ce7740ea781b237b.txt"

# Reference figures the targets are stated against (issue 6), for the closing notes when pandoc is missing.
PANDOC_REFERENCE_SECONDS = 0.96

# Runs a build in a fresh interpreter and prints its time and the peak memory of itself and its workers.
_CHILD = """
import json, resource, sys, time
started = time.perf_counter()
from pathlib import Path
from pipeline.build.builder import build
from pipeline.options import BuildOptions
report = build(Path(sys.argv[1]), Path(sys.argv[2]), BuildOptions(), emit=lambda _l: None,
               jobs=int(sys.argv[3]), force=sys.argv[4] == "force")
assert not report.failed, [str(r.error) for r in report.failed]
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec, so it would report the bench's own peak.
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(json.dumps({"seconds": time.perf_counter() - started, "built": len(report.results),
                  "unchanged": len(report.unchanged),
                  "self_kib": hwm,
                  "children_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


# Builds one hostile seed (all three formats, in this process) and prints what became of it, its time and peak memory.
_HOSTILE_CHILD = """
import json, resource, sys, time
started = time.perf_counter()
from pathlib import Path
from pipeline.build.builder import build
from pipeline.options import BuildOptions
report = build(Path(sys.argv[1]), Path(sys.argv[2]), BuildOptions(), emit=lambda _l: None, jobs=1)
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
# CPU time as well as wall time: on a machine shared with other jobs the wall clock says more about them.
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": time.perf_counter() - started, "cpu_seconds": usage.ru_utime + usage.ru_stime,
                  "kib": hwm, "outcome": " ".join(r.error.code for r in report.failed if r.error) or "built"}))
"""
#: A bare `weasyprint` run of one article on the machine issue 12 was measured on: its 100 articles took 31 s, "the
#: time of 37.7 bare `weasyprint` runs". Its goals in seconds are that many runs of this length.
ISSUE_BARE_SECONDS = 31 / 37.7

#: A hostile build that runs longer than this is stopped and reported as such.
HOSTILE_TIMEOUT = 300

# Builds one long seed (all three formats, `--max-bytes` raised to its size, on the cores a build takes by default:
# with two, the parts are laid out by turns in this process and a helper) and prints its time, the CPU time of
# every process, the peak memory of the largest and the PDF's pages.
_LONG_CHILD = """
import json, os, resource, sys, time
started = time.perf_counter()
load = os.getloadavg()[0]
from pathlib import Path
import pikepdf
from pipeline.build.builder import build
from pipeline.options import BuildOptions
report = build(Path(sys.argv[1]), Path(sys.argv[2]), BuildOptions(max_bytes=int(sys.argv[3])), emit=lambda _l: None)
assert not report.failed, [str(r.error) for r in report.failed]
seconds = time.perf_counter() - started
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
helper = resource.getrusage(resource.RUSAGE_CHILDREN)
hwm = max(hwm, helper.ru_maxrss)
usage = resource.getrusage(resource.RUSAGE_SELF)
with pikepdf.open(next(Path(sys.argv[2]).glob("*.pdf"))) as pdf:
    pages = len(pdf.pages)
theirs = helper.ru_utime + helper.ru_stime
print(json.dumps({"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime + theirs,
                  "system_seconds": usage.ru_stime + helper.ru_stime, "helper_cpu_seconds": theirs,
                  "minor_faults": usage.ru_minflt, "kib": hwm, "pages": pages, "load": [load, os.getloadavg()[0]]}))
"""


def long_seeds() -> dict[str, bytes]:
    """The long texts of issue 12: 20,000 one-word lines under a 600-character headline, and articles of 2.5 and
    5 MB made of the seed's paragraphs (the half-size one shows how time grows with length)."""
    headline = " ".join(f"Headline{n:03d}" for n in range(50)) + "!"
    words = "\n".join(f"word{n}" for n in range(20_000))
    seed = SEED.read_text(encoding="utf-8").split("Leave a Reply")[0]
    paragraphs = [line for line in seed.splitlines() if len(line) > 200]

    def article(size: int) -> bytes:
        out, length = [seed], len(seed.encode())
        while length < size - 1000:
            out.append(paragraphs[len(out) % len(paragraphs)])
            length += len(out[-1].encode()) + 2
        return ("\n\n".join(out) + "\n").encode()

    return {"20,000 one-word lines": f"{headline}\n\nBy Ann Lee\n\nFebruary 25, 2019\n\n{words}\n".encode(),
            "a 2.5 MB article": article(2_500_000), "a 5 MB article": article(5_000_000)}


def measure_long(tmp: Path, emit: Callable[[str], None] = print) -> dict[str, dict[str, Any]]:
    """Build each long seed in a fresh interpreter: wall and CPU time, peak memory (`VmHWM`, or the helper's
    peak if larger), PDF pages."""
    figures: dict[str, dict[str, Any]] = {}
    for n, (label, data) in enumerate(long_seeds().items()):
        seeds = tmp / f"long-{n}"
        seeds.mkdir(parents=True, exist_ok=True)
        (seeds / "long.txt").write_bytes(data)
        result = subprocess.run([sys.executable, "-c", _LONG_CHILD, str(seeds), str(tmp / f"long-out-{n}"),
                                 str(len(data))], cwd=ROOT, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"the long build of {label} failed: {result.stderr[-2000:]}")
        figure: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
        figure["bytes"] = len(data)
        figures[label] = figure
        emit(f"  {label}: {figure['seconds']:.1f} s ({figure['cpu_seconds']:.1f} s of CPU), peak "
             f"{figure['kib'] / 1024:.0f} MiB, {figure['pages']} pages, load {figure['load'][0]:.1f}")
    return figures


@dataclass(frozen=True)
class Hostile:
    """One pathological input of issue 9: a seed, and the sidecar and image beside it, if any."""

    label: str
    seed: bytes
    sidecar: str | None = None
    image: bytes | None = None


def _article(body: str, headline: str = "A headline") -> bytes:
    return f"{headline}\n\nBy Ann Lee\n\nFebruary 25, 2019\n\n{body}\n\nA last paragraph.\n".encode()


def _png_bomb(width: int, height: int) -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def hostile_inputs() -> list[Hostile]:
    """The pathological inputs of issue 9, and the largest inputs the limits let through."""
    words = " ".join(f"word{n}" for n in range(40_000))
    return [
        Hostile("`<div>` × 2,000 on one line (10 KB)", _article("<div>" * 2000)),
        Hostile("`<div>` × 4,000 on one line (20 KB)", _article("<div>" * 4000)),
        Hostile("200 lines, each with a 1,000-character run (200 kB)",
                _article("\n\n".join(f"See {n} " + "abcdefghij" * 100 + " here." for n in range(200)))),
        Hostile("20 lines, each with a 1,000-character run (20 kB)",
                _article("\n\n".join(f"See {n} " + "abcdefghij" * 100 + " here." for n in range(20)))),
        Hostile("5 lines, each with a 1,000-character run (the limits)",
                _article("\n\n".join(f"See {n} " + "abcdefghij" * 100 + " here." for n in range(5)))),
        Hostile("50,000 one-word paragraphs (539 KB)", _article("\n\n".join(f"w{n}" for n in range(50_000)))),
        Hostile("24,990 one-word paragraphs (under the 25,000 limit)",
                _article("\n\n".join(f"w{n}" for n in range(24_990)))),
        Hostile("a first line of 40,000 words", _article("A body paragraph.", headline=words)),
        Hostile("a sidecar title of 40,000 words", _article("A body paragraph."), f'title = "{words}"\n'),
        Hostile("a sidecar title of 500 characters (the limit)", _article("A body paragraph."),
                f'title = "{("Title words " * 50)[:500].strip()}"\n'),
        Hostile("a 20000 × 20000 PNG bomb as a sidecar image", _article("A body paragraph."),
                '[[photos]]\ncaption = "A"\nimage = "image.png"\n', _png_bomb(20_000, 20_000)),
    ]


def measure_hostile(tmp: Path, emit: Callable[[str], None] = print) -> dict[str, dict[str, Any]]:
    """Build each hostile input in a fresh interpreter: its outcome (`built` or the error codes), time and peak
    memory, or `timeout` past HOSTILE_TIMEOUT seconds."""
    figures: dict[str, dict[str, Any]] = {}
    for n, case in enumerate(hostile_inputs()):
        seeds = tmp / f"hostile-{n}"
        seeds.mkdir(parents=True, exist_ok=True)
        (seeds / "seed.txt").write_bytes(case.seed)
        if case.sidecar is not None:
            (seeds / "seed.toml").write_text(case.sidecar, encoding="utf-8")
        if case.image is not None:
            (seeds / "image.png").write_bytes(case.image)
        try:
            result = subprocess.run([sys.executable, "-c", _HOSTILE_CHILD, str(seeds), str(tmp / f"hostile-out-{n}")],
                                    cwd=ROOT, capture_output=True, text=True, check=False, timeout=HOSTILE_TIMEOUT)
            figure: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
        except subprocess.TimeoutExpired:
            figure = {"seconds": float(HOSTILE_TIMEOUT), "cpu_seconds": None, "kib": 0, "outcome": "timeout"}
        figures[case.label] = figure
        cpu = f" ({figure['cpu_seconds']:.2f} s of CPU)" if figure["cpu_seconds"] is not None else ""
        emit(f"  {case.label}: {figure['outcome']} in {figure['seconds']:.2f} s{cpu}, "
             f"peak {figure['kib'] / 1024:.0f} MiB")
    return figures


@dataclass
class Results:
    """Every figure the bench measured, with the machine it ran on."""

    machine: dict[str, str]
    rows: list[tuple[str, str, str]] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    targets: list[tuple[str, str, str, bool | None]] = field(default_factory=list)


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib import metadata

    pandoc = shutil.which("pandoc")
    pandoc_version = "not installed"
    if pandoc:
        pandoc_version = subprocess.run([pandoc, "--version"], capture_output=True, text=True,
                                        check=False).stdout.splitlines()[0]
    return {"nproc": str(os.cpu_count()), "usable cores": str(default_jobs()), "cpu": model,
            "python": platform.python_version(), "weasyprint": metadata.version("weasyprint"),
            "pandoc": pandoc_version, "os": platform.platform()}


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def variant(text: str, n: int) -> str:
    """The seed as another article: its headline numbered, its paragraphs in another order within each section."""
    lines = text.splitlines()
    title = lines[0]
    body = "\n".join(lines).replace(title, f"{title}, part {n}")
    # Reversing the order of the last few paragraphs keeps the article's shape but changes its line breaks.
    blocks = body.split("\n\n")
    k = 2 + n % 4
    return "\n\n".join(blocks[:-k] + blocks[-k:][::-1]) + "\n"


_SURNAMES = ("Lee", "Okafor", "Berger", "Novak", "Silva", "Tanaka", "Moreau", "Kowalski", "Jensen", "Rossi", "Haddad")


def short_article(n: int) -> str:
    """A small generated article, for the archive-sized no-op rebuild."""
    # A byline names a person, and a person's name has no figures: the writers differ by their surnames.
    writer = _SURNAMES[n % len(_SURNAMES)]
    return (f"Dispatch number {n} from the archive\nBy Ann {writer}\n\n2020-01-{1 + n % 28:02d}\n\n"
            f"This is paragraph one of generated article {n}, long enough to wrap over a few lines of the page "
            f"and to be a real paragraph rather than a heading.\n\nA second paragraph closes article {n}.\n")


def generate(folder: Path, count: int, make: Callable[[int], str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"article-{n:04d}.txt").write_text(make(n), encoding="utf-8")
    return folder


def _child_build(seeds: Path, dist: Path, jobs: int, force: bool) -> dict[str, Any]:
    result = subprocess.run([sys.executable, "-c", _CHILD, str(seeds), str(dist), str(jobs),
                             "force" if force else "incremental"], cwd=ROOT, capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        raise RuntimeError(f"the benchmark's build failed: {result.stderr[-2000:]}")
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def _wall(argv: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT) -> float:
    started = time.perf_counter()
    subprocess.run(argv, cwd=cwd, capture_output=True, check=True, env=env)
    return time.perf_counter() - started


def _timed(argv: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT) -> tuple[float, float]:
    """Wall and CPU seconds (the child's user and system time, its own children's included) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = _wall(argv, env, cwd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def compile_project(root: Path = ROOT) -> None:
    """Our modules as bytecode, as a user's copy has them: pip compiles an installed wheel's, and an editable
    install's are written on their first import; but not where PYTHONDONTWRITEBYTECODE is set (as in some shells
    and containers), and a cold build then compiles most of our 13,000 lines of source (about 0.12 s of CPU) every time.
    The libraries' bytecode is the installer's business, for pandoc's `weasyprint` and for ours alike."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(root / "pipeline"), str(root / "tasks.py")],
                   cwd=root, capture_output=True, check=False)


def measure_cold(tmp: Path, rounds: int, *, root: Path = ROOT, env: dict[str, str] | None = None,
                 emit: Callable[[str], None] = print) -> dict[str, Any]:
    """One article, three formats, cold, as a user runs it (`invoke build --seeds D --dist E` in a fresh
    interpreter, a fresh `E` each time), alternated round by round with pandoc making the same three editions
    (EPUB, text, and a PDF through WeasyPrint), so that other jobs on the machine weigh on both alike.

    `root` is the project folder `invoke` runs in (its tasks.py) and `env` the environment (another checkout's
    code on PYTHONPATH, for a before/after in one run). Medians of wall and CPU seconds; pandoc's are None
    when it is not installed."""
    one = generate(tmp / "cold-seed", 1, lambda _n: SEED.read_text(encoding="utf-8"))
    compile_project(root)
    invoke = [sys.executable, "-m", "invoke", "build", "--seeds", str(one)]
    pandoc = shutil.which("pandoc")
    pandoc_env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    base = [pandoc or "pandoc", "-f", "markdown", str(SEED), "--metadata", "title=bench"]
    commands = {"epub": [*base, "-o", str(tmp / "p.epub")], "txt": [*base, "-t", "plain", "-o", str(tmp / "p.txt")],
                "pdf": [*base, "--pdf-engine=weasyprint", "-o", str(tmp / "p.pdf")]}
    ours: list[tuple[float, float]] = []
    theirs: dict[str, list[tuple[float, float]]] = {fmt: [] for fmt in commands}
    for n in range(rounds):
        dist = tmp / f"cold-dist-{n}"
        ours.append(_timed([*invoke, "--dist", str(dist)], env, root))
        shutil.rmtree(dist, ignore_errors=True)
        if pandoc:
            for fmt, argv in commands.items():
                theirs[fmt].append(_timed(argv, pandoc_env))
        emit(f"  cold round {n + 1}: ours {ours[-1][0]:.2f} s ({ours[-1][1]:.2f} s CPU)"
             + (f", pandoc {sum(v[-1][0] for v in theirs.values()):.2f} s "
                f"({sum(v[-1][1] for v in theirs.values()):.2f} s CPU)" if pandoc else ""))
    # CPU time as well as wall time: on a machine shared with other jobs the wall clock says more about them.
    figure: dict[str, Any] = {
        "seconds": statistics.median(w for w, _c in ours),
        "cpu_seconds": statistics.median(c for _w, c in ours),
        "pandoc": {fmt: statistics.median(w for w, _c in v) for fmt, v in theirs.items()} if pandoc else None,
        "pandoc_cpu": statistics.median(sum(v[n][1] for v in theirs.values()) for n in range(rounds))
        if pandoc else None}
    return figure


#: A fixed edition time, so that every timed run makes the same bytes.
_EPOCH = 1_700_000_000


def stage_profile(doc: Document, options: BuildOptions, runs: int) -> dict[str, float]:
    """Median CPU seconds of each stage of one article, warm, and of the floor: WeasyPrint alone laying out and
    writing our HTML with our fonts and parsed style sheets (tagged, as ours). Runs are interleaved, stage by
    stage, so that noise from other jobs on the machine hits all of them alike."""
    from weasyprint import HTML

    from pipeline.options import PDF_VARIANTS
    from pipeline.render import pdf as print_pdf
    from pipeline.render.cover import draw_cover
    from pipeline.render.epub import render_epub
    from pipeline.render.html import pdf_html
    from pipeline.render.text import render_text

    for fmt in options.formats:  # load every library, font, style sheet and hyphenation dictionary first
        render(doc, fmt, options, _EPOCH)
    fonts, fetcher = print_pdf.engine()
    setup = print_pdf.PrintSetup.of(options)
    sheets = list(print_pdf.stylesheets(setup))
    variant_name = PDF_VARIANTS[options.pdf_variant]
    html = pdf_html(doc)

    # The floor lays our style sheets out as they are: the columns filled in order. Balancing the page where they
    # end (pipeline/render/balance.py) is our work, and counts in "pdf: layout".
    def floor_layout() -> Any:
        return HTML(string=html, base_url=STYLES.as_uri() + "/", url_fetcher=fetcher).render(
            stylesheets=sheets, font_config=fonts, pdf_variant=variant_name)

    laid_out = floor_layout()
    cover = draw_cover(doc, publisher=options.publisher)
    edition = print_pdf.edition_name(doc, paper=options.paper)

    def our_layout() -> None:
        print_pdf.layout.cache_clear()  # a build lays each article out once: no run may reuse another's
        print_pdf.layout(doc, setup)

    def page_map() -> None:
        print_pdf.print_pages(doc, paper=options.paper, bleed_mm=options.bleed_mm, two_sided=options.two_sided,
                              variant=options.pdf_variant)

    stages: dict[str, Callable[[], object]] = {
        "floor: layout": floor_layout,
        "floor: write": lambda: laid_out.write_pdf(pdf_variant=variant_name, pdf_tags=True, pdf_identifier=True,
                                                   custom_metadata=False),
        "parse": lambda: load(SEED, options),
        "pdf: layout": our_layout,
        # The next three reuse the layout just made, as a build does.
        "pdf: write": lambda: print_pdf.render_pdf(doc, paper=options.paper, bleed_mm=options.bleed_mm,
                                                   two_sided=options.two_sided, variant=options.pdf_variant,
                                                   source_date_epoch=_EPOCH),
        "epub: page map": page_map,
        "epub: cover": lambda: draw_cover(doc, publisher=options.publisher),
        "epub: the rest": lambda: render_epub(doc, publisher=options.publisher, source_date_epoch=_EPOCH,
                                              cover=cover, pages=print_pdf.print_pages(doc), print_edition=edition),
        "txt": lambda: render_text(doc, ascii=options.ascii),
    }
    samples: dict[str, list[float]] = {name: [] for name in stages}
    for _ in range(runs):
        for name, stage in stages.items():
            started = time.process_time()
            stage()
            samples[name].append(time.process_time() - started)
    return {name: statistics.median(times) for name, times in samples.items()}


_floor_state: dict[str, Any] = {}


def _floor_init(first: str) -> None:
    """A floor worker: WeasyPrint loaded, fonts and style sheets parsed, one article laid out, before the clock."""
    from pipeline.render import pdf as print_pdf

    fonts, fetcher = print_pdf.engine()
    _floor_state.update(fonts=fonts, fetcher=fetcher, sheets=list(print_pdf.stylesheets(print_pdf.PrintSetup())))
    _floor_one(first)


def _floor_one(html: str) -> int:
    from weasyprint import HTML

    state = _floor_state
    pdf = HTML(string=html, base_url=STYLES.as_uri() + "/", url_fetcher=state["fetcher"]).write_pdf(
        stylesheets=state["sheets"], font_config=state["fonts"], pdf_variant="pdf/ua-1", pdf_tags=True,
        pdf_identifier=True, custom_metadata=False)
    return len(pdf)


def _floor_ready(_n: int) -> None:
    time.sleep(0.5)  # long enough that each of the first tasks starts (and warms) its own worker


def _floor_build(htmls: list[str], cores: int) -> float:
    """Wall seconds WeasyPrint alone takes to lay out and write `htmls` on `cores` warm processes."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=cores, initializer=_floor_init, initargs=(htmls[0],)) as pool:
        list(pool.map(_floor_ready, range(cores)))
        started = time.perf_counter()
        list(pool.map(_floor_one, htmls))
        return time.perf_counter() - started


#: The measures `run` can be limited to (`invoke bench --only cold,noop`), in the order they run.
MEASURES = ("stages", "cold", "builds", "noop", "hostile", "parse", "long")


def run(out_dir: Path, *, runs: int = 3, emit: Callable[[str], None] = print,
        only: tuple[str, ...] = MEASURES) -> Results:
    """Measure everything (or the `only` measures of `MEASURES`), print the table as it fills and save it as
    `results.md` and `results.json`; the targets whose figures were measured are judged."""
    unknown = set(only) - set(MEASURES)
    if unknown:
        raise ValueError(f"unknown measures {sorted(unknown)}: choose among {', '.join(MEASURES)}")
    started = time.perf_counter()
    compile_project()
    results = Results(machine())
    cores = default_jobs()
    options = BuildOptions()
    doc = load(SEED, options)
    emit(f"benchmark on {results.machine['cpu']}, {cores} cores, Python {results.machine['python']}")

    def row(what: str, value: str, note: str = "") -> None:
        results.rows.append((what, value, note))
        emit(f"  {what}: {value}{'  (' + note + ')' if note else ''}")

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp_name:
        tmp = Path(tmp_name)
        if "stages" in only:
            # Warm, in one process: the CPU each stage of an article costs once the libraries are loaded, beside
            # the floor (WeasyPrint alone laying out and writing the same HTML, same fonts and style sheets).
            stages = stage_profile(doc, options, max(5, runs * 3))
            floor = stages["floor: layout"] + stages["floor: write"]
            for stage, seconds in stages.items():
                row(f"CPU per article, warm: {stage}", f"{seconds * 1000:.1f} ms",
                    f"×{seconds / floor:.2f} of the floor")
            ours_pdf = stages["pdf: layout"] + stages["pdf: write"]
            ours_all = sum(v for k, v in stages.items() if not k.startswith("floor"))
            row("CPU per article, warm: our PDF (layout + write) / the floor", f"{ours_pdf * 1000:.0f} ms / "
                f"{floor * 1000:.0f} ms", f"×{ours_pdf / floor:.2f}")
            row("CPU per article, warm: all stages, 3 formats / the floor", f"{ours_all * 1000:.0f} ms / "
                f"{floor * 1000:.0f} ms", f"×{ours_all / floor:.2f}")
            results.figures["stage_cpu_seconds"] = stages
            results.figures["pdf_ours_vs_weasyprint"] = ours_pdf / floor
            results.figures["all_ours_vs_floor"] = ours_all / floor

        from pipeline.render.html import pdf_html

        html = pdf_html(doc)

        if "cold" in only or "builds" in only or "long" in only:
            # A bare `weasyprint` run of one article: the unit the issue states its figures in.
            page = tmp / "article.html"
            page.write_text(html.replace("</head>", f"<style>{font_face_css()}\n{(STYLES / 'print.css').read_text()}"
                                                    f"\n@page {{ size: {PAPERS['a4']}; }}</style></head>"),
                            encoding="utf-8")
            weasyprint_cli = str(Path(sys.executable).parent / "weasyprint")
            bare = statistics.median(_wall([weasyprint_cli, str(page), str(tmp / "bare.pdf")])
                                     for _ in range(runs + 2))
            row("bare `weasyprint article.html out.pdf`", f"{bare:.2f} s", "the unit of the 100-article goal")
            results.figures["bare_weasyprint_seconds"] = bare

        if "cold" in only:
            # Cold: one article, three formats, `invoke build` in a fresh interpreter (what a user waits for),
            # alternated round by round with pandoc making the same three.
            cold = measure_cold(tmp, runs + 2, emit=lambda _line: None)
            row("one article, EPUB+PDF+text, cold `invoke build`", f"{cold['seconds']:.2f} s",
                f"{cold['cpu_seconds']:.2f} s of CPU; medians of {runs + 2} rounds alternated with pandoc")
            results.figures["cold_one_article_seconds"] = cold["seconds"]
            results.figures["cold_one_article_cpu_seconds"] = cold["cpu_seconds"]
            if cold["pandoc"] is not None:
                three = cold["pandoc"]
                row("pandoc: EPUB / text / PDF (via weasyprint)", f"{three['epub']:.2f} s / {three['txt']:.2f} s / "
                    f"{three['pdf']:.2f} s", f"sum {sum(three.values()):.2f} s; {cold['pandoc_cpu']:.2f} s of CPU "
                    f"(ours ×{cold['cpu_seconds'] / cold['pandoc_cpu']:.2f} of it)")
                results.figures["pandoc_seconds"] = three
                results.figures["pandoc_cpu_seconds"] = cold["pandoc_cpu"]

        if "builds" in only:
            # Full cold builds of generated articles, one process and all cores; peak memory from the same runs.
            seed_text = SEED.read_text(encoding="utf-8")
            builds: dict[str, dict[str, Any]] = {}
            for count in (1, 10, 100):
                seeds = generate(tmp / f"gen{count}", count, lambda n: variant(seed_text, n))
                for jobs in (1, cores):
                    # The 100-article builds are most of the bench's time: one run each keeps it within five minutes.
                    repeats = 1 if count >= 100 else runs
                    samples = [_child_build(seeds, tmp / f"out{count}-{jobs}-{n}", jobs, True) for n in range(repeats)]
                    seconds = statistics.median(s["seconds"] for s in samples)
                    worker_mib = max(s["children_kib"] for s in samples) / 1024
                    main_mib = max(s["self_kib"] for s in samples) / 1024
                    builds[f"{count}x{jobs}"] = {"seconds": seconds, "worker_mib": worker_mib, "main_mib": main_mib}
                    row(f"build {count} articles ×3 formats, --jobs {jobs}", f"{seconds:.2f} s",
                        f"{seconds / count * 1000:.0f} ms/article; peak RSS main {main_mib:.0f} MiB"
                        + (f", worker {worker_mib:.0f} MiB" if jobs > 1 and count > 1 else ""))
            results.figures["builds"] = builds

            # The floor of 100 articles on the same cores: WeasyPrint alone, warm, laying out and writing the HTML of
            # the same 100 articles (one warm process per core, shared fonts and style sheets), and nothing else.
            # Alternated with our own build (ours, floor, ours, floor) so that other jobs on the machine weigh on both.
            docs = [load_bytes(f"article-{n:04d}.txt", variant(seed_text, n).encode(), options) for n in range(100)]
            htmls = [pdf_html(d) for d in docs]
            floors = [_floor_build(htmls, cores)]
            ours_100 = [builds[f"100x{cores}"]["seconds"],
                        _child_build(tmp / "gen100", tmp / "out100-again", cores, True)["seconds"]]
            floors.append(_floor_build(htmls, cores))
            floor_100, hundred = statistics.median(floors), statistics.median(ours_100)
            builds[f"100x{cores}"]["seconds"] = hundred
            row(f"build 100 articles ×3 formats, --jobs {cores}, alternated with the floor", f"{hundred:.2f} s",
                "median of 2 runs: " + ", ".join(f"{v:.1f} s" for v in ours_100))
            row(f"floor: WeasyPrint alone on the 100 articles' HTML, {cores} warm processes", f"{floor_100:.2f} s",
                f"median of 2 runs: {', '.join(f'{v:.1f} s' for v in floors)}; our build ×{hundred / floor_100:.2f} of "
                f"it; the floor is {floor_100 / bare:.1f} bare runs")
            results.figures["floor_100_seconds"] = floor_100

        if "noop" in only:
            # The archive: 1,000 short seeds built once, then rebuilt with nothing changed.
            archive = generate(tmp / "archive", 1000, short_article)
            _child_build(archive, tmp / "archive-dist", cores, True)
            noop = [_child_build(archive, tmp / "archive-dist", cores, False) for _ in range(runs + 2)]
            assert all(s["unchanged"] == 1000 and s["built"] == 0 for s in noop)
            noop_build = statistics.median(s["seconds"] for s in noop)
            noop_cli = statistics.median(_wall([sys.executable, "-m", "invoke", "build", "--seeds", str(archive),
                                                "--dist", str(tmp / "archive-dist")]) for _ in range(runs + 2))
            row("no-op rebuild of 1,000 seeds ×3 formats", f"{noop_build:.3f} s",
                f"whole `invoke build` command incl. interpreter start: {noop_cli:.2f} s")
            results.figures["noop_1000_seconds"] = {"build": noop_build, "invoke": noop_cli}

        if "hostile" in only:
            # Issue 9's pathological inputs: each builds or is refused within a minute and 1 GB.
            hostile = measure_hostile(tmp, emit=lambda _line: None)
            for label, figure in hostile.items():
                cpu = f", {figure['cpu_seconds']:.2f} s of CPU" if figure["cpu_seconds"] is not None else ""
                row(f"hostile: {label}", f"{figure['outcome']}, {figure['seconds']:.2f} s",
                    f"peak RSS {figure['kib'] / 1024:.0f} MiB{cpu}")
            results.figures["hostile"] = hostile

        if "parse" in only:
            # The parser alone on every labelled article the project has: decoding, language, chrome, header, body.
            parsed = parse_corpus()
            row(f"parse: {parsed['articles']} articles (seed, fixtures, corpus), CPU per article",
                f"mean {parsed['mean'] * 1000:.1f} ms, slowest {parsed['max'] * 1000:.1f} ms",
                f"{parsed['total']:.2f} s in all, first article {parsed['first'] * 1000:.0f} ms (loads the detector)")
            results.figures["parse_corpus"] = parsed

        if "long" in only:
            # Long texts (issue 12): laid out in parts, in bounded memory, in time that grows with their length.
            long = measure_long(tmp, emit=lambda _line: None)
            for label, figure in long.items():
                row(f"long text: {label} ({figure['bytes'] / 1e6:.1f} MB, {figure['pages']} PDF pages), 3 formats",
                    f"{figure['seconds']:.1f} s", f"{figure['cpu_seconds']:.1f} s of CPU, "
                    f"{figure['cpu_seconds'] / figure['pages'] * 1000:.0f} ms of CPU per page; peak RSS "
                    f"{figure['kib'] / 1024:.0f} MiB; load average {figure['load'][0]:.1f} → {figure['load'][1]:.1f}")
            results.figures["long"] = long

    _targets(results, cores)
    results.figures["bench_seconds"] = time.perf_counter() - started
    row("the whole benchmark", f"{results.figures['bench_seconds']:.0f} s", f"{runs} runs per measure")
    _save(results, out_dir)
    return results


def parse_corpus() -> dict[str, float]:
    """CPU seconds the parser takes per article on the seed, the parser's fixtures and the labelled corpus."""
    from pipeline.parse.parser import parse
    from pipeline.read.source import decode

    tests = ROOT / "tests"
    seeds = sorted({*SEED.parent.glob("*.txt"), *(tests / "fixtures" / "parse").glob("*.txt"),
                    *(tests / "corpus").glob("*/*.txt")})
    times: list[float] = []
    for seed in seeds:
        data = seed.read_bytes()
        started = time.process_time()
        parse(decode(data).text, source=seed.name)
        times.append(time.process_time() - started)
    return {"articles": len(times), "total": sum(times), "first": times[0], "max": max(times[1:] or times),
            "mean": statistics.mean(times[1:] or times)}


def _targets(results: Results, cores: int) -> None:
    """Judge each target whose figures were measured."""
    f = results.figures
    add = results.targets.append
    if "cold_one_article_seconds" in f:
        cold = f["cold_one_article_seconds"]
        if "pandoc_seconds" in f:
            three = sum(f["pandoc_seconds"].values())
            cpu = (f"; CPU ×{f['cold_one_article_cpu_seconds'] / f['pandoc_cpu_seconds']:.2f} of pandoc's "
                   f"{f['pandoc_cpu_seconds']:.2f} s" if f.get("pandoc_cpu_seconds") else "")
            add(("one article, 3 formats, cold ≤ 0.85× pandoc", f"×{cold / three:.2f} of pandoc's {three:.2f} s{cpu}",
                 "≤ 0.85", cold / three <= 0.85))
        else:
            add(("one article, 3 formats, cold ≤ 0.85× pandoc", f"×{cold / PANDOC_REFERENCE_SECONDS:.2f} of the "
                 "issue's 0.96 s reference (pandoc not installed)", "≤ 0.85", None))
    bare: float | None = f.get("bare_weasyprint_seconds")
    if "builds" in f and bare is not None:  # the builds are measured with the bare run as their unit
        hundred = f["builds"][f"100x{cores}"]["seconds"]
        floor_100 = f["floor_100_seconds"]
        add((f"100 articles ×3 on {cores} cores ≤ 1.2× the floor (WeasyPrint alone, same run)",
             f"{hundred:.1f} s vs {floor_100:.1f} s (×{hundred / floor_100:.2f})", "≤ ×1.20",
             hundred <= 1.2 * floor_100))
        add(("the floor of 100 articles ≤ 8 bare weasyprint runs", f"{floor_100 / bare:.1f} runs of {bare:.2f} s; our "
             f"build {hundred / bare:.1f}", "≤ 8", floor_100 <= 8 * bare))
    if "stage_cpu_seconds" in f:
        cover = f["stage_cpu_seconds"]["epub: cover"]
        add(("the cover < 0.03 s (CPU, warm)", f"{cover * 1000:.1f} ms", "< 30 ms", cover < 0.03))
    if "noop_1000_seconds" in f:
        noop = f["noop_1000_seconds"]["build"]
        versus = f" (×{noop / bare:.2f} of a bare weasyprint run)" if bare else ""
        add(("no-op rebuild of 1,000 seeds < 0.5 s", f"{noop:.3f} s{versus}", "< 0.5 s", noop < 0.5))
    if "builds" in f:
        peaks = [b[k] for b in f["builds"].values() for k in ("worker_mib", "main_mib") if b[k]]
        ten, hundred_mib = f["builds"][f"10x{cores}"]["worker_mib"], f["builds"][f"100x{cores}"]["worker_mib"]
        add(("peak memory of any process ≤ 150 MiB at 1, 10 and 100 articles", f"max {max(peaks):.0f} MiB",
             "≤ 150 MiB", max(peaks) <= 150))
        # The bench's own proxy for a worker whose size is bounded (fresh workers every ARTICLES_PER_WORKER
        # articles): its peak at 100 articles against its peak at 10.
        add(("a worker's peak, 10 → 100 articles, +≤10%", f"{ten:.0f} → {hundred_mib:.0f} MiB "
             f"(+{(hundred_mib / ten - 1) * 100:.0f}%)", "+≤10%", hundred_mib <= ten * 1.10))
    if "pdf_ours_vs_weasyprint" in f:
        pdf = f["pdf_ours_vs_weasyprint"]
        add(("our PDF (layout + write) < 10% over the floor", f"×{pdf:.2f}", "< ×1.10", pdf < 1.10))
    if "long" in f:
        long = f["long"]
        # The time a user waits, on the cores a build takes. The goals are the issue's seconds, on the machine it was
        # measured on; where this run measured a bare weasyprint run, they are also given in such runs, the unit
        # the issue states its figures in (`ISSUE_BARE_SECONDS`), so a slower machine is not mistaken for a slower
        # build. A goal is met when either holds; the row says which.
        for label, seconds, mib in (("a 5 MB article", 120, 400), ("20,000 one-word lines", 15, 250)):
            figure = long[label]
            wall, peak = figure["seconds"], figure["kib"] / 1024
            measured = (f"{wall:.1f} s wall ({figure['cpu_seconds']:.1f} s of CPU, load {figure['load'][0]:.1f}), "
                        f"{peak:.0f} MiB")
            goal, met = f"≤ {seconds} s, ≤ {mib} MiB", wall <= seconds
            if bare is not None:
                runs, goal_runs = wall / bare, seconds / ISSUE_BARE_SECONDS
                measured += f"; {runs:.1f} bare runs of {bare:.2f} s"
                goal += f" (or ≤ {goal_runs:.1f} bare runs)"
                met = met or runs <= goal_runs
            add((f"{label}, 3 formats (--max-bytes raised) ≤ {seconds} s and ≤ {mib} MiB", measured, goal,
                 met and peak <= mib))
        # Linear growth, measured in this run: twice the text should take twice the CPU, not more.
        ratio = long["a 5 MB article"]["cpu_seconds"] / long["a 2.5 MB article"]["cpu_seconds"]
        add(("time linear in length: CPU of the 5 MB article / the 2.5 MB one", f"×{ratio:.2f}", "≤ ×2.2",
             ratio <= 2.2))
    if "hostile" in f:
        hostile = f["hostile"].values()
        slowest = max(h["seconds"] for h in hostile)
        largest = max(h["kib"] for h in hostile) / 1024
        add(("every hostile input builds or fails within 60 s and 1 GiB", f"slowest {slowest:.1f} s, largest "
             f"{largest:.0f} MiB", "≤ 60 s, ≤ 1024 MiB",
             slowest <= 60 and largest <= 1024 and all(h["outcome"] != "timeout" for h in hostile)))
    if "parse_corpus" in f:
        parsed = f["parse_corpus"]
        add(("the parser well under a second per article (corpus)", f"mean {parsed['mean'] * 1000:.0f} ms, slowest "
             f"{parsed['max'] * 1000:.0f} ms", "< 100 ms mean, < 1 s slowest",
             parsed["mean"] < 0.1 and parsed["max"] < 1.0))


def markdown(results: Results) -> str:
    m = results.machine
    lines = [f"Machine: {m['cpu']}, nproc {m['nproc']} ({m['usable cores']} usable), Python {m['python']}, "
             f"WeasyPrint {m['weasyprint']}, {m['pandoc']}; {m['os']}.", "",
             "| measure (median) | value | note |", "| --- | --- | --- |"]
    lines += [f"| {what} | {value} | {note} |" for what, value, note in results.rows]
    lines += ["", "| target | measured | goal | met |", "| --- | --- | --- | --- |"]
    lines += [f"| {what} | {value} | {goal} | {'yes' if ok else 'no' if ok is not None else 'n/a'} |"
              for what, value, goal, ok in results.targets]
    return "\n".join(lines) + "\n"


def _save(results: Results, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.md").write_text(markdown(results), encoding="utf-8")
    data = {"machine": results.machine, "figures": results.figures,
            "targets": [{"target": t, "measured": v, "goal": g, "met": ok} for t, v, g, ok in results.targets]}
    (out_dir / "results.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")

