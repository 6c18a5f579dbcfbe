"""The incremental build's manifest: which input digests each output in `dist/` was last built from."""

from __future__ import annotations

import ast
import contextlib
import hashlib
import json
import os
import re
import stat
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeGuard

from pipeline.build.fsutil import write_atomic, writing_into
from pipeline.errors import SeedError
from pipeline.options import BuildOptions
from pipeline.read.files import Refused, read_within
from pipeline.read.source import seed_bytes
from pipeline.render.assets import FONT_FACES, STYLES, TEMPLATES

#: The manifest's file name inside `dist/`; a dot file, so it is not taken for an edition.
STATE_FILE = ".build-state.json"

#: Bumped whenever the manifest's layout or the meaning of its digests changes: an old manifest is then ignored.
SCHEMA = 1

#: The `pipeline` package's folder: the code digests read its modules from here.
PIPELINE = Path(__file__).resolve().parent.parent

# What each edition is made from besides the seed: templates, styles, fonts, the modules that render it and the
# libraries whose output ends up in its bytes. The shared article markup feeds the EPUB and the PDF, not the text.
FORMAT_TEMPLATES: dict[str, tuple[str, ...]] = {
    "epub": ("shared", "epub"),
    "pdf": ("shared", "pdf"),
    "txt": ("text",),
}
FORMAT_STYLES: dict[str, tuple[str, ...]] = {"epub": ("ebook.css",),
                                             "pdf": ("print.css", "print-small.css", "print-cmyk.css"), "txt": ()}
# The modules a worker runs to make the tree every format starts from, and each format's renderer: the code that
# shapes an edition is what these import, directly or not, found by reading their imports (`code_modules`).
READ_MODULES = ("pipeline.read.source", "pipeline.read.sidecar", "pipeline.parse.parser")
FORMAT_MODULES: dict[str, str] = {"epub": "pipeline.render.epub", "pdf": "pipeline.render.pdf",
                                  "txt": "pipeline.render.text"}
FORMAT_LIBRARIES: dict[str, tuple[str, ...]] = {
    "epub": ("ebooklib", "lxml"),
    "pdf": ("weasyprint", "pydyf", "fonttools", "pyphen", "tinycss2", "cssselect2", "tinyhtml5", "pikepdf"),
    "txt": (),
}
COMMON_LIBRARIES = ("jinja2", "babel")
# Build options that decide every edition's bytes or whether it is made at all (a stricter check may refuse it).
COMMON_OPTIONS = ("language", "strict", "max_bytes")
FORMAT_OPTIONS: dict[str, tuple[str, ...]] = {"epub": ("publisher",),
                                              "pdf": ("paper", "bleed_mm", "two_sided", "pdf_variant"),
                                              "txt": ("ascii",)}


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str:
    return digest(path.read_bytes())


def _tree_digest(paths: list[Path], base: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(paths):
        # The name goes in too: renaming or adding a template is a change even when no byte differs.
        h.update(path.relative_to(base).as_posix().encode() + b"\0" + file_digest(path).encode() + b"\n")
    return h.hexdigest()


def _version(package: str) -> str:
    from importlib import metadata  # a fifth of a no-op build's imports: only the digests below need it

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def _module_file(module: str, root: Path) -> Path | None:
    """The source file of `pipeline.x.y` under `root` (the `pipeline` folder), or None when it is not ours."""
    parts = module.split(".")
    if parts[0] != "pipeline":
        return None
    base = root.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


# An import statement at the start of a line (indented or not), with its parenthesised or continued lines.
_IMPORT = re.compile(rb"^[ \t]*(?:from[ \t]+[\w.]+[ \t]+import[ \t]*(?:\([^)]*\)|(?:[^\n]*\\\n)*[^\n]*)"
                     rb"|import[ \t]+(?:[^\n]*\\\n)*[^\n]*)", re.MULTILINE)


def _imported(path: Path) -> frozenset[str]:
    """Every `pipeline` module `path` imports, at its top or inside a function.

    Only the import statements are parsed, not the whole module: a fifth of the time, on every cold build.
    """
    found: set[str] = set()
    data = path.read_bytes()
    if b"pipeline" not in data:
        return frozenset()
    for match in _IMPORT.finditer(data):
        try:
            tree = ast.parse(match.group(0).strip())
        except (SyntaxError, ValueError):
            continue  # text that only looks like an import (in a string): the file's bytes are digested anyway
        for node in tree.body:
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)  # `from pkg import module`
    return frozenset(name for name in found if name.split(".")[0] == "pipeline")


