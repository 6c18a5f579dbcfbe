"""Independent checks of a finished PDF against what its variant promises (PDF/UA-1, PDF/A-3b, PDF/X-4).

WeasyPrint does not promise that its variants are valid, and veraPDF (Java, not packaged for Debian or PyPI)
cannot be installed here; so these are the checks such a validator makes that apply to the files this
project writes, read back with pikepdf from the bytes alone. Each returns plain sentences; none means the
file passed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf

_TEXT_OPERATORS = frozenset({"Tj", "TJ", "'", '"'})
_RGB_OPERATORS = frozenset({"rg", "RG"})


@dataclass
class Findings:
    """What one PDF's checks found, and a few facts the tests print."""

    problems: list[str] = field(default_factory=list)
    text_runs: int = 0
    tagged_runs: int = 0
    fonts: int = 0

    def fail(self, message: str) -> None:
        self.problems.append(message)


def _pdf_date(value: str) -> dt.datetime | None:
    """`D:20190225000000Z` or `D:20190225000000+01'00'` as an aware datetime."""
    match = re.match(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?", value)
    if not match:
        return None
    year, month, day, hour, minute, second = (int(g) if g else d for g, d in
                                              zip(match.groups()[:6], (0, 1, 1, 0, 0, 0), strict=True))
    zone = match.group(7) or "Z"
    offset = dt.timedelta(0)
    if zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace("'", "")
        offset = sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.timezone(offset))


def _xmp_date(value: str) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _fonts(resources: Any, seen: set[int]) -> Iterator[Any]:
    """Every font reachable from `resources`, including those inside form XObjects."""
    if resources is None:
        return
    for font in (resources.get("/Font") or {}).values():
        if font.objgen not in seen:
            seen.add(font.objgen)
            yield font
    for xobject in (resources.get("/XObject") or {}).values():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            yield from _fonts(xobject.get("/Resources"), seen)


def _check_fonts(pdf: pikepdf.Pdf, found: Findings, *, need_unicode: bool) -> None:
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        for font in _fonts(page.obj.get("/Resources"), seen):  # type: ignore[arg-type]
            found.fonts += 1
            name = str(font.get("/BaseFont", "?"))
            if font.get("/Subtype") == "/Type3":
                continue  # drawn by the file's own procedures: nothing to embed
            descendants = font.get("/DescendantFonts")
            target = descendants[0] if descendants is not None else font
            descriptor = target.get("/FontDescriptor")
            if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                found.fail(f"font {name} is not embedded")
            if need_unicode and "/ToUnicode" not in font:
                found.fail(f"font {name} has no ToUnicode map: its text cannot be read aloud or searched")


def _check_forbidden(pdf: pikepdf.Pdf, found: Findings) -> None:
    if pdf.is_encrypted:
        found.fail("the file is encrypted")
    root = pdf.Root
    names = root.get("/Names")
    if names is not None and "/JavaScript" in names:
        found.fail("the file holds JavaScript (Names/JavaScript)")
    for key in ("/AA", "/OpenAction"):
        action = root.get(key)
        if action is not None and "JavaScript" in str(action.get("/S", "")):
            found.fail(f"the catalog's {key} runs JavaScript")
    for page in pdf.pages:
        for annot in page.obj.get("/Annots") or []:
            action = annot.get("/A")
            if action is not None and action.get("/S") in ("/JavaScript", "/Launch"):
                found.fail(f"an annotation runs {action.get('/S')}")


def _check_metadata(pdf: pikepdf.Pdf, found: Findings) -> dict[str, str]:
    """The XMP packet must be there and agree with the document information dictionary."""
    if "/Metadata" not in pdf.Root:
        found.fail("no XMP metadata stream in the catalog")
        return {}
    xmp = pdf.open_metadata()
    values = {key: str(xmp.get(key, "")) for key in (
        "dc:title", "dc:creator", "dc:description", "pdf:Producer", "pdf:Keywords", "xmp:CreatorTool",
        "xmp:CreateDate", "xmp:ModifyDate", "pdfuaid:part", "pdfaid:part", "pdfaid:conformance",
        "pdfxid:GTS_PDFXVersion", "pdf:Trapped")}
    creators = xmp.get("dc:creator")
    values["dc:creator"] = ", ".join(creators) if isinstance(creators, list) else str(creators or "")
    info = pdf.docinfo
    pairs = {"/Title": "dc:title", "/Author": "dc:creator", "/Subject": "dc:description", "/Producer": "pdf:Producer",
             "/Keywords": "pdf:Keywords", "/Creator": "xmp:CreatorTool"}
    for key, prop in pairs.items():
        if key in info and str(info[key]) != values[prop]:
            found.fail(f"Info {key} {str(info[key])[:40]!r} differs from XMP {prop} {values[prop][:40]!r}")
    for key, prop in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
        if key in info and _pdf_date(str(info[key])) != _xmp_date(values[prop]):
            found.fail(f"Info {key} {info[key]} differs from XMP {prop} {values[prop]!r}")
    if "/Trapped" in info and values["pdf:Trapped"] and str(info["/Trapped"]).lstrip("/") != values["pdf:Trapped"]:
        found.fail("Info /Trapped differs from XMP pdf:Trapped")
    return values


