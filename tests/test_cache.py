"""The user's cache of slow-to-load library data: same answers with it or without, whatever state it is in."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from pipeline import cache
from pipeline.read import langmodel

TEXTS = (
    "The council said on Tuesday that the new bridge would open in the spring, but residents are not sure.",
    "Le conseil a annoncé mardi que le nouveau pont ouvrira au printemps, mais les habitants ne sont pas sûrs.",
    "市議会は火曜日、新しい橋が春に開通すると発表したが、住民は確信していない。",
    "Rada ogłosiła we wtorek, że nowy most zostanie otwarty wiosną, ale mieszkańcy nie są tego pewni.",
    "Ok", "",
)


@pytest.fixture(scope="module")
def reference() -> list[tuple[str, float]]:
    """py3langid's own answers, from its own loader."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return [identifier.classify(text) for text in TEXTS]


def _answers() -> list[tuple[str, float]]:
    identifier = langmodel.identifier()
    return [identifier.classify(text) for text in TEXTS]


def _model_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("py3langid-*.model"))


def test_the_model_is_cached_once_then_mapped_with_the_same_answers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: list[tuple[str, float]]) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    assert _answers() == reference  # derived: the cache is written
    (copy,) = _model_files(tmp_path / "cache")
    written = copy.stat().st_mtime_ns
    loads: list[Path] = []
    monkeypatch.setattr("py3langid.modelio.load_model", lambda path: loads.append(path))  # must not be called
    assert _answers() == reference  # mapped
    assert loads == [] and copy.stat().st_mtime_ns == written
    assert not list((tmp_path / "cache").glob(".*.part"))


