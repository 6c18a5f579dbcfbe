"""Same inputs, same bytes: a build in another process gives byte-identical editions, in every format and
with the print options; the text edition's ASCII variant; a given cover; the accessibility claims."""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image

from pipeline.build.builder import build
from pipeline.model import Document
from pipeline.options import BuildOptions
from pipeline.parse.parser import parse
from pipeline.render.cover import CoverImage, draw_cover
from pipeline.render.epub import accessibility, render_epub
from pipeline.render.text import render_text

from .conftest import ROOT, SEEDS, Built

PRINT_OPTIONS = ["--paper", "6x9", "--bleed", "3mm", "--two-sided", "--pdf-variant", "x-4", "--ascii"]


def _build_in_another_process(dist: Path, *options: str, env: dict[str, str] | None = None) -> dict[str, bytes]:
    result = subprocess.run([sys.executable, "-m", "invoke", "build", "--seeds", str(SEEDS), "--dist", str(dist),
                             *options], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return {p.name: p.read_bytes() for p in sorted(dist.iterdir()) if not p.name.startswith(".")}


def test_another_process_builds_the_same_bytes(built: Built, tmp_path: Path) -> None:
    again = _build_in_another_process(tmp_path / "again")
    first = {p.name: p.read_bytes() for p in sorted(built.dist.iterdir()) if not p.name.startswith(".")}
    assert sorted(again) == sorted(first) and {Path(n).suffix for n in first} == {".epub", ".pdf", ".txt"}
    for name, data in first.items():
        assert again[name] == data, f"{name} differs between two builds"


def test_print_options_build_the_same_bytes_twice(tmp_path: Path) -> None:
    options = BuildOptions.from_strings(paper="6x9", bleed="3mm", two_sided=True, pdf_variant="x-4", ascii=True)
    report = build(SEEDS, tmp_path / "first", options, emit=lambda _line: None)
    assert not report.failed
    first = {p.name: p.read_bytes() for p in sorted((tmp_path / "first").iterdir()) if not p.name.startswith(".")}
    again = _build_in_another_process(tmp_path / "again", *PRINT_OPTIONS)
    assert again == first


def test_source_date_epoch_sets_the_modified_stamp(seed_doc: Document, tmp_path: Path) -> None:
    book = tmp_path / "b.epub"
    book.write_bytes(render_epub(seed_doc, source_date_epoch=1_700_000_000))
    with zipfile.ZipFile(book) as z:
        assert b'<meta property="dcterms:modified">2023-11-14T22:13:20Z</meta>' in z.read("EPUB/content.opf")


def test_ascii_text_edition(seed_doc: Document) -> None:
    text = render_text(seed_doc, ascii=True).decode("ascii")  # raises on anything beyond ASCII
    assert 'Suitability of "Vietnam Model"' in text
    assert all(len(line) <= 72 for line in text.splitlines())
    french = parse("L’été à Paris\n\nPar Élodie Brûlé\n\n12 février 2020\n\nUn café « crème » — très bon.\n",
                   language="fr")
    out = render_text(french, ascii=True).decode("ascii")
    assert "L'ete a Paris" in out and "Elodie Brule" in out and "fevrier" in out and "- tres bon" in out


def test_a_given_cover_is_used_instead(seed_doc: Document, tmp_path: Path) -> None:
    jpeg = io.BytesIO()
    Image.new("RGB", (1600, 2560), (10, 80, 160)).save(jpeg, format="JPEG")
    book = tmp_path / "c.epub"
    book.write_bytes(render_epub(seed_doc, cover=CoverImage(jpeg.getvalue(), "image/jpeg", "A blue field")))
    with zipfile.ZipFile(book) as z:
        names = z.namelist()
        assert "EPUB/images/cover.jpg" in names and "EPUB/images/cover.png" not in names
        assert z.read("EPUB/images/cover.jpg") == jpeg.getvalue()
        assert b'alt="A blue field"' in z.read("EPUB/cover.xhtml")
        assert b'media-type="image/jpeg" properties="cover-image"' in z.read("EPUB/content.opf")
    with pytest.raises(ValueError):
        CoverImage(b"GIF89a", "image/gif")


def test_the_drawn_cover_depends_on_the_article(seed_doc: Document) -> None:
    cover = draw_cover(seed_doc)
    assert cover == draw_cover(seed_doc)  # same bytes every time
    other = parse("Another Headline Entirely\n\nBy Ann Lee\n\nThe only paragraph of the story.\n")
    assert draw_cover(other).data != cover.data
    assert cover.alt == f"Cover: {seed_doc.meta.title}, by Stephen R. Nagy"


@pytest.mark.parametrize("deflater", ["zlib-ng", "zlib"])
def test_the_covers_png_is_the_file_pillow_writes_with_either_deflater(deflater: str,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # The cover's PNG is written by `palette_png` (its pixels deflated by zlib-ng, or zlib without it): byte for
    # byte the file Pillow's own PNG writer makes of the same palette image with the same settings, on an image
    # with runs, noise and every index, taller than one IDAT chunk's worth and not a whole number of bands.
    from pipeline.render import cover

    if deflater == "zlib":
        monkeypatch.setattr(cover, "_deflate", zlib)
    rows = random.Random(7)
    width, height = 999, 1103
    pixels = bytes(rows.choice((0, 0, 0, rows.randrange(256))) for _ in range(width * height))
    indices = Image.frombytes("L", (width, height), pixels)
    palette = [rows.randrange(256) for _ in range(768)]
    expected = io.BytesIO()
    paletted = indices.copy()
    paletted.putpalette(palette)
    paletted.save(expected, format="PNG", compress_level=6, compress_type=zlib.Z_RLE)
    assert cover.palette_png(indices, palette) == expected.getvalue()


def test_accessibility_claims_follow_the_images() -> None:
    doc = parse("Headline\n\nThe only paragraph of the story.\n")
    text_only = accessibility(doc, image_alts=[], pages=False)
    assert text_only.access_modes == ("textual",) and text_only.sufficient == ("textual",)
    assert "alternativeText" not in text_only.features and text_only.conforms
    missing = accessibility(doc, image_alts=["Cover", None], pages=True)
    assert missing.access_modes == ("textual", "visual") and missing.sufficient == ("textual,visual",)
    assert "alternativeText" not in missing.features and not missing.conforms
    assert {"printPageNumbers", "pageBreakMarkers", "pageNavigation"} <= set(missing.features)
    assert "does not meet" in missing.summary
    described = accessibility(doc, image_alts=["Cover", "A train leaving"], pages=False)
    assert "alternativeText" in described.features and described.conforms
    assert "printPageNumbers" not in described.features


def test_pdfs_built_at_different_times_are_identical_without_source_date_epoch(tmp_path: Path) -> None:
    # Font subsets carry a `head.modified` stamp: it must come from the article, not from the clock.
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    first = _build_in_another_process(tmp_path / "first", "--formats", "pdf", env=env)
    time.sleep(1.5)
    again = _build_in_another_process(tmp_path / "again", "--formats", "pdf", env=env)
    assert first == again
