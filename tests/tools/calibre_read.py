"""Run by `calibre-debug -e`: each EPUB through Calibre's own `ebook-convert` to AZW3 and back to text, and its
`ebook-meta` reading the AZW3's metadata and cover, all in one Calibre process; prints one JSON line per book."""

import json
import sys
from pathlib import Path

from calibre.ebooks.conversion.cli import main as ebook_convert  # the entry point of the ebook-convert command
from calibre.ebooks.metadata.cli import main as ebook_meta  # the entry point of the ebook-meta command
from calibre.ebooks.metadata.opf2 import OPF
from calibre.utils.localization import lang_as_iso639_1

for name in sys.argv[1:]:
    book = Path(name)
    out = book.with_name(book.stem + ".calibre")
    out.mkdir(exist_ok=True)
    azw3, text, opf, cover = out / "book.azw3", out / "book.txt", out / "meta.opf", out / "cover.jpg"
    result = {"book": name, "convert": ebook_convert(["ebook-convert", name, str(azw3)])}
    if azw3.exists():
        result["meta"] = ebook_meta(["ebook-meta", str(azw3), "--to-opf", str(opf), "--get-cover", str(cover)])
        result["back"] = ebook_convert(["ebook-convert", str(azw3), str(text)])
        with opf.open("rb") as f:
            mi = OPF(f, basedir=str(out)).to_book_metadata()
        languages = [lang_as_iso639_1(x) or x for x in mi.languages]
        result.update(title=mi.title, authors=list(mi.authors), languages=languages, azw3=str(azw3), text=str(text),
                      cover=str(cover) if cover.exists() else None)
    print("RESULT " + json.dumps(result), flush=True)
