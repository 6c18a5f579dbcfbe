"""The parser's heuristics as named pattern tables, whose words come from the article's language's data file.

Nothing here runs on its own; `parse` walks these tables in order. A rule is a template: its shape (where a
credit stands, what follows a byline's label) is written here, and each slot `⟨key⟩` is filled with the phrases
of that key in `data/lang/<language>.json` (plus `neutral.json`), so no table holds a word of any one language.
To teach the parser a language, write its data file; to teach it a site's habit, add a phrase to the right key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.parse import compiled
from pipeline.parse.lexicon import CLOSING_MARKS, WORD_CHAR, Lexicon, longest_first, phrase_regex

# Cleaning text is the reader's job: the parser strips the same spaces the reader does.
from pipeline.read.source import CONTROL_CHARS as CONTROL_CHARS
from pipeline.read.source import EDGE_SPACE as EDGE_SPACE


@dataclass(frozen=True)
class Rule:
    """One named pattern; `note` says in a line what it catches."""

    name: str
    pattern: re.Pattern[str]
    note: str


# Compared and hashed by identity: a template is a constant, and the caches that compile it per language are asked
# for it on every line, where hashing its strings each time would cost more than the lookup saves.
@dataclass(frozen=True, eq=False)
class Template:
    """A rule before its words: `⟨key⟩` slots name data-file keys (`⟨share,network⟩` several, `⟨share:long⟩` only
    phrases of three words or more). With `everywhere`, the slots also take the words of the web's lingua franca
    (`neutral.json`), which sites in every language print on their buttons."""

    name: str
    regex: str
    note: str
    flags: int = re.IGNORECASE
    everywhere: bool = False


_SLOT = re.compile(r"⟨(?P<keys>[a-z_,]+)(?::(?P<mod>long))?⟩")


def _slot(lex: Lexicon, keys: str, mod: str | None, everywhere: bool) -> str:
    names = keys.split(",")
    phrases = lex.everywhere(*names) if everywhere else lex.phrases(*names)
    found = {phrase_regex(p.strip().rstrip(":：").strip()) for p in phrases
             if p.strip(" :：") and (mod != "long" or len(p.split()) >= 3)}
    return "|".join(longest_first(found)) or r"(?!x)x"


@lru_cache(maxsize=2048)
def compile_rule(template: Template, lex: Lexicon) -> Rule:
    """`template` with its slots filled from `lex`."""
    regex = _SLOT.sub(lambda m: _slot(lex, m.group("keys"), m.group("mod"), template.everywhere), template.regex)
    return Rule(template.name, compiled.compile(regex, template.flags, scope=lex.language), template.note)


@lru_cache(maxsize=256)
def table(templates: tuple[Template, ...], lex: Lexicon) -> tuple[Rule, ...]:
    """A whole table of templates, compiled for one language (once: lexicons are cached per language)."""
    return tuple(compile_rule(t, lex) for t in templates)


def _t(name: str, regex: str, note: str, flags: int = re.IGNORECASE, everywhere: bool = False) -> Template:
    return Template(name, regex, note, flags, everywhere)


# --- Photo credits -------------------------------------------------------------------------------
# Each pattern matches a credit at the END of a caption line; group `credit` is the credit alone and
# everything before the match is the caption. Order matters: the first that matches wins.
CREDIT_RULES: tuple[Template, ...] = (
    _t("paren-label", r"\s*[(\[（]\s*(?:⟨credit⟩)\s*[:：=/／]?\s*(?P<credit>[^()\[\]（）]+?)\s*[)\]）]\s*$",
       "a trailing `(Photo: X)`, `(Foto: X)`, `(사진=X)`, `[Credit: X]`: a credit label of the language in brackets",
       everywhere=True),
    _t("paren-agency", r"\s*\(\s*(?P<credit>[^()]{0,80}(?<!\w)(?:⟨agencies⟩)(?!\w)[^()]{0,40})\s*\)\s*$",
       "a trailing `(J. Scott Applewhite/AP)` or `(Jane Roe via Getty Images)`: a credit naming a photo agency", 0),
    _t("paren-courtesy", r"\s*\(\s*(?P<credit>(?:⟨courtesy⟩)\s+[^()]+?)\s*\)\s*$", "a trailing `(Courtesy of X)`",
       everywhere=True),
    _t("paren-copyright", r"\s*\(\s*©\s*(?P<credit>[^()]+?)\s*\)\s*$", "a trailing `(© X)`"),
    _t("photo-by", r"(?:^|(?<=[.!?。|–—-])|(?<=[.!?。|–—-]\s))\s*(?:⟨credit_by⟩)\s+(?P<credit>[^()]+?)\.?\s*$",
       "a trailing sentence `Photo by X`, `Foto von X` after the caption's end", everywhere=True),
    _t("label-credit", r"(?:^|(?<=[\s.。|–—-]))(?:⟨credit⟩)\s*[:：=/／]\s*(?P<credit>[^:：()（）]{1,80}?)[.。]?\s*$",
       "a trailing `Photo: X`, `Foto: X`, `Фото: X`, `Credit: X/Reuters`", everywhere=True),
    _t("copyright", r"(?:^|(?<=[\s.|]))©\s*(?P<credit>[^©]+?)\.?\s*$", "a trailing `© X`"),
)

# The longest line that can still be a caption; longer lines ending like a credit are prose.
CAPTION_MAX_CHARS = 500

# --- Bylines -------------------------------------------------------------------------------------
# Group `names` holds one or more names, perhaps with a role after a comma or a bar.
BYLINE_RULES: tuple[Template, ...] = (
    # A label ends at a word's end: Python's `\w` leaves out combining marks, so Tamil `எழுதியவர்` (its last
    # letter's virama a mark) would be found inside the plural `எழுதியவர்கள்:`.
    _t("prefix", rf"^(?:⟨byline_prefix⟩)(?:(?<!{WORD_CHAR})|(?!{WORD_CHAR}))\s*[:：=]?\s*(?P<names>\S.*)$",
       "the language's byline label before the names: `By A`, `Par A`, `Von A`, `Door A`, `文：A`, `بقلم A`"),
)

# A byline segment that names a job or an employer rather than a person: `Special Correspondent`, `Reuters`.
ROLE_WORDS = _t("roles", r"(?<!\w)(?:⟨roles,offices,byline_suffix,agencies⟩)(?!\w)",
                "a job, an office or an employer after a name: `Staff Writer`, `Korrespondentin`, `Press Office`, "
                "`Reuters`", everywhere=True)

# Contact details some bylines carry: an e-mail address or a social-media handle after the name.
BYLINE_CONTACT = re.compile(r"\s*(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|@\w{2,30})\s*$")

# A place after a name in a byline: `By Ann Lee in Tokyo`, `Von Hans Meier aus Berlin`.
BYLINE_PLACE = _t("place", r"\s+(?:⟨place_prepositions⟩)\s+(?P<place>[A-ZÀ-Ý][\w'’.-]+(?:\s+[A-ZÀ-Ý][\w'’.-]+){0,2})$",
                  "a place after the names: `in Tokyo`, `aus Berlin`", 0)

# A line that is only a personal name: two to four capitalised words (`Ann Lee`, `Jean-Luc de la Rue`).
PERSON_NAME = _t("person-name", r"^[A-ZÀ-Ý][\w'’.-]+(?:\s+(?:(?:⟨name_particles⟩)\s+)?[A-ZÀ-Ý][\w'’.-]*){1,3}$",
                 "a line that is only a personal name", 0)

# A leading label some sites put before a caption: `Image: The telescope …`, `Caption: …`.
CAPTION_LABEL = _t("caption-label", r"^(?:⟨caption_label,credit⟩)\s*[:：]\s*", "a `Caption:` label",
                   everywhere=True)

# Explicit role separators: `By A | Staff Writer`, `By A — Staff Writer`.
ROLE_SEPARATOR = re.compile(r"\s+[|–—·•]\s+")

# --- Site leftovers ------------------------------------------------------------------------------
# A line matching one of these is dropped wherever it stands. The lingua franca's words count in every language.
BOILERPLATE_LINES: tuple[Template, ...] = (
    # After its number the word may take a case ending the data file does not list (`12 каментарыяў`, Arabic
    # `14 تعليقاً` with its vowel mark).
    _t("comment-count", rf"^(?:\d+\s+(?:⟨comments⟩){WORD_CHAR}{{0,3}}|(?:⟨comments⟩)\s*(?:\(\d+\)|:\s*\d+|\d+)?)$",
       "a bare comment counter such as `0 comments` or `Comments (3)`", everywhere=True),
    _t("comment-form", r"^(?:⟨comment_form⟩)\s*\*?\s*$|^(?:⟨comment_form:long⟩)",
       "the comment form's fields and notices (`Your email address will not be published`)", everywhere=True),
    _t("share", r"^(?:⟨share⟩)\s*:?$|^(?:⟨share:long⟩)\b", "a `Share this:` label or `Click to share` button",
       everywhere=True),
    _t("advert", r"^(?:⟨advertising⟩)\s*:?$", "an advertisement marker (`Advertisement`, `Anzeige`)",
       everywhere=True),
    _t("read-more", r"^(?:⟨read_more⟩)\s*[:：>»]\s*\S", "a `Read more: …` teaser naming another article",
       everywhere=True),
    _t("network-row", r"^(?:(?:⟨network,share,print_listen⟩)[\s,|·•/]*){2,}$", "a row of share-button network names",
       everywhere=True),
    _t("share-on", r"^(?:⟨share⟩)\s+(?:⟨network⟩)$", "a single `Share on Facebook` button", everywhere=True),
    _t("newsletter", r"^(?:⟨newsletter⟩)\s*[:.!]?$|^(?:⟨newsletter:long⟩)\b", "a newsletter sign-up blurb",
       everywhere=True),
    _t("cookies", r"(?<!\w)(?:⟨cookie:long⟩)(?!\w)", "a cookie notice", everywhere=True),
    _t("contact", r"^(?:@\w{2,30}|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)$", "an author's handle or e-mail address on its own line"),
    _t("relative-date", r"^(?:(?:⟨published,updated⟩)\s*:?\s*)?(?:⟨relative_time⟩)$",
       "a relative time stamp such as `Published 2 days ago`", everywhere=True),
    _t("button", r"^(?:⟨share,print_listen,network⟩)\s*$|^(?:⟨follow⟩)(?:\s+(?:⟨network⟩))?\s*$",
       "a lone share or follow button: `Tweet`, `Email`, `Follow us on Twitter`", everywhere=True),
    _t("subscribe", r"^(?:⟨navigation,paywall⟩)\s*\.?$", "a site button: `Subscribe`, `Sign in`, `Menu`, `Skip to content`",
       everywhere=True),
    _t("reading-time", r"^(?:⟨reading_time⟩)\.?$", "a reading-time note", everywhere=True),
    _t("nav-row", r"^(?:[^|｜›»>]{1,25}\s*[|｜›»>]\s*){2,}[^|｜›»>]{1,25}$",
       "a navigation row or breadcrumb: `Home | News | World`, `Home › Opinion › Asia`"),
    _t("image-placeholder", r"^\[?(?:⟨placeholders⟩)\]?$", "an image or video placeholder left by copying",
       everywhere=True),
    # After the copyright sign and the owner, a few more letters may stand before the footer's phrase where words
    # are not spaced (`記事・写真の` before `無断転載を禁じます`, "articles and photos: reproduction forbidden").
    _t("rights-footer", r"^(?:(?:©|\(c\)|(?:⟨footer⟩)\s*(?:©|\(c\))?)[^.]{0,80}[.,。]?\s*[^.。\s]{0,12})?(?:⟨footer⟩)[.。]?$",
       "the site's footer: `All rights reserved`",
       everywhere=True),
)

# A heading that introduces a block of site links (`Related Articles`, `More from …`): it and the short lines
# after it (headline-like link texts) are dropped, up to the next real paragraph.
LINK_SECTION_MARKERS: tuple[Template, ...] = (
    _t("related", r"^(?:⟨link_boxes⟩)\s*:?$", "a `Related Articles` (or `More from …`, `Ähnliche Artikel`, `関連記事`) "
       "box and its links", everywhere=True),
)

# A line matching one of these starts the site's trailing matter: it and everything after it go.
TAIL_MARKERS: tuple[Template, ...] = (
    _t("comment-form", r"^(?:\d+\s+)?(?:⟨comment_start⟩)\s*(?:\(\d+\))?\s*[:.]?$|^(?:⟨comment_start:long⟩)(?!\w)",
       "a comment form or thread: `Leave a Reply`, `Join the conversation`, `Comments (3)`", everywhere=True),
    _t("about-author", r"^(?:⟨author_box⟩)\s*:?$", "an `About the author` box", everywhere=True),
)

# `Tags: a, b, c` and the like: the keywords go into the metadata, the line out of the text.
KEYWORD_LINE = _t("tags", r"^(?:(?:⟨tagged⟩)\s.{1,60}?\s*[|·•]\s*)?(?:(?:⟨tags⟩)\s*[:：]|(?:⟨tagged⟩)\s)\s*"
                  r"(?P<keywords>\S.*)$",
                  "a `Tags: a, b, c` line, or WordPress's `Posted in X | Tagged a, b`: keywords for the metadata",
                  everywhere=True)
KEYWORD_SEPARATORS = re.compile(r"\s*(?:,|;|\||·|•|#|、|，)\s*")

# The article's own copyright line (`© 2019 Example Press`): kept as the rights statement, not as text.
# A word or three may stand before the sign in words the data file lacks (`Hak Cipta © 2024 …`, "Copyright").
RIGHTS_LINE = _t("rights", r"^(?:(?:⟨footer⟩)\s*(?:©|\(c\))?|(?:[^\W\d]+\s+){0,3}(?:©|\(c\)))\s*"
                 r"(?P<rights>(?:19|20)\d{2}\b.{0,150})$", "a `© 2019 Publisher` line", everywhere=True)

# --- Dates ---------------------------------------------------------------------------------------
# What may stand beside a date on a date line without making it prose: the language's date words and labels,
# times (with CLDR's day periods after them: `8:15 pagi`, `9.30 Uhr morgens`), time zones, counters and separators.
DATE_LINE_FILLER = _t(
    "date-filler",
    r"(?:(?<!\w)(?:⟨date_words,published,updated,timezones⟩)(?!\w)|(?:⟨date_marks⟩)"
    r"|\d+\s+(?:⟨comments⟩)[^\W\d_]{0,3}|\d{1,2}[:.h]\d{2}(?::\d{2})?(?:\s*(?:⟨day_periods⟩)(?!\w))?|[+-]\d{2}:?\d{2}\b"
    r"|[|•·,\-–—:/()\[\]\s\u00a0\u3000：（）]|(?:⟨reading_time⟩))",
    "the words and signs a date line may carry besides its date", everywhere=True)

# What may stand between a byline and the date on one line: separators and the date's label.
BEFORE_DATE = _t("before-date", r"(?:[\s|•·,–—:-]+|(?<!\w)(?:⟨published,updated,date_words⟩)(?!\w))*$",
                 "the label and separators between a byline and its date", everywhere=True)

# --- Body structure ------------------------------------------------------------------------------
HEADING_MAX_CHARS = 90
HEADING_MAX_WORDS = 10
#: In scripts written without spaces (Chinese, Japanese): the editor's rule of 20 characters.
HEADING_MAX_CHARS_UNSPACED = 20

# A line that cannot be a heading however short it is.
NOT_HEADING: tuple[Template, ...] = (
    _t("interview", r"^(?:⟨interview_labels⟩)\s*[:.：]",
       "an interview's `Q: …` or a speaker's `Name: …` line", 0, everywhere=True),
    _t("sentence-end", rf"[.,;…!。，；！۔।][{re.escape(CLOSING_MARKS)}]*$", "a line ending like a sentence (a period, comma, ellipsis)"),
    _t("quoted", r"^[\"“„«»‘'「『].*[\"”“»«’'」』]$", "a one-line quotation"),
    _t("url", r"^(?:https?://|www\.)", "a bare link"),
    _t("dash-attribution", r"^[—–―-]\s*\S", "an attribution line `— Name`"),
    _t("two-sentences", r"[a-z\u00df-\u00ff]{2}[.!?]\s+[A-Z(\"“‘]", "two sentences on one line", 0),
)

# Headings the notes section carries at the end of an article.
NOTES_HEADING = _t("notes-heading", r"^(?:⟨notes_headings⟩)\s*:?$", "the heading over the footnotes",
                   everywhere=True)
# A footnote: `[1] text`, `1. text` or `¹ text` under the notes heading.
NOTE_LINE = re.compile(r"^(?:\[(?P<b>\d{1,3})\]|\((?P<p>\d{1,3})\)|(?P<n>\d{1,3})[.)]|(?P<s>[¹²³⁴⁵⁶⁷⁸⁹⁰]+)|\^(?P<c>\d{1,3})|※(?P<k>\d{1,3}))"
                       r"\s*(?P<text>\S.*)$")
# A footnote marker in running text: `[1]` after a word or punctuation.
NOTE_MARKER = re.compile(r"(?<=[^\s\[])\[(?P<label>\d{1,3})\]")
# A bracketed number set right after a word or its punctuation (`دنانير(1)`): a footnote marker where notes
# numbered `(1)` follow the text.
PAREN_MARKER = re.compile(r"(?<=[^\s\d(])\((?P<label>\d{1,3})\)")
# A superscript footnote marker in running text: `Euro¹`, `2023.²`, or the reference mark of Japanese: `…した※1。`
SUPERSCRIPT_MARKER = re.compile(r"(?<=[^\s\d¹²³⁴⁵⁶⁷⁸⁹⁰])(?P<label>[¹²³⁴⁵⁶⁷⁸⁹⁰]{1,3})|(?<=\S)※(?P<mark>\d{1,3})")

# An attribution line under a quotation: `— Name`, `- Name, Title`.
ATTRIBUTION = re.compile(r"^[—–―-]{1,2}\s*(?P<who>\S.{0,150})$")
# A quotation line: text wholly inside quotation marks (Finnish and Swedish open with `”`), perhaps followed by
# `— Name` on the same line; Polish sets the full stop after the closing mark (`„…”.`).
QUOTE_LINE = re.compile(r"^(?P<open>[\"“”„«»「『])\s*(?P<text>.+?)\s*(?P<close>[\"”“»«」』])\.?(?:\s*[—–―]\s*(?P<who>\S.{0,150}))?$")
# Markdown-style quoting that some copy tools produce: `> text`.
QUOTE_PREFIX = re.compile(r"^>\s?(?P<text>.*)$")

# The fewest words of a body sentence that a pull quote repeats, and the most a pull quote has.
PULLQUOTE_MIN_WORDS = 6
#: A pull quote set in quotation marks may be shorter.
PULLQUOTE_QUOTED_MIN_WORDS = 4
PULLQUOTE_MAX_WORDS = 40

#: Every table and single rule, by name: what `docs/parsing.md` documents and the tests walk.
TABLES: dict[str, tuple[Template, ...]] = {
    "credit": CREDIT_RULES, "byline": BYLINE_RULES, "boilerplate": BOILERPLATE_LINES,
    "link-section": LINK_SECTION_MARKERS, "tail": TAIL_MARKERS, "not-heading": NOT_HEADING,
    "single": (ROLE_WORDS, BYLINE_PLACE, PERSON_NAME, CAPTION_LABEL, KEYWORD_LINE, RIGHTS_LINE, DATE_LINE_FILLER,
               BEFORE_DATE, NOTES_HEADING),
}
