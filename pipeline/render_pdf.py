"""The print edition: the shared HTML laid out by WeasyPrint with print CSS and the project's own fonts."""

from __future__ import annotations

import atexit
import logging
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .assets import STYLES, FetchRefused, allowed_roots, font_face_css, sealed_fetch
from .fonts import check_coverage
from .model import Document
from .options import PAPERS
from .render_html import pdf_html
from .sidecar import images

if TYPE_CHECKING:  # WeasyPrint takes half a second to import: only the PDF step pays for it.
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

log = logging.getLogger(__name__)


def _fetcher(extra: tuple[Path, ...] = ()) -> Any:
    """A fetcher for the project's own files and the `extra` files (a document's sidecar images)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots = allowed_roots()

    class SealedFetcher(URLFetcher):  # type: ignore[misc]
        """Serves the project's own files; anything else (network, other files, data: URLs) is refused."""

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            try:
                body = sealed_fetch(url, roots, extra)
            except FetchRefused:
                log.warning("refused a fetch during PDF rendering: %s", url[:120])
                raise
            return URLFetcherResponse(url, body=body, headers={}, status=200)

    return SealedFetcher(allowed_protocols={"file"})


@lru_cache(maxsize=1)
def _engine() -> tuple[FontConfiguration, Any]:
    """One font configuration and one fetcher per process: WeasyPrint's costly set-up, done once."""
    from weasyprint.text.fonts import FontConfiguration

    # Drop the configuration before interpreter teardown: its finaliser needs modules that are gone by then.
    atexit.register(_engine.cache_clear)
    return FontConfiguration(), _fetcher()


@lru_cache(maxsize=len(PAPERS))
def stylesheets(paper: str) -> tuple[CSS, ...]:
    """The parsed print style sheets for `paper`, shared by every document of a process."""
    from weasyprint import CSS

    fonts, fetcher = _engine()
    return (
        CSS(string=font_face_css(), font_config=fonts, url_fetcher=fetcher),
        CSS(filename=str(STYLES / "print.css"), font_config=fonts, url_fetcher=fetcher),
        CSS(string=f"@page {{ size: {PAPERS[paper]}; }}", font_config=fonts, url_fetcher=fetcher),
    )


def render_pdf(doc: Document, *, paper: str = "a4") -> bytes:
    """The PDF as bytes: tagged with the article's metadata, bookmarks from its headings, fonts embedded."""
    from lxml import html as lxml_html
    from weasyprint import HTML

    fonts, _fetch = _engine()
    files = images(doc)
    source = pdf_html(doc, image_src={i: path.as_uri() for i, path in files.items()})
    # Every character must have a font before layout: a missing glyph is an error, never a printed box.
    check_coverage(lxml_html.fromstring(source).text_content())
    html = HTML(string=source, base_url=STYLES.as_uri() + "/", url_fetcher=_fetcher(tuple(files.values())))
    return html.write_pdf(  # type: ignore[no-any-return]
        stylesheets=list(stylesheets(paper)),
        font_config=fonts,
        pdf_identifier=True,  # the file's ID is a digest of its content: the same input gives the same bytes
        custom_metadata=False,
    )
