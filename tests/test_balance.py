"""The last page's columns balanced after layout (pipeline/render/balance.py): as WeasyPrint's own balancing sets
them, with every line kept, in order, and nothing a proof-reader would mark."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from weasyprint import CSS, HTML
from weasyprint.formatting_structure import boxes

from pipeline.build.workers import load_bytes
from pipeline.check.layout import check_layout
from pipeline.options import BuildOptions
from pipeline.render import balance
from pipeline.render.assets import STYLES
from pipeline.render.pagemap import page_map
from pipeline.render.pdf import BALANCED_COLUMNS, PrintSetup, engine, layout, render_balanced, stylesheets

from .conftest import SEED

# A small page, two columns of 140px: a dozen lines a column, so each case is easy to set up.
PAGE = ("@page { size: 400px 300px; margin: 20px 50px; } body { margin: 0; font: 16px/20px serif; }"
        " .body { columns: 2; column-gap: 20px; column-fill: auto; }"
        " p { margin: 0; orphans: 2; widows: 2; } h2 { margin: 30px 0 0; font-size: 16px; line-height: 20px;"
        " break-after: avoid; bookmark-level: 2; }")


def _html(body: str, css: str = "", direction: str = "ltr") -> Any:
    return HTML(string=f"<html lang='en' dir='{direction}'><head><style>{PAGE}{css}</style></head>"
                       f"<body><div class='body'>{body}</div></body></html>")


def _sheets(css: str = "") -> list[CSS]:
    fonts, _fetch = engine()
    return [CSS(string=css, font_config=fonts)] if css else []


def _columns(page: Any) -> list[Any]:
    (found,) = [box for box in page._page_box.descendants() if getattr(box, "is_column", False) is False
                and any(getattr(child, "is_column", False) for child in getattr(box, "children", ()))]
    return [child for child in found.children if child.is_column]


def _lines(box: Any) -> Iterator[Any]:
    for child in box.descendants():
        if isinstance(child, boxes.LineBox):
            yield child


def _text(box: Any) -> str:
    return " ".join("".join(t.text for t in line.descendants() if isinstance(t, boxes.TextBox))
                    for line in _lines(box))


def _bottom(column: Any) -> float:
    return max((line.position_y + line.height for line in _lines(column)), default=column.position_y)


def _by_column(pages: Any) -> list[list[str]]:
    return [[_text(column) for column in _columns(page)] for page in pages.pages]


def _words(n: int, start: int = 0) -> str:
    return " ".join(f"w{i}" for i in range(start, start + n))


@pytest.mark.parametrize("count", range(2, 20))
def test_the_last_page_is_balanced_with_every_line_in_order(count: int) -> None:
    body = "".join(f"<p>{_words(3 + 5 * (n % 3), 100 * n)}</p>" + ("<h2>Heading</h2>" if n % 4 == 2 else "")
                   for n in range(count))
    pages = render_balanced(_html(body), [], None)
    bottoms = [_bottom(column) for column in _columns(pages.pages[-1])]
    # One column where no break is allowed (a heading and a paragraph of three lines, say); else at most what the
    # lines kept together (`orphans`, `widows`, a heading with its first lines) and a heading's margin make.
    assert max(bottoms) - min(bottoms) <= 4 * 20, bottoms
    words = " ".join(text for page in _by_column(pages) for text in page).split()
    source = " ".join(f"{_words(3 + 5 * (n % 3), 100 * n)}" + (" Heading" if n % 4 == 2 else "") for n in range(count))
    assert words == source.split()
    assert check_layout(pages) == []


def test_a_heading_that_starts_the_second_column_loses_its_top_margin_and_keeps_its_bookmark() -> None:
    body = f"<p>{_words(24)}</p><p>{_words(20, 24)}</p><h2>Second</h2><p>{_words(36, 44)}</p>"
    pages = render_balanced(_html(body), [], None)
    (page,) = pages.pages
    first, second = _columns(page)
    (heading,) = [box for box in second.descendants() if isinstance(box, boxes.BlockBox) and box.element_tag == "h2"]
    assert heading.border_box_y() == pytest.approx(second.content_box_y())
    assert [(label, x) for _level, label, (x, _y), _state in page.bookmarks] == [
        ("Second", pytest.approx(heading.border_box_x()))]
    assert heading.border_box_x() > first.position_x + first.width


def test_a_heading_is_never_left_at_the_foot_of_the_first_column() -> None:
    for lines in range(8, 16):
        body = f"<p>{_words(4 * lines)}</p><h2>Head</h2><p>{_words(24, 1000)}</p>"
        pages = render_balanced(_html(body), [], None)
        assert check_layout(pages) == [], lines


def test_right_to_left_columns_stay_right_to_left() -> None:
    body = "".join(f"<p>{_words(12, 12 * n)}</p>" for n in range(5))
    pages = render_balanced(_html(body, direction="rtl"), [], None)
    first, second = _columns(pages.pages[-1])
    assert second.position_x < first.position_x
    assert _text(first) and _text(second)


def test_a_float_in_the_columns_is_left_to_weasyprints_balancing() -> None:
    body = f"<p style='float: left; width: 40px'>{_words(3)}</p>" + "".join(
        f"<p>{_words(12, 12 * n)}</p>" for n in range(1, 5))
    laid = _html(body).render()
    assert balance.balance(laid) is False
    ours = render_balanced(_html(body), [], None)
    theirs = _html(body).render(stylesheets=_sheets(BALANCED_COLUMNS))
    assert _by_column(ours) == _by_column(theirs)


def _seed_like(n: int) -> Any:
    from bench.harness import variant

    text = SEED.read_text(encoding="utf-8")
    return load_bytes(f"variant-{n}.txt", variant(text, n).encode(), BuildOptions())


@pytest.mark.parametrize("n", [0, 1, 2, 3])
def test_the_articles_columns_as_weasyprint_balances_them(n: int) -> None:
    """The seed and articles like it, A4: the same columns as WeasyPrint's own balancing, line for line, and the
    same page starts for the EPUB's page numbers."""
    from pipeline.render.html import pdf_html

    doc = _seed_like(n)
    setup = PrintSetup()
    layout.cache_clear()
    ours = layout(doc, setup)
    layout.cache_clear()
    fonts, fetcher = engine()
    theirs = HTML(string=pdf_html(doc), base_url=STYLES.as_uri() + "/", url_fetcher=fetcher).render(
        stylesheets=[*stylesheets(setup), CSS(string=BALANCED_COLUMNS, font_config=fonts)], font_config=fonts)
    assert _by_column(ours) == _by_column(theirs)
    assert page_map(ours) == page_map(theirs)
    assert [page.bookmarks for page in ours.pages] == [page.bookmarks for page in theirs.pages]
    assert check_layout(ours) == []
