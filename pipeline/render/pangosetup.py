"""WeasyPrint's Pango set-up of a run of text made once per font and language, not once per line."""

from __future__ import annotations

import contextvars
import inspect
import threading
import weakref
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from pipeline.render.patching import Patch

# WeasyPrint 70 makes a Pango layout for every line it breaks (`split_first_line`) and makes it again for every
# line it draws (`Layout.reactivate`), and each time `Layout.setup` starts from nothing: a new Pango context for
# the font map, its direction and language, a new font description and the font features, all read from the
# computed style. Those depend on a few of the style's values only (the `_KEYS` below), and a Pango context is
# never changed once set up, so layouts of one font, direction and language may share them; only the Pango layout
# itself is new each time, so each line is still shaped from scratch, with the same fonts and glyphs: the same
# PDF bytes. A long text sets some 40,000 runs of text up, laid out and drawn (20,000 one-word lines).

#: The style's values `Layout.setup` reads (WeasyPrint 70), besides its font configuration.
_KEYS = ("direction", "font_language_override", "lang", "font_family", "font_style", "font_stretch", "font_weight",
         "font_size", "font_variant_caps", "font_variation_settings", "text_decoration_line", "font_kerning",
         "font_variant_ligatures", "font_variant_position", "font_variant_numeric", "font_variant_alternates",
         "font_variant_east_asian", "font_feature_settings")

_active: contextvars.ContextVar[bool] = contextvars.ContextVar("pango_setup_shared", default=False)


@dataclass(frozen=True)
class _Setup:
    """What `Layout.setup` derives from a style, ready to give a new Pango layout."""

    context: Any
    language: Any
    font_description: Any
    metrics: dict[str, float | None]
    features: bytes | None


class _Setups(threading.local):
    """Per thread (Pango objects are not to be shared between threads), and per font configuration (a document's
    fonts, with which they go), the set-ups made."""

    def __init__(self) -> None:
        self.made: weakref.WeakKeyDictionary[Any, dict[tuple[Any, ...], _Setup]] = weakref.WeakKeyDictionary()


_setups = _Setups()


def installed() -> bool:
    """Whether the shared set-up sits in this process's WeasyPrint (False when its `Layout.setup` differs)."""
    return _PATCH.installed


def _install() -> bool:
    return _PATCH()


def _put_in() -> bool:
    import weasyprint
    from weasyprint.text import line_break

    original: Callable[..., Any] = line_break.Layout.setup
    if not (weasyprint.__version__.split(".")[0] == "70"
            and tuple(inspect.signature(original).parameters) == ("self", "style")):
        return False

    def setup(self: Any, style: Any) -> None:
        if not _active.get():
            original(self, style)
            return
        try:
            key = tuple(style[name] for name in _KEYS)
            made = _setups.made.setdefault(style.font_config, {})
            found = made.get(key)
        except TypeError:  # a value that cannot be hashed: set up as WeasyPrint does
            original(self, style)
            return
        if found is None:
            found = made[key] = _set_up(style)
        _apply(self, style, found)

    line_break.Layout.setup = setup
    return True


_PATCH = Patch(_put_in)


def _set_up(style: Any) -> _Setup:
    """`Layout.setup` of WeasyPrint 70 up to the Pango layout, for a style of `_KEYS` values."""
    from weasyprint.text.constants import LST_TO_ISO, PANGO_DIRECTION
    from weasyprint.text.ffi import FROM_UNITS, ffi, gobject, pango, unicode_to_char_p
    from weasyprint.text.fonts import font_features, get_font_description

    context = ffi.gc(pango.pango_font_map_create_context(style.font_config.font_map), gobject.g_object_unref)
    pango.pango_context_set_round_glyph_positions(context, False)
    pango.pango_context_set_base_dir(context, PANGO_DIRECTION[style["direction"]])
    if style["font_language_override"] != "normal":
        lang_p, lang = unicode_to_char_p(LST_TO_ISO.get(style["font_language_override"].lower(),
                                                        style["font_language_override"]))
    elif style["lang"]:
        lang_p, lang = unicode_to_char_p(style["lang"])
    else:
        lang = None
        language = pango.pango_language_get_default()
    if lang:
        language = pango.pango_language_from_string(lang_p)
        pango.pango_context_set_language(context, language)
    description = get_font_description(style)
    metrics: dict[str, float | None] = {"ascent": None, "underline_position": None, "strikethrough_position": None}
    if style["text_decoration_line"] != "none":
        found = ffi.gc(pango.pango_context_get_metrics(context, description, language), pango.pango_font_metrics_unref)
        metrics = {
            "ascent": FROM_UNITS * pango.pango_font_metrics_get_ascent(found),
            "underline_position": FROM_UNITS * pango.pango_font_metrics_get_underline_position(found),
            "strikethrough_position": FROM_UNITS * pango.pango_font_metrics_get_strikethrough_position(found),
            "underline_thickness": FROM_UNITS * pango.pango_font_metrics_get_underline_thickness(found),
            "strikethrough_thickness": FROM_UNITS * pango.pango_font_metrics_get_strikethrough_thickness(found),
        }
    features = font_features(
        style["font_kerning"], style["font_variant_ligatures"], style["font_variant_position"],
        style["font_variant_caps"], style["font_variant_numeric"], style["font_variant_alternates"],
        style["font_variant_east_asian"], style["font_feature_settings"])
    joined = ",".join(f"{name} {value}" for name, value in features.items()).encode() if features else None
    return _Setup(context, language, description, metrics, joined)


def _apply(layout: Any, style: Any, setup: _Setup) -> None:
    """The rest of `Layout.setup`: a new Pango layout on the shared context, font and features."""
    from weasyprint.text.ffi import ffi, gobject, pango

    layout.style = style
    layout.first_line_direction = 0
    layout.language = setup.language
    layout.layout = ffi.gc(pango.pango_layout_new(setup.context), gobject.g_object_unref)
    pango.pango_layout_set_auto_dir(layout.layout, False)
    pango.pango_layout_set_font_description(layout.layout, setup.font_description)
    for name, value in setup.metrics.items():
        setattr(layout, name, value)
    if setup.features is not None:
        # WeasyPrint keeps one attribute per feature string in the font configuration, and a new list each time.
        attributes = style.font_config.font_features
        attribute = attributes.get(setup.features)
        if attribute is None:
            attribute = attributes[setup.features] = pango.pango_attr_font_features_new(setup.features)
        attr_list = pango.pango_attr_list_new()
        pango.pango_attr_list_insert(attr_list, attribute)
        pango.pango_layout_set_attributes(layout.layout, attr_list)


def shared() -> AbstractContextManager[None]:
    """Share Pango set-ups between the runs of text laid out or drawn meanwhile (in this thread)."""
    return _PATCH.switched_on(_active, True)