def code_modules(roots: tuple[str, ...], root: Path | None = None) -> list[Path]:
    """The source files of `roots` and of every `pipeline` module they import, transitively, with the packages'
    `__init__.py` files on the way (Python runs them too)."""
    root = root or PIPELINE
    seen: dict[str, Path] = {}
    todo = list(roots)
    while todo:
        module = todo.pop()
        path = _module_file(module, root)
        if path is None or module in seen:
            continue
        seen[module] = path
        parents = [".".join(module.split(".")[:n]) for n in range(1, module.count(".") + 1)]
        todo.extend([*sorted(_imported(path)), *parents])
    return sorted(set(seen.values()))


def with_data(modules: list[Path]) -> list[Path]:
    """The modules and the data files of their packages (a `data/` folder beside them, such as the labels)."""
    folders = sorted({m.parent / "data" for m in modules if (m.parent / "data").is_dir()})
    return sorted({*modules, *(p for folder in folders for p in folder.rglob("*") if p.is_file())})


@lru_cache(maxsize=1)
def code_and_assets() -> dict[str, dict[str, str]]:
    """Digests of everything besides options that each format depends on, computed once per process."""
    common_code = with_data(code_modules(READ_MODULES, PIPELINE))
    common = {"code": _tree_digest(common_code, PIPELINE),
              "libraries": ",".join(f"{p}={_version(p)}" for p in COMMON_LIBRARIES)}
    out: dict[str, dict[str, str]] = {}
    for fmt in FORMAT_TEMPLATES:
        templates = [p for folder in FORMAT_TEMPLATES[fmt] for p in (TEMPLATES / folder).rglob("*") if p.is_file()]
        parts = {
            **common,
            "format_code": _tree_digest([p for p in with_data(code_modules((FORMAT_MODULES[fmt],), PIPELINE))
                                         if p not in common_code], PIPELINE),
            "templates": _tree_digest(templates, TEMPLATES),
            "styles": _tree_digest([STYLES / n for n in FORMAT_STYLES[fmt]], STYLES),
            "format_libraries": ",".join(f"{p}={_version(p)}" for p in FORMAT_LIBRARIES[fmt]),
        }
        if fmt in ("pdf", "epub"):  # the PDF sets its text in them, the EPUB draws its cover with them
            fonts = [face.path for face in FONT_FACES]
            parts["fonts"] = digest("\n".join(f"{p.name}:{file_digest(p)}" for p in fonts).encode())
        if fmt == "pdf":
            # The system's fallback fonts (tens of MB): their names, sizes and times stand in for their bytes.
            from pipeline.render.fonts import FALLBACKS

            stats = [(f.file, Path(f.file).stat()) for f in FALLBACKS if Path(f.file).is_file()]
            parts["fallback_fonts"] = ";".join(f"{name}:{st.st_size}:{st.st_mtime_ns}" for name, st in stats)
        out[fmt] = parts
    return out


