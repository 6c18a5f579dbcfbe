"""`invoke check`: every edition of a folder validated, one line each, a report written; broken files named."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import zipfile
from pathlib import Path

import pikepdf
from lxml import html as lxml_html

from pipeline.build.builder import build
from pipeline.check.accounting import dropped_lines, fold
from pipeline.check.editions import EXIT_FAILED
from pipeline.options import BuildOptions

from .conftest import ROOT, SEED, SEEDS, Built, Run, run_check


def test_check_passes_the_seeds_editions(checked_seed: tuple[Path, Run]) -> None:
    dist, result = checked_seed
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    verdicts = [line for line in lines if line.startswith(("ok ", "FAIL"))]
    stem = SEED.stem
    assert [v.split()[:2] for v in verdicts] == [["ok", f"{stem}.epub"], ["ok", f"{stem}.pdf"], ["ok", f"{stem}.txt"]]
    assert "EPUBCheck: valid" in verdicts[0] and "Ace: no violation" in verdicts[0]
    assert "PDF: PDF/UA-1" in verdicts[1] and "layout: no fault (a4)" in verdicts[1]
    assert "3 passed, 0 failed" in lines
    assert "warning" not in result.stdout + result.stderr
    assert (dist / "report.html").is_file()


def _broken_epub(source: Path, target: Path) -> None:
    """The book without its cover image, which its manifest still lists."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            if not item.filename.endswith("cover.png"):
                new.writestr(item, old.read(item.filename))


def _broken_pdf(source: Path, target: Path) -> None:
    """The PDF without its XMP metadata and with its first font no longer embedded."""
    with pikepdf.open(source) as pdf:
        del pdf.Root["/Metadata"]
        for page in pdf.pages:
            for font in (page.obj.Resources.get("/Font") or {}).values():
                target_font = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                descriptor = target_font.get("/FontDescriptor")
                if descriptor is not None and "/FontFile2" in descriptor:
                    del descriptor["/FontFile2"]
                    break
        pdf.save(target)


def test_check_names_the_problems_of_a_broken_epub_and_pdf(built: Built, tmp_path: Path) -> None:
    _broken_epub(built.epub, tmp_path / "broken.epub")
    _broken_pdf(built.pdf, tmp_path / "broken.pdf")
    result = run_check("--dist", str(tmp_path), "--seeds", str(tmp_path), "--no-ace")
    assert result.returncode == EXIT_FAILED, result.stdout + result.stderr
    out = result.stdout
    assert "FAIL  broken.epub  EPUBCheck:" in out
    assert "C101 ERROR(RSC-001)" in out and "images/cover.png" in out
    assert re.search(r"^FAIL  broken\.pdf  PDF: \d+ problems$", out, re.M)
    assert "C103 no XMP metadata stream in the catalog" in out
    assert "is not embedded" in out
    assert "0 passed, 2 failed" in out
    report = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "RSC-001" in report and "is not embedded" in report and "W206 seed" in report


