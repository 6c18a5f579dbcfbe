"""Sidecar files: metadata laid over the parse, and mistakes reported with the file, line and key."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from pipeline.build.builder import load
from pipeline.errors import SeedError
from pipeline.options import BuildOptions

from .conftest import SEED


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    target = tmp_path / "story.txt"
    shutil.copy(SEED, target)
    return target


def _sidecar(seed: Path, text: str) -> None:
    seed.with_suffix(".toml").write_text(text, encoding="utf-8")


def test_sidecar_overrides_and_adds(seed: Path) -> None:
    _sidecar(seed, 'title = "A Better Title"\nauthors = ["Ann Lee", "Bo Chan"]\ndate = 2020-01-02\n'
                   'language = "en-GB"\npublisher = "Example Press"\nkeywords = ["Korea"]\nrights = "CC BY 4.0"\n')
    doc = load(seed, BuildOptions())
    assert doc.meta.title == "A Better Title"
    assert doc.author_names == ("Ann Lee", "Bo Chan")
    assert doc.meta.date == dt.date(2020, 1, 2)
    assert (doc.meta.language, doc.meta.publisher, doc.meta.keywords, doc.meta.rights) == (
        "en-GB", "Example Press", ("Korea",), "CC BY 4.0")
    assert len(doc.paragraphs) == 22  # the body is still the seed's


@pytest.mark.parametrize(("text", "message"), [
    ('title = "x"\nauthor = "Ann"\n', "line 2, key `author`: unknown key"),
    ('title = "x"\n\ndate = "yesterday"\n', "line 3, key `date`: must be a date"),
    ('keywords = "a", "b"\n', "sidecar is not valid TOML"),
    ('authors = [1, 2]\n', "line 1, key `authors`: must be a list of non-empty strings"),
    ('language = "english please"\n', "line 1, key `language`"),
    ('[[photos]]\ncaption = "A"\nimage = "../../etc/passwd.png"\n',
     "line 3, key `photos.image`: '../../etc/passwd.png' is outside"),
    ('[[photos]]\ncaption = "A"\nimage = "missing.png"\n', "line 3, key `photos.image`: 'missing.png' does not exist"),
    ('[[photos]]\ncaption = "A"\nimage = "notes.txt"\n', "is not a JPEG, PNG, GIF or WebP image"),
])
def test_sidecar_mistakes_name_file_line_and_key(seed: Path, text: str, message: str) -> None:
    (seed.parent / "notes.txt.png").write_bytes(b"")
    _sidecar(seed, text)
    with pytest.raises(SeedError) as caught:
        load(seed, BuildOptions())
    error = str(caught.value)
    assert error.startswith(f"{seed.with_suffix('.toml')}: E120 ")
    assert message in error
    assert "\n" not in error
