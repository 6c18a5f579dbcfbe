"""Score lines and blocks as the article's prose or the site's chrome, from features no one site's wording decides."""

from __future__ import annotations

import contextlib
import contextvars
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterator, Sequence

from pipeline.parse import compiled
from pipeline.parse.dates import find_dates, read_date_line
from pipeline.parse.lexicon import CLOSING_MARKS, WORD, WORD_END, WORD_START, Lexicon, fold_letters

# Separators widgets and menus are printed with; they carry no words.
_SEPARATORS = re.compile(r"[|·•/\\›»>‹«<_=+*#~\-–—:;,.!?()\[\]{}\"'“”„‘’…©®™@%&^$0-9\s\u00a0\u3000"
                         r"、。，：；！？（）【】「」『』・]+")
#: Arrows, squares and triangles sites set before a label or a button.
LEAD_MARKS = "▶►▷→»›■□◆◇●○▸▹‣ "
#: The signs a media player's buttons start with.
_PLAY_MARKS = "▶►▷⏵⏯🎧🔊"
_SENTENCE_END = re.compile(rf"[.!?。！？…:;؟।۔][{re.escape(CLOSING_MARKS)}]*$")
_ANY_SENTENCE_END = re.compile(r"[.!?。！？;؟।۔](?:\s|$)")
_QUESTION_END = re.compile(rf"[?？؟][{re.escape(CLOSING_MARKS)}]*$")

#: How far down a page a menu above the headline may reach, in lines.
MENU_ZONE = 60
#: A chrome line is short: widgets and menus are a few words, however many links they hold.
MAX_CHROME_WORDS = 16
#: Prose: a line at least this long in words (or characters in unspaced scripts) that ends like a sentence.
PROSE_WORDS = 12
PROSE_CHARS_UNSPACED = 40


def words(text: str) -> list[str]:
    return WORD.findall(text)


def _cased(word: str) -> bool:
    """Whether `word` is written in a script that has capital letters (Latin, Cyrillic, Greek …)."""
    return any(ch.isalpha() and ch.lower() != ch.upper() for ch in word)


def stop_density(text: str, lex: Lexicon) -> float:
    """The share of a line's words that are the language's function words."""
    found = [fold_letters(w) for w in words(text)]
    if not found or not lex.stop_words:
        return 0.0
    return sum(1 for w in found if w in lex.stop_words) / len(found)


# Whether the article being read marks its sentences' ends: Thai, Lao and Khmer end a sentence with a space and a
# paragraph with nothing, so there a long line is prose whatever its last character.
_UNMARKED: contextvars.ContextVar[bool] = contextvars.ContextVar("unmarked", default=False)
#: Of an article's long lines, the share that must end like a sentence for the end to count as evidence of prose.
MARKED_SHARE = 0.2


@contextlib.contextmanager
def judging(lines: Sequence[str]) -> Iterator[bool]:
    """Read one article's lines with what its script does at sentence ends: yields whether it leaves them bare."""
    long = [t.strip() for t in lines if len(t.strip()) >= PROSE_CHARS_UNSPACED * 2]
    # A paragraph broken at its phrases' ends (Thai lines of a few words, a blank line between paragraphs) is
    # long as a block: its last line ends it.
    block: list[str] = []
    for t in [*lines, ""]:
        if t.strip():
            block.append(t.strip())
            continue
        if len(block) >= 2 and len(text := " ".join(block)) >= PROSE_CHARS_UNSPACED * 2:
            long.append(text)
        block = []
    marked = sum(1 for t in long if _SENTENCE_END.search(t))
    token = _UNMARKED.set(len(long) >= 5 and marked <= MARKED_SHARE * len(long))
    try:
        yield _UNMARKED.get()
    finally:
        _UNMARKED.reset(token)


def unmarked() -> bool:
    """Whether the article being read leaves its sentences' ends unmarked (see `judging`)."""
    return _UNMARKED.get()