def test_check_says_what_is_missing_and_checks_the_rest(built: Built, tmp_path: Path) -> None:
    """Without Java, Node, MuPDF or Poppler on the PATH: each missing tool is named with its package, the PDF
    checks still run."""
    dist = tmp_path / "dist"
    shutil.copytree(built.dist, dist)
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PUPPETEER_EXECUTABLE_PATH"} | {"PATH": str(empty)}
    result = run_check("--dist", str(dist), "--seeds", str(SEEDS), env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout + result.stderr
    assert "W201 EPUBCheck not run: Java is not installed" in out and "apt-get install default-jre-headless" in out
    assert "W203 DAISY Ace not run" in out and "npm ci --prefix tools/ace" in out
    assert "PDF: PDF/UA-1" in out and "3 passed, 0 failed" in out
    report = (dist / "report.html").read_text(encoding="utf-8")
    assert "W208 no EPUB screens: MuPDF is not installed" in report and "W209 no PDF pages" in report


def test_check_refuses_a_missing_folder(tmp_path: Path) -> None:
    result = run_check("--dist", str(tmp_path / "nowhere"))
    assert result.returncode == 3 and "E200" in result.stderr


def test_the_seeds_dropped_lines_are_accounted_for(seed_doc: object) -> None:
    """The repeated headline, the counter beside the date and the comment form: each listed, with a reason."""
    from pipeline.model import Document

    assert isinstance(seed_doc, Document)
    lines = SEED.read_text(encoding="utf-8").splitlines()
    dropped = {d.line: d for d in dropped_lines(seed_doc, lines)}
    assert sorted(dropped) == [5, 7, 59, 61]
    assert fold(dropped[5].text) == fold(seed_doc.title) and "headline printed a second time" in dropped[5].why()
    assert "0 comments" in dropped[7].text and "date line" in dropped[7].why()
    assert "trailing matter" in dropped[59].why() and any(r.code == "I020" for r in dropped[59].reasons)
    assert "trailing matter" in dropped[61].why()



def test_notes_wrapped_quotations_and_dates_in_native_digits_are_no_unexplained_drops() -> None:
    """A wrapped note's `¹` line, a wrapped quotation's first and last lines (their marks are not in the tree) and
    a date written in Devanagari digits are no lines the parser lost without a word."""
    from pipeline.parse.parser import parse

    hi = "गाँव की बस मार्च से बंद है और बच्चे अब रोज़ चार किलोमीटर पैदल चलकर स्कूल जाते हैं, {} ने बताया।"
    texts = [
        "\n\n".join(["गाँव की बस बंद", "आशा राव\n१२ मार्च २०२४", hi.format("सरपंच"), hi.format("शिक्षक")]),
        "\n\n".join([
            "The bus that stopped", "By Asha Rao\nMarch 12, 2024",
            "The village bus stopped running in March, and the children now walk\nfour kilometres to school every "
            "morning, whatever the weather.¹",
            "“We asked for one bus a day, in the afternoon, and nobody has\nanswered us since the winter began. We "
            "will ask again.”\n— Mira Das, head teacher",
            "The council says the route lost money for ten years and that a\nsmaller bus may come back in the "
            "autumn, if the budget allows it.",
            "¹ From the bus company's own count of passengers on the route, made\nin the spring of 2023 over four "
            "weeks."])]
    for text in texts:
        doc = parse(text + "\n")
        assert doc.meta.date == dt.date(2024, 3, 12)
        assert [d.text for d in dropped_lines(doc, text.splitlines()) if d.why().startswith("not in the tree")] == []


HOSTILE = """<script>alert("seed")</script> & the <b>Headline</b>
By Eve <img src=x onerror=alert(1)>
March 3, 2021 | <iframe src="https://example.com"></iframe>

The body talks of <a href="javascript:alert(2)">links</a> and </td></table> closers.

<script src="https://example.com/x.js"></script>
"""


def test_the_report_escapes_the_seeds_text(tmp_path: Path) -> None:
    """Seed text that looks like markup is shown as text: the report has no script, frame or remote image."""
    seeds, dist = tmp_path / "seeds", tmp_path / "dist"
    seeds.mkdir()
    (seeds / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    report = build(seeds, dist, BuildOptions(formats=("epub",)), emit=lambda _line: None)
    assert not report.failed
    result = run_check("--dist", str(dist), "--seeds", str(seeds), "--no-ace")
    page = lxml_html.fromstring((dist / "report.html").read_bytes())
    assert page.xpath("//script | //iframe | //*[@onerror] | //a[starts-with(@href, 'javascript')]") == []
    assert all(src.startswith("data:image/") for src in page.xpath("//img/@src")), result.stdout
    text = page.text_content()
    assert '<script>alert("seed")</script> & the <b>Headline</b>' in text  # the title, shown as it is
    assert "Eve <img src=x onerror=alert(1)>" in text


def test_ci_runs_exactly_the_readmes_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme[readme.index("## Set-up and use"):readme.index("### System packages")]
    commands = re.findall(r"```sh\n(.*?)\n```", setup, re.S)
    assert len(commands) == 2 and commands[0].startswith("sudo apt-get update && sudo apt-get install")
    ci = [line for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
          if line.startswith("sudo ")]
    assert ci == commands
