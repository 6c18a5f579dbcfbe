"""Write `report.html`: one self-contained page showing, per article, its metadata, what the parser dropped and why,
thumbnails of its editions and the validators' verdicts."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import jinja2
from lxml import etree
from PIL import Image

from pipeline.build.fsutil import write_atomic
from pipeline.check.accounting import dropped_lines
from pipeline.check.editions import Article, Checked
from pipeline.model import Diagnostic, Document
from pipeline.read.source import read_seed

REPORT = "report.html"
#: Thumbnails are this many CSS pixels wide (drawn at twice that for sharp screens).
THUMB = 180
#: The fields every diagnostic has; any other field (the parser may add some) is shown as it is.
_KNOWN = ("code", "message", "line", "severity")
_OPF = {"opf": "http://www.idpf.org/2007/opf", "c": "urn:oasis:names:tc:opendocument:xmlns:container"}

#: The page's template: autoescaped Jinja2, every value from a seed escaped.
TEMPLATE = Path(__file__).resolve().parent / "report.html.j2"



@dataclasses.dataclass
class Thumb:
    label: str
    uri: str


def _data_uri(image: Image.Image, width: int = THUMB * 2) -> str:
    image = image.convert("RGB")
    if image.width > width:
        image = image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, optimize=True)
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def epub_cover(book: Path) -> Image.Image | None:
    """The image the EPUB marks as `cover-image`, or None."""
    try:
        with zipfile.ZipFile(book) as archive:
            container = etree.fromstring(archive.read("META-INF/container.xml"))
            opf_name = container.xpath("string(//c:rootfile/@full-path)", namespaces=_OPF)
            opf = etree.fromstring(archive.read(opf_name))
            href = opf.xpath("string(//opf:item[contains(concat(' ', @properties, ' '), ' cover-image ')]/@href)",
                             namespaces=_OPF)
            if not href:
                return None
            name = str(Path(opf_name).parent / href) if "/" in opf_name else href
            image = Image.open(io.BytesIO(archive.read(name)))
            image.load()
            return image
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return None


def _rendered(command: list[str], folder: Path) -> list[Image.Image]:
    subprocess.run(command, capture_output=True, check=False, timeout=120)
    images = []
    for path in sorted(folder.iterdir()):
        with Image.open(path) as image:
            image.load()
            images.append(image.copy())
    return images


def thumbnails(article: Article) -> tuple[list[Thumb], list[str]]:
    """Thumbnails of the EPUB's cover and first screens (MuPDF) and the PDF's first two pages (Poppler), and notes
    on those that could not be made."""
    thumbs: list[Thumb] = []
    notes: list[str] = []
    epub, pdf = article.edition("epub"), article.edition("pdf")
    if epub is not None:
        cover = epub_cover(epub.path)
        if cover is not None:
            thumbs.append(Thumb("EPUB cover", _data_uri(cover)))
        if shutil.which("mutool") is None:
            notes.append("W208 no EPUB screens: MuPDF is not installed (sudo apt-get install mupdf-tools)")
        else:
            with tempfile.TemporaryDirectory(prefix="screens-") as tmp:
                # Screens 2 and 3: the first is the cover, shown above from its own image.
                shots = _rendered(["mutool", "draw", "-q", "-o", f"{tmp}/s%d.png", "-r", "144", "-W", "320", "-H",
                                   "480", "-S", "11", str(epub.path), "2-3"], Path(tmp))
                thumbs += [Thumb(f"EPUB screen {n} (MuPDF, 320 × 480)", _data_uri(s)) for n, s in
                           enumerate(shots, start=2)]
    if pdf is not None:
        if shutil.which("pdftoppm") is None:
            notes.append("W209 no PDF pages: Poppler is not installed (sudo apt-get install poppler-utils)")
        else:
            with tempfile.TemporaryDirectory(prefix="pages-") as tmp:
                pages = _rendered(["pdftoppm", "-png", "-scale-to", str(THUMB * 3), "-f", "1", "-l", "2",
                                   str(pdf.path), f"{tmp}/p"], Path(tmp))
                thumbs += [Thumb(f"PDF page {n}", _data_uri(p)) for n, p in enumerate(pages, start=1)]
    return thumbs, notes


def _row(item: Any, lines: list[str]) -> dict[str, Any]:
    """A diagnostic (or anything the tree records per line) as a row: code, line, the seed's line, why, the rest."""
    data = item.as_dict() if hasattr(item, "as_dict") else (
        dataclasses.asdict(item) if dataclasses.is_dataclass(item) and not isinstance(item, type) else
        dict(item) if isinstance(item, dict) else {"message": str(item)})
    line = data.get("line")
    text = data.get("text") or (lines[line - 1] if isinstance(line, int) and 0 < line <= len(lines) else "")
    extra = {k: _plain(v) for k, v in data.items() if k not in (*_KNOWN, "text") and v not in (None, "", [], ())}
    return {"code": data.get("code", ""), "line": line, "severity": data.get("severity", ""), "text": _plain(text),
            "message": _plain(data.get("message", data.get("reason", ""))), "extra": extra}


