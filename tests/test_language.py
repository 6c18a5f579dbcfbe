"""Language first: the detector names every corpus article's language, a weak guess is reported, and legacy
encodings are read as they were written."""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.parse.lexicon import ALL_KEYS, RULE_KEYS, data_languages, lexicon, reading
from pipeline.parse.parser import parse, settle_language
from pipeline.parse.rules import TABLES, table
from pipeline.read.language import Guess, identify
from pipeline.read.source import clean_text, decode

from .conftest import ROOT

CORPUS = Path(__file__).resolve().parent / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "parse"
# The development set and the fixtures (the blind set is read only when a round of parser work is scored).
LABELLED = sorted((*CORPUS.glob("dev/*.json"), *FIXTURES.glob("*.json")))

SAMPLES = {
    "en": "The council said on Tuesday that the new bridge would open in the spring, but residents are not sure.",
    "fr": "Le conseil a annoncé mardi que le nouveau pont ouvrira au printemps, mais les habitants ne sont pas sûrs.",
    "ja": "市議会は火曜日、新しい橋が春に開通すると発表したが、住民は確信していない。",
    "ko": "시의회는 화요일 새 다리가 봄에 개통될 것이라고 발표했지만 주민들은 확신하지 못하고 있다.",
    "ar": "أعلن المجلس يوم الثلاثاء أن الجسر الجديد سيفتتح في الربيع، لكن السكان غير متأكدين.",
    "sv": "Kommunen meddelade på tisdagen att den nya bron öppnar i vår, men de boende är inte säkra på det.",
    "tr": "Belediye salı günü yeni köprünün baharda açılacağını duyurdu, ancak mahalle sakinleri emin değil.",
    "uk": "Рада оголосила у вівторок, що новий міст відкриють навесні, але мешканці в цьому не впевнені.",
    "pl": "Rada ogłosiła we wtorek, że nowy most zostanie otwarty wiosną, ale mieszkańcy nie są tego pewni.",
    "id": "Dewan mengumumkan pada hari Selasa bahwa jembatan baru akan dibuka pada musim semi, tetapi warga ragu.",
}


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_detects_neighbouring_languages_apart(lang: str) -> None:
    guess = identify(SAMPLES[lang])
    assert guess is not None and guess.language == lang


