"""The renderers' URL fetcher serves the project's own assets and nothing else."""

from __future__ import annotations

import pytest

from pipeline.render.assets import FONT_FACES, STYLES, FetchRefused, sealed_fetch


def test_serves_our_styles_and_fonts() -> None:
    assert sealed_fetch((STYLES / "print.css").as_uri()).startswith(b"/*")
    assert len(sealed_fetch(FONT_FACES[0].path.as_uri())) > 10_000


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    STYLES.as_uri() + "/../../../../../etc/passwd",
    "http://127.0.0.1:9/x.css",
    "https://example.org/font.woff",
    "data:text/css,body{}",
    "ftp://example.org/x",
])
def test_refuses_everything_else(url: str) -> None:
    with pytest.raises(FetchRefused):
        sealed_fetch(url)