@pytest.fixture(scope="module")
def derived(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cached copy of the model, made once for the tests that damage copies of it."""
    folder = tmp_path_factory.mktemp("derived")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(cache.CACHE_ENV, str(folder))
        langmodel.identifier()
    (copy,) = _model_files(folder)
    return copy


# The fast lane tries the two kinds of damage no size check could catch; the full suite tries every kind (each
# copies the model, some 0.7 s of CPU).
@pytest.mark.parametrize("damage", ["flipped byte", "link", *(pytest.param(d, marks=pytest.mark.slow) for d in (
    "truncated", "empty", "garbage", "other key", "folder"))])
def test_a_damaged_or_stale_copy_is_never_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, derived: Path,
                                                  damage: str) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    copy = tmp_path / derived.name
    shutil.copyfile(derived, copy)
    _name, expected = langmodel.cached_copy()
    assert cache.read(copy.name, expected) is not None
    data = bytearray(copy.read_bytes())
    if damage == "flipped byte":
        data[len(data) // 2] ^= 0x10  # in the middle of the tables: only the checksum can tell
        copy.write_bytes(data)
    elif damage == "truncated":
        copy.write_bytes(data[: len(data) // 3])
    elif damage == "empty":
        copy.write_bytes(b"")
    elif damage == "garbage":
        copy.write_bytes(os.urandom(4096))
    elif damage == "other key":
        expected = cache.key("another model")
    elif damage == "folder":
        copy.unlink()
        copy.mkdir()
    else:
        copy.unlink()
        copy.symlink_to(derived)  # a link is not followed, even to a good copy
    assert cache.read(copy.name, expected) is None


def test_a_damaged_copy_is_made_again_and_the_answers_stay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           derived: Path, reference: list[tuple[str, float]]) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    copy = tmp_path / derived.name
    data = bytearray(derived.read_bytes())
    data[len(data) // 2] ^= 0x10
    copy.write_bytes(data)
    assert _answers() == reference
    assert copy.read_bytes() == derived.read_bytes()


def test_an_unwritable_or_disabled_cache_changes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: list[tuple[str, float]]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocker / "cache"))  # cannot be created: its parent is a file
    assert _answers() == reference
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    assert cache.folder() is None
    assert _answers() == reference
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_the_cache_folder_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.folder() == tmp_path / "article-pipeline"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # ignored, as the XDG specification says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.folder() == tmp_path / "home" / ".cache" / "article-pipeline"


def test_a_cache_file_round_trips_aligned_payloads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    assert cache.write("x.bin", {"key": "k1", "note": "é"}, [b"abc", b"", bytes(range(200))])
    entry = cache.read("x.bin", "k1")
    assert entry is not None and entry.header["note"] == "é"
    assert all(offset % cache.ALIGN == 0 for offset in entry.header["offsets"])
    first, _second, third = entry.header["offsets"]
    assert bytes(entry.payload[first:first + 3]) == b"abc"
    assert bytes(entry.payload[third:third + 200]) == bytes(range(200))
    assert cache.read("x.bin", "k2") is None and cache.read("missing.bin", "k1") is None


def test_the_digests_of_code_and_assets_from_the_cache_are_the_computed_ones(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.build import state

    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    computed = state.code_and_assets()
    fingerprint = state.assets_fingerprint()
    if fingerprint is None:  # a file of the project changed moments ago: nothing is remembered then
        pytest.skip("the project's files are too fresh to be known by their status")
    real = state.code_and_assets
    calls: list[str] = []

    def counted() -> dict[str, dict[str, str]]:
        calls.append(attempt)
        return real()

    monkeypatch.setattr(state, "code_and_assets", counted)
    for attempt in ("computed, then saved", "from the cache", "another fingerprint"):
        if attempt == "another fingerprint":
            monkeypatch.setattr(state, "assets_fingerprint", lambda: "another")
        assert state.BuildState.load(tmp_path / "no-dist").code_and_assets() == computed
    assert calls == ["computed, then saved", "another fingerprint"]


def _summed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The length of every piece the cache checksums from now on."""
    import zlib

    summed: list[int] = []
    real = zlib.crc32

    def counted(data: Any, value: int = 0) -> int:
        summed.append(len(data))
        return real(data, value)

    monkeypatch.setattr(cache.zlib, "crc32", counted)
    return summed


def _settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let a file written moments ago be vouched for (as one written more than RACY_NS ago would be)."""
    monkeypatch.setattr(cache, "RACY_NS", -(10**18))


def _fresh_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, derived: Path) -> tuple[Path, str]:
    """The model's cached copy in a cache folder of its own, and the key it must carry (skipped without a boot
    identifier: then every copy is checked in full)."""
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    if cache.boot() is None:
        pytest.skip("no boot identifier here: every copy is checked in full")
    copy = tmp_path / derived.name
    shutil.copyfile(derived, copy)
    return copy, langmodel.cached_copy()[1]


def test_a_checked_copy_is_vouched_for_and_not_read_whole_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                derived: Path,
                                                                reference: list[tuple[str, float]]) -> None:
    copy, expected = _fresh_copy(tmp_path, monkeypatch, derived)
    checks = _summed(monkeypatch)
    assert cache.read(copy.name, expected) is not None  # written moments ago: checked, not vouched for
    assert sum(checks) > copy.stat().st_size // 2 and not (tmp_path / f"{copy.name}.verified").exists()
    _settled(monkeypatch)
    assert cache.read(copy.name, expected) is not None  # checked, and vouched for
    assert (tmp_path / f"{copy.name}.verified").exists()
    checks.clear()
    assert cache.read(copy.name, expected) is not None  # vouched for: only the small record is checked
    assert checks and sum(checks) < cache.VOUCHED_BYTES
    assert _answers() == reference


@pytest.mark.parametrize("change", ["flipped byte", "truncated", "replaced", "another boot", "damaged record"])
def test_a_vouched_copy_that_changed_is_checked_in_full_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              derived: Path, change: str) -> None:
    copy, expected = _fresh_copy(tmp_path, monkeypatch, derived)
    _settled(monkeypatch)
    assert cache.read(copy.name, expected) is not None
    record = tmp_path / f"{copy.name}.verified"
    assert record.exists()
    time.sleep(0.05)  # past the clock tick the file system stamps times with
    if change == "flipped byte":  # in place, same size: only the times and the checksum tell
        with copy.open("r+b") as file:
            file.seek(copy.stat().st_size // 2)
            byte = file.read(1)
            file.seek(-1, os.SEEK_CUR)
            file.write(bytes([byte[0] ^ 0x10]))
    elif change == "truncated":
        os.truncate(copy, copy.stat().st_size // 2)
    elif change == "replaced":  # another file renamed over it, damaged in the middle
        data = bytearray(derived.read_bytes())
        data[len(data) // 2] ^= 0x10
        other = tmp_path / "other"
        other.write_bytes(data)
        os.replace(other, copy)
    else:
        # Damaged bytes behind a status that looks unchanged (what a crash can leave: the times and size on disk,
        # the data not): only another boot, or a record that does not hold, tells.
        stat = copy.stat()
        data = bytearray(copy.read_bytes())
        data[len(data) // 2] ^= 0x10
        copy.write_bytes(data)
        monkeypatch.setattr(cache, "_record", lambda name, key, status, crc, boot: {
            "key": cache.key("verified", name, key), "boot": boot, "crc": crc,
            "file": [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]})
        if change == "another boot":
            monkeypatch.setattr(cache, "boot", lambda: "another boot")
        elif change == "damaged record":
            damaged = bytearray(record.read_bytes())
            damaged[-1] ^= 0x01
            record.write_bytes(damaged)
    assert cache.read(copy.name, expected) is None


def test_a_files_checksum_is_remembered_with_its_status(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import zlib

    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    data = tmp_path / "model.bin"
    data.write_bytes(b"model " * 1000)
    assert cache.file_crc(data) == (6000, zlib.crc32(b"model " * 1000))  # just written: not remembered
    assert not list((tmp_path / "cache").glob("file-*.crc"))
    if cache.boot() is None:
        pytest.skip("no boot identifier here: every file is read whole")
    _settled(monkeypatch)
    expected = (6000, zlib.crc32(b"model " * 1000))
    assert cache.file_crc(data) == expected
    with monkeypatch.context() as patch:  # remembered: the file is not read whole again (its small record is)
        summed = _summed(patch)
        assert cache.file_crc(data) == expected
    assert summed and max(summed) < 6000
    time.sleep(0.05)  # past the clock tick the file system stamps times with
    data.write_bytes(b"other " * 1000)  # the same length, other bytes, another status
    assert cache.file_crc(data) == (6000, zlib.crc32(b"other " * 1000))
    # The model's key is what it was when the packaged file was read whole every time.
    import py3langid
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    whole = (Path(MODEL_DIR) / MODEL_FILE).read_bytes()
    assert langmodel.cached_copy()[1] == cache.key("py3langid", getattr(py3langid, "__version__", "?"), len(whole),
                                                   zlib.crc32(whole), langmodel.LAYOUT)
