"""The cold path of one build: what it defers until used still works when it is used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import cache

from .conftest import ROOT


def test_weasyprints_deferred_fonttools_modules_work_when_reached() -> None:
    script = """
import sys
from pipeline.render.pdf import import_weasyprint
import_weasyprint()
assert "fontTools.subset" not in sys.modules and "fontTools.varLib.instancer" not in sys.modules
from weasyprint.pdf import fonts
options = fonts.subset.Options()  # the first use imports the real module, through the stand-in
import fontTools.subset, fontTools.varLib.instancer
assert isinstance(options, fontTools.subset.Options) and sys.modules["fontTools.subset"] is fontTools.subset
assert fonts.instantiateVariableFont.__name__ == "instantiateVariableFont"
assert type(sys.modules["fontTools.varLib.instancer"]).__name__ == "module"
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.stdout.strip() == "ok", result.stderr


def test_simple_c_types_are_the_ones_cffis_parser_makes() -> None:
    # A fresh process, so that cffi has parsed none of these names before.
    script = """
from pipeline.render import coldstart
from pipeline.render.pdf import _import_weasyprint
_import_weasyprint()
from weasyprint.text.ffi import ffi
names = ["PangoFcFontMap *", "FcChar8 **", "char[]", "PangoRectangle *", "PangoLogAttr[]", "unsigned int *",
         "hb_tag_t[100]", "char[4]", "hb_codepoint_t[29]", "hb_codepoint_t[]", "unsigned char *", "int",
         "PangoRectangle", "double[3]", "hb_codepoint_t *[2]", "uint32_t *", "float *"]
for name in names:
    assert coldstart._simple_type(ffi, name) is not None, name
with ffi._lock:
    parsed = {name: ffi._parser.parse_type(name) for name in names}
    built = {name: coldstart._simple_type(ffi, name) for name in names}
assert parsed == built, [n for n in names if parsed[n] != built[n]]
coldstart.fast_types(ffi)
for name in names:
    assert ffi.typeof(name) is ffi._cached_btypes[parsed[name]], name
for name in ["const char *", "struct _PangoRectangle *", "void", "long long *", "int (*)(int)"]:
    assert coldstart._simple_type(ffi, name) is None, name
    ffi.typeof(name)  # still served, by the parser
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.stdout.strip() == "ok", result.stderr


@pytest.mark.parametrize("language", ["en", "de", "hu", "ca", "ru"])
def test_hyphenation_patterns_from_the_cache_are_pyphens(language: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import pyphen

    from pipeline.render import coldstart

    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    # Pyphen's own class (this process may have had it wrapped already), put back after the test.
    original = pyphen.HyphDict.__mro__[1] if getattr(pyphen.HyphDict, "cached", False) else pyphen.HyphDict
    monkeypatch.setattr(pyphen, "HyphDict", original)
    coldstart.cached_hyphenation()
    path = Path(pyphen.LANGUAGES[pyphen.language_fallback(language)])
    parsed = original(path)
    for attempt in ("parsed, then saved", "from the cache", "from a damaged copy"):
        if attempt == "from a damaged copy":
            (copy,) = tmp_path.glob("pyphen-*.patterns")
            data = bytearray(copy.read_bytes())
            data[-10] ^= 1
            copy.write_bytes(data)
        made = pyphen.HyphDict(path)
        assert made.patterns == parsed.patterns and made.maxlen == parsed.maxlen, attempt
        marks = {k: [getattr(v, "data", None) for v in values] for k, (_s, values) in made.patterns.items()}
        assert marks == {k: [getattr(v, "data", None) for v in values] for k, (_s, values) in parsed.patterns.items()}


def test_templates_render_alike_compiled_or_from_the_cache(tmp_path: Path) -> None:
    # Fresh processes: a first one compiles and saves, a second loads, a third finds every entry damaged.
    script = """
from pathlib import Path
from pipeline.build.builder import load
from pipeline.options import BuildOptions
from pipeline.render.html import pdf_html
from pipeline.render.text import render_text
doc = load(Path(__import__("sys").argv[1]), BuildOptions(language="en"))
print(len(pdf_html(doc)), hash(pdf_html(doc)), hash(render_text(doc)))
"""
    from .conftest import SEED

    runs = []
    for attempt in range(3):
        if attempt == 2:
            for entry in tmp_path.glob("jinja-*.code"):
                data = bytearray(entry.read_bytes())
                data[-1] ^= 1
                entry.write_bytes(data)
        result = subprocess.run([sys.executable, "-c", script, str(SEED)], cwd=ROOT, capture_output=True, text=True,
                                timeout=120, check=False, env={**os.environ, cache.CACHE_ENV: str(tmp_path),
                                                               "PYTHONHASHSEED": "0"})
        assert result.returncode == 0, result.stderr
        runs.append(result.stdout)
        assert len(list(tmp_path.glob("jinja-*.code"))) >= 2
    assert runs[0] == runs[1] == runs[2]


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_build_leaves_no_temporary_font_copies(tmp_path: Path, jobs: str) -> None:
    # WeasyPrint copies the fonts into a temporary folder that its font configuration's finaliser removes. The
    # command line leaves the collector's last pass out (`builder.build(exiting=True)`), and a pool's workers end
    # with `os._exit`: the folder is removed at exit all the same, in the build's process and in each worker.
    from .conftest import SEED

    seeds, temporary = tmp_path / "seeds", tmp_path / "tmp"
    seeds.mkdir()
    temporary.mkdir()
    for name in ("a.txt", "b.txt")[: int(jobs)]:
        (seeds / name).write_bytes(SEED.read_bytes())
    result = subprocess.run([sys.executable, "-m", "invoke", "build", "--seeds", str(seeds), "--dist",
                             str(tmp_path / "dist"), "--formats", "pdf", "--jobs", jobs], cwd=ROOT,
                            capture_output=True, text=True, timeout=300, check=False,
                            env={**os.environ, "TMPDIR": str(temporary)})
    assert result.returncode == 0, result.stderr
    assert f"{jobs} built" in result.stdout
    assert list(temporary.iterdir()) == []


def test_the_style_sheets_write_no_code_point_of_the_emoji_face() -> None:
    # A text without emoji is laid out without the emoji face (`assets.needs_emoji_face` reads the HTML's text):
    # nothing the style sheets write themselves may need it.
    import re

    from pipeline.render.assets import STYLES, needs_emoji_face

    for sheet in STYLES.glob("*.css"):
        strings = re.findall(r'"([^"]*)"|\'([^\']*)\'', sheet.read_text(encoding="utf-8"))
        assert not needs_emoji_face(" ".join(a or b for a, b in strings)), sheet.name
    assert needs_emoji_face("x \N{GRINNING FACE}") and needs_emoji_face("\N{COPYRIGHT SIGN}")
    assert not needs_emoji_face("plain text \N{BULLET} \N{EM DASH} 1234")


@pytest.mark.slow
def test_a_text_without_emoji_never_reads_the_emoji_face_and_lays_out_alike_with_it() -> None:
    # A fresh process, whose font configuration has not declared the emoji face yet.
    script = """