@pytest.mark.parametrize("labels", LABELLED, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_labelled_article_is_decoded_and_its_language_detected(labels: Path) -> None:
    expected = json.loads(labels.read_text("utf-8"))
    data = labels.with_suffix(".txt").read_bytes()
    source = decode(data)
    encoding = expected.get("encoding", source.encoding)  # the fixtures' labels name no encoding
    truth = clean_text(data.decode("utf-8-sig" if encoding.startswith("utf-8") else encoding))
    assert source.text == truth, f"read as {source.encoding}, written in {encoding}"
    # The parser takes the detector's answer, or its second when a close language's own words say so
    # (test_corpus.py scores the whole parse of every dump).
    guess = settle_language(identify(source.text), source.text, [])
    assert guess is not None and guess.language == expected["language"]


def test_a_close_language_is_told_by_its_own_words_not_by_the_models_lead() -> None:
    from pipeline.model import Diagnostic
    from pipeline.read.language import Guess

    bosnian = "Svake sedmice igrači dobijaju novi zadatak, a ekran sa sistemom borbe je zadržan iz prošle sedmice."
    guess = Guess("hr", 0.7, "bs", 0.3)
    notes: list[Diagnostic] = []
    settled = settle_language(guess, bosnian, notes)
    assert settled is not None and settled.language == "bs" and [n.code for n in notes] == ["I026"]
    # Without the second's own words the model's lead stands; so it does when the second is far behind.
    assert settle_language(guess, "Novi zadatak svakog dana.", []) == guess
    assert settle_language(Guess("hr", 0.97, "bs", 0.03), bosnian, []) == Guess("hr", 0.97, "bs", 0.03)
    # A music critic's Bosnian: the adjectives of music and of the months (`muzička`, `decembarski`), where
    # Croatian writes `glazbena`, `prosinački`.
    review = "Ona je muzička novinarka, a mnogi čekaju najavljeni decembarski koncert u Kaldovcu."
    settled = settle_language(Guess("hr", 0.8, "bs", 0.2), review, [])
    assert settled is not None and settled.language == "bs"


def test_a_third_close_language_the_model_weighs_low_wins_on_its_own_words() -> None:
    from pipeline.read.language import Guess

    # Serbian in Latin letters, ekavian: the model puts Croatian and Bosnian first.
    serbian = ("Pre samo dve godine za atelje znali su uglavnom komšije. Podeli: Facebook. Poslušajte članak. "
               "Štampaj. Danas se na njihovu jaknu čeka tri meseca, a prošle nedelje su stigle vesti iz celog "
               "regiona: predsednik udruženja je i sam kupio jednu.")
    guess = Guess("hr", 0.59, "bs", 0.32, (("bs", 0.32), ("sr", 0.09), ("sl", 0.0)))
    settled = settle_language(guess, serbian, [])
    assert settled is not None and settled.language == "sr"
    # Far behind, the model's lead stands whatever the words.
    assert settle_language(Guess("hr", 0.6, "bs", 0.39, (("bs", 0.39), ("sr", 0.01))), serbian, []).language != "sr"


def test_no_letters_keeps_the_default_and_a_weak_guess_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    assert identify("12345 — 678") is None
    assert parse("12345\n\n678 910\n", default_language="de").meta.language == "de"
    short = parse("Ok\n\nJa ok.\n")  # a few words are too little to judge: no warning, but the figure is kept
    assert short.language_confidence is not None and not any(d.code == "W105" for d in short.diagnostics)
    from pipeline.parse import parser

    monkeypatch.setattr(parser, "identify", lambda _text: Guess("da", 0.55))
    long = parse("Headline\n\n" + "Ord og flere ord i en lang tekst. " * 20 + "\n")
    (warning,) = [d for d in long.diagnostics if d.code == "W105"]
    assert "da" in warning.message and "0.55" in warning.message and long.meta.language == "da"


def test_a_given_language_overrides_the_detector() -> None:
    doc = parse("The council said on Tuesday that the new bridge would open.\n\nMore text here, in English.\n",
                language="fr")
    assert doc.meta.language == "fr" and doc.language_confidence is None


def test_mojibake_is_reported_with_the_guess() -> None:
    # UTF-8 once read as Windows-1252 and saved again as UTF-8: `é` became `Ã©`, which no decoder can undo.
    doubled = "Le théâtre a fermé ses portes, été comme hiver, après la rénovation.".encode().decode("cp1252")
    notes = decode(doubled.encode()).diagnostics
    assert [d.code for d in notes] == ["W012"] and "Ã©" in notes[0].message
    # Polish saved in a table without its letters: they became `?`; the guess is named in the warning.
    lost = "Mieszka?cy Wroc?awia i ?odzi protestowali w niedziel? przeciwko ci?ciom bud?etowym.".encode("cp1252")
    notes = decode(lost + " Zażółć".encode("cp1250")).diagnostics
    assert {d.code for d in notes} == {"W011", "W012"}
    assert any("read as " in d.message and "`?`" in d.message for d in notes if d.code == "W012")


def test_every_language_the_data_covers_has_cldr_dates_and_a_data_file() -> None:
    languages = data_languages()
    assert len(languages) >= 30
    for language in languages:
        lex = lexicon(language)
        assert lex.known and lex.stop_words, language
        assert len(set(lex.months.values())) == 12, language


def test_every_data_file_is_a_language_the_detector_names_and_the_readme_lists() -> None:
    """A data file is read only when the detector names its language: its file name is one of py3langid's codes (as
    the reader reports them, `no` as `nb`), and the data folder's README lists every file, with their number."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    codes = set(LanguageIdentifier.from_model_file(MODEL_FILE).nb_classes)
    # The reader reports py3langid's `no` as `nb` (pipeline/read/language.py); `nb.json` is read for it.
    detected = codes | ({"nb"} if "no" in codes else set())
    languages = data_languages()
    assert set(languages) <= detected, sorted(set(languages) - detected)
    readme = (ROOT / "pipeline" / "parse" / "data" / "lang" / "README.md").read_text(encoding="utf-8")
    listed = re.search(r"The (\d+) languages are ([a-z ]+)\.", readme)
    assert listed is not None and int(listed.group(1)) == len(languages)
    assert sorted(listed.group(2).split()) == languages


# One test per language: compiling a language's rule tables takes a tenth of a second or more, and the tests of 56
# languages share out over the workers where one test of them all ran on one.
@pytest.mark.parametrize("language", data_languages())
def test_every_data_file_follows_the_schema(language: str) -> None:
    """The README's schema: the required keys, lists of unique, trimmed, non-empty NFC strings, no placeholder but
    `{n}`, `{m}` and `{text}`, function words in lower case (that every table compiles with them is the next test)."""
    required = [key for key in ALL_KEYS if key not in RULE_KEYS]
    path = ROOT / "pipeline" / "parse" / "data" / "lang" / f"{language}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert not [key for key in required if key not in data]
    assert not [key for key in data if key not in ALL_KEYS]
    for key, phrases in data.items():
        assert isinstance(phrases, list) and len(set(phrases)) == len(phrases), key
        for phrase in phrases:
            assert isinstance(phrase, str) and phrase and phrase == phrase.strip(), (key, phrase)
            assert unicodedata.normalize("NFC", phrase) == phrase, (key, phrase)
            assert not re.search(r"[{}]", re.sub(r"\{(?:n|m|text)\}", "", phrase)), (key, phrase)
    assert all(word == word.lower() for word in data["stop_words"])


@pytest.mark.slow  # compiling every table for 56 languages is a third of the fast lane's CPU
@pytest.mark.parametrize("language", data_languages())
def test_every_pattern_and_rule_table_compiles_with_each_data_file(language: str) -> None:
    lex = lexicon(language)
    assert all(p.pattern for p in (lex.chrome, lex.end_section, lex.counters, lex.tags, lex.labels))
    for templates in TABLES.values():
        assert len(table(templates, lex)) == len(templates)


@pytest.mark.parametrize("language", data_languages())
def test_every_cldr_date_of_each_language_reads_back(language: str) -> None:
    from babel.dates import format_date

    from pipeline.parse.dates import find_dates, read_date_line

    with reading(language):
        for date in (dt.date(2026, 3, 12), dt.date(2025, 10, 1)):
            for width in ("full", "long", "medium"):
                printed = format_date(date, format=width, locale=language)
                assert [f.date for f in find_dates(printed)][:1] == [date], printed
                assert read_date_line(printed) is not None, printed


_REGEX_CALLS = {"compile", "search", "match", "fullmatch", "sub", "subn", "split", "finditer", "findall"}


def _code_strings(tree: ast.AST) -> Iterator[ast.Constant]:
    """The string constants the parser matches text with: regex sources, rule templates, prefix and suffix tests
    and `in (…)` lists."""
    for node in ast.walk(tree):
        targets: list[ast.AST] = []
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "re" \
                    and name in _REGEX_CALLS and node.args:
                targets.append(node.args[0])
            elif name in ("_t", "Template", "DateRule", "Rule") and len(node.args) >= 2:
                targets.append(node.args[1])
            elif name in ("startswith", "endswith") and node.args:
                targets.append(node.args[0])
        elif isinstance(node, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops):
            targets.extend(c for c in node.comparators if isinstance(c, (ast.Tuple, ast.Set, ast.List)))
        for target in targets:
            yield from (c for c in ast.walk(target) if isinstance(c, ast.Constant) and isinstance(c.value, str))


def test_no_language_specific_word_in_the_parsers_code() -> None:
    """Words live in the data files: no regex, rule template or prefix test of the reader and the parser holds a
    word any language's data file lists (a regex's group names and character ranges aside)."""
    folder = ROOT / "pipeline" / "parse" / "data" / "lang"
    vocabulary = {w.casefold() for path in folder.glob("*.json")
                  for key, phrases in json.loads(path.read_text(encoding="utf-8")).items()
                  if key != "stop_words" and isinstance(phrases, list)
                  for phrase in phrases if isinstance(phrase, str) for w in re.findall(r"[^\W\d_]{2,}", phrase)}
    assert {"share", "teilen", "kommentare", "기자"} <= vocabulary
    found = []
    for path in sorted([*(ROOT / "pipeline" / "parse").glob("*.py"), *(ROOT / "pipeline" / "read").glob("*.py")]):
        source = path.read_text(encoding="utf-8")
        groups = set(re.findall(r"\(\?P<(\w+)>", source))
        for const in _code_strings(ast.parse(source)):
            if const.value in groups:
                continue  # `field in ("year", "month", "day")`: a group's name, not a word of the text
            text = re.sub(r"\(\?P<\w+>|\(\?P=\w+\)|\\[a-zA-Z]|\\?\{[a-z_]+\\?\}|⟨[^⟩]*⟩|\[[^\]]*\]", "", const.value)
            found += [(path.name, const.lineno, w) for w in re.findall(r"[^\W\d_]{2,}", text)
                      if w.casefold() in vocabulary]
    assert not found


def test_a_short_page_in_a_double_byte_table_the_detector_names_nothing_for() -> None:
    # charset-normalizer proposes nothing for this Shift_JIS page of 2 kB (round 10's c931, read as KOI8-R before):
    # the East Asian tables are tried too, each kept only for a text in its own language.
    data = (ROOT / "tests" / "corpus" / "dev" / "c931.txt").read_bytes()
    source = decode(data)
    assert source.encoding == "shift_jis" and source.text == clean_text(data.decode("shift_jis"))
    french = "Le théâtre a fermé ses portes, été comme hiver, après la rénovation du foyer."
    assert decode(french.encode("cp1252")).text == french


@pytest.mark.parametrize(("article", "codec"), [
    ("c021", "cp1255"), ("c021", "iso-8859-8"), ("c019", "cp1253"), ("c116", "iso-8859-7"), ("c015", "cp1254"),
    ("c1023", "cp1252"), ("c928", "cp1252")])
def test_a_corpus_article_written_in_its_scripts_legacy_table_reads_back_exactly(article: str, codec: str) -> None:
    """Hebrew read as Bulgarian, Greek as Russian, Turkish as Arabic, Italian's `ò` as a Vietnamese tone mark and a
    Malay page's quotation marks as KOI8-R's box drawing were each nearly as sure a reading as the right one."""
    text = decode((CORPUS / "dev" / f"{article}.txt").read_bytes()).text
    assert decode(text.encode(codec)).text == text
