"""Sealed rendering, safe output names and --strict: what the pipeline refuses to read, write or guess."""

from __future__ import annotations

import socket
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.build.builder import MAX_STEM_BYTES, build, output_path, safe_stem
from pipeline.build.state import STATE_FILE
from pipeline.options import BuildOptions
from pipeline.render.assets import STYLES, FetchRefused, allowed_roots, sealed_fetch
from pipeline.render.pdf import PrintSetup, engine, stylesheets

from .conftest import ROOT, SEED, NetworkUsed, guard

PASSWD = Path("/etc/passwd")


# --- the guard itself catches what it must ------------------------------------------------------------------------


def test_the_guard_sees_file_reads_and_stops_connections() -> None:
    with guard() as activity:
        PASSWD.read_bytes()
        with pytest.raises(NetworkUsed):
            socket.create_connection(("127.0.0.1", 9), timeout=1)
        with pytest.raises(NetworkUsed), socket.socket() as raw:
            raw.connect(("127.0.0.1", 9))
        with pytest.raises(NetworkUsed):
            socket.getaddrinfo("example.org", 80)
    assert PASSWD in activity.opened
    assert len(activity.network) >= 3


# --- the URL fetcher ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "file:///etc/passwd%00.css",  # a NUL byte: refused, not a crash
    STYLES.as_uri() + "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",  # percent-encoded traversal
    "file://evil.example/etc/passwd",  # a file URL naming another host
    "file://localhost/etc/passwd",
    "data:text/css;base64," + "QUFB" * 100_000,  # a large data: URL
    "javascript:alert(1)",
    "//evil.example/x.css",
    "file:///" + "a" * 5000,  # a name too long for the OS
])
def test_the_fetcher_refuses(url: str) -> None:
    with pytest.raises(FetchRefused):
        sealed_fetch(url)


def test_the_fetcher_does_not_follow_links_out_of_its_roots(tmp_path: Path) -> None:
    root = tmp_path / "assets"
    root.mkdir()
    (root / "ok.css").write_text("p {}")
    (root / "escape.css").symlink_to(PASSWD)
    assert sealed_fetch((root / "ok.css").as_uri(), roots=(root,)) == b"p {}"
    with pytest.raises(FetchRefused):
        sealed_fetch((root / "escape.css").as_uri(), roots=(root,))


HOSTILE_HTML = """<!DOCTYPE html><html><head>
<link rel="stylesheet" href="http://127.0.0.1:9/x.css"/>
<link rel="stylesheet" href="file:///etc/passwd"/>
<style>@import url("file:///etc/passwd"); @import url("https://evil.example/a.css");
@font-face { font-family: X; src: url("http://127.0.0.1:9/font.woff"); }
body { background: url("file:///etc/passwd"); font-family: X; }</style>
</head><body>
<img src="file:///etc/passwd"/><img src="https://evil.example/pixel.png"/>
<img src="data:image/svg+xml;base64,PHN2Zy8+"/>
<iframe src="file:///etc/passwd"></iframe><object data="http://127.0.0.1:9/o"></object>
<img src="../../../../../../etc/passwd"/>
<p>text</p></body></html>"""


def test_weasyprint_with_our_fetcher_reads_nothing_but_our_assets() -> None:
    # Were markup ever to slip past the templates' escaping, the renderer still could not reach out.
    from weasyprint import HTML

    fonts, fetcher = engine()
    with guard() as activity:
        pdf = HTML(string=HOSTILE_HTML, base_url=STYLES.as_uri() + "/", url_fetcher=fetcher).write_pdf(
            stylesheets=list(stylesheets(PrintSetup())), font_config=fonts)
    assert pdf.startswith(b"%PDF")
    assert activity.network == []
    assert PASSWD not in {p.resolve() for p in activity.opened}
    roots = allowed_roots()
    served = [url for url in activity.fetched if url.startswith("file:") and any(
        Path(url[len("file://"):]).resolve().is_relative_to(r) for r in roots)]
    refused = [url for url in activity.fetched if url not in served]
    assert any("passwd" in url for url in refused) and any(url.startswith("http") for url in refused)


# --- output names -----------------------------------------------------------------------------------------------------

_WINDOWS_FORBIDDEN = set('<>:"/\\|?*') | {chr(c) for c in range(32)}