def prose_weight(text: str, lex: Lexicon) -> int:
    """How many words of prose the line holds: 0 for a line that is not shaped like running text."""
    n = len(text) // 2 if lex.unspaced or not _spaced(text) else len(words(text))
    long_enough = len(text) >= PROSE_CHARS_UNSPACED if lex.unspaced or not _spaced(text) else n >= PROSE_WORDS
    if not long_enough or not (_SENTENCE_END.search(text.rstrip()) or _UNMARKED.get()):
        return 0
    return n


def widget_words(text: str, lex: Lexicon, vocabulary: frozenset[str] | None = None) -> tuple[int, int]:
    """How many of a line's content words (its language's function words left out) are words the site's widget
    phrases (or `vocabulary`) are made of, and how many content words it has: a reworded `Report an error` still
    scores high."""
    found = [fold_letters(w) for w in words(text)]
    content = [w for w in found if w not in lex.stop_words and not any(ch.isdigit() for ch in w)]
    known = lex.chrome_words if vocabulary is None else vocabulary
    # Languages that write `and`, `the`, `to` onto the word (Hebrew `למינוי`, "to the subscription") list those
    # prefixes in their data file: a word counts when what is left after one is a widget's word.
    clitics = lex.folded("clitics")
    return sum(w in known or any(w.startswith(c) and len(w) - len(c) >= 2 and w[len(c):] in known for c in clitics)
               for w in content), len(content)


#: The arrows a link's label stands before (`Lesen Sie auch →`, `함께 읽어볼 기사 ▶`), as a colon does.
LINK_ARROWS = "→›»▶►▸"
_LABEL_LINE = re.compile(rf"^(?P<label>[^:：{LINK_ARROWS}]{{2,40}})(?:[:：]|\s[{LINK_ARROWS}])\s*(?P<rest>\S.*)$")


def _reworded_label(text: str, lex: Lexicon) -> bool:
    """`Olvassa el ezt is: <headline>`: a label of a few words, half of them or more the words of link labels
    (`Read also`, `Related`), before a headline (no sentence end), however the site words its `Read also`."""
    m = _LABEL_LINE.match(text.lstrip(LEAD_MARKS))
    # The headline may ask a question (`Olvassa el ezt is: Mit jelent a sztrájkbizottság, és ki lehet a tagja?`).
    if m is None or (_SENTENCE_END.search(text) and not _QUESTION_END.search(text)) \
            or len(words(m.group("rest"))) > 20:
        return False
    label = m.group("label")
    hits, content = widget_words(label, lex, lex.link_words)
    return len(words(label)) <= 4 and hits > 0 and hits >= 0.5 * content and not _only_names(m.group("rest"), lex)


def _only_names(text: str, lex: Lexicon) -> bool:
    """`Maja Kovač in Luka Zupan`: capitalised words, two or three to a name, joined by the language's `and` or a
    comma, in a language that capitalises names: what follows a byline's label, not a headline's first words (a
    headline in any language but English starts a sentence, and English's link labels are in its data file)."""
    if not lex.capitalises:
        return False
    joiners = {fold_letters(w) for w in lex.and_words}
    names = [n.split() for n in re.split(r"\s*,\s*|\s+(?:" + "|".join(map(re.escape, lex.and_words)) + r")\s+", text)
             if n.strip()] if lex.and_words else [text.split()]
    return all(2 <= len(n) <= 3 and all(w[:1].isupper() and fold_letters(w) not in joiners for w in n)
               for n in names) and len(names) <= 4


