"""Property test: in random folder layouts (dist inside, beside, above or equal to the seeds; links; colliding
names; the user's own files in dist), `build` and `clean` never change or remove a file the user had."""

from __future__ import annotations

import contextlib
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.build.builder import build, clean
from pipeline.errors import PipelineError
from pipeline.options import BuildOptions

from .conftest import SEED

ARTICLE = SEED.read_bytes()
# Seed names that collide once made safe or folded (`a:b` and `a_b`; NFC and NFD; case), and a reserved name.
SEED_NAMES = ("story.txt", "Story.txt", "a:b.txt", "a_b.txt", unicodedata.normalize("NFC", "café.txt"),
              unicodedata.normalize("NFD", "café.txt"), "con.txt", "other.txt")
# Names a user may keep in dist: some are exactly an edition's name, one looks like an old temporary file.
USER_NAMES = ("NOTES.txt", "story.txt", "story.epub", "a_b.txt", "other.txt", ".notes.txt.v2.part",
              ".story.txt.part", "café.txt")
# Where dist lies relative to the seeds folder `top/seeds`.
DIST_PLACES = ("top/dist", "top/seeds/dist", "top/seeds", "top", "top/seeds/..", "elsewhere/deep/dist")


@dataclass(frozen=True)
class Layout:
    seeds: list[str]
    empty: set[str]
    dist: str
    user: list[str]
    link_in_dist: str | None
    link_in_seeds: bool
    second_build: str
    formats: tuple[str, ...]


layouts = st.builds(
    Layout,
    seeds=st.lists(st.sampled_from(SEED_NAMES), min_size=1, max_size=4, unique=True),
    empty=st.sets(st.sampled_from(SEED_NAMES), max_size=2),
    dist=st.sampled_from(DIST_PLACES),
    user=st.lists(st.sampled_from(USER_NAMES), max_size=4, unique=True),
    link_in_dist=st.sampled_from((None, "story.txt", "other.epub", "a_b.pdf")),
    link_in_seeds=st.booleans(),
    second_build=st.sampled_from(("none", "same", "edited", "force")),
    formats=st.sampled_from((("txt",), ("txt", "epub"))),
)


def _files(root: Path) -> dict[str, bytes | str]:
    """Every file and link under `root`: a file by its bytes, a link by where it points."""
    found: dict[str, bytes | str] = {}
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            found[str(path.relative_to(root))] = os.readlink(path) if path.is_symlink() else path.read_bytes()
    return found


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layouts)
def test_build_and_clean_never_change_or_remove_a_users_file(layout: Layout) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        seeds = root / "top" / "seeds"
        seeds.mkdir(parents=True)
        (root / "elsewhere").mkdir()
        secret = root / "elsewhere" / "secret.txt"
        secret.write_bytes(ARTICLE)
        for name in layout.seeds:
            (seeds / name).write_bytes(b"" if name in layout.empty else ARTICLE)
        dist = root / layout.dist
        dist.mkdir(parents=True, exist_ok=True)
        for name in layout.user:
            if not (dist / name).exists():
                (dist / name).write_bytes(f"the user's own {name}\n".encode())
        if layout.link_in_dist and not os.path.lexists(dist / layout.link_in_dist):
            (dist / layout.link_in_dist).symlink_to(secret)
        if layout.link_in_seeds:
            (seeds / "leak.txt").symlink_to(secret)
        before = _files(root)
        options = BuildOptions(formats=layout.formats)

        def run_build(*, force: bool = False) -> None:
            # A build refused as a whole (dist is the seeds folder) may change nothing either.
            with contextlib.suppress(PipelineError):
                build(seeds, dist, options, emit=lambda _line: None, jobs=1, force=force)

        run_build()
        if layout.second_build == "edited":
            # The user edits a seed: it is theirs, and stays as they left it.
            first = seeds / layout.seeds[0]
            first.write_bytes(ARTICLE.replace(b"\n", b" (edited)\n", 1))
            before[str(first.relative_to(root))] = first.read_bytes()
        if layout.second_build != "none":
            run_build(force=layout.second_build == "force")
        clean(dist)
        after = _files(root)
        for name, content in before.items():
            assert after.get(name) == content, f"{name} was changed or removed"
        # And clean leaves nothing of the build's own behind (no edition, record or temporary), and keeps the folder.
        assert set(after) - set(before) == set()
        assert dist.is_dir()