def _assert_safe(stem: str) -> None:
    assert stem and stem == unicodedata.normalize("NFC", stem)
    assert not set(stem) & _WINDOWS_FORBIDDEN
    assert stem[-1] not in " ." and not stem.startswith(".")  # Windows drops trailing dots; no hidden outputs
    assert stem.split(".")[0].rstrip(" ").lower() not in {"con", "prn", "aux", "nul", "com1", "lpt1", "com¹"}
    assert len(stem.encode("utf-8")) <= MAX_STEM_BYTES
    # The longest temporary name write_atomic makes for it still fits the 255-byte limit.
    assert len(f".{stem}.epub.apb-abcdefgh.part".encode()) <= 255


@pytest.mark.parametrize(("name", "stem"), [
    ("../../etc/passwd", ".._.._etc_passwd".strip(".")),
    ("a/b\\c:d*e?f\"g<h>i|j", "a_b_c_d_e_f_g_h_i_j"),
    ("con", "_con"), ("CON.tar", "_CON.tar"), ("con .x", "_con .x"), ("com0", "_com0"), ("LPT³", "_LPT³"),
    ("conin$", "_conin$"), ("..", "article"), (" . ", "article"), (".hidden", "hidden"), ("x\x00y\x1bz", "x_y_z"),
    ("e\u0301t\u00e9", "\u00e9t\u00e9"),  # macOS writes names decomposed: outputs get one spelling
])
def test_safe_stem_cases(name: str, stem: str) -> None:
    assert safe_stem(name) == stem
    _assert_safe(safe_stem(name))


def test_long_names_are_cut_on_a_character_boundary() -> None:
    for name in ("x" * 300, "é" * 200, "👨‍👩‍👧‍👦" * 40, "日本語" * 100):
        stem = safe_stem(name)
        _assert_safe(stem)
        assert name.startswith(stem)


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=0, max_size=300))
def test_any_seed_name_gives_a_safe_name_inside_dist(name: str) -> None:
    stem = safe_stem(name)
    _assert_safe(stem)
    dist = Path("/tmp/dist")
    for fmt in ("epub", "pdf", "txt"):
        path = output_path(dist, Path(f"{name.replace('/', '_') or 'x'}.txt"), fmt)
        assert path.parent == dist and len(path.name.encode()) <= 255


def test_hostile_seed_names_build_inside_dist(tmp_path: Path) -> None:
    seeds, dist = tmp_path / "seeds", tmp_path / "dist"
    seeds.mkdir()
    text = SEED.read_bytes()
    names = ["<script>alert(1)<script>.txt", "con.txt", "a:b|c.txt", "..txt", ("日本語" * 27) + ".txt"]
    for name in names:
        (seeds / name).write_bytes(text)
    assert len(names[-1].encode()) == 247  # near the file system's 255-byte limit
    report = build(seeds, dist, BuildOptions(formats=("txt",)), emit=lambda _line: None)
    assert not report.failed
    built = sorted(p.name for p in dist.iterdir() if p.name != STATE_FILE)
    assert len(built) == len(names)
    for name in built:
        assert name.endswith(".txt")
        _assert_safe(name[: -len(".txt")])
    assert "_con.txt" in built and "_script_alert(1)_script_.txt" in built


# --- --strict ------------------------------------------------------------------------------------------------------


def _invoke(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)


def test_strict_refuses_what_the_default_build_warns_about(tmp_path: Path) -> None:
    seeds, dist = tmp_path / "seeds", tmp_path / "dist"
    seeds.mkdir()
    (seeds / "nobyline.txt").write_text("A headline\n\nFebruary 25, 2019\n\nThe only paragraph.\n")
    (seeds / "broken.txt").write_bytes(b"A headline\n\nBy Ann Lee\n\n2019-02-25\n\nCaf\xc3\xa9 \xff au lait.\n")
    strict = _invoke("build", "--seeds", str(seeds), "--dist", str(dist), "--formats", "txt", "--strict")
    assert strict.returncode == 2
    assert [line for line in strict.stdout.splitlines() if line.startswith("error:")] == [
        f"error: {seeds / 'broken.txt'}: E110 --strict: W010 invalid UTF-8 at byte 42; replaced with U+FFFD",
        f"error: {seeds / 'nobyline.txt'}: E110 --strict: W101 no byline found; the article has no author",
    ]
    assert not dist.exists()
    lenient = _invoke("build", "--seeds", str(seeds), "--dist", str(dist), "--formats", "txt")
    assert lenient.returncode == 0
    assert f"{seeds / 'nobyline.txt'}: W101 no byline found; the article has no author" in lenient.stdout
    assert sorted(p.name for p in dist.iterdir() if p.name != STATE_FILE) == ["broken.txt", "nobyline.txt"]