def _spaced(text: str) -> bool:
    return text.count(" ") >= max(1, len(text) // 40)


# Handles, addresses and bare domains: the contact row of an author box or a follow line.
_CONTACT = re.compile(r"(?<!\w)@[\w.]{2,40}|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b(?:https?://)?(?:[\w-]+\.)+[a-z]{2,12}(?:/\S*)?",
                      re.IGNORECASE)


# Font-size buttons in any script: `A+ A-`, `א+ א-`, and one letter printed at three sizes, `A A A`.
_SIZE_BUTTON = re.compile(r"(?<!\w)\w[+\-–−](?!\w)|(?<!\w)(\w)(?:\s+\1(?!\w)){1,3}")


def _residue(text: str, lex: Lexicon) -> str:
    """What is left of a line once chrome phrases, counters, network names and separators are taken out."""
    text = _CONTACT.sub(" ", text)
    text = _SIZE_BUTTON.sub(" ", text)
    text = lex.counters.sub(" ", text)
    text = lex.chrome.sub(" ", text)
    return _SEPARATORS.sub(" ", text).strip()


def chrome_reason(text: str, lex: Lexicon, raw: str | None = None) -> str | None:
    """Why the line is a site leftover (chrome), or None when it may be the article's own text; `raw` is the line
    before its inner spaces were collapsed (menus are often laid out with wide gaps)."""
    if raw is not None and _spaced_menu(raw.strip()):
        return "a menu: short items set apart by wide gaps"
    if _breadcrumb(text):
        return "a breadcrumb trail"
    if lex.counters.fullmatch(text.strip(" |·•-–—()[]")):
        return "a counter (reading time, relative time or photo number)"
    # A label may stand behind an arrow or a square (`▶ Read also: …`).
    if lex.labels.match(text.lstrip(LEAD_MARKS)) and len(words(text)) <= 30:
        return "a link or advertising label with the headline it points to"
    if _reworded_label(text, lex):
        return REWORDED_LABEL
    # `Sponsored by Example Travel`, `Noddir gan …`: the advertising label with its sponsor, a few words, no sentence.
    if (sponsor := _sponsor_pattern(lex)) is not None and sponsor.match(text) and len(words(text)) <= 8 \
            and not _SENTENCE_END.search(text):
        return "an advertising label with its sponsor"
    n = len(words(text))
    # A player's button: a play sign before a few words, one of them a widget's (`▶ Kuuntele jakso`, "Listen to
    # the episode"); a list set with the same sign has no widget words.
    # A radio's player bar sets its items apart with bars (`▶ LIVE | Radio 96.4 | On air: Morning Show`).
    bars = text.count(" | ") >= 2
    if text[:1] in _PLAY_MARKS and (n <= 4 or (bars and n <= 12)) and not _SENTENCE_END.search(text) \
            and widget_words(text, lex)[0]:
        return "a player's button: a play sign and a widget word"
    # Or the play sign and the recording's length (`▶ Luister na hierdie artikel (2:45)`), in any words.
    if text[:1] in _PLAY_MARKS and n <= PLAYER_WORDS:
        bare = _minutes(lex).sub(" ", _DURATION.sub(" ", text))  # `(41 min.)`: the length's dot ends no sentence
        if bare != text and not _SENTENCE_END.search(bare.rstrip(" ()（）")):
            return "a player's button: a play sign and a duration"
    # A button's label in other words than the data's: a few words, every one of them a widget's (`Ouvir esta
    # matéria`, "Listen to this story").
    if n <= 4 and not _SENTENCE_END.search(text) and not text.endswith(("?", "？")):
        hits, content = widget_words(text, lex)
        if content >= 2 and hits == content:
            return BUTTON
    if n == 0:
        return "no words: only symbols and separators" if text.strip(" .") else None
    # A site's widget tells the reader a key chord (`… select it and press Ctrl+Enter`, to report a mistake): a
    # short line naming one is the widget's, in whatever language the rest of it is worded.
    if n <= KEY_CHORD_WORDS and (chords := _key_pattern(lex, "key_chords")) is not None and chords.search(text):
        return "a widget's instruction: a key chord (Ctrl+Enter) in a short line"
    if n <= MAX_CHROME_WORDS:
        residue = _residue(text, lex)
        # `• Режија: 4 од 5` ("Direction: 4 of 5"): a label the lexicon does not know before a number is a line of
        # data (a rating, a price, a spec), however counter-like the number's words.
        if (label := _DATA_LABEL.match(text)) is not None and residue and \
                fold_letters(residue).strip() == fold_letters(label.group("label")).strip():
            return None
        if residue != _SEPARATORS.sub(" ", text).strip():  # something of the lexicon was there
            left = len(words(residue))
            # A live blog's entry opens on its clock time (`06:45 Začíname sledovať situáciu`): its digits are no
            # words to weigh the widget's against.
            counted = n - (2 if _CLOCK_LEAD.match(text) else 0)
            # The share is of content words: a phrase of function words round one word (`U saradnji sa`, "in
            # cooperation with", a sponsor's label) leaves a heading's own words (`Обука у сарадњи са школом`).
            meant = [w for w in words(text) if fold_letters(w) not in lex.stop_words]
            kept = [w for w in words(residue) if fold_letters(w) not in lex.stop_words]
            if left == 0 or (left <= 1 and counted >= 3) \
                    or (counted >= 4 and left <= 0.4 * counted and not prose_weight(text, lex)
                        and not (len(kept) >= 2 and len(kept) > 0.4 * len(meant))):
                return "widget or link words (share, comments, follow, menu, handles …)"
            # Without spaces words cannot be counted: the share of characters the widget phrases leave.
            if (lex.unspaced or not _spaced(text)) and len(text) <= 30 and not prose_weight(text, lex) \
                    and len(residue.replace(" ", "")) <= 0.4 * len(_SEPARATORS.sub("", text)):
                return "widget or link words (share, comments, follow, menu, handles …)"
    if _menu(text, lex):
        return MENU_ROW
    return None


# An ideographic space is a wide gap by itself: full-width, it sets a Japanese menu's items apart.
_GAP = re.compile(r"\s{2,}|\t+|\s[|·•/]\s|\u3000")


_CLOCK_LEAD = re.compile(r"^\d{1,2}[:.]\d{2}\s+\S")
#: The most words of a line that names a widget's key chord and is the widget's instruction.
KEY_CHORD_WORDS = 15

#: The most words of a player's button that shows the recording's length, and that length (`2:45`, `(12:03)`).
PLAYER_WORDS = 8
_DURATION = re.compile(r"(?<![\d:])\(?\d{1,2}:\d{2}(?::\d{2})?\)?(?![\d:])")

#: The reason given for a row of capitalised words with no function words and no gaps between them.
BUTTON = "a button: every word of it a widget's"
MENU_ROW = "a menu: a row of capitalised section names with no function words"


def _spaced_menu(raw: str) -> bool:
    """A row of at least four short items with wide gaps or bars between them, and no sentence among them."""
    items = [i for i in _GAP.split(raw) if i.strip()]
    if len(items) < 4 or _SENTENCE_END.search(raw):
        return False
    # Items of four words pass in a long row without figures: Vietnamese writes a word in two syllables
    # (`Tin tức – Sự kiện`, "News – Events"), and a table's row has numbers in it.
    most = 4 if len(items) >= 5 and not any(ch.isdigit() for ch in raw) else 3
    # Without spaces a phrase is one "word" however long: an item in East Asian script is short in characters.
    return all(len(words(i)) <= most and not _SENTENCE_END.search(i)
               and (len(i.strip()) <= UNSPACED_ITEM_CHARS or not any(ord(ch) >= 0x2E80 for ch in i)) for i in items)


#: The most characters of a menu item written without spaces (`気候変動`, `国際ニュース`).
UNSPACED_ITEM_CHARS = 8


_CRUMB = re.compile(r"\s*[>›»＞〉→]\s*|\s+/\s+")


#: A quotation in guillemets either way round (`«Верас»`, `»Faust«`), or in single ones: its marks are no arrows.
_GUILLEMETS = re.compile(r"«[^«»\n]{1,80}»|»[^«»\n]{1,80}«|‹[^‹›\n]{1,80}›|›[^‹›\n]{1,80}‹")


def _breadcrumb(text: str) -> bool:
    """`Home > News > Local`: three or more short items joined by arrows, none a sentence."""
    text = _GUILLEMETS.sub(lambda m: m.group(0)[1:-1], text)
    items = [i for i in _CRUMB.split(text) if i.strip()]
    # Two items will do behind an arrow that points down a site's sections (`Cronaca › Nord-Est`), not a slash.
    arrows = len(re.findall(r"\s[›»＞〉→>]\s", text))
    if len(items) < (2 if arrows and all(len(words(i)) <= 4 for i in items) else 3) \
            or len(_CRUMB.findall(text)) < len(items) - 1:
        return False
    return all(len(words(i)) <= 5 and len(i) <= 40 and not _SENTENCE_END.search(i.strip()) for i in items)


def contact_line(text: str) -> bool:
    """Whether a line holds a handle, an e-mail address or a web address."""
    return bool(_CONTACT.search(text))


_DATA_LABEL = re.compile(r"^\W*(?P<label>[^:：\d]{1,40}?)\s*[:：]\s*\d")


#: Why `chrome_reason` drops a `Read also: <headline>` line worded as no data file has it.
REWORDED_LABEL = "a link label in the widgets' words with the headline it points to"


def chrome_hint(text: str, lex: Lexicon) -> bool:
    """Whether a line holds anything of the site's at all: a widget phrase, a handle or address, a copyright sign."""
    if "©" in text or "ⓒ" in text or _CONTACT.search(text):
        return True
    return bool(lex.chrome.search(text) or lex.counters.search(text) or lex.labels.match(text))


def _menu(text: str, lex: Lexicon) -> bool:
    found = words(text)
    separated = len(re.findall(r"\s[|·•/›»>]\s|\s{2,}", text)) >= 2
    # Without separators only a long row counts: a title-case headline of a few words has none either.
    if not (7 <= len(found) <= 14 or (separated and 3 <= len(found) <= 14)):
        return False
    if _SENTENCE_END.search(text.rstrip()) or any(ch.isdigit() for ch in text):
        return False
    # A quotation's source opens on a dash and sets a name apart from its title with a comma (`— Darmawan Saleh,
    # Kepala Dinas …`), and a title-case headline sets its two parts apart with a colon (Turkish `Kıyıdan
    # Kalanlar: Ege Kasabalarında Yüz Yıllık Ev Eşyaları`); a menu's items have neither.
    if text.lstrip()[:1] in "—–-―" or "," in text or ":" in text:
        return False
    if not lex.stop_words or not all(_cased(w) for w in found):
        return False
    if any(fold_letters(w) in lex.stop_words for w in found):
        return False
    return all(w[0].isupper() for w in found)


# A list's item: a bullet (a plus before a space marks a review's pro, `+ Fine graphics`; `+34 612 …` is a telephone
# number) or a number before it.
BULLET = re.compile(r"^(?:[•●▪◦‣∙·・*\-–—−✅✔☑✓➤►▶→①-⑳❶-❿]|\u2022|\+(?=\s))\s*(?P<item>\S.*)$")
NUMBERED = re.compile(r"^(?P<num>\d{1,3})[.)]\s+(?P<item>\S.*)$")


def chrome_blocks(lines: Sequence[str], lex: Lexicon) -> dict[int, str]:
    """Lines (by index) of whole blocks that are chrome: a cookie banner or a paywall notice, where one line names
    the matter and the block holds buttons or nothing that reads as prose. Blank lines separate blocks."""
    out: dict[int, str] = _vertical_menus(lines)
    cookie = _key_pattern(lex, "cookie")
    paywall = _key_pattern(lex, "paywall", "newsletter")
    start = 0
    filled = [i for i, line in enumerate(lines) if line.strip()]
    edges = {filled[0], filled[-1]} if filled else set()
    for end in [*(i for i, line in enumerate(lines) if not line.strip()), len(lines)]:
        block = [i for i in range(start, end) if lines[i].strip()]
        start = end + 1
        if not block or len(block) > 6:
            continue
        texts = [lines[i].strip() for i in block]
        prose = sum(prose_weight(t, lex) for t in texts)
        # Buttons in words the data file lacks (`Qəbul edirəm`, "I accept"): at the page's first or last block,
        # short lines that are no sentence under the notice's text.
        has_buttons = any(chrome_reason(t, lex) for t in texts) or (
            bool(edges.intersection(block)) and _unknown_buttons(texts, lex))
        if _notice(texts, prose, lex):
            out.update((i, "a notice in the widgets' words, with its button") for i in block)
            continue
        for pattern, why in ((cookie, "a cookie banner"), (paywall, "a paywall or sign-up notice")):
            # Every phrase of each line: the first (`Premium`) may be one word where a later one is a sentence's.
            found = [m.group(0) for t in texts if pattern is not None for m in pattern.finditer(t)]
            if not found:
                continue
            # A sentence of the article may name a newsletter, invite letters (`write to us at …`) or hold a word
            # a button also has (Hebrew `הבנתי`, "I understand"): a block with prose in it and no button goes only
            # when it says so in a phrase of three words or more.
            strong = any(len(words(f)) >= 3 for f in found)
            # A headline's word may be a button's (Indonesian `Tolak`, "Reject"): the header's block, with its
            # date, is a banner only when it says so in a phrase of three words or more.
            if not strong and any(read_date_line(t) for t in texts):
                continue
            # A headline or a list's item may hold such a word in another sense (Hungarian `sütik`, "they bake" and
            # "cookies"; `- Freight volumes: the third quarterly decline`): one-word hits with no button, each on a
            # line longer than a button and holding no sentence's end, a line of its own or an item of a list, make
            # no banner.
            hit = [t for t in texts if pattern is not None and pattern.search(t)]
            if not strong and not has_buttons and (len(texts) == 1 or all(
                    BULLET.match(t) or NUMBERED.match(t) for t in texts)) and all(
                    len(words(t)) > BUTTON_WORDS and not _ANY_SENTENCE_END.search(t) for t in hit):
                continue
            if has_buttons or prose == 0 or (strong and prose < 40):
                out.update((i, why) for i in block)
                break
    return out


#: A banner's buttons: at most this many lines of at most `BUTTON_WORDS` words each, under its text.
BUTTONS_MAX = 4
BUTTON_WORDS = 3


def _unknown_buttons(texts: list[str], lex: Lexicon) -> bool:
    """Whether a block ends in a banner's buttons: a line of running text, then one to `BUTTONS_MAX` short lines
    that are no sentence, hold no digit and are not the last line's words of a sentence broken off."""
    def buttons(text: str) -> bool:  # one button, or a row of them set apart by wide gaps or bars
        items = [i for i in re.split(r"\s{2,}|\s*[|·]\s*", text) if i.strip()]
        return bool(items) and all(1 <= len(words(i)) <= BUTTON_WORDS for i in items) \
            and not _SENTENCE_END.search(text) and not text.endswith(",") and not any(ch.isdigit() for ch in text)

    tail = list(itertools.takewhile(buttons, reversed(texts)))
    head = texts[: len(texts) - len(tail)]
    return 1 <= len(tail) <= BUTTONS_MAX and bool(head) and _SENTENCE_END.search(head[-1]) is not None \
        and prose_weight(head[-1], lex) > 0


#: A block is a notice when this share of its content words, and `NOTICE_WORDS_MIN` of them, are the widgets'.
NOTICE_SHARE = 0.45
NOTICE_WORDS_MIN = 4


def _notice(texts: list[str], prose: int, lex: Lexicon) -> bool:
    """A sign-up, membership or paywall box in any wording: a short block whose words are mostly the widgets'
    (`Bli medlem för att fortsätta läsa …`) and which holds a button, a line of a few words that is no sentence."""
    if len(texts) < 2 or prose >= 40 or lex.unspaced:
        return False
    # The header's block of byline, share row and date has as many widget words, and a date or a byline label.
    prefixes = lex.folded("byline_prefix")
    if any(find_dates(t) or fold_letters(t).startswith(prefixes) for t in texts):
        return False
    counts = [widget_words(t, lex) for t in texts]
    # A button's label is a widget's word or two (`Bli medlem`, "Join"); a byline or a date line is not.
    button = any(1 <= len(words(t)) <= 3 and not _SENTENCE_END.search(t) and h
                 for t, (h, _) in zip(texts, counts, strict=True))
    hits, content = sum(h for h, _ in counts), sum(c for _, c in counts)
    return button and hits >= NOTICE_WORDS_MIN and hits >= NOTICE_SHARE * content


def _vertical_menus(lines: Sequence[str]) -> dict[int, str]:
    """Menus printed one item to a line above the headline: a block of three or more lines of one to three words,
    none a sentence, before the first line long enough to be a headline."""
    first_long = next((i for i, line in enumerate(lines[:MENU_ZONE]) if len(words(line)) >= 5
                       or len(line.strip()) >= 30), None)
    if first_long is None:  # no headline near the top: nothing to call a menu above it
        return {}
    out: dict[int, str] = {}
    run: list[int] = []
    for i in range(first_long + 1):
        line = lines[i].strip() if i < first_long else ""
        # Short in words and in letters: a line of a script without spaces is one "word" however long.
        short = len(line) <= 24 and (" " in line or len(line) <= 6 or not any(ord(ch) >= 0x2E80 for ch in line))
        if line and short and len(words(line)) <= 3 and not _SENTENCE_END.search(line):
            run.append(i)
            continue
        if line:
            run = []
            continue
        # A menu holds no date: a short headline's byline block (`Ann Lee` / `Staff Writer` / `March 3, 2026`) does.
        if len(run) >= 3 and not any(find_dates(lines[k]) for k in run):
            out.update((k, "a menu: one short item to a line above the headline") for k in run)
        run = []
    return out


@functools.lru_cache(maxsize=64)
def _sponsor_pattern(lex: Lexicon) -> re.Pattern[str] | None:
    body = _phrase_body(lex.everywhere("advertising"))
    return re.compile(rf"^(?:{body})\s+\S", re.IGNORECASE) if body else None


@functools.lru_cache(maxsize=64)
def _minutes(lex: Lexicon) -> re.Pattern[str]:
    """A length in minutes as CLDR words them (`41 min.`, `(12 Minuten)`)."""
    units = "|".join(re.escape(m) for m in lex.minutes) or r"(?!x)x"
    return re.compile(rf"(?<![\d:])\d{{1,3}}\s*(?:{units})(?!\w)\.?", re.IGNORECASE)


@functools.lru_cache(maxsize=256)
def _key_pattern(lex: Lexicon, *keys: str) -> re.Pattern[str] | None:
    body = _phrase_body(lex.phrases(*keys))
    if not body:
        return None
    # Words stand side by side without spaces (`本网站使用Cookie以改善…`): a phrase matches wherever it stands.
    return compiled.compile(f"(?:{body})" if lex.unspaced else rf"{WORD_START}(?:{body}){WORD_END}", re.IGNORECASE,
                            scope=lex.language)


def _phrase_body(phrases: Sequence[str]) -> str:
    """An alternation of the phrases of four characters or more (no placeholders), longest first; empty if none."""
    return "|".join(sorted((re.escape(_norm(p)) for p in phrases if len(p) >= 4 and "{" not in p),
                           key=len, reverse=True))


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text)
