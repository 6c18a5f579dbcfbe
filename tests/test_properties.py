"""Property tests: random and mutated seeds through the reader, the parser and the three renderers.

Nothing may escape but the project's own errors (reading a seed raises only `SeedError`); every EPUB document
is well-formed XML, every PDF opens, every text edition is UTF-8. Example counts keep the file to well under a
minute: the PDF renderer costs 0.1-0.3 s a document, so it gets the fewest.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline.build.builder import load
from pipeline.errors import RenderError, SeedError
from pipeline.model import Document
from pipeline.options import BuildOptions
from pipeline.parse.parser import parse
from pipeline.render.epub import render_epub
from pipeline.render.pdf import render_pdf
from pipeline.render.text import render_text

from .conftest import SEED

SEED_LINES = SEED.read_text(encoding="utf-8").splitlines()

# What web copy and hostile pages put into text: markup, entities, controls, odd spaces, bidi and emoji, XML's
# forbidden characters, long runs, and lines that look like the parser's own cues.
SNIPPETS = (
    "<script>alert(1)</script>", '<img src="file:///etc/passwd">', "<![CDATA[", "]]>", "<!--", "-->", "&", "&amp;",
    "&#0;", "&nbsp;", '"', "'", "<", ">", "\x00", "\x07", "\x1b[31m", "\x0b", "\x0c", "\x7f", "\x85", "\ufeff",
    "\ufffe", "\uffff", "\u202e", "\u200d", "\u00a0", "\u3000", "\u2028", "\r", "\t", "x" * 300,
    "https://example.org/" + "a" * 500, "👨‍👩‍👧‍👦", "🇯🇵", "👍🏽", "עברית", "مرحبا", "By ", "Photo: ", "(Photo: X)",
    "- ", "1. ", "Leave a Reply", "0 comments", "February 25, 2019", "Q: ", "\ufffd",
)

_line_index = st.integers(min_value=0, max_value=len(SEED_LINES) + 20)
MUTATION = st.one_of(
    st.tuples(st.just("delete"), _line_index),
    st.tuples(st.just("duplicate"), _line_index),
    st.tuples(st.just("swap"), _line_index, _line_index),
    st.tuples(st.just("inject"), _line_index, st.integers(min_value=0, max_value=400), st.sampled_from(SNIPPETS)),
    st.tuples(st.just("insert"), _line_index, st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)),
)


def mutate(lines: list[str], mutations: list[tuple[Any, ...]]) -> str:
    """Apply delete, duplicate, swap, inject-a-snippet and insert-a-line mutations to the seed's lines."""
    out = list(lines)
    for op, *args in mutations:
        if not out:
            out.append("")
        i = int(args[0]) % len(out)
        if op == "delete":
            del out[i]
        elif op == "duplicate":
            out.insert(i, out[i])
        elif op == "swap":
            j = int(args[1]) % len(out)
            out[i], out[j] = out[j], out[i]
        elif op == "inject":
            pos = int(args[1]) % (len(out[i]) + 1)
            out[i] = out[i][:pos] + str(args[2]) + out[i][pos:]
        else:
            out.insert(i, str(args[1]))
    return "\n".join(out)


mutated_seeds = st.lists(MUTATION, min_size=1, max_size=12).map(lambda ms: mutate(SEED_LINES, ms))
short_articles = st.lists(MUTATION, min_size=1, max_size=8).map(
    lambda ms: mutate(["A headline", "By Ann Lee", "", "February 25, 2019", "", "A paragraph of text."], ms))

_BAD_TEXT = {chr(c) for c in (*range(0, 9), *range(11, 32), *range(0x7F, 0xA0))} | {"\ufffe", "\uffff"}


def _all_text(doc: Document) -> str:
    return "\n".join([doc.meta.title, doc.meta.subtitle or "", *doc.author_names,
                      *(getattr(b, "text", "") or "" for b in doc.blocks), *(p.caption for p in doc.photos)])


@settings(max_examples=300, deadline=None)
@given(mutated_seeds)
def test_parser_takes_any_mutated_seed(text: str) -> None:
    doc = parse(text)
    assert not _BAD_TEXT & set(_all_text(doc))
    doc.as_dict()


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


def _load_bytes(folder: Path, data: bytes) -> Document | None:
    """The build's own reading of a seed file: a Document, or None when a PipelineError refused it."""
    seed = folder / "seed.txt"
    seed.write_bytes(data)
    try:
        return load(seed, BuildOptions())
    except SeedError:
        return None


_byte_edit = st.tuples(st.integers(min_value=0, max_value=20_000), st.binary(min_size=1, max_size=6))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_byte_edit, max_size=10), st.booleans())
def test_reading_damaged_bytes_gives_a_document_or_a_seed_error(scratch: Path, edits: list[tuple[int, bytes]],
                                                                truncate: bool) -> None:
    data = bytearray(SEED.read_bytes())
    for pos, chunk in edits:
        at = pos % (len(data) + 1)
        data[at:at + len(chunk)] = chunk  # overwrite with random bytes: broken UTF-8, NULs, anything
    if truncate and edits:
        del data[edits[0][0] % (len(data) + 1):]
    doc = _load_bytes(scratch, bytes(data))
    if doc is not None:
        assert not _BAD_TEXT & set(_all_text(doc))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(short_articles, mutated_seeds, st.text(st.characters(blacklist_categories=("Cs",)), max_size=600)))
def test_text_and_epub_editions_are_valid_for_any_article(scratch: Path, text: str) -> None:
    doc = _load_bytes(scratch, text.encode("utf-8"))
    if doc is None:
        return
    render_text(doc).decode("utf-8")  # strict: raises on anything but UTF-8
    with zipfile.ZipFile(io.BytesIO(render_epub(doc))) as book:
        assert book.namelist()[0] == "mimetype"
        for name in book.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx", ".xml")):
                etree.fromstring(book.read(name))  # raises XMLSyntaxError unless well-formed


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(short_articles, mutated_seeds))
def test_pdf_edition_opens_for_any_article(scratch: Path, text: str) -> None:
    doc = _load_bytes(scratch, text.encode("utf-8"))
    if doc is None:
        return
    try:
        data = render_pdf(doc)
    except RenderError as exc:
        # A character no installed font can draw stops the PDF with a clear error (E301), by design.
        assert exc.code == "E301" and "no font covers" in exc.message
        return
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) >= 1
