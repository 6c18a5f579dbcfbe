"""The benchmark's generated articles are real, distinct articles (the timings themselves are `invoke bench`'s)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.harness import SEED, Results, hostile_inputs, markdown, run, short_article, variant
from pipeline.build.builder import build
from pipeline.build.workers import load_bytes
from pipeline.options import BuildOptions


def test_generated_articles_parse_and_differ() -> None:
    text = SEED.read_text(encoding="utf-8")
    docs = [load_bytes(f"v{n}.txt", variant(text, n).encode(), BuildOptions()) for n in range(3)]
    docs += [load_bytes(f"s{n}.txt", short_article(n).encode(), BuildOptions(strict=True)) for n in range(3)]
    assert len({d.meta.title for d in docs}) == len(docs)
    assert all(d.meta.authors and d.meta.date and d.paragraphs for d in docs)
    assert len(docs[0].paragraphs) == len(load_bytes("seed.txt", text.encode(), BuildOptions()).paragraphs)


def test_results_table_lists_measures_and_targets() -> None:
    results = Results({"cpu": "X", "nproc": "2", "usable cores": "2", "python": "3.11", "weasyprint": "70",
                       "pandoc": "none", "os": "Linux"})
    results.rows.append(("no-op", "0.1 s", ""))
    results.targets.append(("no-op < 0.5 s", "0.1 s", "< 0.5 s", True))
    table = markdown(results)
    assert "| no-op | 0.1 s |  |" in table and "| no-op < 0.5 s | 0.1 s | < 0.5 s | yes |" in table


EXPECTED_OUTCOMES = {
    "`<div>` × 2,000 on one line (10 KB)": "E108",
    "`<div>` × 4,000 on one line (20 KB)": "E108",
    "200 lines, each with a 1,000-character run (200 kB)": "E108",
    "20 lines, each with a 1,000-character run (20 kB)": "E108",
    "5 lines, each with a 1,000-character run (the limits)": "built",
    "50,000 one-word paragraphs (539 KB)": "E108",
    "24,990 one-word paragraphs (under the 25,000 limit)": "built",
    "a first line of 40,000 words": "E108",
    "a sidecar title of 40,000 words": "E120",
    "a sidecar title of 500 characters (the limit)": "built",
    "a 20000 × 20000 PNG bomb as a sidecar image": "E120",
}


def test_the_bench_hostile_inputs_are_refused_or_pass_as_intended(tmp_path: Path) -> None:
    # What each pathological input becomes (the bench times all three formats; the text edition is enough here).
    outcomes = {}
    for n, case in enumerate(hostile_inputs()):
        seeds = tmp_path / f"case-{n}"
        seeds.mkdir()
        (seeds / "seed.txt").write_bytes(case.seed)
        if case.sidecar is not None:
            (seeds / "seed.toml").write_text(case.sidecar, encoding="utf-8")
        if case.image is not None:
            (seeds / "image.png").write_bytes(case.image)
        report = build(seeds, tmp_path / f"out-{n}", BuildOptions(formats=("txt",)), emit=lambda _l: None, jobs=1)
        outcomes[case.label] = " ".join(r.error.code for r in report.failed if r.error) or "built"
    assert outcomes == EXPECTED_OUTCOMES


def test_the_bench_refuses_a_measure_it_does_not_have(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown measures"):
        run(tmp_path, only=("cold", "speed"))