def _marked_content(pdf: pikepdf.Pdf, found: Findings) -> set[tuple[int, int]]:
    """(page, MCID) of every marked run holding text; text outside one (or an artifact) is a problem."""
    marked: set[tuple[int, int]] = set()

    def walk(stream: Any, resources: Any, page_number: int, stack: list[tuple[str, int | None]]) -> None:
        for instruction in pikepdf.parse_content_stream(stream):
            operands, op = instruction.operands, str(instruction.operator)
            if op == "BDC":
                props = operands[1]
                if isinstance(props, pikepdf.Name) and resources is not None:
                    props = (resources.get("/Properties") or {}).get(props, pikepdf.Dictionary())
                mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
                stack.append((str(operands[0]), int(mcid) if mcid is not None else None))
            elif op == "BMC":
                stack.append((str(operands[0]), None))
            elif op == "EMC" and stack:
                stack.pop()
            elif op in _TEXT_OPERATORS:
                found.text_runs += 1
                if any(tag == "/Artifact" for tag, _ in stack):
                    found.tagged_runs += 1
                    continue
                ids = [mcid for _, mcid in stack if mcid is not None]
                if ids:
                    found.tagged_runs += 1
                    marked.add((page_number, ids[-1]))
            elif op == "Do" and resources is not None:
                xobject = (resources.get("/XObject") or {}).get(operands[0])
                if xobject is not None and xobject.get("/Subtype") == "/Form":
                    walk(xobject, xobject.get("/Resources", resources), page_number, list(stack))

    for number, page in enumerate(pdf.pages):
        walk(page, page.obj.get("/Resources"), number, [])
    return marked


def _structure_mcids(pdf: pikepdf.Pdf, found: Findings) -> set[tuple[int, int]]:
    """(page, MCID) of every marked run the structure tree reaches; figures must have alternate text."""
    pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
    reached: set[tuple[int, int]] = set()
    seen: set[tuple[int, int]] = set()

    def walk(element: Any, page: int | None) -> None:
        if isinstance(element, int):
            if page is not None:
                reached.add((page, element))
            return
        if not isinstance(element, pikepdf.Dictionary):
            if isinstance(element, pikepdf.Array):
                for child in element:
                    walk(child, page)
            return
        if element.is_indirect:
            if element.objgen in seen:
                return
            seen.add(element.objgen)
        if "/Pg" in element:
            page = pages.get(element.Pg.objgen, page)
        if element.get("/Type") == "/MCR":
            walk(int(element.MCID), page)
            return
        if element.get("/S") == "/Figure" and not str(element.get("/Alt", "")).strip():
            found.fail("a Figure in the structure tree has no alternate text")
        kids = element.get("/K")
        if kids is not None:
            walk(kids, page)

    walk(pdf.Root.StructTreeRoot.get("/K"), None)
    return reached


def _check_tagged(pdf: pikepdf.Pdf, found: Findings) -> None:
    root = pdf.Root
    if "/StructTreeRoot" not in root:
        found.fail("no structure tree (the PDF is not tagged)")
        return
    mark_info, preferences = root.get("/MarkInfo"), root.get("/ViewerPreferences")
    if mark_info is None or not bool(mark_info.get("/Marked", False)):
        found.fail("MarkInfo /Marked is not true")
    if not str(root.get("/Lang", "")).strip():
        found.fail("no document language (/Lang)")
    if preferences is None or not bool(preferences.get("/DisplayDocTitle", False)):
        found.fail("ViewerPreferences /DisplayDocTitle is not true: viewers would show the file name")
    marked = _marked_content(pdf, found)
    untagged = found.text_runs - found.tagged_runs
    if untagged:
        found.fail(f"{untagged} of {found.text_runs} text runs are neither tagged nor artifacts")
    reached = _structure_mcids(pdf, found)
    orphans = marked - reached
    if orphans:
        found.fail(f"{len(orphans)} marked text runs are not reached from the structure tree, e.g. {min(orphans)}")
    for number, page in enumerate(pdf.pages):
        if page.obj.get("/Annots") and page.obj.get("/Tabs") != "/S":
            found.fail(f"page {number + 1} has annotations but no /Tabs /S")