import sys
from pathlib import Path
from pipeline.build.builder import load
from pipeline.options import BuildOptions
from pipeline.render import assets, pdf

fetched = []
real = pdf.sealed_fetch
pdf.sealed_fetch = lambda url, *args: fetched.append(url) or real(url, *args)
doc = load(Path(sys.argv[1]), BuildOptions(language="en"))
without = pdf.render_pdf(doc, source_date_epoch=1)
assert assets.EMOJI_FILE.as_uri() not in fetched, fetched
pdf.stylesheets(pdf.PrintSetup(), True)  # the face declared, as a worker that made an emoji article has it
pdf.layout.cache_clear()
beside = pdf.render_pdf(doc, source_date_epoch=1)
pdf.needs_emoji_face = lambda text: True  # and declared by the document's own style sheets too
pdf.layout.cache_clear()
declared = pdf.render_pdf(doc, source_date_epoch=1)
assert assets.EMOJI_FILE.as_uri() in fetched or not assets.EMOJI_FILE.is_file()
print("ok" if without == beside == declared else "differ")
"""
    from .conftest import SEED

    result = subprocess.run([sys.executable, "-c", script, str(SEED)], cwd=ROOT, capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.stdout.strip() == "ok", result.stderr


_DECLARATIONS = """
import json, sys
from pipeline.render.pdf import import_weasyprint
import_weasyprint()
from weasyprint.text.ffi import ffi, harfbuzz, pango
parser = ffi._parser
def name_of(tp):
    return tp._get_c_name() if hasattr(tp, "_get_c_name") else repr(tp)
def fields(tp):
    return [[n, name_of(t)] for n, t in zip(tp.fldnames or (), tp.fldtypes or ())] \\
        if getattr(tp, "fldnames", None) is not None else None
print(json.dumps({
    "pycparser": type(sys.modules.get("pycparser")).__name__,
    "declarations": sorted([name, name_of(tp), quals, fields(tp)] for name, (tp, quals) in
                           parser._declarations.items()),
    "constants": sorted(parser._int_constants.items()),
    "sizes": [ffi.sizeof(name) for name in ("PangoRectangle", "PangoGlyphInfo", "PangoLogAttr", "PangoGlyphString")],
    "version": pango.pango_version(),
    "tag": harfbuzz.hb_tag_from_string(b"liga", 4),
}))
"""


def test_weasyprints_c_declarations_from_the_cache_are_the_ones_cffi_parses(tmp_path: Path) -> None:
    # Three fresh processes on one cache: the first parses the declarations (pycparser) and saves cffi's model of
    # them; the second reads that back without importing pycparser; the third finds the copy damaged, parses again.
    env = {**os.environ, cache.CACHE_ENV: str(tmp_path)}

    def run() -> dict[str, object]:
        import json

        result = subprocess.run([sys.executable, "-c", _DECLARATIONS], cwd=ROOT, capture_output=True, text=True,
                                timeout=120, check=False, env=env)
        assert result.returncode == 0, result.stderr
        loaded: dict[str, object] = json.loads(result.stdout)
        return loaded

    parsed = run()
    (saved,) = [p for p in tmp_path.iterdir() if p.name.startswith("cffi-declarations")]
    cached = run()
    data = bytearray(saved.read_bytes())
    data[len(data) // 2] ^= 0xFF
    saved.write_bytes(bytes(data))
    again = run()
    assert parsed["pycparser"] == again["pycparser"] == "module" and cached["pycparser"] == "NoneType"
    assert len(parsed["declarations"]) > 200  # type: ignore[arg-type]
    assert cached == {**parsed, "pycparser": "NoneType"} and again == parsed


def test_a_cached_copy_of_c_declarations_makes_nothing_but_cffi_types() -> None:
    import pickle

    from pipeline.render import coldstart

    for hostile in (pickle.dumps({"_declarations": {"x": (print, 0)}}), pickle.dumps(os.system),
                    pickle.dumps({"_declarations": {"x": (Path("."), 0)}})):
        with pytest.raises(pickle.UnpicklingError):
            coldstart.load_declarations(hostile)
    with pytest.raises(ValueError):
        coldstart.load_declarations(pickle.dumps({"_declarations": {}}))
