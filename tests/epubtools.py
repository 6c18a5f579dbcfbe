"""Reading an EPUB back in tests: the namespaces its documents use, and one entry parsed as XML."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}


def epub_xml(book: Path, name: str) -> etree._Element:
    """The entry `name` of the EPUB at `book`, parsed."""
    with zipfile.ZipFile(book) as z:
        return etree.fromstring(z.read(name))