def _check_rgb_free(pdf: pikepdf.Pdf, found: Findings) -> None:
    """PDF/X with a CMYK intent: no device RGB colour in any content stream, form or colour space."""
    seen: set[tuple[int, int]] = set()

    def walk(stream: Any, resources: Any, where: str) -> None:
        for instruction in pikepdf.parse_content_stream(stream):
            operator = str(instruction.operator)
            if operator in _RGB_OPERATORS:
                found.fail(f"{where} paints in device RGB ({operator})")
                return
            if operator == "Do" and resources is not None:
                form = (resources.get("/XObject") or {}).get(instruction.operands[0])
                if form is not None and form.get("/Subtype") == "/Form" and form.objgen not in seen:
                    seen.add(form.objgen)
                    walk(form, form.get("/Resources", resources), f"{where}, form {instruction.operands[0]}")
        spaces: Any = resources.get("/ColorSpace") if resources is not None else None
        for name, space in (spaces or {}).items():
            if str(space) == "/DeviceRGB":
                found.fail(f"{where} defines {name} as DeviceRGB")

    for number, page in enumerate(pdf.pages, start=1):
        walk(page, page.obj.get("/Resources"), f"page {number}")


def _check_boxes(pdf: pikepdf.Pdf, found: Findings) -> None:
    def box(page: Any, key: str) -> list[float] | None:
        value = page.obj.get(key)
        return [float(v) for v in value] if value is not None else None

    for number, page in enumerate(pdf.pages, start=1):
        media, trim, bleed = box(page, "/MediaBox"), box(page, "/TrimBox"), box(page, "/BleedBox")
        if trim is None:
            found.fail(f"page {number} has no TrimBox")
            continue
        outer = bleed or media
        if media is None or outer is None:
            found.fail(f"page {number} has no MediaBox")
            continue
        for inner, outside, what in ((trim, outer, "TrimBox in BleedBox"), (outer, media, "BleedBox in MediaBox")):
            if not (inner[0] >= outside[0] - 0.01 and inner[1] >= outside[1] - 0.01
                    and inner[2] <= outside[2] + 0.01 and inner[3] <= outside[3] + 0.01):
                found.fail(f"page {number}: {what} does not hold")


def check_pdf(source: Path | bytes, variant: str, *, tagged: bool = True) -> Findings:
    """Check a PDF against `variant` (`ua-1`, `a-3b` or `x-4`, as `--pdf-variant` names them).

    `tagged` also holds PDF/A and PDF/X files to the tagging checks (this project tags every variant).
    """
    found = Findings()
    data = source if isinstance(source, bytes) else source.read_bytes()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        _check_forbidden(pdf, found)
        values = _check_metadata(pdf, found)
        if "/ID" not in pdf.trailer:
            found.fail("no file identifier (/ID) in the trailer")
        _check_fonts(pdf, found, need_unicode=variant == "ua-1")
        if variant == "ua-1":
            if values.get("pdfuaid:part") != "1":
                found.fail("XMP does not identify the file as PDF/UA-1 (pdfuaid:part)")
            if not values.get("dc:title"):
                found.fail("PDF/UA needs a title in the XMP (dc:title)")
        elif variant == "a-3b":
            if (values.get("pdfaid:part"), values.get("pdfaid:conformance")) != ("3", "B"):
                found.fail("XMP does not identify the file as PDF/A-3B (pdfaid:part, pdfaid:conformance)")
            intents = [i for i in pdf.Root.get("/OutputIntents") or [] if i.get("/S") == "/GTS_PDFA1"]
            if not intents or "/DestOutputProfile" not in intents[0]:
                found.fail("PDF/A needs a GTS_PDFA1 output intent with an ICC profile")
            for page in pdf.pages:
                for annot in page.obj.get("/Annots") or []:
                    if not int(annot.get("/F", 0)) & 4:
                        found.fail("an annotation is not set to print (PDF/A)")
        elif variant == "x-4":
            if values.get("pdfxid:GTS_PDFXVersion") != "PDF/X-4":
                found.fail("XMP does not identify the file as PDF/X-4 (pdfxid:GTS_PDFXVersion)")
            if str(pdf.docinfo.get("/Trapped", "")) not in ("/True", "/False"):
                found.fail("PDF/X needs Info /Trapped True or False")
            intents = [i for i in pdf.Root.get("/OutputIntents") or [] if i.get("/S") == "/GTS_PDFX"]
            profile = intents[0].get("/DestOutputProfile") if intents else None
            if profile is None:
                found.fail("PDF/X-4 needs a GTS_PDFX output intent with an embedded ICC profile")
            elif int(profile.get("/N", 0)) == 4:
                _check_rgb_free(pdf, found)
            _check_boxes(pdf, found)
        else:
            raise ValueError(f"unknown PDF variant {variant!r}")
        if tagged or variant == "ua-1":
            _check_tagged(pdf, found)
    return found
