"""Issue 9's last probes: markers that mean something stay, markup shown as text links nothing, emoji titles draw."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

from PIL import Image

from pipeline.build.workers import render
from pipeline.options import BuildOptions
from pipeline.parse.parser import parse
from pipeline.render.cover import draw_cover

BODY = "A paragraph of text that is long enough to be the body of the article, with a sentence or two more.\n"


def test_a_tick_list_keeps_its_ticks_in_every_edition() -> None:
    doc = parse(f"Headline\nBy Ann Lee\n\n{BODY}\n✅ first done\n✅ second done\n\nThe end of it all, really.\n")
    (items,) = [b.items for b in doc.blocks if hasattr(b, "items")]
    assert items == ("✅ first done", "✅ second done")
    assert "✅ first done" in render(doc, "txt", BuildOptions(formats=("txt",))).decode("utf-8")


def test_a_url_inside_markup_shown_as_text_is_not_a_link() -> None:
    doc = parse(f'Headline\nBy Ann Lee\n\n{BODY}\nThe page embeds <iframe src="https://example.com/x"></iframe> '
                "and cites https://example.org/page as its source.\n")
    epub = render(doc, "epub", BuildOptions(formats=("epub",)))
    with zipfile.ZipFile(io.BytesIO(epub)) as z:
        xhtml = b"".join(z.read(n) for n in z.namelist() if n.endswith(".xhtml")).decode("utf-8")
    assert 'href="https://example.com/x"' not in xhtml and "&lt;iframe src=" in xhtml
    assert 'href="https://example.org/page"' in xhtml  # a URL the article gives stays a link


def test_emoji_in_a_title_are_left_off_the_cover_and_never_break_the_epub() -> None:
    doc = parse(f"Headline\n\n{BODY}")
    for title in ("🎉🎉🎉", "Party 🎉 time 👍🏽", "❤️‍🔥"):
        titled = replace(doc, meta=replace(doc.meta, title=title))
        cover = draw_cover(titled)
        assert Image.open(io.BytesIO(cover.data)).size == (1600, 2560)
        assert title in cover.alt  # the text alternative keeps the whole title
        assert render(titled, "epub", BuildOptions(formats=("epub",))).startswith(b"PK")