def _walk(root: Path) -> list[str]:
    """Every file under `root` but compiled bytecode (Python rewrites it at will)."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        found += [os.path.join(folder, name) for name in sorted(files)]
    return found


def assets_fingerprint() -> str | None:
    """A digest of the status of every file `code_and_assets` reads (our code and its data, templates, styles,
    fonts) and of the folders Python imports libraries from (installing or removing a package changes its
    folder): equal fingerprints mean equal digests, learnt without reading a byte. None when one of them
    changed moments ago (see `RACY_NS`)."""
    from pipeline.render.fonts import FALLBACKS

    started = time.time_ns()
    files = [*_walk(PIPELINE), *_walk(TEMPLATES), *_walk(STYLES), *(str(face.path) for face in FONT_FACES),
             *(f.file for f in FALLBACKS)]
    lines = [sys.version]
    for path in files:
        try:
            st = os.stat(path)
        except OSError:
            lines.append(f"{path}\0absent")
            continue
        if max(st.st_mtime_ns, st.st_ctime_ns) >= started - RACY_NS:
            return None
        lines.append(f"{path}\0{_identity(st)}")
    # The import folders count by their times alone, with no wait after a change: the current folder is one of
    # them and changes whenever a file is made in it, and two installs within one clock tick are not a real case.
    for folder in sys.path:
        try:
            st = os.stat(folder or ".")
        except OSError:
            continue
        lines.append(f"{folder}\0{st.st_mtime_ns}\0{st.st_ino}")
    return digest("\n".join(lines).encode())


def environment(options: BuildOptions, source_date_epoch: int | None,
                assets: dict[str, dict[str, str]] | None = None) -> dict[str, str]:
    """One digest per requested format of everything an edition depends on besides its seed and sidecar;
    `assets` are `code_and_assets()` when the caller knows them already (`BuildState.code_and_assets`)."""
    assets = assets or code_and_assets()
    envs: dict[str, str] = {}
    for fmt in options.formats:
        parts: dict[str, Any] = dict(assets[fmt])
        parts["options"] = {name: getattr(options, name) for name in (*COMMON_OPTIONS, *FORMAT_OPTIONS[fmt])}
        if fmt == "epub":
            parts["source_date_epoch"] = source_date_epoch
            if "pdf" in options.formats:
                # An EPUB built beside its PDF carries the PDF's page numbers: it changes when the PDF's pages do.
                parts["print_edition"] = {"pdf": assets["pdf"],
                                          "options": {n: getattr(options, n) for n in FORMAT_OPTIONS["pdf"]}}
        envs[fmt] = digest(json.dumps(parts, sort_keys=True).encode())
    return envs


def sidecar_path(seed: Path) -> Path:
    """A seed's sidecar of extra metadata (`seeds/NAME.toml`): an input of its editions whenever it exists."""
    return seed.with_suffix(".toml")


def _has_sidecar(seed: Path) -> bool:
    """`sidecar.has_sidecar`: whether anything (a file, a link, a folder) stands where the seed's sidecar would."""
    return os.path.lexists(sidecar_path(seed))


@dataclass(frozen=True)
class Inputs:
    """Digests of one seed's own inputs."""

    seed: str
    sidecar: str | None


#: A file whose modification or status change is more recent than this (ns) when it is read is not remembered by
#: its status: a change within the file system's time granularity (2 s on FAT, a clock tick elsewhere) could leave
#: the same size and times on other bytes. Such a seed is hashed again next time, and remembered then.
RACY_NS = 2_000_000_000


def _digests(value: Any) -> TypeGuard[dict[str, dict[str, str]]]:
    """Whether `value` has the shape of `code_and_assets()`."""
    return (isinstance(value, dict) and set(value) == set(FORMAT_TEMPLATES)
            and all(isinstance(v, dict) and all(isinstance(x, str) for x in v.values()) for v in value.values()))


# A build into a new `dist` has no manifest to take the digests from: they are also kept in the user's cache under
# the same fingerprint (reading the code's imports, hashing fonts and asking each library's version is some 60 ms
# of a cold build). Equal fingerprints mean equal digests there as in a manifest.
def _cached_digests(fingerprint: str) -> dict[str, dict[str, str]] | None:
    from pipeline import cache

    entry = cache.read("build-digests", cache.key("digests", SCHEMA, fingerprint))
    if entry is None:
        return None
    try:
        known = json.loads(bytes(entry.payload[: entry.header["bytes"]]).decode("utf-8"))
    except (KeyError, TypeError, ValueError):
        return None
    return known if _digests(known) else None