def _plain(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(map(_plain, value))
    return "" if value is None else str(value)


def _meta(doc: Document | None, article: Article) -> list[tuple[str, str]]:
    if doc is None:
        return [("title", article.stem)]
    m = doc.meta
    rows = [("title", m.title)]
    if m.subtitle:
        rows.append(("subtitle", m.subtitle))
    rows.append(("authors", "; ".join(f"{a.name} ({a.role})" if a.role else a.name for a in m.authors) or "—"))
    rows.append(("date", m.date.isoformat() if m.date else "—"))
    if m.updated:
        rows.append(("updated", m.updated.isoformat()))
    rows.append(("language", m.language))
    for name in ("publisher", "rights"):
        value = getattr(m, name)
        if value:
            rows.append((name, value))
    if m.keywords:
        rows.append(("keywords", ", ".join(m.keywords)))
    # Whatever else the parser records about the article (a language's confidence, say), shown as it is.
    shown = {"title", "subtitle", "authors", "date", "updated", "language", "publisher", "rights", "keywords"}
    for f in dataclasses.fields(m):
        value = getattr(m, f.name)
        if f.name not in shown and value not in (None, "", (), []):
            rows.append((f.name.replace("_", " "), _plain(value)))
    rows.append(("blocks", f"{len(doc.blocks)} ({len(doc.headings)} headings, {len(doc.paragraphs)} paragraphs)"))
    return rows


def _article(article: Article, n: int) -> dict[str, Any]:
    doc = article.doc
    lines: list[str] = []
    if article.seed is not None and doc is not None:
        lines = read_seed(article.seed, max_bytes=article.seed.stat().st_size + 1).text.splitlines()
    diagnostics: tuple[Diagnostic, ...] = doc.diagnostics if doc is not None else ()
    rows = [_row(d, lines) for d in diagnostics]
    warnings = [r for r in rows if r["severity"] != "info"]
    notes = [r for r in rows if r["severity"] == "info"]
    extra = sorted({k for r in rows for k in r["extra"]})
    # Whatever else the tree records about dropped lines (a parser may keep them apart from its diagnostics).
    other = []
    if doc is not None:
        for f in dataclasses.fields(doc):
            value = getattr(doc, f.name)
            if "drop" in f.name and isinstance(value, list | tuple) and value:
                other.append((f.name.replace("_", " ").capitalize(), [_row(v, lines) for v in value]))
    thumbs, no_thumbs = thumbnails(article)
    return {"anchor": f"a{n}", "stem": article.stem, "title": doc.title if doc else article.stem,
            "seed": str(article.seed) if article.seed else None, "seed_note": article.seed_note,
            "failed": any(e.failed for e in article.editions), "meta": _meta(doc, article),
            "photos": doc.photos if doc else (), "warnings": warnings, "notes": notes, "extra": extra,
            "has_doc": doc is not None, "thumbs": thumbs, "no_thumbs": no_thumbs,
            "other": other, "dropped": dropped_lines(doc, lines) if doc is not None else [],
            "nonblank": sum(1 for line in lines if line.strip()),
            "editions": article.editions}


def render(checked: Checked) -> str:
    """The report as HTML: every piece of seed text escaped, images inline, no scripts."""
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(TEMPLATE.read_text(encoding="utf-8"))
    articles = [_article(a, n) for n, a in enumerate(checked.articles, start=1)]
    written = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return template.render(dist=str(checked.dist), articles=articles, editions=len(checked.editions),
                           failed=len(checked.failed), missing=checked.missing, written=written, thumb=THUMB)


def write(checked: Checked) -> Path:
    """Write the report into the checked folder and return its path."""
    path = checked.dist / REPORT
    write_atomic(path, render(checked).encode("utf-8"))
    return path
