"""The benchmark's generated articles are real, distinct articles (the timings themselves are `invoke bench`'s)."""

from __future__ import annotations

from bench.harness import SEED, Results, markdown, short_article, variant
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