def _cache_digests(fingerprint: str, digests: dict[str, dict[str, str]]) -> None:
    from pipeline import cache

    data = json.dumps(digests, sort_keys=True).encode()
    cache.write("build-digests", {"key": cache.key("digests", SCHEMA, fingerprint), "bytes": len(data)}, [data])


def _identity(st: os.stat_result) -> list[int]:
    """What tells one version of a file from another without reading it: size, times (ctime moves on any change,
    even one that puts the old mtime back) and inode (a file replaced by renaming another over it)."""
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


@dataclass
class BuildState:
    """The manifest: for each output file name, the inputs it was built from and the file it wrote."""

    path: Path
    outputs: dict[str, dict[str, Any]]
    #: Output names this build recorded since loading: a no-op build leaves the file alone.
    changed: set[str] = field(default_factory=set)
    #: Seeds read before, by absolute path: their status (`_identity`) when read and their bytes' digest, so that
    #: a seed whose status has not moved since is known without reading it.
    seeds: dict[str, list[Any]] = field(default_factory=dict)
    #: Seeds this build read and remembered (a no-op build then saves the manifest once, to read none next time).
    learned: set[str] = field(default_factory=set)
    #: `code_and_assets()` as last computed, under the `assets_fingerprint` it was computed at.
    assets: dict[str, Any] = field(default_factory=dict)
    assets_learned: bool = False
    #: Whether the manifest was read whole from disk (not missing, damaged or of another schema).
    found: bool = False

    @property
    def dirty(self) -> bool:
        return bool(self.changed or self.learned or self.assets_learned)

    def code_and_assets(self) -> dict[str, dict[str, str]]:
        """`code_and_assets()`, from the manifest when no file it reads has changed status since."""
        fingerprint = assets_fingerprint()
        if fingerprint is not None and self.assets.get("fingerprint") == fingerprint:
            known = self.assets.get("digests")
            if _digests(known):
                return known
        digests = _cached_digests(fingerprint) if fingerprint is not None else None
        if digests is None:
            digests = code_and_assets()
            if fingerprint is not None:
                _cache_digests(fingerprint, digests)
        if fingerprint is not None:
            self.assets = {"fingerprint": fingerprint, "digests": digests}
            self.assets_learned = True
        return digests

    @classmethod
    def load(cls, dist: Path) -> BuildState:
        """The manifest in `dist`, or an empty one when it is missing, unreadable or of another schema."""
        path = dist / STATE_FILE
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return cls(path, {})
        if not isinstance(data, dict) or data.get("schema") != SCHEMA or not isinstance(data.get("outputs"), dict):
            return cls(path, {})
        seeds, assets = data.get("seeds"), data.get("assets")
        return cls(path, data["outputs"], seeds=seeds if isinstance(seeds, dict) else {},
                   assets=assets if isinstance(assets, dict) else {}, found=True)

    def known_inputs(self, seed: Path, max_bytes: int) -> Inputs | None:
        """The seed's inputs without reading it, when it is the very file read before (same status): a regular
        file, not a link, directly in its folder (so inside it, as `read_within` demands) and within `max_bytes`.
        None when any of that is not certain: the caller reads and hashes it."""
        entry = self.seeds.get(os.path.abspath(seed))
        if not isinstance(entry, list) or len(entry) != 6:
            return None
        try:
            st = os.lstat(seed)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode) or st.st_size > max_bytes or _identity(st) != entry[:5]:
            return None
        side = _sidecar_digest(sidecar_path(seed)) if _has_sidecar(seed) else None
        return Inputs(str(entry[5]), side)

    def read_inputs(self, seed: Path, max_bytes: int) -> tuple[bytes | None, Inputs]:
        """`read_inputs`, remembering the seed's status beside its digest for `known_inputs` next time."""
        started = time.time_ns()
        try:
            before = os.lstat(seed)
        except OSError:
            before = None
        data, inputs = read_inputs(seed, max_bytes)
        # The status is taken before the bytes are read: a change after it gives the file a new status, so a stale
        # digest is never matched again. A file changed moments before is left to be hashed next time.
        if (data is not None and before is not None and stat.S_ISREG(before.st_mode)
                and max(before.st_mtime_ns, before.st_ctime_ns) < started - RACY_NS):
            key = os.path.abspath(seed)
            entry = [*_identity(before), inputs.seed]
            if self.seeds.get(key) != entry:
                self.seeds[key] = entry
                self.learned.add(key)
        return data, inputs

    def fresh(self, output: Path | str, inputs: Inputs, env: str) -> bool:
        """Whether `output` exists as this manifest last wrote it, from the same inputs and environment."""
        record = self.outputs.get(os.path.basename(output))
        if record is None or record.get("seed") != inputs.seed or record.get("sidecar") != inputs.sidecar:
            return False
        if record.get("env") != env:
            return False
        try:
            st = os.stat(output)
        except OSError:
            return False
        # A hand-edited or replaced output differs in size or modification time: it is rebuilt.
        return bool(st.st_size == record.get("size") and st.st_mtime_ns == record.get("mtime_ns"))

    def owns(self, output: Path) -> bool:
        """Whether `output` is absent, or is a file this manifest records as an edition the build wrote: only
        those may be overwritten or cleaned. A user's file of the same name, or anything at all when the manifest
        is lost, is not the build's to touch."""
        try:
            st = output.lstat()
        except FileNotFoundError:
            return True
        except OSError:
            return False
        # An edition edited by hand keeps its name and stays ours: the next build replaces it, as documented.
        return output.name in self.outputs and stat.S_ISREG(st.st_mode)

    def claim(self, outputs: list[Path], source: Path) -> list[Path]:
        """Before writing `outputs`: those that are not the build's to replace (a user's files), or, when every one
        is, record them as claimed in the manifest on disk, at once and under its lock, so that another build
        writing the same names into this `dist/` meanwhile sees them as editions, not as a user's files.

        A `dist/` that does not exist yet is made here, as writing the editions would make it a moment later: they
        are claimed in it all the same. Left unclaimed, they would be refused as a user's files (E501) by another
        build that reaches its own claim before this one saves its record."""
        with writing_into(self.path.parent), _exclusive(self.path):
            disk = BuildState.load(self.path.parent)
            self.outputs = {**disk.outputs,
                            **{name: self.outputs[name] for name in self.changed if name in self.outputs}}
            self.seeds = {**disk.seeds, **{key: self.seeds[key] for key in self.learned}}
            foreign = [path for path in outputs if not self.owns(path)]
            if foreign:
                return foreign
            new = [path for path in outputs if path.name not in self.outputs]
            for path in new:
                self.outputs[path.name] = {"source": source.name, "claimed": True}
                self.changed.add(path.name)
            if new:  # names already recorded need no word on disk: a rebuild writes the manifest once, at the end
                self._write()
        return []

    def record(self, output: Path, source: Path, inputs: Inputs, env: str) -> None:
        """Note that `output` was just written from `inputs` under `env`."""
        st = output.stat()
        self.changed.add(output.name)
        self.outputs[output.name] = {"source": source.name, "seed": inputs.seed, "sidecar": inputs.sidecar,
                                     "env": env, "size": st.st_size, "mtime_ns": st.st_mtime_ns}

    def save(self) -> None:
        """Write the manifest atomically; a crash leaves the previous one whole."""
        if not self.dirty or not self.path.parent.is_dir():
            return
        if not self.changed and not os.path.lexists(self.path):
            return  # only what spares reading was learnt: a build that wrote nothing leaves `dist/` as it was
        try:
            self._save()
        except OSError:
            if self.changed:
                raise
            # Only what spares the next build some reading was to be saved: without it, that build reads again.
        self.changed.clear()
        self.learned.clear()
        self.assets_learned = False

    def _save(self) -> None:
        # The folder's shared lock first, as every writer holds it: another build's sweep of stale temporaries
        # must not take our temporary manifest while we write it. Then the manifest's own exclusive lock.
        with writing_into(self.path.parent), _exclusive(self.path):
            # Another build on the same `dist/` may have saved since we loaded: keep its records, add ours.
            disk = BuildState.load(self.path.parent)
            if not self.changed and not disk.found:
                # Only what spares reading was learnt, and the file there cannot be read (damaged, of another
                # schema, or the empty one a lock left): it stays as it is, for whoever can tell what it was.
                return
            merged = dict(disk.outputs)
            merged.update({name: self.outputs[name] for name in self.changed})
            self.outputs = merged
            # Seeds gone from their folder are forgotten; those still there stay known, whoever read them.
            seeds = {key: entry for key, entry in disk.seeds.items() if os.path.lexists(key)}
            seeds.update({key: self.seeds[key] for key in self.learned})
            self.seeds = seeds
            if not self.assets_learned:
                self.assets = disk.assets
            self._write()

    def _write(self) -> None:
        data = {"schema": SCHEMA, "outputs": self.outputs, "seeds": self.seeds, "assets": self.assets}
        # Compact and unindented: only then does json use its C encoder, ten times faster on a large archive.
        write_atomic(self.path, json.dumps(data, sort_keys=True, separators=(",", ":")).encode("utf-8") + b"\n")


