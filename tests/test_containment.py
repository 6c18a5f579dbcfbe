"""The probes of issue 9, one test each: reads stay inside their folders, hostile inputs get one coded line and a
bounded refusal, images are checked, options validated, Ctrl-C and odd file names end cleanly."""

from __future__ import annotations

import os
import shutil
import signal
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image

from pipeline.build.builder import build, inspect
from pipeline.build.collection import read_manifest
from pipeline.build.state import STATE_FILE
from pipeline.errors import ConfigError, SeedError
from pipeline.options import BuildOptions
from pipeline.read.files import Refused, read_within

from .conftest import ROOT, SEED

TXT = BuildOptions(formats=("txt",))


def _invoke(*args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, check=False)


def _lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return (result.stdout + result.stderr).strip().splitlines()


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.is_symlink()}


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A seeds folder holding the real seed, an empty dist beside it, and a secret outside both."""
    seeds, dist = tmp_path / "seeds", tmp_path / "dist"
    seeds.mkdir()
    shutil.copy(SEED, seeds / "story.txt")
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"SECRET-BYTES")
    return seeds, dist, secret


def _png(path: Path, size: tuple[int, int] = (8, 8)) -> Path:
    Image.new("RGB", size, (200, 30, 30)).save(path, format="PNG")
    return path


def _png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` x `height` pixels: what a decompression bomb looks like to a reader."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


# --- reads outside the seed's folder ------------------------------------------------------------------------------


def test_a_sidecar_naming_a_file_outside_is_refused_naming_the_sidecar(layout: tuple[Path, Path, Path]) -> None:
    seeds, dist, secret = layout
    (seeds / "story.toml").write_text(f'[[photos]]\ncaption = "A"\nimage = "{secret}"\n', encoding="utf-8")
    result = _invoke("build", "--seeds", str(seeds), "--dist", str(dist), "--formats", "txt")
    assert result.returncode == 2
    errors = [line for line in _lines(result) if line.startswith("error:")]
    assert errors == [f"error: {seeds / 'story.toml'}: E120 sidecar line 3, key `photos.image`: '{secret}' is "
                      f"outside {seeds}"]
    assert not dist.exists() or _snapshot(dist) == {}


def test_a_seed_linking_out_of_its_folder_is_refused_and_not_published(layout: tuple[Path, Path, Path]) -> None:
    seeds, dist, _secret = layout
    outside = seeds.parent / "passwd"
    shutil.copy(SEED, outside)
    (seeds / "passwd.txt").symlink_to(outside)
    result = _invoke("build", "--seeds", str(seeds), "--dist", str(dist), "--formats", "txt")
    assert result.returncode == 2
    assert f"error: {seeds / 'passwd.txt'}: E106 the file is a link leading outside {seeds}" in _lines(result)
    assert sorted(p.name for p in dist.iterdir()) == [STATE_FILE, "story.txt"]


def test_a_link_inside_the_folder_is_still_followed(layout: tuple[Path, Path, Path]) -> None:
    seeds, dist, _secret = layout
    (seeds / "alias.txt").symlink_to(seeds / "story.txt")
    assert not build(seeds, dist, TXT, emit=lambda _l: None).failed
    assert (dist / "alias.txt").read_bytes() == (dist / "story.txt").read_bytes()


def test_a_collection_listing_files_outside_its_folders_reads_none_of_them(tmp_path: Path) -> None:
    home = tmp_path / "issue"
    home.mkdir()
    shutil.copy(SEED, home / "story.txt")
    shutil.copy(SEED, tmp_path / "outside.txt")
    manifest = home / "collection.toml"
    manifest.write_text('title = "T"\nseeds = ["story.txt", "/etc/passwd", "../outside.txt"]\n', encoding="utf-8")
    with pytest.raises(SeedError) as caught:
        read_manifest(manifest, TXT, seeds_dir=tmp_path / "seeds", emit=lambda _l: None)
    message = str(caught.value)
    assert message.startswith(f"{manifest}: E130 ")
    assert "/etc/passwd: E106 the file is outside" in message
    assert f"{home / '../outside.txt'}: E106 the file is outside" in message


def test_a_collection_cover_linking_to_a_secret_is_refused(tmp_path: Path) -> None:
    home = tmp_path / "issue"
    home.mkdir()
    shutil.copy(SEED, home / "story.txt")
    _png(tmp_path / "secret.png")
    (home / "cover.png").symlink_to(tmp_path / "secret.png")
    manifest = home / "collection.toml"
    manifest.write_text('title = "T"\ncover = "cover.png"\nseeds = ["story.txt"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        read_manifest(manifest, TXT, emit=lambda _l: None)
    assert str(caught.value) == f"{manifest}: E200 the cover 'cover.png' is a link leading outside {home}"


def test_a_collection_listing_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    home = tmp_path / "issue"
    home.mkdir()
    shutil.copy(SEED, home / "story.txt")
    os.mkfifo(home / "pipe.txt")
    manifest = home / "collection.toml"
    manifest.write_text('title = "T"\nseeds = ["story.txt", "pipe.txt"]\n', encoding="utf-8")
    result = _invoke("collection", str(manifest), "--dist", str(tmp_path / "dist"), "--formats", "txt", timeout=60)
    assert result.returncode == 2
    assert _lines(result) == [f"error: {manifest}: E130 {home / 'pipe.txt'}: E106 the file is not a regular file "
                              "(a folder, device, FIFO or socket)"]
    assert not (tmp_path / "dist").exists()


@pytest.mark.parametrize("device", ["/dev/zero", "FIFO"])
def test_inspect_of_a_device_or_fifo_is_refused_at_once(tmp_path: Path, device: str) -> None:
    if device == "FIFO":
        os.mkfifo(tmp_path / "pipe.txt")
        device = str(tmp_path / "pipe.txt")
    # The timeout only guards against a hang; the refusal comes before any byte is read.
    result = _invoke("inspect", device, timeout=60)
    assert result.returncode == 2
    assert _lines(result) == [f"error: {device}: E106 the file is not a regular file (a folder, device, FIFO or "
                              "socket)"]


def test_the_size_comes_from_the_open_descriptor_and_reading_stops_at_the_limit(tmp_path: Path) -> None:
    sparse = tmp_path / "huge.png"
    with sparse.open("wb") as out:
        out.truncate(1_500_000_000)  # 1.5 GB on paper, no block on disk
    with pytest.raises(Refused) as caught:
        read_within(sparse, (tmp_path,), 20 * 2**20)
    assert caught.value.too_large and caught.value.reason == "is 1,500,000,000 bytes, over the limit of 20,971,520"


# --- crashes and clean exits ----------------------------------------------------------------------------------------


def test_an_undecodable_file_name_is_one_line_and_the_others_build(layout: tuple[Path, Path, Path]) -> None:
    seeds, dist, _secret = layout
    shutil.copy(SEED, os.path.join(os.fsencode(seeds), b"caf\xe9.txt"))
    result = _invoke("build", "--seeds", str(seeds), "--dist", str(dist), "--formats", "txt")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert [line for line in _lines(result) if line.startswith("error:")] == [
        f"error: {seeds}/caf\\xe9.txt: E106 its name is not valid UTF-8, so no edition can be named after it; "
        "rename it"]
    assert sorted(p.name for p in dist.iterdir()) == [STATE_FILE, "story.txt"]


def test_a_newline_in_a_file_name_stays_on_one_line(layout: tuple[Path, Path, Path]) -> None:
    seeds, dist, _secret = layout
    (seeds / "two\nlines.txt").write_bytes(b"")
    result = _invoke("build", "--seeds", str(seeds), "--dist", str(dist), "--formats", "txt")
    assert result.returncode == 2
    assert f"error: {seeds}/two\\nlines.txt: E101 the file is empty" in _lines(result)


def test_an_unreadable_sidecar_is_reported_as_the_sidecar(layout: tuple[Path, Path, Path]) -> None:
    seeds, dist, _secret = layout
    (seeds / "story.toml").mkdir()
    result = _invoke("build", "--seeds", str(seeds), "--dist", str(dist), "--formats", "txt")
    assert result.returncode == 2
    assert [line for line in _lines(result) if line.startswith("error:")] == [
        f"error: {seeds / 'story.toml'}: E120 the sidecar is not a regular file (a folder, device, FIFO or socket)"]


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--jobs", "abc", "error: E200 --jobs 'abc' is not a positive whole number"),
    ("--jobs", "-2", "error: E200 --jobs '-2' is not a positive whole number"),
    ("--language", "../../etc", "error: E200 --language '../../etc' is not a language tag such as en, fr or pt-BR"),
    ("--language", "xx-YY", "error: E200 --language 'xx-YY' is not a language tag such as en, fr or pt-BR"),
])
def test_bad_option_values_are_one_line(layout: tuple[Path, Path, Path], option: str, value: str,
                                        message: str) -> None:
    seeds, dist, _secret = layout
    result = _invoke("build", "--seeds", str(seeds), "--dist", str(dist), "--formats", "txt", option, value)
    assert result.returncode == 3
    assert _lines(result) == [message]
    assert not dist.exists()


def test_a_valid_language_tag_is_accepted(layout: tuple[Path, Path, Path]) -> None:
    seeds, dist, _secret = layout
    options = BuildOptions.from_strings(formats="txt", language="pt-BR")
    assert not build(seeds, dist, options, emit=lambda _l: None).failed


def test_ctrl_c_is_one_line_exit_130_and_nothing_partial(tmp_path: Path) -> None:
    seeds, dist = tmp_path / "seeds", tmp_path / "dist"
    seeds.mkdir()
    for n in range(6):
        text = SEED.read_text(encoding="utf-8").replace("\n", f" {n}\n", 1)
        (seeds / f"story-{n}.txt").write_text(text, encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "invoke", "build", "--seeds", str(seeds), "--dist", str(dist),
                                "--formats", "epub,pdf", "--jobs", "2"], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    assert process.stdout is not None
    # Interrupt as a terminal does (the whole process group) once the first article is written.
    for line in process.stdout:
        if line.startswith("built "):
            break
    os.killpg(process.pid, signal.SIGINT)
    rest, errors = process.communicate(timeout=120)
    assert process.returncode == 130
    lines = (rest + errors).strip().splitlines()
    assert "Traceback" not in errors
    written = sorted(p.name for p in dist.iterdir() if p.name != STATE_FILE)
    assert lines[-1] == f"interrupted; {len(written)} editions written, nothing partial left"
    assert [line for line in errors.splitlines() if line.strip()] == [lines[-1]]
    assert not [p for p in dist.iterdir() if p.name.endswith(".part")]
    for name in written:
        if name.endswith(".epub"):
            assert zipfile.ZipFile(dist / name).testzip() is None
        else:
            assert (dist / name).read_bytes().rstrip().endswith(b"%%EOF")


# --- bounded work ---------------------------------------------------------------------------------------------------


def _seed_with(body: str) -> bytes:
    return f"A headline\n\nBy Ann Lee\n\nFebruary 25, 2019\n\n{body}\n\nA last paragraph.\n".encode()


@pytest.mark.parametrize(("body", "message"), [
    ("<div>" * 2000, "E108 line 7 holds more than 1,000 characters without a space; split it (a long URL or a run "
                     "of markup)"),
    ("\n\n".join(["word"] * 50_000), "E108 the file has 50,004 lines of text; at most 25,000 are allowed"),
    (" ".join(["word"] * 40_000), "E108 line 7 is 199,999 characters long; at most 100,000 are allowed"),
])
def test_pathological_seeds_are_refused_before_parsing(tmp_path: Path, body: str, message: str) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "bad.txt").write_bytes(_seed_with(body))
    report = build(seeds, tmp_path / "dist", TXT, emit=lambda _l: None)
    assert [str(r.error) for r in report.failed] == [f"{seeds / 'bad.txt'}: {message}"]


def test_a_sidecar_title_of_forty_thousand_words_is_refused(layout: tuple[Path, Path, Path]) -> None:
    seeds, dist, _secret = layout
    title = " ".join(["word"] * 40_000)
    (seeds / "story.toml").write_text(f'title = "{title}"\n', encoding="utf-8")
    report = build(seeds, dist, TXT, emit=lambda _l: None)
    assert [str(r.error) for r in report.failed] == [
        f"{seeds / 'story.toml'}: E120 sidecar line 1, key `title`: is 199,999 characters long; at most 500 are "
        "allowed"]


# --- images ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content", "problem"), [
    ("text.png", b"just some text\n", "is not an image (only JPEG, PNG, GIF and WebP are; SVG is refused)"),
    ("empty.png", b"", "is not an image (only JPEG, PNG, GIF and WebP are; SVG is refused)"),
    ("drawing.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
     "is not an image (only JPEG, PNG, GIF and WebP are; SVG is refused)"),
    ("bomb.png", _png_header(20_000, 20_000), "has more than 40 million pixels"),
    ("large.png", _png_header(9_000, 9_000), "is 9000 x 9000 pixels; at most 40 million pixels are allowed"),
    ("photo.jpg", None, "holds a PNG image under another type's name; rename it"),
])
def test_sidecar_images_are_checked_by_content(layout: tuple[Path, Path, Path], name: str, content: bytes | None,
                                               problem: str) -> None:
    seeds, dist, _secret = layout
    if content is None:
        _png(seeds / name)
    else:
        (seeds / name).write_bytes(content)
    (seeds / "story.toml").write_text(f'[[photos]]\ncaption = "A"\nimage = "{name}"\n', encoding="utf-8")
    report = build(seeds, dist, TXT, emit=lambda _l: None)
    assert [str(r.error) for r in report.failed] == [
        f"{seeds / 'story.toml'}: E120 sidecar line 3, key `photos.image`: '{name}' {problem}"]


def test_an_oversize_sidecar_cover_is_refused_not_ignored(layout: tuple[Path, Path, Path]) -> None:
    seeds, dist, _secret = layout
    with (seeds / "cover.png").open("wb") as out:
        out.truncate(25 * 2**20)
    (seeds / "story.toml").write_text('cover = "cover.png"\n', encoding="utf-8")
    report = build(seeds, dist, TXT, emit=lambda _l: None)
    assert [str(r.error) for r in report.failed] == [
        f"{seeds / 'story.toml'}: E120 sidecar line 1, key `cover`: 'cover.png' is larger than 20 MiB"]


def test_a_sidecar_cover_is_used(layout: tuple[Path, Path, Path]) -> None:
    seeds, dist, _secret = layout
    cover = _png(seeds / "cover.png", (160, 256))
    (seeds / "story.toml").write_text('cover = "cover.png"\n', encoding="utf-8")
    assert not build(seeds, dist, BuildOptions(formats=("epub",)), emit=lambda _l: None).failed
    with zipfile.ZipFile(dist / "story.epub") as book:
        assert book.read("EPUB/images/cover.png") == cover.read_bytes()


# --- manifests ------------------------------------------------------------------------------------------------------


def test_unknown_manifest_keys_warn_and_fail_under_strict(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "story.txt")
    manifest = tmp_path / "collection.toml"
    manifest.write_text('title = "T"\ntitel = "typo"\nseeds = ["story.txt"]\n', encoding="utf-8")
    lines: list[str] = []
    read_manifest(manifest, TXT, emit=lines.append)
    known = "cover, date, editor, language, name, publisher, seeds, subtitle, title"
    assert lines == [f"warning: {manifest}: W120 unknown key 'titel'; known keys: {known}"]
    with pytest.raises(ConfigError) as caught:
        read_manifest(manifest, BuildOptions(formats=("txt",), strict=True), emit=lines.append)
    assert str(caught.value) == f"{manifest}: E200 --strict: unknown key 'titel'; known keys: {known}"


def test_inspect_refuses_a_seed_linking_out_of_its_folder(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "seed.txt").symlink_to(SEED)
    with pytest.raises(SeedError) as caught:
        inspect(tmp_path / "in" / "seed.txt", TXT)
    assert str(caught.value) == f"{tmp_path / 'in' / 'seed.txt'}: E106 the file is a link leading outside " \
                                f"{tmp_path / 'in'}"