@contextlib.contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the file at `path` (created empty if missing) for as long as `path` names it.

    The manifest is replaced by renaming, so a lock on the old file means nothing once the rename is done: a
    waiter that gets the lock checks that the name still leads to the file it locked, and tries again if not.
    A no-op where `flock` does not exist.
    """
    if sys.platform == "win32":
        yield
        return
    import fcntl

    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                current = os.stat(path, follow_symlinks=False)
            except FileNotFoundError:
                continue
            if os.path.samestat(current, os.fstat(fd)):
                yield
                return
        finally:
            os.close(fd)


def _sidecar_digest(sidecar: Path) -> str:
    """The sidecar's bytes and those of the images it names (its cover and photos), as one digest. Only what
    `within` accepts is read: a sidecar naming a file outside its folder is refused later, never opened here."""
    import tomllib

    from pipeline.read.sidecar import MAX_IMAGE_BYTES, MAX_SIDECAR_BYTES

    try:
        data = read_within(sidecar, (sidecar.parent,), MAX_SIDECAR_BYTES)
    except Refused as exc:
        return f"refused:{exc.reason}"  # the build reports it, naming the sidecar
    h = hashlib.sha256(data)
    try:
        table = tomllib.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return h.hexdigest()  # the build will report the mistake; the bytes are enough to notice a fix
    photos = table.get("photos", [])
    names = [table.get("cover")] + [p.get("image") for p in (photos if isinstance(photos, list) else [])
                                    if isinstance(p, dict)]
    for name in names:
        if isinstance(name, str):
            try:
                image = read_within(sidecar.parent / name, (sidecar.parent,), MAX_IMAGE_BYTES)
            except Refused:
                continue  # the sidecar's check refuses it, naming the sidecar
            h.update(name.encode() + b"\0" + hashlib.sha256(image).digest())
    return h.hexdigest()


def read_inputs(seed: Path, max_bytes: int) -> tuple[bytes | None, Inputs]:
    """The seed's bytes (None when too large to read) and the digests of the seed and its sidecar; a seed that is
    not a regular file inside its folder raises `SeedError` before it is opened."""
    side = _sidecar_digest(sidecar_path(seed)) if _has_sidecar(seed) else None
    try:
        data = seed_bytes(seed, max_bytes=max_bytes)
    except SeedError as exc:
        if exc.code != "E105":
            raise
        # Hashing a huge file only to refuse it would be wasted work; its size and time stand in for it.
        st = seed.stat()
        return None, Inputs(f"oversize:{st.st_size}:{st.st_mtime_ns}", side)
    return data, Inputs(digest(data), side)
