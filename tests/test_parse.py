"""The parser on the seed, field by field and as a whole tree, and on the rules it is made of."""

from __future__ import annotations

import datetime as dt
import json
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.model import Document, Figure, Heading, ListBlock, Notes, Paragraph, Quote
from pipeline.parse.lexicon import reading
from pipeline.parse.parser import parse, read_byline, split_caption

from .conftest import SEED, golden


def test_seed_metadata(seed_doc: Document) -> None:
    meta = seed_doc.meta
    assert meta.title == "The 2nd Trump-Kim Summit: Incremental Progress towards Needed Diplomacy"
    assert meta.subtitle is None
    assert seed_doc.author_names == ("Stephen R. Nagy",)
    assert meta.date == dt.date(2019, 2, 25)
    assert meta.language == "en"


def test_seed_photo_caption_and_credit_apart(seed_doc: Document) -> None:
    assert len(seed_doc.photos) == 1
    photo = seed_doc.photos[0]
    assert photo.caption == "North Korean leader Kim Jong-un leaving Pyongyang Station, North Korea, for Vietnam."
    assert photo.credit == "Korean Central News Agency/Korea News Service via AP"


def test_seed_body_in_reading_order(seed_doc: Document) -> None:
    assert [h.text for h in seed_doc.headings] == [
        "Suitability of “Vietnam Model”",
        "Real Progress since the First Trump-Kim Summit?",
        "Prospects for an Agreement?",
    ]
    paragraphs = seed_doc.paragraphs
    assert len(paragraphs) == 22
    assert paragraphs[0].text.startswith("The Hanoi Summit between North Korean leader")
    assert paragraphs[-1].text.endswith("strategic nuclear deterrent more concrete.")
    assert {type(b) for b in seed_doc.blocks} == {Heading, Paragraph}
    # Headings stand where the seed has them: two paragraphs open the article before the first.
    kinds = [b.type for b in seed_doc.blocks]
    assert [i for i, k in enumerate(kinds) if k == "heading"] == [2, 9, 14]


def test_seed_keeps_the_repeated_paragraph_twice(seed_doc: Document) -> None:
    # The article itself repeats a passage; that is the author's text, not a site leftover.
    body = "\n".join(p.text for p in seed_doc.paragraphs)
    assert body.count("With the new Congress and more potentially damning findings from the Mueller") == 2


def test_seed_drops_leftovers(seed_doc: Document) -> None:
    tree = seed_doc.as_dict()
    del tree["warnings"]  # diagnostics may quote what was dropped
    text = json.dumps(tree, ensure_ascii=False)
    for leftover in ("Leave a Reply", "Your email address", "0 comments", "Required fields"):
        assert leftover not in text
    # The headline appears once, as the title, not again as a paragraph.
    assert all(b.text != seed_doc.meta.title for b in seed_doc.blocks)
    assert all(b.text == b.text.strip() for b in seed_doc.blocks)


def test_seed_tree_matches_golden(seed_doc: Document) -> None:
    actual = json.dumps(seed_doc.as_dict(), ensure_ascii=False, indent=2) + "\n"
    assert actual == golden("000_ce7740ea781b237b.json", actual)


def test_bom_and_line_endings_do_not_change_the_tree(seed_doc: Document) -> None:
    raw = SEED.read_text(encoding="utf-8")
    for variant in ("\ufeff" + raw, raw.replace("\n", "\r\n"), raw.replace("\n", "\r")):
        assert parse(variant, source=SEED.name).as_dict() == seed_doc.as_dict()


def test_caption_rules() -> None:
    photo = split_caption("Crowds in the square. (Photo : Jane Roe/Reuters)")
    assert photo is not None and (photo.caption, photo.credit) == ("Crowds in the square.", "Jane Roe/Reuters")
    photo = split_caption("A harbour at dawn. (AP Photo/Lee Jin-man)")
    assert photo is not None and photo.credit == "AP Photo/Lee Jin-man"
    assert split_caption("The committee met on Tuesday.") is None


def test_byline_rules() -> None:
    assert read_byline("By 2025, the minister had resigned.") is None
    with reading("en"):
        assert [a.name for a in read_byline("By Ann Lee and Bo Chan") or []] == ["Ann Lee", "Bo Chan"]
        assert [a.name for a in read_byline("By Ann Lee, Bo Chan & Cy Dee") or []] == ["Ann Lee", "Bo Chan", "Cy Dee"]
        authors = read_byline("By Ann Lee, Special Correspondent") or []
        assert [(a.name, a.role) for a in authors] == [("Ann Lee", "Special Correspondent")]
        authors = read_byline("By Ann Lee | Staff Writer") or []
        assert [(a.name, a.role) for a in authors] == [("Ann Lee", "Staff Writer")]
        assert read_byline("By the time the talks ended, neither side had moved on the central question.") is None
    # A byline label is read in the article's own language only: Spanish `Por qué …` names no one.
    with reading("es"):
        assert read_byline("Por Ana López") is not None
        assert read_byline("Por qué los puertos del norte cierran antes") is None
    with reading("en"):
        assert read_byline("Por Ana López") is None


def test_an_office_after_a_bylines_comma_is_the_authors_not_a_second_author() -> None:
    # A press release or an institution's news is signed by a person and the office they write for; after a comma a
    # second author's name and an office look alike, and the language's data file names the offices.
    cases = {"en": ("By Ann Lee, Communications Department", "By Ann Lee, Bo Chan"),
             "pt": ("Por Marta Queirós, Gabinete de Comunicação", "Por Marta Queirós, Rui Tavares"),
             "de": ("Von Jan Berg, Pressestelle", "Von Jan Berg, Ute Kranz")}
    for language, (office, two) in cases.items():
        with reading(language):
            authors = read_byline(office) or []
            assert [(a.name, a.role) for a in authors] == [(office.split(maxsplit=1)[1].split(",")[0],
                                                             office.split(", ")[1])], language
            assert [a.name for a in read_byline(two) or []] == two.split(maxsplit=1)[1].split(", "), language


def test_a_list_of_figures_holding_a_cookie_buttons_word_is_the_articles_own() -> None:
    # `Decline` is a cookie banner's button; `… the third consecutive quarterly decline` is a figure of the report.
    items = ["- Revenue: $2.31 billion, down 6% from a year earlier",
             "- Freight volumes: down 9%, the third consecutive quarterly decline",
             "- Full-year revenue guidance: $9.1 billion to $9.4 billion"]
    prose = "Shares of the freight group fell sharply on Tuesday after it cut its forecast for the year, {}."
    doc = parse("\n\n".join(["Freight shares slide as shipping slows", "By Ann Lee", prose.format("analysts said"),
                               "Here are the key numbers from the report:", "\n".join(items),
                               prose.format("traders added"), prose.format("the company said")]))
    assert [b.items for b in doc.blocks if isinstance(b, ListBlock)] == [tuple(i[2:] for i in items)]


def test_every_promoted_headline_under_an_advertising_marker_in_its_block_goes() -> None:
    prose = "The council approved the new budget for the harbour on Monday after a long debate, {}."
    offers = ["Summer camps 2025 - sign-ups open now", "Online tutoring before exams, first lesson free",
              "School bags up to 40 % off"]
    doc = parse("\n\n".join(["Harbour budget approved", "By Ann Lee", prose.format("officials said"),
                               "\n".join(["Advertisement", *offers]), prose.format("members added"),
                               "Next steps", prose.format("the mayor said")]))
    text = " ".join(b.text for b in doc.paragraphs)
    assert not any(offer in text for offer in offers) and [h.text for h in doc.headings] == ["Next steps"]


def test_a_reaction_widgets_question_over_its_counters_goes() -> None:
    # In words no data file holds: the question stands directly over a counter line that has no letter at all.
    prose = "De oude schoolmeester vertelde een uur lang over zijn jaren op de dorpsschool in Vollenhove, {}."
    doc = parse("\n\n".join(["Herinneringen aan een dorpsschool", "Door Greet Hoogland",
                               prose.format("vaak glimlachend"), prose.format("en toen ging hij weg"),
                               "Was dit verhaal de moeite waard?\n\U0001f44d 214   \U0001f44e 12\n"
                               "Delen via: Facebook | WhatsApp | E-mail", prose.format("zwaaiend")]))
    assert not doc.headings
    assert [p.text for p in doc.paragraphs] == [prose.format(w) for w in ("vaak glimlachend", "en toen ging hij weg",
                                                                          "zwaaiend")]


def test_a_tamil_cookie_banner_in_the_inflected_forms_of_its_words_goes() -> None:
    # Tamil writes its case endings onto the word (`குக்கீகளைப்`, "cookies" as an object): the data file lists them.
    prose = "நகராட்சி மன்றம் திங்கள்கிழமை துறைமுகத்துக்கான புதிய வரவு செலவுத் திட்டத்தை நீண்ட விவாதத்துக்குப் பிறகு ஏற்றுக்கொண்டது, {}."
    banner = ("இந்தத் தளம் உங்கள் வசதிக்காகக் குக்கீகளைப் பயன்படுத்துகிறது. தொடர்ந்து உலாவினால் அதை ஏற்கிறீர்கள்.\n"
              "ஏற்கிறேன் | மேலும் அறிய")
    doc = parse("\n\n".join(["துறைமுக வரவு செலவுத் திட்டம் ஏற்பு", prose.format("என்று அதிகாரிகள் கூறினர்"),
                               prose.format("என்று உறுப்பினர்கள் தெரிவித்தனர்"), banner]), language="ta")
    assert [p.text for p in doc.paragraphs] == [prose.format("என்று அதிகாரிகள் கூறினர்"),
                                                prose.format("என்று உறுப்பினர்கள் தெரிவித்தனர்")]


def test_body_lists_and_mid_body_figures() -> None:
    doc = parse(
        "Headline here\nBy Ann Lee\n\nOpening paragraph of the story, long enough to be text.\n\n"
        "A harbour at dawn. (Photo: Jane Roe)\n\n- first point\n- second point\n\nClosing paragraph.\n"
    )
    assert [type(b) for b in doc.blocks] == [Paragraph, Figure, ListBlock, Paragraph]
    assert doc.photos[0].credit == "Jane Roe"
    lst = doc.blocks[2]
    assert isinstance(lst, ListBlock) and lst.items == ("first point", "second point") and not lst.ordered


@settings(deadline=None)  # max_examples: the profile's (tests/conftest.py), fewer in the fast lane
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=2000))
def test_parse_never_raises_and_keeps_text_clean(text: str) -> None:
    doc = parse(text)
    for block in doc.blocks:
        assert block.text == block.text.strip()
        assert not any(ord(c) < 32 and c != "\n" for c in block.text)


def test_short_lines_among_widgets_are_widgets_whatever_their_words() -> None:
    # `Hör dir das an` is in no list; it stands in one block with the print button and the font-size widget.
    text = ("Die Brücke bleibt bis Ende Mai gesperrt\nVon Anna Berger\n12. März 2024\n\nHör dir das an\nDrucken\n"
            "A-   A+\n\nDie Stadt hat die Sperrung der alten Brücke über den Fluss bis Ende Mai verlängert, weil die "
            "Gutachter weitere Schäden an den Pfeilern gefunden haben.\n\nNeue Termine\n\nDie Arbeiten sollen im "
            "Juni beginnen und bis in den Herbst dauern, sagte die Baudezernentin am Dienstag im Rathaus.\n")
    doc = parse(text, language="de")
    assert [b.text for b in doc.blocks if isinstance(b, Heading)] == ["Neue Termine"]
    assert any(d.text == "Hör dir das an" and "widgets" in d.reason for d in doc.dropped)


def test_letters_page_wrapped_with_signatures() -> None:
    # A letters page copied from a PDF: lines wrapped at about 60 characters, blank lines between paragraphs,
    # each letter signed with a name over a town.
    body = ("Ich schwimme seit dreißig Jahren jeden Dienstag und Freitag früh um\n"
            "sieben meine Bahnen. Dort trifft man Rentner, Schichtarbeiter und\n"
            "Schüler. In Nachbargemeinden hat man gezeigt, dass ein altes Bad mit\n"
            "einem Förderverein weiterbetrieben werden kann.\n\nRenate Vogt\nLindenau\n\n")
    second = ("Die Zahlen gehören endlich auf den Tisch, und zwar alle. Niemand hat\n"
              "bisher ein unabhängiges Gutachten gesehen, und die Stadt schweigt\n"
              "seit Wochen zu allen Fragen der Bürgerinnen und Bürger hier.\n\nThomas Wendler\nObermühl\n\n"
              "Die Redaktion behält sich vor, Zuschriften zu kürzen. Die Briefe\n"
              "geben die Meinung ihrer Verfasser wieder, nicht die der Redaktion.\n")
    doc = parse("Leserbriefe zum Hallenbad\n\n" + body + "Sanieren statt schließen\n\n" + second, language="de")
    texts = [b.text for b in doc.blocks]
    assert [b.text for b in doc.blocks if isinstance(b, Heading)] == ["Sanieren statt schließen"]
    assert "Renate Vogt Lindenau" in texts and "Thomas Wendler Obermühl" in texts
    assert texts[0].startswith("Ich schwimme") and texts[0].endswith("weiterbetrieben werden kann.")
    assert len(doc.blocks) == 6


def test_superscript_footnotes_and_guillemets_turned_outward() -> None:
    text = ("Das Hallenbad bleibt zu\nVon Jana Reuter\n12.03.2024\n\n"
            "Der Stadtrat spricht von Sanierungskosten in Höhe von 7,8 Millionen Euro¹, aber niemand hat das "
            "Gutachten gesehen, das die Verwaltung im Februar vorgelegt hat.²\n\n"
            "»Wir haben jeden Winter hier geschwommen, seit vierzig Jahren, bei jedem Wetter.«\n"
            "– Birthe Holm, Schwimmerin\n\n"
            "Die Bürgerinitiative sammelt nun Unterschriften für ein Bürgerbegehren gegen die Schließung.\n\n"
            "¹ Laut Beschlussvorlage der Stadtverwaltung vom 20. Februar 2024.\n² Sitzung des Bauausschusses.\n")
    doc = parse(text, language="de")
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Paragraph", "Quote", "Paragraph", "Notes"]
    notes = doc.blocks[-1]
    assert isinstance(notes, Notes) and [n.label for n in notes.items] == ["1", "2"]


def test_a_numbered_run_of_footnotes_stays_one_block_when_a_marker_follows_a_figure() -> None:
    # `7,40¹` cannot be told from a power, so marker 1 is not seen in the text; marker 2 is, and the notes run 1, 2.
    text = ("Het dorp aan de baai\nDoor Femke de Vries\n12 mei 2024\n\n"
            "Een enkele reis met de boemeltrein kost € 7,40¹. Reserveren hoeft niet, maar kom op tijd.\n\n"
            "De wandeling naar de vuurtoren is elf kilometer lang, met een paar steile stukken². Neem water mee.\n\n"
            "¹ Prijs gecontroleerd in mei 2024.\n² Het pad is na zware regen gesloten.\n")
    doc = parse(text, language="nl")
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Paragraph", "Notes"]
    notes = doc.blocks[-1]
    assert isinstance(notes, Notes) and [n.label for n in notes.items] == ["1", "2"]
    # Numbered lines that the text never points to stay what they are.
    plain = parse(text.replace("7,40¹", "7,40").replace("stukken²", "stukken"), language="nl")
    assert not any(isinstance(b, Notes) for b in plain.blocks)


def test_a_byline_under_a_label_the_data_file_lacks_and_a_skip_link_above_the_menu() -> None:
    # `Avtorja` (Slovene's dual, "authors") is in no data file; the names after it are a byline all the same.
    # The site's name is no headline either: it stands above the
    # site's menu, and the headline under that has the byline beneath it.
    text = ("Spletni časopis Novice Posavja\n\nDomov   O podjetju   Izdelki   Mediji   Kontakt\n\n"
            "Kolpa Tehnika odprla prvo linijo za recikliranje panelov\n\n"
            "Avtorja: Maja Kovač in Luka Zupan\nObjavljeno: 19. 3. 2024\n\n"
            "Družba Kolpa Tehnika je danes v Gornjih Lipovcih zagnala prvo industrijsko linijo za recikliranje "
            "odsluženih sončnih panelov v Sloveniji. Naložba je bila vredna 14 milijonov evrov.\n")
    doc = parse(text, language="sl")
    assert doc.meta.title == "Kolpa Tehnika odprla prvo linijo za recikliranje panelov"
    assert [a.name for a in doc.meta.authors] == ["Maja Kovač", "Luka Zupan"]
    assert doc.meta.subtitle is None
    # A photographer's label (a credit, in the data file) names no author.
    credited = parse(text.replace("Avtorja:", "Foto:"), language="sl")
    assert not credited.meta.authors


def test_headings_in_a_script_whose_letters_unicode_calls_lower_case() -> None:
    # Georgian writes no capitals, though Unicode gives its letters capital forms: headings still start with them.
    para = ("სოფელში სულ ოცდაათამდე ოჯახი ცხოვრობს, ზამთარში კი გზა ხშირად კვირობით იკეტება. "
            "სწორედ ამიტომ აქ ბევრი რამ ისეა შემორჩენილი, როგორც ნახევარი საუკუნის წინ იყო.")
    text = f"ერთი დღე მთის სოფელში\n\nავტორი: ნინო ბერიძე\n\n{para}\n\nროგორ მივიდეთ\n\n{para}\n"
    doc = parse(text, language="ka")
    assert [b.text for b in doc.blocks if isinstance(b, Heading)] == ["როგორ მივიდეთ"]


def test_a_short_pull_quote_in_quotation_marks() -> None:
    para = ("Hastanelerde ve fırınlarda gece çalışan binlerce kişi var. Ulaşım bir lüks değil, ihtiyaçtır. "
            "Gece seferlerinin yeniden başlatılmasını talep ediyoruz.")
    doc = parse(f"Gece otobüsleri nerede kaldı?\n\n{para}\n\n“Ulaşım bir lüks değil, ihtiyaçtır.”\n\n{para}\n",
                language="tr")
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "PullQuote", "Paragraph"]
    # Without quotation marks five words are too few to tell a pull quote from a short paragraph.
    plain = parse(f"Gece otobüsleri nerede kaldı?\n\n{para}\n\nUlaşım bir lüks değil, ihtiyaçtır.\n\n{para}\n",
                  language="tr")
    assert [type(b).__name__ for b in plain.blocks] == ["Paragraph", "Paragraph", "Paragraph"]


def test_a_subheading_made_of_widget_words_between_two_paragraphs_stays() -> None:
    # `Susține` ("support") and `postare` ("post") are words of the site's buttons; between two paragraphs the
    # line is the article's subheading all the same.
    para = ("O postare publicată pe 2 martie într-un grup online dedicat comunității din Vălenii de Sus "
            "susține că primăria a mărit taxa de salubrizare de trei ori fără nicio dezbatere publică.")
    doc = parse(f"Taxa de salubrizare nu s-a triplat\n\n{para}\n\nSusține postarea\n\n{para}\n", language="ro")
    assert [b.text for b in doc.blocks if isinstance(b, Heading)] == ["Susține postarea"]


def test_a_heading_over_a_captioned_photo_is_a_heading() -> None:
    para = ("מסלול מעגלי של שני קילומטרים וחצי שמתחיל בחניון הכפר ועובר בין שלושה מעיינות קטנים, "
            "ומתאים גם לעגלות ילדים בחלקו הראשון.")
    text = (f"שבעה מסלולי הליכה קצרים בצפון\n\n{para}\n\nנחל צפרירים מהגשר התלוי\n\n"
            f"הגשר התלוי מעל נחל צפרירים, בשעות הבוקר המוקדמות. צילום: יעל ברק\n\n{para}\n")
    doc = parse(text, language="he")
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Heading", "Figure", "Paragraph"]


def test_a_related_box_in_a_hard_wrapped_dump_keeps_its_links_apart_and_goes() -> None:
    body = ("The council will vote at the end of the month on the plan to close three\n"
            "of the district's libraries, which it says cost more than they give back\n"
            "to the neighbourhoods around them.\n\n"
            "Cheaper answers exist. Opening hours could follow what each street needs,\n"
            "retired volunteers could help at the desks, and the rooms could be let in\n"
            "the evenings to local groups so that the costs are partly covered again.\n\n")
    links = ("Related articles\n"
             "The old bookshops of Revolution Street are closing one after another now\n"
             "A conversation with a librarian: children still love books made of paper\n"
             "How large is the city's budget for culture in the coming year, and why?\n")
    doc = parse("Keep the libraries open\nBy Sara Karimi\n\n" + body + links, language="en")
    assert [b.text[:20] for b in doc.blocks] == ["The council will vot", "Cheaper answers exis"]


def test_a_skip_link_in_words_no_data_file_has_is_not_the_headline() -> None:
    text = ("Jump straight to the article\n\nCouncil votes to keep the libraries open\nBy Sara Karimi\n"
            "March 4, 2024\n\nThe council voted on Monday to keep all three of the district's libraries open, "
            "after a campaign by parents, pupils and retired volunteers.\n")
    doc = parse(text, language="en")
    assert doc.meta.title == "Council votes to keep the libraries open" and doc.meta.subtitle is None
    # A dek over the byline is no skip link: its words are not the widgets'.
    dek = parse(text.replace("Jump straight to the article", "A vote that nobody expected"), language="en")
    assert dek.meta.title == "A vote that nobody expected"


def test_a_hard_wrapped_paragraph_goes_on_past_a_dash_of_speech() -> None:
    lines = ["Były prezes spółdzielni skazany", "Agnieszka Wrona", "12.03.2024", ""]
    body = ("„To był bardzo trudny proces, ale sąd przyjął wszystkie nasze argumenty i dowody” "
            "– powiedział po rozprawie pełnomocnik mieszkańców, mecenas Jan Kowal z kancelarii w Lipniku. "
            "Wyrok zapadł po sześciu miesiącach i czternastu rozprawach, w tym trzech wyjazdowych.")
    wrapped = ["„To był bardzo trudny proces, ale sąd przyjął wszystkie nasze argumenty i dowody”",
               "– powiedział po rozprawie pełnomocnik mieszkańców, mecenas Jan Kowal z",
               "kancelarii w Lipniku. Wyrok zapadł po sześciu miesiącach i czternastu",
               "rozprawach, w tym trzech wyjazdowych."]
    second = ["Sąd uznał byłego prezesa za winnego przywłaszczenia pieniędzy, które",
              "mieszkańcy przez sześć lat wpłacali na fundusz remontowy, oraz nakazał",
              "zwrot ponad 380 tys. zł w ciągu roku od uprawomocnienia się wyroku."]
    doc = parse("\n".join(lines + wrapped + [""] + second + [""] + second) + "\n", language="pl")
    assert doc.blocks[0].text == body


def test_the_lines_a_hard_wrapped_dump_drops_are_named_by_the_seeds_line_numbers() -> None:
    para = ["The council will vote at the end of the month on the plan to close three",
            "of the district's libraries, which it says cost more than they give back",
            "to the neighbourhoods around them, and the parents have begun to organise."]
    lines = ["Keep the libraries open", "By Sara Karimi", "", *para, "", *para, "", *para,
             "", "Share on Facebook", "", *para]
    doc = parse("\n".join(lines) + "\n", language="en")
    assert any(d.code == "I025" for d in doc.diagnostics)  # the lines were joined
    (share,) = [d for d in doc.dropped if d.text == "Share on Facebook"]
    assert lines[share.line - 1] == "Share on Facebook"


def test_a_player_bar_or_a_slashed_crumb_under_the_menu_is_not_the_headline() -> None:
    body = ("Городская дума во вторник утвердила проект реконструкции речного вокзала, который пустует с "
            "2011 года. После ремонта здание должно открыться как центральная городская библиотека.\n")
    for site_line in ("Общество / Регионы", "▶ СЛУШАТЬ ПРЯМОЙ ЭФИР 98.7 FM"):
        text = (f"Главная   Политика   Экономика   Общество   Культура   Спорт\n\n{site_line}\n\n"
                f"Старый речной вокзал превратят в библиотеку\n\nАвтор: Екатерина Сомова\n14 марта 2025\n\n{body}")
        doc = parse(text, language="ru")
        assert doc.meta.title == "Старый речной вокзал превратят в библиотеку", site_line
        assert doc.meta.subtitle is None


def test_a_credit_after_an_abbreviated_label_may_be_a_common_noun() -> None:
    from pipeline.parse.lexicon import reading
    from pipeline.parse.parser import split_caption

    with reading("pl"):
        photo = split_caption("Kącik z zabawkami w grupie „Biedronki”. Fot. archiwum prywatne")
        assert photo is not None and photo.credit == "archiwum prywatne"
    with reading("en"):  # spelt out, `Photo by` before lower-case words is prose, not a credit
        assert split_caption("The old canteen. Photo by the river shows an empty hall") is None


def test_a_two_digit_year_is_read_only_after_a_published_label() -> None:
    from pipeline.parse.dates import read_date_line
    from pipeline.parse.lexicon import reading

    with reading("he"):
        found = read_date_line("פורסם: 14.05.25, 08:30 | 23 תגובות")
        assert found is not None and found.published == dt.date(2025, 5, 14)
        assert read_date_line("14.05.25") is None  # a version or a score as much as a date


def test_a_question_wrapped_over_two_lines_is_text_and_a_sponsor_line_goes() -> None:
    answer = ["Honestly it was never a big plan. My grandmother died, the farm stood empty and",
              "someone had to be there at least in the summers. The first summer I came for",
              "three weeks, the second I stayed until September, and then I simply stayed."]
    question = ["Were the neighbourhood beekeepers enthusiastic about", "sixty new hives?"]
    lines = ["From logistics to sixty beehives", "By Mari Tamm", "", *answer, "", *question, "", *answer, "",
             "Sponsored by Example Honey Ltd", "", *answer]
    doc = parse("\n".join(lines) + "\n", language="en")
    assert not [b for b in doc.blocks if isinstance(b, Heading)]  # a heading is one line of the seed
    assert " ".join(question) in [b.text for b in doc.blocks]
    assert not any("Sponsored" in b.text for b in doc.blocks)


def test_pull_quote_in_a_script_without_spaces() -> None:
    text = ("雾溪古镇两日慢游\n文：林若溪\n2024年10月12日\n\n"
            "第二天最好早起。客栈老板娘陈阿婆说：“雾溪的早上，是用耳朵醒来的。”天还没亮，河边已经有人在洗衣服。\n\n"
            "“雾溪的早上，是用耳朵醒来的。”\n\n旧道全程约七公里，从雾溪镇通往山那边的岭口村，往返需要四到五个小时。\n")
    doc = parse(text, language="zh")
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "PullQuote", "Paragraph"]


def _prose(n: int, start: int = 0) -> str:
    """`n` distinct paragraphs of running text."""
    return "".join(f"On day {k} the council met again to discuss the harbour plan, and the debate ran late into the "
                   f"night while {k * 10} residents listened to what the engineers had found.\n\n"
                   for k in range(start, start + n))


def test_a_cut_that_would_remove_more_than_a_tenth_of_the_prose_is_refused() -> None:
    # An author box's label in the middle of the article: what follows is the article's own prose, far more than
    # a tenth of it.
    text = "Harbour plan splits the council\nBy Ann Lee\n\n" + _prose(3) + "About the author\n\n" + _prose(4, 3)
    doc = parse(text, language="en")
    assert sum(isinstance(b, Paragraph) for b in doc.blocks) == 7
    assert any(d.code == "W106" for d in doc.diagnostics)
    assert [d.text for d in doc.dropped] == ["About the author"]


def test_a_comment_thread_goes_however_long() -> None:
    comment = "I have lived by the harbour for thirty years and I have never seen the council act this quickly."
    thread = "".join(f"Reader {k}\n{k + 2} hours ago\n{comment} Number {k}.\nReply\n\n" for k in range(8))
    doc = parse("Harbour plan splits the council\nBy Ann Lee\n\n" + _prose(3) + "Comments\n\n" + thread,
                language="en")
    assert sum(isinstance(b, Paragraph) for b in doc.blocks) == 3
    assert not any(d.code == "W106" for d in doc.diagnostics)


def test_prose_with_an_address_and_a_button_word_is_not_a_notice() -> None:
    text = ("Harbour plan splits the council\nBy Ann Lee\n\n" + _prose(3)
            + "If you have a story like this one, write to us at letters@example.com, got it? "
              "we read every letter.\n\nWe use cookies to improve your experience.\nAccept all   Reject all\n")
    doc = parse(text, language="en")
    paragraphs = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert len(paragraphs) == 4 and paragraphs[-1].startswith("If you have a story")
    assert not any("cookies" in p for p in paragraphs)


def test_widget_phrases_in_scripts_without_spaces() -> None:
    # The Japanese paywall line names the matter inside a longer string; a closing sentence with a two-character
    # widget word in it stays.
    text = ("通学路の安全マップを作りました\n文：山田花子\n2024年5月10日\n\n"
            "今年の春、保護者会は地域の皆さんと一緒に通学路を歩き、危険な場所を一つずつ確かめました。\n\n"
            "この続きは保護者会員限定です\n\n"
            "次回の見守り活動は六月に予定しています。写真の保存方法は会報でお知らせします。\n")
    doc = parse(text, language="ja")
    texts = [b.text for b in doc.blocks]
    assert not any("会員限定" in t for t in texts)
    assert texts[-1].startswith("次回の見守り活動")


def test_a_comment_counter_in_the_header_never_takes_the_body_when_a_form_ends_the_page() -> None:
    # The comment form at the page's very end is no sign that the body under the header's counter is a thread.
    text = ("Ruiz unseats incumbent by 412 votes\nTurnout surged in the river towns after a late push on early "
            "voting, while the north split evenly.\nBy Maria Delgado and Tom Whitlock\nMarch 20, 2024\n12 comments\n\n"
            + _prose(6, 20) + "Leave a Reply\nYour email address will not be published.\nComment\nName *\nEmail *\n"
            "Post Comment\n\nComments are closed.\n")
    doc = parse(text, language="en")
    assert sum(isinstance(b, Paragraph) for b in doc.blocks) == 6
    assert [a.name for a in doc.meta.authors] == ["Maria Delgado", "Tom Whitlock"]


def test_a_reworded_footer_sentence_goes_and_a_short_closing_sentence_stays() -> None:
    # `Spotted a mistake? …` is worded nowhere in the data, but its words are the widgets' words; the article's own
    # short last sentence is not, however much it talks of an article.
    footer = "Spotted an error? Contact us to report it.\n\n"
    text = ("Harbour plan splits the council\nBy Ann Lee\n\n" + _prose(3)
            + "He said the article was read by thousands.\n\n")
    kept = [b.text for b in parse(text + footer, language="en").blocks if isinstance(b, Paragraph)]
    assert kept[-1] == "He said the article was read by thousands."
    assert len(kept) == 4


def test_header_widgets_in_any_wording() -> None:
    # A menu of Vietnamese two-syllable items, a reading time under the dek's sentence, a player's button and the
    # font-size letters: none is the title, the first paragraph or a heading.
    text = ("Trang chủ   Giới thiệu   Đào tạo   Tin tức – Sự kiện   Tuyển sinh   Liên hệ\n\n"
            "Harbour plan splits the council\n\n"
            "The vote on the new quay came after a long night of argument in the town hall over its cost.\n\n"
            "By Ann Lee\n\nReading time – 5 min.\n\n▶ Listen to the episode\n\nText size: A A A\n\n" + _prose(3))
    doc = parse(text, language="en")
    assert doc.meta.title == "Harbour plan splits the council"
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph"] * 3
    assert doc.blocks[0].text.startswith("On day 0")


def test_words_keep_their_vowel_signs() -> None:
    # Devanagari's vowel signs are combining marks, which Python's `\w` leaves out: a menu of six Hindi words must
    # count six words, not fifteen fragments.
    from pipeline.parse.chrome import words
    assert words("होम   कार   बाइक   इलेक्ट्रिक   रिव्यू   तुलना") == ["होम", "कार", "बाइक", "इलेक्ट्रिक", "रिव्यू", "तुलना"]


def test_a_reworded_read_also_line_goes_and_a_headings_colon_stays() -> None:
    text = ("Harbour plan splits the council\nBy Ann Lee\n\n" + _prose(2) + "Read this too: The quay nobody wanted\n\n"
            + _prose(1, 2) + "First week: tears and bargains\n\n" + _prose(2, 3))
    doc = parse(text, language="en")
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph"] * 3 + ["Heading"] + ["Paragraph"] * 2
    assert [d.text for d in doc.dropped] == ["Read this too: The quay nobody wanted"]


def test_a_membership_box_in_other_words_goes_and_a_header_block_stays() -> None:
    # No phrase of the box is in the data; its words are the widgets' words, and it holds a button. The header's
    # block of byline, share row and date has widget words too, and stays.
    box = ("This post is part of the Family Club.\nBecome a member to keep reading every post and get the weekly "
           "letter free.\nJoin now\nAlready a member? Log in\n\n")
    text = ("Harbour plan splits the council\n\nBy Ann Lee\nShare   Facebook   X   Email\nUpdated: 12 March 2024\n\n"
            + _prose(3) + box)
    doc = parse(text, language="en")
    assert [a.name for a in doc.meta.authors] == ["Ann Lee"] and doc.meta.date == dt.date(2024, 3, 12)
    assert [b.text[:9] for b in doc.blocks] == ["On day 0 ", "On day 1 ", "On day 2 "]


def test_a_dek_split_by_a_comma_is_no_name_and_role_in_a_script_without_capitals() -> None:
    text = ("鶏もも肉の甘辛照り焼き\n\nご飯がすすむ甘辛だれで、忙しい平日の夕食にもぴったりの一品です\n\n"
            "文：佐藤みどり（料理研究家）\n2024年5月10日\n\n"
            "鶏もも肉の照り焼きは、子どもから大人まで人気の定番おかずです。"
            "今回は長ねぎを一緒に焼いて、香ばしさと甘みをプラスしました。\n\n"
            "コメント（2件）\n\nはるママ\n2日前\n簡単でおいしかったです！子どもがおかわりしました。\n返信\n\n"
            "ゆうき\n5時間前\n次はししとうで作ってみます。\n返信\n")
    doc = parse(text, language="ja")
    assert doc.meta.subtitle == "ご飯がすすむ甘辛だれで、忙しい平日の夕食にもぴったりの一品です"
    assert [(a.name, a.role) for a in doc.meta.authors] == [("佐藤みどり", "料理研究家")]
    assert [b.text[:6] for b in doc.blocks] == ["鶏もも肉の照"]


def test_widget_words_written_with_a_prefix_count_in_hebrew() -> None:
    from pipeline.parse.chrome import widget_words
    from pipeline.parse.lexicon import lexicon
    # `להתחברות` is `ל` ("to") before `התחברות` ("log-in"): the data file names the prefixes Hebrew writes onto words.
    hits, content = widget_words("כבר מנויים? להתחברות", lexicon("he"))
    assert (hits, content) == (2, 2)


def test_a_thai_article_unmarked_sentence_ends_headings_and_two_authors() -> None:
    # Thai ends sentences with a space and paragraphs with nothing: long lines are its prose, short lines between
    # them its headings; its names are counted in letters, not in vowel signs.
    para = ("อาการปวดหัวเป็นปัญหาสุขภาพที่พบได้บ่อยที่สุดอย่างหนึ่ง เกือบทุกคนเคยมีอาการนี้ ไม่ว่าจะเกิดจากการนอนไม่พอ "
            "ความเครียดจากการทำงาน หรือการดื่มน้ำน้อยเกินไป โดยทั่วไปอาการจะดีขึ้นเองเมื่อได้พักผ่อน\n\n")
    text = ("ปวดหัวบ่อยแบบไหนควรไปพบแพทย์\n\nโดย ศิริพร วงศ์ทอง และ ธนากร ใจดี\n\n14 มีนาคม 2024\n\n" + para * 2
            + "สัญญาณเตือนที่ต้องรีบไปโรงพยาบาล\n\n" + para * 2 + "ดูแลตัวเองอย่างไรเมื่อปวดหัว\n\n" + para * 2)
    doc = parse(text, language="th")
    assert [a.name for a in doc.meta.authors] == ["ศิริพร วงศ์ทอง", "ธนากร ใจดี"]
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Paragraph", "Heading"] * 2 + ["Paragraph"] * 2


def test_bylines_in_georgian_whose_names_take_no_capitals() -> None:
    # Unicode gives Georgian capitals; Georgian names never use them (CLDR's country names in Georgian have none).
    with reading("ka"):
        assert [a.name for a in read_byline("ავტორი: გიორგი ბერიძე") or []] == ["გიორგი ბერიძე"]


def test_header_bars_crumbs_and_buttons_in_other_words() -> None:
    # A radio's player bar, a crumb of two sections behind an arrow, a listen button worded as no data file words
    # it; in the body a `Read also` label behind an arrow.
    text = ("News › Local\n\n▶ LIVE  |  Harbour FM 96.4  |  On air: Morning Show\n\n"
            "Harbour plan splits the council\nBy Ann Lee\nMarch 12, 2024\n\nListen story\n\n" + _prose(2)
            + "Read also → The quay nobody wanted\n\n" + _prose(2, 2))
    doc = parse(text, language="en")
    assert doc.meta.title == "Harbour plan splits the council" and doc.meta.subtitle is None
    assert [b.text[:9] for b in doc.blocks] == ["On day 0 ", "On day 1 ", "On day 2 ", "On day 3 "]


def test_a_dotted_capital_i_folds_to_a_plain_i() -> None:
    from pipeline.parse.lexicon import fold_letters
    assert fold_letters("CANLI DİNLE") == "canli dinle"


def test_a_thai_date_in_the_buddhist_era() -> None:
    from pipeline.parse.dates import find_dates
    with reading("th"):
        assert [f.date for f in find_dates("เผยแพร่: 16 มี.ค. 2567 เวลา 09:20 น.")] == [dt.date(2024, 3, 16)]
    with reading("en"):
        assert find_dates("16 March 2567") == []


def test_dates_in_the_eras_of_japanese_and_taiwanese_pages() -> None:
    from pipeline.parse.dates import find_dates
    with reading("ja"):
        assert [f.date for f in find_dates("令和6年5月14日")] == [dt.date(2024, 5, 14)]
        assert [f.date for f in find_dates("令和元年5月1日（水）")] == [dt.date(2019, 5, 1)]
        assert [f.date for f in find_dates("平成31年4月30日")] == [dt.date(2019, 4, 30)]
    with reading("zh"):
        assert [f.date for f in find_dates("民國113年3月9日")] == [dt.date(2024, 3, 9)]
    with reading("en"):
        assert find_dates("令和6年5月14日") == []
    doc = parse("令和6年度「里山再生モデル事業」の実施地域を決定しました\n\n令和6年5月14日\n\n"
                + "国土環境省は、令和6年度の実施地域として、全国の47地域から12地域を選定しました。\n" * 2)
    assert doc.meta.date == dt.date(2024, 5, 14)


def test_a_short_sentence_walled_in_by_the_sites_lines_goes() -> None:
    # jusText's rule: a short block between two of the site's is the site's, when a widget's word says so too;
    # the article's own short last sentence, above the first of them, stays.
    text = ("Harbour plan splits the council\nBy Ann Lee\n\n" + _prose(3) + "The vote is on Monday.\n\n"
            "Tags: harbour, council\n\nComments are switched off for this story.\n\n© Harbour Times 2024\n")
    kept = [b.text for b in parse(text, language="en").blocks]
    assert kept[-1] == "The vote is on Monday." and len(kept) == 4


def test_two_prose_lines_in_one_block_are_one_paragraph_where_blank_lines_set_paragraphs_apart() -> None:
    prose = ("The council met on Tuesday evening to hear the residents of the old quarter about the plan for {}.")
    text = "\n\n".join([
        "Residents Speak Up on the Harbour Plan", "By Ann Lee\nMarch 3, 2026",
        prose.format("the harbour"),
        # A `<br>` inside a paragraph copies as a line break: the block is still one paragraph.
        prose.format("the market") + "\n" + prose.format("the new bridge"),
        prose.format("the school"),
        "“We have waited long enough for this plan, and we will not wait another year for it.”\n"
        "— Maria Costa, a resident of the quarter",
        prose.format("the park"),
    ])
    doc = parse(text)
    texts = [b.text for b in doc.blocks]
    assert texts[1] == prose.format("the market") + " " + prose.format("the new bridge")
    assert len(doc.paragraphs) == 4
    assert doc.blocks[-2].type == "quote"  # a quotation's source stays apart, under it


# A short line with a full stop in a box of links (an abbreviation's point) goes with the box; so does the box's
# first link with a year's ordinal point (`… од 2022.`, as Serbian writes it), a blank line under the box's heading.
@pytest.mark.parametrize(("related", "gone"), [
    ("Related\nCouncil to vote on the budget\nSpring clean-up set for April 25 at 9 a.m.\nA new bus line opens",
     "Spring clean-up"),
    ("Related\n\nWheat at its highest price since 2022.\nShops freeze the price of milk\nWhat Easter will cost",
     "Wheat"),
], ids=["abbreviation", "first link, year's point"])
def test_a_short_link_with_a_full_stop_in_a_box_of_links_goes(related: str, gone: str) -> None:
    body = "\n\n".join(f"The council's plan for the {w} was discussed by the residents at some length on Tuesday."
                       for w in ("harbour", "market", "bridge", "school"))
    doc = parse(f"Harbour Plan Debated\n\nBy Ann Lee\n\n{body}\n\n{related}\n")
    assert len(doc.paragraphs) == 4
    assert gone not in json.dumps(doc.as_dict()["blocks"])


def test_a_copyright_notice_with_more_before_its_phrase_goes_where_words_are_unspaced() -> None:
    # `記事・写真の` ("articles and photos") stands between the owner and the data file's `無断転載を禁じます`.
    body = "\n\n".join(f"市は{w}について住民説明会を開き、今後の計画と費用の見通しを詳しく説明しました。"
                       for w in ("新しい橋", "市場の改修", "バス路線"))
    notice = "Copyright (C) Example Nippo. 記事・写真の無断転載を禁じます。"
    doc = parse(f"市が新しい橋の計画を説明\n\n{body}\n\n{notice}\n", language="ja")
    assert len(doc.paragraphs) == 3
    assert "無断転載" not in json.dumps(doc.as_dict()["blocks"], ensure_ascii=False)


def test_a_sections_crumb_over_the_headline_is_no_title() -> None:
    body = "\n\n".join(f"Neighbours in the town raised the money for the {w} in three months, and did the work "
                       "themselves over the summer." for w in ("boat station", "pier", "boathouse roof"))
    doc = parse(f"Podcasts / Town by the Water\n\nEpisode 37. The Boat Station the Neighbours Saved\n\n"
                f"By Olga Mironova\n\nUpdated: 18 February 2025, 12:05\n\n{body}\n")
    assert doc.meta.title == "Episode 37. The Boat Station the Neighbours Saved"
    assert doc.meta.subtitle is None and doc.author_names == ("Olga Mironova",)
    assert len(doc.paragraphs) == 3


def test_a_passage_over_its_sources_dash_line_is_a_block_quote_even_at_the_end() -> None:
    prose = "The council met on Tuesday evening to hear the residents of the old quarter about the plan for {}."
    source = "— Maria Costa, a resident of the quarter"
    for quoted in ("“We have waited long enough for this plan, and we will not wait another year for it.”",
                   "We have waited long enough for this plan, and we will not wait another year for it."):
        text = "\n\n".join(["Residents Speak Up on the Harbour Plan", "By Ann Lee\nMarch 3, 2026",
                            *(prose.format(w) for w in ("the harbour", "the market", "the school")),
                            f"{quoted}\n{source}", prose.format("the park"), f"{quoted}\n{source}"])
        doc = parse(text)
        assert [b.type for b in doc.blocks] == ["paragraph"] * 3 + ["quote", "paragraph", "quote"]
        assert all(b.attribution == "Maria Costa, a resident of the quarter" for b in doc.blocks
                   if isinstance(b, Quote))
        assert not doc.dropped


def test_a_surnames_capitalised_particle_stays_in_the_name() -> None:
    body = "\n\n".join(f"Le conseil municipal a voté mardi soir le budget de la {w}, après un long débat public."
                       for w in ("halle", "piscine", "bibliothèque"))
    doc = parse(f"La halle du marché rouvrira au printemps\n\nClaire Dumontet et Yann Le Goff\n"
                f"Publié le 07/10/2026 à 18h02\n\n{body}\n")
    assert doc.author_names == ("Claire Dumontet", "Yann Le Goff")
    assert all(a.role is None for a in doc.meta.authors)


def test_a_credit_keeps_its_first_word_when_a_known_label_ends_with_it() -> None:
    # `Foto: Arquivo` is a label of the Portuguese data file; here `Arquivo pessoal` is the whole credit.
    with reading("pt"):
        photo = split_caption("Lucas, 3 anos, com o penico que ele mesmo escolheu. (Foto: Arquivo pessoal)")
        assert photo is not None and photo.credit == "Arquivo pessoal"
        photo = split_caption("Lucas, 3 anos, com o penico que ele mesmo escolheu. (Foto: Arquivo)")
        assert photo is not None and photo.credit == "Arquivo"


def test_a_cldr_pattern_literal_in_brackets_may_be_left_out() -> None:
    # CLDR's Basque long date is `y('e')'ko' MMMM'ren' d('a')`: 2026ko has no `e`, 2001eko has.
    from pipeline.parse.dates import find_dates
    with reading("eu"):
        assert [f.date for f in find_dates("Eguneratua: 2026ko maiatzaren 12a, 11:30")] == [dt.date(2026, 5, 12)]
        assert [f.date for f in find_dates("2001eko maiatzaren 12a")] == [dt.date(2001, 5, 12)]


def test_names_joined_by_an_and_written_onto_the_next_name_in_a_spaced_script() -> None:
    body = "\n\n".join(f"יש משחקי אימה שמנסים להבהיל אתכם כל שלושים שניות, ויש כאלה שפשוט נותנים לחושך לעבוד {n}."
                       for n in ("הפעם", "שוב", "בסוף"))
    doc = parse(f"ביקורת: משחק אימה קטן שלא מפחד מהחושך\n\nנועה ברק ויואב שגיא, כתבי הגיימינג\n\n"
                f"12.03.2026, 14:05\n\n{body}\n")
    assert doc.meta.subtitle is None
    assert doc.author_names == ("נועה ברק", "יואב שגיא")


def test_a_bare_line_of_names_beside_its_date_is_the_byline() -> None:
    body = "\n\n".join(f"The council met on Tuesday evening to hear the residents of the old quarter about {w}."
                       for w in ("the harbour", "the market", "the school"))
    for line, names in (("Ann Lee | March 3, 2026", ("Ann Lee",)), ("Ann Lee and Tom Berg · March 3, 2026",
                                                                     ("Ann Lee", "Tom Berg")),
                        ("March 3, 2026 · 4 min read · Ann Lee", ("Ann Lee",)),
                        ("Ann Lee | Madrid | March 3, 2026", ("Ann Lee",)),
                        ("Ann Lee\nMadrid, March 3, 2026", ("Ann Lee",)),
                        ("New York, March 3, 2026", ()), ("Politics | March 3, 2026", ())):
        doc = parse(f"Harbour Plan Debated\n\n{line}\n\n{body}\n")
        assert doc.author_names == names, line
        assert doc.meta.date == (dt.date(2026, 3, 3) if names or line.startswith("New York") else None), line
        assert len(doc.paragraphs) == 3, line  # the date line with its place is no paragraph
    zh = "\n\n".join(f"上个周末，我沿着青禾河新修的慢行道走了一圈。步道铺得平整，每隔几百米就有{w}。"
                     for w in ("座椅", "路灯", "垃圾桶"))
    doc = parse(f"青禾河慢行道开放一周年\n\n陈晓东\u3000\u30002026-03-12 09:30\n\n{zh}\n")
    assert doc.author_names == ("陈晓东",) and doc.meta.date == dt.date(2026, 3, 12)


def test_a_short_headlines_byline_block_is_no_menu() -> None:
    body = "\n\n".join(f"The council met on Tuesday evening to hear the residents of the old quarter about {w}."
                       for w in ("the harbour", "the market", "the school"))
    doc = parse(f"Harbour Plan Debated\n\nAnn Lee\nStaff Writer\nMarch 3, 2026\n\n{body}\n")
    assert doc.author_names == ("Ann Lee",) and doc.meta.date == dt.date(2026, 3, 3)


def test_chinese_hard_wrapped_at_a_width_in_columns_is_joined_and_its_gallery_counter_goes() -> None:
    sentences = ["上个周末，我沿着青禾河新修的慢行道走了一圈。",
                 "步道铺得平整，栏杆漆得鲜亮，每隔几百米就有一个观景台。",
                 "可走到一半我发现，想找一张能坐下歇脚的长椅，比找一个打卡点难多了。", "这并不是青禾一城的问题。",
                 "近几年，不少城市都在修建滨水步道、绿道和所谓的城市客厅，效果图上无一例外地漂亮。"]
    paragraph = "".join(sentences)
    # Wrapped at 35 characters: 70 columns, as an editor sets wide characters.
    wrapped = "\n".join(paragraph[k:k + 35] for k in range(0, len(paragraph), 35))
    caption = "青禾河慢行道的一处观景台，周末下午游人如织。（摄影：刘文博）\n图片 1/8"
    text = "\n\n".join(["城市慢行道，不该只是一条网红打卡线", "作者：周雨桐", "2026年4月8日 09:30",
                        wrapped, wrapped, caption, wrapped])
    doc = parse(text)
    assert [b.text for b in doc.paragraphs] == [" ".join(wrapped.split("\n"))] * 3
    assert [(p.caption, p.credit) for p in doc.photos] == [("青禾河慢行道的一处观景台，周末下午游人如织。", "刘文博")]
    assert "图片 1/8" not in json.dumps(doc.as_dict()["blocks"], ensure_ascii=False)


def test_a_thai_pull_quote_with_a_space_between_its_phrases() -> None:
    host = ("ขณะที่ ดร.วิไลวรรณ ทองดี นักวิชาการด้านปฐพีวิทยา ให้ความเห็นว่า เกษตรกรควรตรวจวิเคราะห์ดินก่อนทุกครั้ง "
            "เพราะการใส่ปุ๋ยเกินความจำเป็นนอกจากจะสิ้นเปลืองแล้ว ยังทำให้ดินเสื่อมโทรมในระยะยาว โดยเธอแนะนำแนวทางนี้")
    other = "ราคาปุ๋ยเคมีสูตรหลักที่ชาวนาใช้ ปรับลดลงเฉลี่ยร้อยละ 8 เมื่อเทียบกับช่วงเดียวกันของปีที่แล้ว ตามข้อมูลของสหกรณ์"
    quote = "“การใส่ปุ๋ยเกินความจำเป็นนอกจากจะสิ้นเปลืองแล้ว ยังทำให้ดินเสื่อมโทรมในระยะยาว”"
    doc = parse("\n\n".join(["ราคาปุ๋ยลดลงก่อนฤดูทำนา", "โดย สมชาย ใจดี", other, host, quote, other + " อีกครั้ง"]))
    assert quote.strip("“”") not in [b.text for b in doc.paragraphs]
    assert len(doc.paragraphs) == 3


def test_a_persian_page_in_the_solar_hijri_calendar_with_two_names_joined_by_and() -> None:
    from pipeline.parse.dates import find_dates
    with reading("fa"):
        assert [f.date for f in find_dates("يکشنبه 15 مهر 1403 - ساعت 11:20")] == [dt.date(2024, 10, 6)]
        assert [f.date for f in find_dates("۱۰ فروردین ۱۴۰۳")] == [dt.date(2024, 3, 29)]
        assert read_byline("به قلم او بیش از دوازده کتاب و ده‌ها مقاله درباره‌ی موسیقی و ادبیات") is None
    body = "\n\n".join(f"تيم رباتيک دبيرستان دخترانه نسيم دانش در دوره مسابقات رباتيک استان {w} را به دست آورد."
                       for w in ("عنوان نخست", "جايزه ويژه", "رتبه دوم"))
    doc = parse(f"دانش‌آموزان در مسابقات رباتيک استان اول شدند\n\nفرشته نيک‌زاد و حميد رفيعي\n"
                f"يکشنبه 15 مهر 1403 - ساعت 11:20\n\n{body}\n")
    assert doc.author_names == ("فرشته نيک‌زاد", "حميد رفيعي")
    assert doc.meta.date == dt.date(2024, 10, 6) and doc.meta.subtitle is None


def test_cldr_and_words_with_a_no_break_space_or_the_scripts_comma() -> None:
    # Czech CLDR writes `{0} a\u00a0{1}`, Persian `{0}، و {1}`: both join names with spaces around the word.
    with reading("cs"):
        assert read_byline("Autoři: Jan Novák a Petr Svoboda") == read_byline("Autoři: Jan Novák, Petr Svoboda")
        assert [a.name for a in read_byline("Autoři: Jan Novák a Petr Svoboda") or []] == ["Jan Novák", "Petr Svoboda"]


def test_a_bylines_other_word_for_and_from_the_data_file() -> None:
    # CLDR's Ukrainian `and` is `і`; bylines write `та` as often.
    body = "\n\n".join(f"Міська рада у вівторок ухвалила рішення про ремонт {w}, яке давно чекали мешканці району."
                       for w in ("набережної", "ринку", "школи"))
    doc = parse(f"Рада ухвалила ремонт набережної\n\nОксана Гребенюк та Марта Левчук\n12.03.2026, 09:30\n\n{body}\n")
    assert doc.author_names == ("Оксана Гребенюк", "Марта Левчук")


def test_a_list_of_ratings_stays_and_dialogue_lines_set_apart_are_paragraphs() -> None:
    body = "\n\n".join(f"The film opens on an empty road that loses itself in the fog above {w} for a long while."
                       for w in ("the village", "the river", "the hills"))
    ratings = "• Direction: 4 of 5\n• Acting: 5 of 5\n• Script: 3 of 5\n• Photography: 5 of 5"
    dialogue = "– This is the start of the end for the island, says the woman who runs its only shop.\n\n" \
               "– Without the ferry I get no milk and no bread, and then I have to close the shop for good."
    doc = parse(f"A Quiet Film About Silence\n\nBy Ann Lee\n\n{body}\n\n{ratings}\n\n{dialogue}\n\n{body}\n")
    lists = [b for b in doc.blocks if isinstance(b, ListBlock)]
    assert [item for b in lists for item in b.items] == [
        "Direction: 4 of 5", "Acting: 5 of 5", "Script: 3 of 5", "Photography: 5 of 5"]
    assert len(doc.paragraphs) == 8  # six of the body and the two lines of dialogue


def test_names_set_apart_by_the_arabic_scripts_comma() -> None:
    # CLDR's Persian list: `A،\u200f B، و C`.
    with reading("fa"):
        byline = read_byline("نویسنده: فرشته نیک‌زاد،\u200f حمید رفیعی، و مریم کاظمی")
        assert byline is not None and [a.name for a in byline] == ["فرشته نیک‌زاد", "حمید رفیعی", "مریم کاظمی"]


def test_a_related_box_worded_otherwise_and_a_copyright_line_after_a_few_words_go() -> None:
    # Macedonian `Поврзани рецепти`, "Related recipes": the data file has `Поврзани вести` ("Related news").
    body = "\n\n".join(f"Тавче гравчето најубаво се служи топло, со свеж леб, туршија и ладна салата од {w}."
                       for w in ("зелка", "домати", "пиперки", "краставици"))
    tail = ("Поврзани рецепти\nПолнети пиперки со ориз и месо\nДомашна зелникова пита\nАјвар како некогаш\n\n"
            "Авторски права © 2024 Вкусно дома. Сите права се задржани.")
    doc = parse(f"Тавче гравче како кај баба Ленка\n\nАвтор: Ленка Петровска\n\n{body}\n\n{tail}\n")
    assert len(doc.paragraphs) == 4 and not doc.photos
    text = " ".join(b.text for b in doc.blocks)
    assert "Полнети пиперки" not in text and "2024" not in text


def test_a_letters_signature_over_a_town_of_two_capitalised_words_is_one_paragraph() -> None:
    letter = ("The footbridge over the river has been closed for eight months now, and the children walk to the "
              "station along the road.")
    doc = parse(f"Letters to the Editor\n\nWhen will they mend the footbridge?\n\n{letter}\n\n{letter}\n\n"
                f"Karel Bednar\nHorni Lhota\n\nBuses at the wrong time\n\n{letter}\n\nJana Kropacek\nSvitavka\n")
    assert "Karel Bednar Horni Lhota" in [b.text for b in doc.paragraphs]


def test_a_quoted_verse_of_several_lines_over_its_source_is_one_block_quote() -> None:
    prose = "The band opened the night with the song that first brought them to the radio, slowly, like {}."
    verse = "“In the dark of the night, you are my star,\nin the middle of the storm, you are my boat.”\n" \
            "— from “Firefly in the Rain”, Banda Alitaptap (2009)"
    doc = parse("\n\n".join(["A Reunion Worth the Wait", "By Ann Lee", prose.format("a hymn"), verse,
                             prose.format("a promise"), prose.format("a farewell")]))
    quotes = [b for b in doc.blocks if isinstance(b, Quote)]
    assert [(q.text, q.attribution) for q in quotes] == [
        ("“In the dark of the night, you are my star, in the middle of the storm, you are my boat.”",
         "from “Firefly in the Rain”, Banda Alitaptap (2009)")]
    assert len(doc.paragraphs) == 3


def test_a_verse_set_in_from_the_margin_over_its_source_is_one_block_quote() -> None:
    # A poem copied from a block quote keeps its indent, without quotation marks; a line of it that reads as a
    # heading stays in the poem. Flush with the margin, the same lines are not taken for a quotation.
    answers = ["— She wrote them down in a school notebook, every evening, for forty years, as her mother had done.",
               "— Because the village is empty now, and a painted house is the only one that keeps its light on.",
               "— The museum in the district town has asked for the whole series, and I have said yes to them."]
    verse = ["My house stands under the linden tree,", "its windows look towards the east.",
             "When I am gone, let a light burn there", "for one more year at least.",
             "— Anna Lagun, from the family notebook"]
    for indent in ("    ", ""):
        doc = parse("\n\n".join(["The Painter of Empty Houses", "By Ann Lee", answers[0],
                                   "\n".join(indent + line for line in verse), answers[1], "— Where next?",
                                   answers[2]]))
        quotes = [b for b in doc.blocks if isinstance(b, Quote)]
        if indent:
            assert [(q.text, q.attribution) for q in quotes] == [(" ".join(verse[:4]), verse[4][2:])]
            assert not doc.headings and [p.text for p in doc.paragraphs] == [answers[0], answers[1], "— Where next?",
                                                                             answers[2]]
        else:
            assert not quotes


def test_a_menu_set_apart_by_ideographic_spaces_goes_and_a_headline_like_a_read_also_line_stays() -> None:
    body = "\n\n".join(f"気象庁は18日、関東甲信地方が梅雨明けしたとみられると発表しました。{w}の暑さに注意が必要です。"
                       for w in ("週末", "来週", "月末"))
    doc = parse(f"ニュース\u3000天気\u3000防災\u3000気候変動\u3000特集\u3000動画\n\n"
                f"梅雨明け直後から猛暑続く\u3000関東内陸で週末40℃に迫るおそれ\n\n執筆者：中村 彩\n\n{body}\n")
    assert doc.meta.title == "梅雨明け直後から猛暑続く\u3000関東内陸で週末40℃に迫るおそれ"
    # `Последние` ("latest") is a word of the widgets' link labels; first in the article, the line is its headline.
    ru = "\n\n".join(f"На Севере осталось меньше десятка маяков, где ещё работают люди, и мы провели там {w}."
                     for w in ("неделю", "месяц", "лето"))
    doc = parse(f"Последние смотрители: как живут люди, которые зажигают маяки\n\nАнна Петрова\n"
                f"12 марта 2026\n\n{ru}\n")
    assert doc.meta.title == "Последние смотрители: как живут люди, которые зажигают маяки"


def test_a_last_paragraph_closing_on_a_german_quotation_mark_is_prose_not_an_author_box() -> None:
    prose = "Die Erzeugergemeinschaft will nun mit einem eigenen Programm gegensteuern, sagt der Vorsitzende {}."
    last = "Ob das reicht, ist offen. Entscheidend werde das Wetter, sagt er: „Wenn es trocken bleibt, säen wir nicht.“"
    doc = parse("\n\n".join(["Braugerste wird knapp", "Von Anna Weber", prose.format("heute"),
                             prose.format("morgen"), last, "Folgen Sie uns\n@example_agrar"]) + "\n")
    assert doc.paragraphs[-1].text == last


def test_a_cookie_banner_at_the_page_end_goes_with_buttons_worded_as_no_data_file_has_them() -> None:
    prose = "İsti havada ən yaxşı içki adi içməli su, qazsız mineral su və ya şəkərsiz kompotdur, deyir {}."
    banner = ("Saytımız daha yaxşı xidmət göstərmək üçün kukilərdən (cookies) istifadə edir. Saytdan istifadəyə "
              "davam etməklə siz qaydalarla razılaşırsınız.\nRazıyam\nİmtina et")
    doc = parse("\n\n".join(["Yayda nə qədər su içmək lazımdır", "Müəllif: Leyla Həsənova",
                             prose.format("həkim"), prose.format("dietoloq"), banner]) + "\n")
    assert len(doc.paragraphs) == 2 and "kukilərdən" not in " ".join(b.text for b in doc.blocks)


def test_a_live_blogs_time_over_a_captioned_photo_is_its_heading_not_a_gallery_counter() -> None:
    entry = "Vindbyarna har nu uppmätts till 33 meter per sekund vid fyren, enligt meteorologerna i {}."
    doc = parse("\n\n".join(["Stormen drar in över kusten", "Av Lena Berg", "14:38", entry.format("Visby"),
                             "12:20\nEtt nedfallet träd blockerar Hamngatan. Foto: Linnea Sjö",
                             entry.format("Malmö"), "10:05", entry.format("Luleå")]) + "\n")
    assert [h.text for h in doc.headings] == ["14:38", "12:20", "10:05"]


def test_a_heading_with_a_colon_in_a_script_without_capitals_is_a_heading_unless_its_label_speaks_twice() -> None:
    prose = "आम्ही स्वयंपाकघरात एक जुनं वाळूचं घड्याळ ठेवलं आणि मुलांनी ते स्वतः पाहायला सुरुवात केली {}."
    doc = parse("\n\n".join(["मुलांच्या स्क्रीन टाइमवर आम्ही काय केलं", "लेखिका: सुप्रिया देशपांडे",
                             prose.format("१"), "पहिला बदल: वेळ घड्याळ ठरवेल", prose.format("२"),
                             "दुसरा बदल: स्क्रीनऐवजी काय?", prose.format("३")]) + "\n")
    assert [h.text for h in doc.headings] == ["पहिला बदल: वेळ घड्याळ ठरवेल", "दुसरा बदल: स्क्रीनऐवजी काय?"]
    # An interview's speaker speaks more than once: the line is the speaker's, not a heading.
    doc = parse("\n\n".join(["मुलांच्या स्क्रीन टाइमवर आम्ही काय केलं", "लेखिका: सुप्रिया देशपांडे",
                             prose.format("१"), "सुप्रिया देशपांडे: स्क्रीनऐवजी काय?", prose.format("२"),
                             "सुप्रिया देशपांडे: पुढे काय?", prose.format("३")]) + "\n")
    assert not doc.headings


def test_a_headline_shaped_like_a_name_and_a_job_is_the_headline_when_its_first_word_is_a_common_one() -> None:
    prose = ("В четверг на 87-м году жизни умер Григорий Павлович Левашов — режиссёр, педагог и основатель "
             "народного театра {}.")
    headline = "Умер Григорий Левашов, основатель народного театра в Заречинске"
    doc = parse("\n\n".join([f"{headline}\nТекст: Анна Воронцова\n14 марта 2025", prose.format("в Заречинске"),
                             prose.format("в городе"), prose.format("при ДК")]) + "\n")
    assert doc.meta.title == headline
    assert [a.name for a in doc.meta.authors] == ["Анна Воронцова"]


def test_a_header_date_under_a_label_the_data_file_lacks_is_the_published_date() -> None:
    prose = "به اطلاع همه همسایه‌های عزیز می‌رسانیم که جشن نوروزی امسال محله در حیاط مدرسه برگزار می‌شود {}."
    doc = parse("\n\n".join(["جشن نوروزی محله امسال در حیاط مدرسه", "نویسنده: مریم رضایی\n"
                             "منتشر شده: 21 اسفند 1403 - ساعت 18:30\nبه‌روزرسانی: 22 اسفند 1403 - ساعت 09:15",
                             prose.format("۱"), prose.format("۲"), prose.format("۳")]) + "\n")
    assert (doc.meta.date, doc.meta.updated) == (dt.date(2025, 3, 11), dt.date(2025, 3, 12))


def test_a_caption_with_names_in_guillemets_is_no_breadcrumb_trail() -> None:
    prose = "Важную ролю адыграла і тое, што тканіна стала разнастайнейшай, кажа дызайнерка {}."
    caption = "Сукенка з калекцыі «Палявыя кветкі» майстэрні «Верас». Фота: Ян Лукашэвіч"
    doc = parse("\n\n".join(["Лён вяртаецца ў моду", "Аўтар: Алена Мароз", prose.format("з Гродна"), caption,
                             prose.format("з Мінска"), prose.format("з Брэста")]) + "\n")
    assert [(p.caption, p.credit) for p in doc.photos] == [
        ("Сукенка з калекцыі «Палявыя кветкі» майстэрні «Верас».", "Ян Лукашэвіч")]


def test_running_text_at_the_end_stays_however_its_last_sentence_ends() -> None:
    prose = "Die Erzeugergemeinschaft will nun mit einem eigenen Programm gegensteuern, sagt der Vorsitzende {}."
    last = ("Ob das reicht, ist offen. Entscheidend werde das Wetter im April, sagt er, und am Ende wie immer "
            "ein wenig Glück :-)")
    doc = parse("\n\n".join(["Braugerste wird knapp", "Von Anna Weber", prose.format("heute"),
                             prose.format("morgen"), last, "Folgen Sie uns\n@example_agrar"]) + "\n")
    assert doc.paragraphs[-1].text == last


def test_a_relative_time_stamp_in_cldrs_words_goes_where_the_data_file_words_it_otherwise() -> None:
    prose = "Tallinna linnavalitsus otsustas kolmapäeval, et vanalinna tänavad suletakse autodele {}."
    doc = parse("\n\n".join(["Vanalinn suletakse autodele", "Autor: Mari Tamm\n3 tunni eest",
                             prose.format("suvel"), prose.format("talvel"), prose.format("sügisel")]) + "\n")
    assert "tunni" not in " ".join(b.text for b in doc.blocks) and len(doc.paragraphs) == 3


def test_a_credit_under_a_label_the_data_file_lacks_is_told_by_its_shape() -> None:
    prose = "Fyrstu niðurstöður rannsóknarinnar benda til þess að lundinn fari lengra í fæðuleit en áður {}."
    caption = "Rannsakendur koma fyrir gagnaritum á lunda í Hvalsnesi síðastliðið sumar. Ljósm: Kristinn Ólafsson"
    doc = parse("\n\n".join(["Lundinn flýgur lengra eftir æti", "Eftir Sigrúnu Jónsdóttur", prose.format("var"),
                             caption, prose.format("talið"), prose.format("haldið")]) + "\n")
    assert [(p.caption, p.credit) for p in doc.photos] == [
        ("Rannsakendur koma fyrir gagnaritum á lunda í Hvalsnesi síðastliðið sumar.", "Kristinn Ólafsson")]
    # A sentence before a speaker's line is no caption: the words after the colon are no names.
    said = "Fundinum lauk seint um kvöldið. Niðurstaða: enginn samningur að sinni"
    doc = parse("\n\n".join(["Lundinn flýgur lengra eftir æti", "Eftir Sigrúnu Jónsdóttur", prose.format("var"),
                             said, prose.format("talið")]) + "\n")
    assert not doc.photos and said in [b.text for b in doc.paragraphs]


def test_running_text_above_a_headline_with_its_byline_is_a_notice_not_the_headline() -> None:
    notice = ("이 웹사이트는 서비스 개선과 이용 통계 분석을 위해 방문 기록을 저장합니다. 계속 이용하시면 이에 동의하는 "
              "것으로 간주됩니다. 자세한 내용은 안내 페이지를 확인하세요.")
    prose = ("한지우 감독의 세 번째 장편 영화는 오래 연락을 끊고 지내던 세 남매가 고향 바닷가 마을에 "
             "모이면서 시작된다 {}.")
    doc = parse("\n\n".join([f"{notice}\n확인", "[리뷰] 잃어버린 여름을 건너는 세 남매의 이야기\n이서연 기자\n"
                             "2024.05.14 17:32", prose.format("1"), prose.format("2"), prose.format("3")]) + "\n")
    assert doc.meta.title == "[리뷰] 잃어버린 여름을 건너는 세 남매의 이야기" and doc.meta.subtitle is None
    assert len(doc.paragraphs) == 3


def test_labelled_dates_side_by_side_under_labels_the_data_file_lacks() -> None:
    prose = "Gökçeyurt Belediyesi'nin bu yıl yedincisini düzenlediği şenlik hafta sonu sahil parkında yapılacak {}."
    doc = parse("\n\n".join(["Sahil şenliği hafta sonu başlıyor", "Emre Yıldız ve Zeynep Aksoy\n"
                             "Yayın: 14.03.2024 09:20 | Son değişiklik: 15.03.2024 11:45",
                             prose.format("1"), prose.format("2"), prose.format("3")]) + "\n")
    assert (doc.meta.date, doc.meta.updated) == (dt.date(2024, 3, 14), dt.date(2024, 3, 15))
    assert [a.name for a in doc.meta.authors] == ["Emre Yıldız", "Zeynep Aksoy"] and len(doc.paragraphs) == 3


def test_a_read_also_line_right_under_a_hard_wrapped_paragraph_is_not_joined_to_it() -> None:
    body = ("Formannskapet i Storvik stemte mandag 5–4 mot søknaden fra Bryggekafeen\n"
            "om å få skjenke alkohol til klokken 02.00 i helgene fra juni til august.\n"
            "Kafeen må dermed stenge baren klokken 01.00, slik den har gjort før.\n\n"
            "Eier Lars Mikkelsen hadde håpet at den utvidede skjenketiden skulle gi\n"
            "kafeen et bedre grunnlag for å holde åpent hele året.\n"
            "Les også: Ny gjestehavn åpner i Storvik i juni\n\n"
            "Flertallet viste til klager fra naboer i Sjøgata etter fjorårets sommer,\n"
            "blant annet på støy og forsøpling sent på natten. Også politiet hadde\n"
            "uttalt seg negativt til søknaden, og det veide tungt for flertallet.\n")
    doc = parse("Nei til lengre skjenketid på brygga\nAv Ingrid Haugland\n\n" + body, language="nb")
    assert len(doc.paragraphs) == 3 and "gjestehavn" not in " ".join(b.text for b in doc.blocks)


def test_a_follow_row_of_network_names_written_in_the_articles_script_goes() -> None:
    prose = "לצד התערוכה יתקיימו סיורים מודרכים בימי שישי בשעה 11:00, וכן סדנת צילום לבני נוער בחופשת {}."
    doc = parse("\n\n".join(["תערוכה חדשה במוזיאון העיר", "מאת נועה ברק", prose.format("הפסח"),
                             "עקבו אחרינו:  פייסבוק  ·  אינסטגרם  ·  יוטיוב", prose.format("הקיץ"),
                             prose.format("החורף")]) + "\n")
    assert len(doc.paragraphs) == 3 and "יוטיוב" not in " ".join(b.text for b in doc.blocks)


def test_an_advertisements_headline_set_apart_under_its_marker_goes_with_it() -> None:
    prose = "Pencahayaan juga dimanfaatkan dengan cerdas dalam adegan malam yang diterangi cahaya kebiruan {}."
    doc = parse("\n\n".join(["Teater yang bercerita lewat cahaya", "Oleh Rina Kartika", prose.format("dingin"),
                             "Iklan", "Liburan Hemat ke Pulau Seribu Mulai Rp499 Ribu, Pesan Sekarang",
                             prose.format("hangat"), "Akting yang Menahan Diri", prose.format("lembut")]) + "\n")
    assert [h.text for h in doc.headings] == ["Akting yang Menahan Diri"] and len(doc.paragraphs) == 3
    # No price: the line is the advertisement's when no prose follows it (the article's subheading does).
    cy = "Mae ffermwyr yn y sir yn wynebu costau uwch eleni, yn ôl yr undeb, ac mae llawer yn poeni am {}."
    doc = parse("\n\n".join(["Ffermwyr yn poeni am gostau", "Gan Elin Jones", cy.format("y gaeaf"), "Hysbyseb",
                             "Yswiriant fferm rhatach: cymharwch brisiau heddiw", "Effaith ar deuluoedd ffermio",
                             cy.format("y dyfodol"), cy.format("y plant")]) + "\n")
    assert [h.text for h in doc.headings] == ["Effaith ar deuluoedd ffermio"] and len(doc.paragraphs) == 3


def test_a_byline_prefix_whose_last_word_the_line_inflects_and_a_double_surname_joined_by_and() -> None:
    prose = "Patuloy ang pag-ulan sa malaking bahagi ng Luzon ngayong linggo ayon sa mga eksperto {}."
    doc = parse("\n\n".join(["Malakas na ulan, inaasahan pa", "Isinulat nina Lorna Dizon at Ramon Villareal",
                             prose.format("ng panahon"), prose.format("sa Maynila")]) + "\n")
    assert [a.name for a in doc.meta.authors] == ["Lorna Dizon", "Ramon Villareal"]
    ca = "L'escola ha renovat el pati amb l'ajuda de les famílies i del consell escolar del barri {}."
    doc = parse("\n\n".join(["Un pati nou per a l'escola", "Per Marta Vilaseca i Puig", ca.format("aquest curs"),
                             ca.format("a la tardor")]) + "\n")
    assert [a.name for a in doc.meta.authors] == ["Marta Vilaseca i Puig"]
    doc = parse("\n\n".join(["Un pati nou per a l'escola", "Per Marta Vilaseca i Jordi Puig", ca.format("ara"),
                             ca.format("a la tardor")]) + "\n")
    assert [a.name for a in doc.meta.authors] == ["Marta Vilaseca", "Jordi Puig"]


def test_a_pull_quote_that_drops_what_its_sentence_wrote_onto_its_first_word() -> None:
    host = ("ת: כי אז אין אף אחד על החוף. כל גל הוא משפט מוזיקלי, ובשעות האלה אפשר סוף סוף לשמוע איפה הוא מתחיל "
            "ואיפה הוא נגמר. לפעמים אני חוזרת הביתה בלי כלום.")
    other = "ש: איך מתחילים בכלל פרויקט שבו חומר הגלם הוא רעש של גלים ולא תווים על דף, ומה עושים עם {}?"
    doc = parse("\n\n".join(["הים מנגן לפני הזריחה", "מאת רוני אלמוג", other.format("זה"), host,
                             "”בשעות האלה אפשר סוף סוף לשמוע איפה הוא מתחיל ואיפה הוא נגמר”",
                             other.format("הקהל")]) + "\n")
    assert len(doc.paragraphs) == 3


def test_an_advertisement_in_words_the_data_file_lacks_goes_by_its_shape() -> None:
    prose = "Bæjarráð samþykkti í gær að hefja framkvæmdir við nýja göngubrú yfir ána strax í {}."
    doc = parse("\n\n".join(["Ný göngubrú yfir ána", "Eftir Sigrúnu Jónsdóttur", prose.format("vor"),
                             "Tilboð vikunnar\nSumartilboð á garðhúsgögnum – sjáðu úrvalið hér", prose.format("sumar"),
                             "Kostnaður\n" + prose.format("haust")]) + "\n")
    text = " ".join(b.text for b in doc.blocks)
    assert "Sumartilboð" not in text and "vikunnar" not in text and len(doc.paragraphs) == 3
    # A picture's counter over its caption, and a subheading alone in its block, stay.
    doc = parse("\n\n".join(["Ný göngubrú yfir ána", "Eftir Sigrúnu Jónsdóttur", prose.format("vor"),
                             "Kostnaður", prose.format("sumar"), prose.format("haust")]) + "\n")
    assert [h.text for h in doc.headings] == ["Kostnaður"]


def test_a_cookie_banners_buttons_on_one_line_set_apart_by_wide_gaps() -> None:
    prose = "İsti havada ən yaxşı içki adi içməli su, qazsız mineral su və ya şəkərsiz kompotdur, deyir {}."
    banner = ("Saytımız daha yaxşı xidmət göstərmək üçün kukilərdən (cookies) istifadə edir. Saytdan istifadəyə "
              "davam etməklə siz qaydalarla razılaşırsınız.\nRazıyam tamamilə     İmtina edirəm")
    doc = parse("\n\n".join(["Yayda nə qədər su içmək lazımdır", "Müəllif: Leyla Həsənova",
                             prose.format("həkim"), prose.format("dietoloq"), banner]) + "\n")
    assert len(doc.paragraphs) == 2 and "kukilərdən" not in " ".join(b.text for b in doc.blocks)


def test_a_hard_wrapped_dumps_headline_and_dek_in_one_chunk_over_the_byline_stay_apart() -> None:
    body = ("Ibarluzeko itsasadarreko padurek orain arte uste zena baino askoz\n"
            "karbono gehiago xurgatzen dute, Kostaldeko Ikerketa Zentroko talde batek\n"
            "bi urtez egindako laginketen arabera, eta emaitzak harrigarriak dira.\n\n"
            "Ikertzaileek hogei puntutan hartu dituzte laginak, itsasbeheran eta\n"
            "itsasgoran, eta lohiaren sakonera ere neurtu dute metro bateraino,\n"
            "zientzialariek azaldu dutenez, aurreko lanek ez baitzuten hori egin.\n")
    head = ("Ibarluzeko padurek uste baino karbono gehiago gordetzen dute\n"
            "Bi urteko laginketaren arabera, lohiek hektareako karbono gehiago dute\n"
            "Ibarluzeko paduretan, aurreko kalkuluen ia bikoitza\n\n"
            "Miren Etxeberria eta Jon Agirre\nArgitaratua: 2025eko martxoaren 14a, 10:20\n\n")
    doc = parse("Hasiera > Zientzia > Ingurumena\n\n" + head + body, language="eu")
    assert doc.meta.title == "Ibarluzeko padurek uste baino karbono gehiago gordetzen dute"
    assert doc.meta.subtitle == ("Bi urteko laginketaren arabera, lohiek hektareako karbono gehiago dute "
                                 "Ibarluzeko paduretan, aurreko kalkuluen ia bikoitza")
    # The headline alone in the chunk above: the dek's wrapped lines join, however its second line starts.
    doc = parse("Ibarluzeko padurek uste baino karbono gehiago gordetzen dute\n\n" + head.split("\n", 1)[1] + body,
                language="eu")
    assert doc.meta.subtitle is not None and doc.meta.subtitle.endswith("ia bikoitza")


def test_a_copyright_notice_without_a_year_and_the_feedback_line_above_it_go() -> None:
    prose = "Construction will be carried out by the drainage board on behalf of the department, starting in {}."
    doc = parse("\n\n".join(["Three new pumping stations for the Carrow valley", "By Ann Lee",
                             prose.format("May"), prose.format("June"),
                             "Is this page useful?  Yes  No\nReport a problem with this page",
                             "© Crown copyright. All content is available under the Open Government Licence, "
                             "except where otherwise stated."]) + "\n")
    text = " ".join(b.text for b in doc.blocks)
    assert len(doc.paragraphs) == 2 and "Crown copyright" not in text and "Report a problem" not in text


def test_an_end_sections_label_over_the_articles_prose_is_a_subheading_when_the_cut_is_refused() -> None:
    prose = "The board will hold public drop-in sessions at the village hall, between 2pm and 7pm, on {}."
    doc = parse("\n\n".join(["Three new pumping stations for the Carrow valley", "By Ann Lee",
                             prose.format("3 April"), "Have your say", prose.format("10 April"),
                             prose.format("17 April"), prose.format("24 April")]) + "\n")
    assert [h.text for h in doc.headings] == ["Have your say"] and len(doc.paragraphs) == 4


def test_a_line_ending_in_a_colon_set_apart_from_the_list_under_it_is_a_heading() -> None:
    prose = "Pasar malam di Taman Sri Muda kembali meriah minggu ini dengan lebih seratus gerai makanan {}."
    items = "• 00:00 Pengenalan dan suasana pasar malam\n• 04:30 Mak Cik Rohana dan harga bahan mentah"
    doc = parse("\n\n".join(["Episod 12: Rasa pasar malam", "Oleh Amirul Hakim", prose.format("baharu"),
                             "Dalam episod ini:", items, prose.format("tradisional")]) + "\n")
    assert [h.text for h in doc.headings] == ["Dalam episod ini:"]
    # In one block with its list the line leads the list in.
    doc = parse("\n\n".join(["Episod 12: Rasa pasar malam", "Oleh Amirul Hakim", prose.format("baharu"),
                             "Dalam episod ini:\n" + items, prose.format("tradisional")]) + "\n")
    assert not doc.headings


def test_a_byline_label_ending_in_a_mark_is_not_found_inside_its_inflected_plural() -> None:
    prose = "நீலகிரி மலையில் மழைக்காலத்தில் பயணம் செய்யும்போது கவனிக்க வேண்டியவை பல உள்ளன {}."
    doc = parse("\n\n".join(["மழைக்கால மலைப் பயணம்", "எழுதியவர்கள்: கயல்விழி ராஜன் மற்றும் அருண் பிரகாஷ்",
                             prose.format("என்கிறார்கள்"), prose.format("என்று கூறுகிறார்கள்")]) + "\n")
    assert [a.name for a in doc.meta.authors] == ["கயல்விழி ராஜன்", "அருண் பிரகாஷ்"]
    with reading("ta"):
        found = read_byline("எழுதியவர்கள் கயல்விழி ராஜன்")
    assert found is None or not found[0].name.startswith("கள்")


def test_a_headline_holding_a_banners_word_in_another_sense_is_the_headline() -> None:
    prose = "A tészta omlós, de nem morzsálódik szét, a túrós réteg pedig krémes marad, mondta {}."
    doc = parse("\n\n".join(["Nagymama meggyes-túrós pitéje, ahogy a zalai falvakban sütik", "Szerző: Tóth Ilona",
                             prose.format("Ilona"), prose.format("a nagymama")]) + "\n")
    assert doc.meta.title == "Nagymama meggyes-túrós pitéje, ahogy a zalai falvakban sütik"
    assert len(doc.paragraphs) == 2


def test_a_cookie_banner_in_a_script_without_spaces_goes_though_its_words_touch_their_neighbours() -> None:
    prose = "三月初的城南剧院，观众席几乎坐满。舞台上只有一张旧木桌、两把椅子和一盏挂在半空的马灯，{}。"
    banner = ("本网站使用Cookie以改善您的浏览体验并进行访问统计。继续浏览即表示您同意我们按照隐私政策使用Cookie。"
              "\n接受\u3000\u3000拒绝")
    doc = parse("\n\n".join([banner, "话剧《江边的灯》：一座小城三十年的悲欢", "作者：林晓雯", prose.format("灯亮了"),
                             prose.format("戏开始了")]) + "\n")
    assert doc.meta.title == "话剧《江边的灯》：一座小城三十年的悲欢"
    assert "Cookie" not in " ".join(b.text for b in doc.blocks)


def test_a_short_line_naming_a_widgets_key_chord_goes_in_words_the_data_file_lacks() -> None:
    prose = "Şimal-qərbin bu qədim kəndi fındıq bağları və qoz ağacları ilə əhatələnib, deyir {}."
    doc = parse("\n\n".join(["Car kəndində bal yarmarkası", "Müəllif: Leyla Həsənova", prose.format("Leyla"),
                             prose.format("bələdçi"), "Xəta tapdınız? Mətni seçib Ctrl+Enter düyməsini basın."]) + "\n")
    assert len(doc.paragraphs) == 2 and "Ctrl+Enter" not in " ".join(b.text for b in doc.blocks)


def test_thai_paragraphs_broken_at_their_phrases_inside_blank_line_separated_blocks_are_paragraphs() -> None:
    phrases = ["เกษตรกรในอำเภอลำน้ำพรายหลายหมู่บ้าน", "ร่วมกันขุดลอกสระน้ำสาธารณะและซ่อมแซมฝายชะลอน้ำ",
               "เพื่อเตรียมรับมือกับภาวะภัยแล้งที่คาดว่าจะรุนแรงกว่าปีที่ผ่านมา"]
    blocks = ["\n".join(f"{p} {n}" for p in phrases) for n in ("หนึ่ง", "สอง", "สาม", "สี่", "ห้า")]
    doc = parse("\n\n".join(["เกษตรกรลำน้ำพรายเร่งเก็บน้ำ รับมือภัยแล้งก่อนสงกรานต์", "โดย ณัฐวุฒิ แก้วมณี",
                             *blocks]) + "\n", language="th")
    assert not doc.headings and len(doc.paragraphs) == 5
    assert doc.paragraphs[0].text.startswith("เกษตรกรในอำเภอลำน้ำพรายหลายหมู่บ้าน หนึ่ง ร่วมกัน")


def test_a_chinese_byline_of_a_name_and_a_job_beside_the_date_after_an_ideographic_space() -> None:
    prose = "三月初的城南剧院，观众席几乎坐满。舞台上只有一张旧木桌、两把椅子和一盏挂在半空的马灯，{}。"
    doc = parse("\n\n".join(["话剧《江边的灯》：一座小城三十年的悲欢", "周慕言 特约影评人\u30002024年5月12日",
                             prose.format("灯亮了"), prose.format("戏开始了")]) + "\n")
    assert [(a.name, a.role) for a in doc.meta.authors] == [("周慕言", "特约影评人")]
    assert doc.meta.date == dt.date(2024, 5, 12) and not doc.headings
    with reading("zh"):  # a job the file knows only by its last word: the whole word is the job
        assert [(a.name, a.role) for a in read_byline("周慕言 特约评论员") or []] == [("周慕言", "特约评论员")]


def test_a_relative_time_stamp_without_the_word_cldr_writes_before_its_number() -> None:
    prose = "Kommunen vil bygge tre nye pumpestationer langs åen i løbet af de kommende år, siger {}."
    doc = parse("\n\n".join(["Tre nye pumpestationer ved åen", "Af Mette Holm\n3 uger siden", prose.format("Mette"),
                             prose.format("borgmesteren")]) + "\n")
    assert "uger siden" not in " ".join(b.text for b in [*doc.blocks]) and doc.meta.title.startswith("Tre nye")
    from pipeline.parse.lexicon import lexicon
    assert "{n} uger siden" in lexicon("da").phrases("relative_time")
    assert "{n} sekunder sedan" in lexicon("sv").phrases("relative_time")
    # Where CLDR's last word is the unit (Romanian `acum 20 de minute`), a number and its unit are a duration.
    assert "{n} de minute" not in lexicon("ro").phrases("relative_time")


def test_a_header_date_under_an_unknown_label_beside_a_counter_in_unknown_words() -> None:
    prose = "Alquilar un piso en Puerto Alcedo cuesta hoy un once por ciento más que hace un año, según {}."
    doc = parse("\n\n".join(["El alquiler en Puerto Alcedo sube un 11%", "Carmen Lozano",
                             "Última revisión: 04/06/2026 - 09:15 h · 23 opiniones", prose.format("el informe"),
                             prose.format("los agentes")]) + "\n", language="es")
    assert doc.meta.date == dt.date(2026, 6, 4) and not doc.headings and len(doc.paragraphs) == 2
    from pipeline.parse.dates import read_date_line
    with reading("es"):
        assert read_date_line("04/06/2026 · 23 personas murieron ayer") is None


def test_a_line_in_unknown_words_above_a_row_of_section_links_is_the_sites() -> None:
    prose = "The food parcels will be handed out every Tuesday at the community centre on Mill Road, said {}."
    doc = parse("\n\n".join(["Straight to the story", "Home | Our work | Donate | Volunteer | Contact",
                             "Summer food parcels for Riverton's children\nBy Mia Sato\n3 June 2024",
                             prose.format("Mia"), prose.format("the charity")]) + "\n")
    assert doc.meta.title == "Summer food parcels for Riverton’s children" and doc.meta.subtitle is None


def test_a_play_sign_before_a_few_words_and_the_recordings_length_is_a_player() -> None:
    prose = "Boere in die Klipvlei-vallei het die afgelope week vir die eerste keer in maande reën gekry, sê {}."
    doc = parse("\n\n".join(["Reën bring verligting in Klipvlei", "Marietjie Botha\n3 Maart 2024",
                             "▶ Die storie, voorgelees deur Marietjie  (2:45)", prose.format("Marietjie"),
                             prose.format("die boere")]) + "\n", language="af")
    assert len(doc.paragraphs) == 2 and "voorgelees" not in " ".join(b.text for b in doc.blocks)
    # The length in CLDR's words for minutes, with its abbreviation's dot.
    doc = parse("\n\n".join(["Reën bring verligting in Klipvlei", "Marietjie Botha\n3 Maart 2024",
                             "▶ Die storie, voorgelees deur Marietjie (41 min.)", prose.format("Marietjie"),
                             prose.format("die boere")]) + "\n", language="af")
    assert len(doc.paragraphs) == 2 and "voorgelees" not in " ".join(b.text for b in doc.blocks)


def test_a_sign_up_box_in_words_no_data_file_has_goes_by_its_shape() -> None:
    prose = "The queue between the layers works as a buffer, and the services never notice a slow store, said {}."
    box = "The Riverton letter\nOne message a month about what we build and why.\nYour address goes here\nCount me in"
    doc = parse("\n\n".join(["A new pipeline in three layers", "By Ann Lee", prose.format("Ann"), box,
                             "Three layers", prose.format("Bob"), prose.format("Cy")]) + "\n")
    assert len(doc.paragraphs) == 3 and [h.text for h in doc.headings] == ["Three layers"]
    assert "Count me in" not in " ".join(b.text for b in doc.blocks)
    # A short sentence over two names is the article's (`The winners:` over them would be too).
    doc = parse("\n\n".join(["A new pipeline in three layers", "By Ann Lee", prose.format("Ann"),
                             "The prize went to two people.\nMarta Vilaseca\nJon Agirre", prose.format("Bob")]) + "\n")
    assert "Jon Agirre" in " ".join(b.text for b in doc.blocks)


def test_a_banner_above_the_article_in_words_no_data_file_has_goes_by_its_shape() -> None:
    prose = "Storm waves of more than five metres closed the coast road between the two towns this morning, said {}."
    banner = ("Small files on your device remember your choices here. Change your mind at any time.\n"
              "Fine by me\nRather not\nLet me pick")
    doc = parse("\n\n".join(["Straight to the story", banner, "Storm closes the coast road",
                             "By Marta Puig\n18 February 2026", prose.format("Marta"), prose.format("the police")])
                + "\n")
    assert doc.meta.title == "Storm closes the coast road" and len(doc.paragraphs) == 2
    assert "Fine by me" not in " ".join(b.text for b in doc.blocks)


def test_a_date_lines_time_followed_by_cldrs_name_for_the_part_of_the_day() -> None:
    from pipeline.parse.dates import read_date_line
    for language, line in (("tr", "14 Mart 2024, 09:15 sabah"), ("ru", "14 марта 2024, 9:15 утра"),
                           ("id", "14 Maret 2024, 08.15 pagi"), ("pl", "14 marca 2024, 9:15 rano"),
                           ("ar", "14 مارس 2024، 9:15 صباحًا")):
        with reading(language):
            found = read_date_line(line)
            assert found is not None and found.published == dt.date(2024, 3, 14), line
    with reading("id"):  # only after a time: the word alone is a sentence's
        assert read_date_line("14 Maret 2024 pagi sekali") is None


def test_a_counted_label_over_a_comment_thread_in_unknown_words_ends_the_article() -> None:
    prose = "The team recommends that the cave be protected before the next season of visits begins, said {}."
    thread = ("Ivan D.\nWell done to the volunteers! Without them there would be no find.\nAnswer him\n\n"
              "caver_87\nI have been in that cave, the lower galleries are really hard going.\nAnswer him")
    doc = parse("\n\n".join(["A new centipede in the Devil's Hole", "By Ann Lee", prose.format("Ann"),
                             prose.format("Bob"), "Voices (2)", thread]) + "\n")
    assert len(doc.paragraphs) == 2 and "Answer him" not in " ".join(b.text for b in doc.blocks)
    # Without a thread under it such a label is the article's.
    doc = parse("\n\n".join(["A new centipede in the Devil's Hole", "By Ann Lee", prose.format("Ann"),
                             "Findings (2)", prose.format("Bob"), prose.format("Cy")]) + "\n")
    assert len(doc.paragraphs) == 3


def test_link_lines_under_one_label_the_data_file_lacks_go_and_changing_labels_stay() -> None:
    prose = "The river rose faster than expected overnight, and the mayor asked everyone near it to leave, said {}."
    doc = parse("\n\n".join(["Floods along the Vah", "By Ann Lee", prose.format("Ann"),
                             "Go deeper: How to prepare for a flood at home", prose.format("Bob"),
                             "Go deeper: Forecasters expect the rain to stop tonight", prose.format("Cy")]) + "\n")
    assert len(doc.paragraphs) == 3 and "Go deeper" not in " ".join(b.text for b in doc.blocks)
    doc = parse("\n\n".join(["Three days on the island", "By Ann Lee", prose.format("Ann"),
                             "Day 1: The fishing village and the harbour", prose.format("Bob"),
                             "Day 2: Up to the lighthouse on the hill", prose.format("Cy")]) + "\n")
    assert [h.text for h in doc.headings] == ["Day 1: The fishing village and the harbour",
                                             "Day 2: Up to the lighthouse on the hill"]
    # An interview's questions under one label are the article's.
    doc = parse("\n\n".join(["Fifty years at the wheel", "By Ann Lee", prose.format("Ann"),
                             "Q: Do you remember the first pot you were happy with?", prose.format("Bob"),
                             "Q: What will visitors see at the retrospective?", prose.format("Cy")]) + "\n")
    assert "retrospective" in " ".join(b.text for b in doc.blocks)
    # Without spaces between words, characters are counted.
    zh = "外婆识字不多，却有一个小本子，专门记腌菜的事，哪一年用了几斤盐、哪一坛酸得快，都歪歪扭扭地写在上面，{}。"
    doc = parse("\n\n".join(["外婆的腌菜坛子", "作者：林晓雯", zh.format("一"), "往下看：回老家过年的七天",
                             zh.format("二"), "往下看：我在出租屋里种了一盆薄荷", zh.format("三")]) + "\n")
    assert len(doc.paragraphs) == 3 and "往下看" not in " ".join(b.text for b in doc.blocks)


def test_a_month_in_a_case_cldr_does_not_list_is_read_from_the_form_it_starts_with() -> None:
    from pipeline.parse.dates import read_date_line
    with reading("lv"):  # the locative `oktobrī`, "in October", after CLDR's `okt`
        found = read_date_line("Atjaunināts: 2024. gada 9. oktobrī, 11:20")
        assert found is not None and found.published == dt.date(2024, 10, 9)


def test_a_comment_counter_whose_word_takes_a_case_ending_the_data_file_lacks() -> None:
    prose = "Пчаляр расказвае, як ён трымае сорак вуллёў на ўскрайку лесу і чаму пчолы не церпяць мітусні, {}."
    doc = parse("\n\n".join(["Пчаляр Алесь: «Пчолы не церпяць мітусні»", "Аўтар: Ганна Мароз\n14 сакавіка 2024, 10:20\n"
                             "12 каментарыяў", prose.format("кажа ён"), prose.format("кажа яна")]) + "\n",
                language="be")
    assert "каментарыяў" not in " ".join(b.text for b in doc.blocks) and not doc.headings


def test_a_site_name_with_its_player_after_a_dash_above_the_headline_is_the_sites() -> None:
    prose = "The rope bridge over the river broke on Monday, and pupils now walk twelve kilometres round, said {}."
    doc = parse("\n\n".join(["Home   News   Shows   Contact", "Radio Valley 98.4 FM – Listen live now",
                             "Rope bridge breaks, pupils walk twelve kilometres\nBy Rina Wulan", prose.format("Rina"),
                             prose.format("the head teacher")]) + "\n")
    assert doc.meta.title == "Rope bridge breaks, pupils walk twelve kilometres" and doc.meta.subtitle is None
    # A headline with a dash in it, under the menu, stays the headline.
    doc = parse("\n\n".join(["Home   News   Shows   Contact", "Rope bridge breaks – pupils walk twelve kilometres",
                             "The valley's children face a long detour until the spring\nBy Rina Wulan",
                             prose.format("Rina"), prose.format("the head teacher")]) + "\n")
    assert doc.meta.title == "Rope bridge breaks – pupils walk twelve kilometres"


def test_a_call_to_the_sites_channels_at_the_end_goes_and_a_sentence_naming_networks_stays() -> None:
    prose = "Sanne and Joris ask passers-by at the market whether they would want to become mayor, {}."
    doc = parse("\n\n".join(["Episode 41: Nobody wants to be mayor", "By Ann Lee", prose.format("and most say no"),
                             prose.format("and one baker says yes"),
                             "Listen to The Polder Talk also on Spotify, Apple Podcasts or your own app."]) + "\n")
    assert len(doc.paragraphs) == 2 and "Spotify" not in " ".join(b.text for b in doc.blocks)
    doc = parse("\n\n".join(["Episode 41: Nobody wants to be mayor", "By Ann Lee", prose.format("and most say no"),
                             prose.format("and one baker says yes"),
                             "The clip was shared on Facebook and X thousands of times."]) + "\n")
    assert len(doc.paragraphs) == 3
    # A network's name may take a case ending.
    doc = parse("\n\n".join(["Episode 41: Nobody wants to be mayor", "By Ann Lee", prose.format("and most say no"),
                             prose.format("and one baker says yes"),
                             "Listen to this and every next episode of the show na Facebooku a Spotifyu."]) + "\n")
    assert len(doc.paragraphs) == 2


def test_a_header_comment_counter_over_a_relative_time_and_a_reading_time_cuts_nothing() -> None:
    prose = "Il était un peu plus de 4 heures du matin quand les pompiers ont frappé aux premières portes, dit {}."
    head = ("Crue de la Vaure : la départementale 412 fermée\n\nLes pluies de la nuit ont fait monter la rivière de "
            "près de deux mètres à Saint-Aubin. La mairie a ouvert la salle des fêtes aux sinistrés.\n\n"
            "Par Claire Montagnon\n\nMis à jour le 14/05/2024 à 18h05\n14 commentaires\nIl y a 3 heures\n\n"
            "Lecture : 4 min\nÉcouter cet article")
    doc = parse("\n\n".join([head, *(prose.format(n) for n in ("Marc", "Anne", "Paul", "Lise", "Jean"))]) + "\n")
    assert len(doc.paragraphs) == 5 and doc.meta.date == dt.date(2024, 5, 14)


def test_an_authors_note_in_brackets_at_the_end_is_the_articles_last_paragraph() -> None:
    prose = "前几天，县里的朋友给我发来一张照片，围挡已经立起来了，老街两边的铺子都贴出了搬迁的告示，{}。"
    note = "（作者系青梧县人，长期关注中小城市的规划与更新）"
    doc = parse("\n\n".join(["留住日常，才能留住记忆", "作者：林晓雯", prose.format("我看了很久"),
                             prose.format("心里很难过"), note, "责任编辑：王磊"]) + "\n")
    assert doc.paragraphs[-1].text == note


def test_japanese_names_joined_by_to_are_two_authors_and_a_name_holding_it_is_one() -> None:
    with reading("ja"):
        assert [a.name for a in read_byline("執筆者:大野拓海と石井綾乃") or []] == ["大野拓海", "石井綾乃"]
        assert [a.name for a in read_byline("文：佐藤さとみ") or []] == ["佐藤さとみ"]


def test_the_only_comma_after_names_joined_by_and_opens_their_department() -> None:
    prose = "Gminy, spółki wodne i rolnicy mogą przez sześć tygodni zgłaszać uwagi do projektu programu, {}."
    doc = parse("\n\n".join(["Ruszają konsultacje programu małej retencji",
                             "Joanna Michalska i Krzysztof Sowa, Departament Komunikacji\nData publikacji: 12.03.2024",
                             prose.format("mówi minister"), prose.format("dodaje wiceminister")]) + "\n")
    assert doc.author_names == ("Joanna Michalska", "Krzysztof Sowa")
    with reading("es"):
        found = read_byline("Por Ana López y Luis Gil, Redacción Central")
        assert [a.name for a in found or []] == ["Ana López", "Luis Gil"]
        found = read_byline("Por Ana López, Luis Gil y Marta Ruiz")
        assert [a.name for a in found or []] == ["Ana López", "Luis Gil", "Marta Ruiz"]


def test_a_credit_over_names_and_a_label_over_the_last_links_go_after_the_last_prose() -> None:
    prose = "উপজেলা শিক্ষা কার্যালয় এখন রুবিনার স্কুলকে একটি উপানুষ্ঠানিক শিক্ষাকেন্দ্র হিসেবে স্বীকৃতি দিয়েছে, {}।"
    doc = parse("\n\n".join(["চরের স্কুল: নৌকায় চড়ে পাঠশালা", "লেখক: রুবিনা খাতুন", prose.format("তিনি বলেন"),
                             prose.format("তাঁরা জানান"), "প্রযোজনা ও সম্পাদনা: শারমিন নাহার",
                             "আরও পর্ব\nপর্ব ৪১: লবণমাঠের মেয়েরা আর তাদের গল্প\nপর্ব ৪০: শহরের ছাদে সবজি বাগান\n"
                             "পর্ব ৩৯: হাওরের জেলেদের শীতকাল"]) + "\n")
    assert len(doc.paragraphs) == 2 and doc.paragraphs[-1].text.endswith("তাঁরা জানান।")


def test_a_headline_between_the_sites_previous_and_next_labels_at_the_end_goes() -> None:
    prose = "재단은 마을 주민 열두 명으로 물관리위원회를 꾸리고, 네 명에게 펌프 수리 교육을 했다고 {}."
    links = "이전 글\n겨울나기 연탄 나눔, 올해도 500가구에 전달\n\n다음 글\n청소년 봉사단 2기 모집 안내"
    doc = parse("\n\n".join(["우물 세 곳이 다시 물을 길어 올린다", "글: 김서연", prose.format("밝혔다"),
                             prose.format("전했다"), links, "(재)해솔나눔재단 | 가상구 예시로 12"]) + "\n")
    assert len(doc.paragraphs) == 2 and "연탄" not in " ".join(b.text for b in doc.blocks)


def test_a_live_blog_entry_heading_led_by_its_time_is_no_widget_line() -> None:
    prose = "Hasiči v noci evakuovali 64 ľudí vrátane 11 detí a väčšinu z nich odviezli k príbuzným, povedal {}."
    doc = parse("\n\n".join(["Povodne na východe: sledujeme situáciu", "Autor: Ján Novák", "07:40 Evakuácia ulíc",
                             prose.format("starosta"), "06:45 Začíname sledovať situáciu", prose.format("hasič")])
                + "\n", language="sk")
    assert [h.text for h in doc.headings] == ["07:40 Evakuácia ulíc", "06:45 Začíname sledovať situáciu"]


def test_a_quotations_source_of_capitalised_title_words_is_no_menu_row() -> None:
    prose = "Video yang beredar di media sosial itu ternyata direkam tiga tahun lalu, bukan pekan ini, kata {}."
    quote = ("“Video itu memang dari jembatan kami, tetapi kejadiannya Februari 2021.”\n"
             "— Darmawan Saleh, Kepala Dinas Pekerjaan Umum Kabupaten Sekarwangi")
    doc = parse("\n\n".join(["Cek Fakta: Video Jembatan Runtuh", "Oleh Rina Pratiwi", prose.format("Rina"), quote,
                             prose.format("warga")]) + "\n", language="id")
    quotes = [b for b in doc.blocks if isinstance(b, Quote)]
    assert quotes and quotes[0].attribution is not None and "Darmawan Saleh" in quotes[0].attribution


def test_after_one_name_and_the_only_comma_a_department_with_an_acronym_is_a_role() -> None:
    with reading("id"):
        assert [(a.name, a.role) for a in read_byline("Oleh: Dimas Prasetyo, Divisi Media SPKP") or []] == [
            ("Dimas Prasetyo", "Divisi Media SPKP")]
        assert [a.name for a in read_byline("Oleh: Dimas Prasetyo, Rina Pratiwi") or []] == [
            "Dimas Prasetyo", "Rina Pratiwi"]


def test_a_reading_time_whose_minutes_run_on_into_the_next_word_without_a_space() -> None:
    prose = "桜ヶ浦市長選は２日投開票され、無所属新人の川辺真理子氏が、現職を約２千票差で破り初当選を果たした{}。"
    doc = parse("\n\n".join(["桜ヶ浦市長選、新人の川辺氏が初当選", "文：大野拓海", "この話は3分ほどで読み終わります",
                             prose.format(""), prose.format("という")]) + "\n", language="ja")
    assert len(doc.paragraphs) == 2 and "読み終わります" not in " ".join(b.text for b in doc.blocks)


def test_an_advertisement_over_a_subheading_or_with_its_sponsor_line_goes_by_its_shape() -> None:
    prose = "The square was rebuilt in two years, and the market returned to it in the spring, said {}."
    doc = parse("\n\n".join(["A square for the whole town", "By Ann Lee", prose.format("Ann"),
                             "Paid for\nDoctors are puzzled: the simple trick that halves your power bill",
                             "The towns that dared", prose.format("Bob"),
                             "Paid for\nNew flats with a sea view from 0%\nSponsor: Seaside Homes", prose.format("Cy")])
                + "\n")
    assert [h.text for h in doc.headings] == ["The towns that dared"] and len(doc.paragraphs) == 3
    text = " ".join(b.text for b in doc.blocks)
    assert "trick" not in text and "Seaside" not in text


def test_a_comment_counter_with_a_vowel_mark_and_a_phrase_with_a_function_word_are_no_names() -> None:
    prose = "في وادي السنابل اعتاد المزارعون لعقود على ري حقول القمح والشعير بالغمر من الآبار القريبة، {}."
    doc = parse("\n\n".join(["مزارعو وادي السنابل يتحولون إلى الري بالتنقيط", "بقلم: سامر عبد الرحيم", "14 تعليقاً",
                             prose.format("يقول خليل"), prose.format("يقول سامر")]) + "\n", language="ar")
    assert not doc.headings and "تعليقاً" not in " ".join(b.text for b in doc.blocks)
    hi = "भारतीय इंडी गेम्स की दुनिया में पिछले कुछ सालों से जो हलचल दिख रही है, वह इस खेल में साफ़ दिखती है, {}।"
    doc = parse("\n\n".join(["धूलनगर: आख़िरी कारवां रिव्यू", "रोहित वर्मा", hi.format("लेखक कहते हैं"),
                             hi.format("खिलाड़ी कहते हैं"), "ग़लती की सूचना दें"]) + "\n", language="hi")
    assert "ग़लती" not in " ".join(b.text for b in doc.blocks)


def test_a_dek_over_a_captioned_photo_with_the_byline_and_date_under_it() -> None:
    prose = "Færgen mellem Tangholm og fastlandet kan blive indstillet, hvis byrådet følger forslaget, siger {}."
    head = ("Færgen til Tangholm kan blive indstillet fra 2026\n\n"
            "Kommunen vil spare 9 millioner kroner om året. Øens 212 beboere frygter for fremtiden.\n\n"
            "Færgen »Tangholm II« har sejlet på ruten siden 1994. Foto: Anders Bøgh Nielsen\n\n"
            "Mette Kjærgaard og Jonas Holm Vestergaard\n14. marts 2024 kl. 06.00")
    doc = parse("\n\n".join([head, prose.format("borgmesteren"), prose.format("beboerne")]) + "\n")
    assert doc.meta.subtitle is not None and doc.meta.subtitle.startswith("Kommunen vil spare")
    assert doc.author_names == ("Mette Kjærgaard", "Jonas Holm Vestergaard")
    assert doc.meta.date == dt.date(2024, 3, 14) and not doc.headings


def test_a_first_paragraph_over_a_second_one_is_no_dek_whatever_is_claimed_under_them() -> None:
    prose = "The new bridge over the Wend opened on Monday after three years of work, and {} crossed it first."
    title = "Wend bridge opens after three years"
    doc = parse("\n\n".join([title, "4 comments", prose.format("the mayor"), prose.format("two cyclists"), title,
                             prose.format("a school class"), prose.format("a bus")]) + "\n")
    assert doc.meta.subtitle is None and len(doc.paragraphs) == 4
    assert doc.paragraphs[0].text.endswith("the mayor crossed it first.")


def test_a_live_blogs_clock_time_with_a_dot_under_a_caption_is_no_gallery_counter() -> None:
    prose = "Pasukan penyelamat memindahkan {} penduduk dari kawasan rendah ke dewan orang ramai berhampiran."
    doc = parse("\n\n".join(["LANGSUNG: Banjir di Sungai Kecil", "Oleh Aminah Yusof", prose.format("120"),
                             "4.15 petang", prose.format("80"), "Air naik di jalan utama kampung. (Foto: Rahim Ali)",
                             "3.05 petang", prose.format("45"), "2.40 petang", prose.format("30")]) + "\n",
                language="ms")
    assert [h.text for h in doc.headings] == ["4.15 petang", "3.05 petang", "2.40 petang"]
    assert doc.photos and doc.photos[0].credit == "Rahim Ali"


def test_a_reading_time_whose_unit_takes_an_ending_cldr_does_not_list() -> None:
    prose = "Tumaas ang presyo ng bigas sa mga pamilihan ng lungsod ngayong linggo, ayon sa ulat ng {}."
    doc = parse("\n\n".join(["Presyo ng bigas, tumaas muli", "Ni Liza Cruz", "7 minutong basa",
                             prose.format("kagawaran"), prose.format("mga tindero")]) + "\n", language="tl")
    assert not doc.headings and "minutong" not in " ".join(b.text for b in doc.blocks)
    prose = "Wakulima wa kahawa wilayani Mbozi wataanza kupata bei mpya ya zao hilo mwezi ujao, alisema {}."
    doc = parse("\n\n".join(["Bei mpya ya kahawa yatangazwa", "Na Asha Mollel", "Dakika 5 ya usomaji",
                             prose.format("mwenyekiti"), prose.format("afisa kilimo")]) + "\n", language="sw")
    assert not doc.headings and "Dakika" not in " ".join(b.text for b in doc.blocks)


def test_notes_numbered_in_brackets_under_a_text_that_used_their_markers_are_one_notes_block() -> None:
    prose = "The new pumps cost the farmers between 85 and 110 euros a field{}, and the wells stopped falling{}."
    doc = parse("\n\n".join(["Farmers switch to drip irrigation", "By Sam Reid", prose.format("(1)", ""),
                             prose.format("", "(2)"),
                             "(1) Prices include fitting but not sales tax.\n(2) Figures from the water board."])
                + "\n")
    notes = [b for b in doc.blocks if isinstance(b, Notes)]
    assert len(doc.paragraphs) == 2 and len(notes) == 1
    assert [(n.label, n.text) for n in notes[0].items] == [
        ("1", "Prices include fitting but not sales tax."), ("2", "Figures from the water board.")]
    listed = parse("\n\n".join(["Three steps", "By Sam Reid", prose.format("", ""),
                                "(1) Dig the bed.\n(2) Lay the pipe."]) + "\n")
    assert not [b for b in listed.blocks if isinstance(b, Notes)]


def test_a_cited_note_with_a_widgets_words_under_the_last_prose_is_the_articles_not_the_footers() -> None:
    # A disclaimer as the last note (`[2] 本文仅为个人经验分享，不构成建议。`, "this post only shares my experience",
    # 分享 a widget's word), under a short closing line and over the page's footer: the text cites it, so it is the
    # article's note, not the footer's.
    prose = "我们把幼儿园发的小册子读了两遍{}，才明白孩子说“不要”并不是在跟父母作对，而是在练习自己做决定。"
    doc = parse("\n\n".join(["孩子为什么总说“不要”", "作者：林小雨", prose.format("[1]"), prose.format("[2]"),
                             "至于我们家，现在又学会了一个新词。",
                             "[1] 参考自幼儿园发放的小册子。\n[2] 本文仅为个人经验分享，不构成建议。",
                             "举报/纠错", "版权所有 © 2024 小雨的育儿笔记"]) + "\n", language="zh")
    notes = [b for b in doc.blocks if isinstance(b, Notes)]
    assert [(n.label, n.text) for n in notes[0].items] == [("1", "参考自幼儿园发放的小册子。"),
                                                           ("2", "本文仅为个人经验分享，不构成建议。")]
    assert "举报" not in " ".join(b.text for b in doc.blocks)


@pytest.mark.parametrize(("language", "headline", "byline", "name", "prose"), [
    # A reporter's title in brackets, with no date anywhere near (Urdu `نامہ نگار`, "correspondent").
    ("ur", "بچوں کو رات کو جلدی سلانے کے طریقے", "ثمینہ اختر (نامہ نگار)", "ثمینہ اختر",
     "ہر گھر میں شام کے بعد ایک ہی جنگ شروع ہوتی ہے اور والدین تھکن سے نڈھال ہو جاتے ہیں، جیسا کہ {} بتاتے ہیں۔"),
    # In a script without spaces, a compound title that starts with a job word (Thai `นักเขียน`, "writer", then
    # "urban farming columnist"), under the dek.
    ("th", "ปลูกมะเขือเทศในกระถางบนระเบียงคอนโด", "วรรณา ศรีสุข (นักเขียนคอลัมน์เกษตรในเมือง)", "วรรณา ศรีสุข",
     "หลายคนคิดว่าการปลูกผักต้องมีสวนหรือที่ดินกว้าง ๆ แต่จริง ๆ แล้วระเบียงเล็ก ๆ ก็ปลูกได้ {} บอกว่าอย่างนั้น"),
])
def test_a_name_with_a_job_in_brackets_under_the_headline_is_the_byline(language: str, headline: str, byline: str,
                                                                        name: str, prose: str) -> None:
    dek = "คู่มือฉบับเริ่มต้นสำหรับคนมีพื้นที่น้อย ตั้งแต่เลือกพันธุ์ จนถึงวันเก็บผลแรก" if language == "th" else None
    header = [headline, f"{dek}\n{byline}" if dek else byline]
    doc = parse("\n\n".join([*header, prose.format("หมอ" if language == "th" else "ڈاکٹر"),
                             prose.format("เพื่อน" if language == "th" else "والدین")]) + "\n", language=language)
    assert doc.author_names == (name,) and not doc.headings
    assert doc.meta.subtitle == dek and len(doc.paragraphs) == 2


def test_a_name_with_a_compound_job_after_it_and_no_comma_is_the_byline() -> None:
    # Icelandic `kvikmyndagagnrýnandi`, "film critic", is a `gagnrýnandi` (a job word of the data file) written as
    # one word with what it criticises; over the date it is the byline's job, not a dek.
    prose = "Fyrsta kvikmynd Arnars Bjarkasonar gerist í litlu sjávarþorpi á Vestfjörðum veturinn 1994, segir {}."
    doc = parse("\n\n".join(["Þögnin í Hvalvík: Sterk frumraun",
                             "Ragnheiður Sölvadóttir kvikmyndagagnrýnandi\n12. október 2024 kl. 14.05",
                             prose.format("hún"), prose.format("hann")]) + "\n", language="is")
    assert doc.author_names == ("Ragnheiður Sölvadóttir",) and doc.meta.subtitle is None
    assert doc.meta.date == dt.date(2024, 10, 12)
    # A word in lower case that is no job after two capitalised words is no byline.
    plain = parse("\n\n".join(["Þögnin í Hvalvík: Sterk frumraun", "Ragnheiður Sölvadóttir svarar\n12. október 2024",
                               prose.format("hún"), prose.format("hann")]) + "\n", language="is")
    assert plain.author_names != ("Ragnheiður Sölvadóttir",)


def test_a_title_case_headline_in_two_parts_set_apart_by_a_colon_is_no_menu() -> None:
    # Seven capitalised words and no function word read as a menu row; a colon between two parts is a headline's.
    prose = "Karaçam Kent Müzesi, bahar dönemini eski liman kasabalarının gündelik hayatına ayırdı, diyor {}."
    doc = parse("\n\n".join(["Kıyıdan Kalanlar: Ege Kasabalarında Yüz Yıllık Ev Eşyaları",
                             "Müzenin yeni sergisi, kapanan kasabalardan toplanan 240 eseri bir araya getiriyor.",
                             "Yazar: Elif Aydoğan", prose.format("küratör"), prose.format("müdür")]) + "\n",
                language="tr")
    assert doc.meta.title == "Kıyıdan Kalanlar: Ege Kasabalarında Yüz Yıllık Ev Eşyaları"
    assert doc.meta.subtitle is not None and doc.meta.subtitle.startswith("Müzenin yeni sergisi")


@pytest.mark.parametrize("typed", ["15 d'octubre de 2024", "15 d’octubre de 2024"])
def test_a_month_with_an_elided_article_is_read_with_either_apostrophe(typed: str) -> None:
    # CLDR writes Catalan `d’octubre` with a typographic apostrophe; a page typed with a straight one is the same.
    prose = "Quan arriben les primeres pluges d'octubre, la vall canvia de color en pocs dies, explica {}."
    doc = parse("\n\n".join(["Set racons de la Vall d'Arbell", f"Per Laia Ferrer\n{typed}", prose.format("ella"),
                             prose.format("ell")]) + "\n", language="ca")
    assert doc.meta.date == dt.date(2024, 10, 15)


def test_a_hard_wrapped_letters_page_keeps_its_editors_line_and_titled_signatures_apart() -> None:
    # A byline of a name and a job the data file knows, with no `By`, marks the header's chunk of a hard-wrapped
    # page, so it is not joined to the headline above it (the byline about as long as the page's full lines); a
    # signature whose name follows an abbreviated title (`инж.`, "eng.") is one block with the town under it,
    # like any other.
    wrapped = "\n".join(textwrap.wrap(
        "Всяка седмица в редакцията получаваме десетки писма от читатели и публикуваме част от тях, като запазваме "
        "стила на авторите и съкращаваме само там, където е наложително, защото мястото е малко.", 68))
    text = "\n\n".join([
        "Начало   Новини   Регион   Икономика   Култура   Писма   Спорт",
        "Писма до редакцията: автобусите, паркът и старата баня\nДесислава Маринова, редактор на рубриката\n"
        "12 коментара", wrapped, "Кога ще тръгне автобус номер 7", wrapped, "Петко Стоянов\nгр. Дъбравец",
        "Да спасим старата баня", wrapped, "инж. Румен Василев\nс. Горно Плавище"]) + "\n"
    doc = parse(text, language="bg")
    assert doc.meta.title == "Писма до редакцията: автобусите, паркът и старата баня"
    assert doc.author_names == ("Десислава Маринова",)
    assert [p.text for p in doc.paragraphs if len(p.text) < 40] == ["Петко Стоянов гр. Дъбравец",
                                                                    "инж. Румен Василев с. Горно Плавище"]


@pytest.mark.parametrize("language", ["zxx", "mi"])
def test_a_language_without_a_data_file_reads_the_lingua_francas_by(language: str) -> None:
    # No `By` of its own (a text the identifier calls no language, `zxx`; Māori, which has no data file): the
    # lingua franca's is read, and the author is the name, not `By Ann Lee`.
    doc = parse("Headline000 Headline001 Headline002!\n\nBy Ann Lee\n\nFebruary 25, 2019\n\n"
                + "\n".join(f"word{n}" for n in range(20)) + "\n", language=language)
    assert doc.author_names == ("Ann Lee",)
    assert not [d for d in doc.diagnostics if d.code == "W104"]
    # A language with a data file keeps to its own words: Danish `by` is a town.
    danish = parse("Sommer i Ribe\n\nBy og land mødes på torvet hver lørdag, siger formanden.\n\n"
                   "Markedet har fundet sted i over hundrede år, og det trækker stadig mange mennesker til byen.\n",
                   language="da")
    assert danish.author_names == ()


def test_a_reworded_read_also_link_whose_headline_asks_a_question_is_a_link() -> None:
    # `Olvassa el ezt is` ("read this too") is not the data file's wording, but its words are link words; the
    # headline after it may be a question.
    prose = "A buszvezetők szakszervezete hétfőn bejelentette, hogy a tárgyalások a jövő héten folytatódnak, mondta {}."
    doc = parse("\n\n".join(["Sztrájk előtt a buszvezetők", "Írta: Kovács Anna", prose.format("Tóth Gábor"),
                             "Olvassa el ezt is: Mit jelent a sztrájkbizottság, és ki lehet a tagja?",
                             prose.format("a titkár"), prose.format("az elnök")]) + "\n", language="hu")
    assert len(doc.paragraphs) == 3 and not any("Olvassa" in b.text for b in doc.blocks)


def test_a_footer_of_the_sites_name_and_address_then_its_copyright_is_no_photo() -> None:
    # `© 2024 …` after short parts set apart by dots is the site's copyright line, not a caption with a credit.
    prose = "Συνιστάται στους καταναλωτές να κλείσουν τον γενικό διακόπτη του νερού πριν από τις οκτώ, είπε {}."
    doc = parse("\n\n".join(["Διακοπή νερού την Τρίτη στο κέντρο", prose.format("ο δήμαρχος"),
                             prose.format("η υπεύθυνη"), "Δήμος Ακροποταμίας  ·  Πλατεία Δημαρχείου 1  ·  © 2024 "
                             "Με την επιφύλαξη παντός δικαιώματος"]) + "\n", language="el")
    assert not doc.photos and len(doc.paragraphs) == 2
    assert any("© 2024" in d.text for d in doc.dropped)


def test_capitalised_places_before_a_phrase_are_headings_and_a_speaker_who_speaks_again_is_not() -> None:
    # `Veľké Lúčnice: park s tisovým labyrintom` reads like `Name Surname: words`, but each place stands once and
    # ends no sentence: subheadings. An interview's speaker speaks more than once, or in sentences.
    prose = "Kaštieľ dal v roku 1741 postaviť rod Ostrovských a po rokoch sa doň vrátili {} štukatérske prvky."
    places = ["Malé Ostrovany: barokový kaštieľ pri mŕtvom ramene", "Veľké Lúčnice: park s tisovým labyrintom",
              "Dolné Žlaby: múzeum historických kočov"]
    doc = parse("\n\n".join(["Sedem kaštieľov na západnom Slovensku", "Zuzana Lichvárová, redaktorka",
                             prose.format("pôvodné"), *(f"{place}\n\n{prose.format('staré')}" for place in places)])
                + "\n", language="sk")
    assert [h.text for h in doc.headings] == places and len(doc.paragraphs) == 4
    talk = parse("\n\n".join(["Rozhovor o kaštieľoch", "Zuzana Lichvárová, redaktorka", prose.format("pôvodné"),
                              "Ján Horák: kedy ste začali", prose.format("staré"), "Ján Horák: a potom prišla obnova",
                              prose.format("nové")]) + "\n", language="sk")
    assert not talk.headings


def test_a_heading_that_opens_on_a_credit_word_then_and_is_no_credit() -> None:
    hi = "इस खेल की दुनिया बड़ी है और हर इलाके में कुछ नया देखने को मिलता है, जैसा कि {} कहते हैं।"
    doc = parse("\n\n".join(["किलों की लड़ाई: रिव्यू", "रोहित वर्मा\n12 मई 2024", hi.format("लेखक"), "ग्राफिक्स और आवाज़",
                             hi.format("खिलाड़ी"), hi.format("दर्शक")]) + "\n", language="hi")
    assert [h.text for h in doc.headings] == ["ग्राफिक्स और आवाज़"] and not doc.photos


def test_a_reading_time_with_an_abbreviated_unit_whose_dot_is_left_out() -> None:
    prose = "Roșiile se plantează în grădină abia după ce trece pericolul brumelor târzii, spune {}."
    doc = parse("\n\n".join(["Cum plantezi roșiile pe balcon", "de Ana Popescu", "6 min de citit",
                             prose.format("grădinarul"), prose.format("vecina")]) + "\n", language="ro")
    assert not doc.headings and "citit" not in " ".join(b.text for b in doc.blocks)


def test_month_names_of_the_regions_a_data_file_names() -> None:
    prose = "اجتمع أطفال الرعية في القاعة بعد القداس وكتبوا رسائل الميلاد إلى كبار السن في البلدة، قال {}."
    doc = parse("\n\n".join(["أطفال الرعية يكتبون رسائل الميلاد", "بقلم: سامي الحداد", "الأحد 10 كانون الأول 2023",
                             prose.format("الكاهن"), prose.format("المعلم")]) + "\n", language="ar")
    assert doc.meta.date == dt.date(2023, 12, 10) and not doc.headings
    doc = parse("\n\n".join(["Neuer Radweg in Gmünd eröffnet", "Von Anna Huber", "3. Jänner 2024",
                             "Der neue Radweg zwischen Gmünd und Schrems wurde am Mittwoch nach zwei Jahren eröffnet.",
                             "Die Gemeinde hat dafür rund zwei Millionen Euro ausgegeben, sagte der Bürgermeister."])
                + "\n", language="de")
    assert doc.meta.date == dt.date(2024, 1, 3)


def test_a_widgets_short_line_under_the_last_block_over_the_sites_last_lines() -> None:
    ta = "கிராமத்துக்கு வரும் மாலை நேரப் பேருந்து நிறுத்தப்பட்டதால் மாணவர்கள் பெரிதும் சிரமப்படுகின்றனர் என்று {} கூறினார்."
    doc = parse("\n\n".join(["கிராமப் பேருந்து மீண்டும் வேண்டும்", "எழுதியவர்: கலா", ta.format("தலைவர்"),
                             ta.format("ஆசிரியர்"), "பிழையைத் தெரிவிக்க",
                             "© 2024 காவிரி மீடியா. அனைத்து உரிமைகளும் பாதுகாக்கப்பட்டவை."]) + "\n", language="ta")
    assert len(doc.paragraphs) == 2 and "பிழை" not in " ".join(b.text for b in doc.blocks)
    # Every word with an ending the data file's phrase lacks (`பிழை தெரிவிக்க` in the data).
    doc = parse("\n\n".join(["கிராமப் பேருந்து மீண்டும் வேண்டும்", "எழுதியவர்: கலா", ta.format("தலைவர்"),
                             ta.format("ஆசிரியர்"), "பிழையைத் தெரிவிக்கவும்",
                             "© 2024 காவிரி மீடியா. அனைத்து உரிமைகளும் பாதுகாக்கப்பட்டவை."]) + "\n", language="ta")
    assert len(doc.paragraphs) == 2 and "பிழை" not in " ".join(b.text for b in doc.blocks)


def test_names_without_a_by_over_the_date_with_a_long_department_after_the_comma() -> None:
    prose = "Voćarstvo Lipa otvara novi pogon za preradu voća u Bijelom Brdu, a otkup maline će se utrostručiti, {}."
    doc = parse("\n\n".join(["Voćarstvo Lipa otvara novi pogon",
                             "Amra Hodžić i Damir Kovač, Odjel za korporativne komunikacije\nObjavljeno: 07.10.2024.",
                             prose.format("kažu u firmi"), prose.format("kažu proizvođači")]) + "\n", language="bs")
    assert doc.author_names == ("Amra Hodžić", "Damir Kovač") and doc.meta.date == dt.date(2024, 10, 7)


def test_a_count_and_a_few_words_under_the_byline_and_date_is_the_headers_counter() -> None:
    prose = "The old ferry between Holm and the mainland made its last crossing on Sunday, and {} waved it off."
    doc = parse("\n\n".join(["The last ferry to Holm", "By Ann Lee\nMarch 3, 2024", "48 readers right now",
                             prose.format("the whole island"), prose.format("the mayor")]) + "\n")
    assert not doc.headings and len(doc.paragraphs) == 2
    assert "readers" not in " ".join(b.text for b in doc.blocks)
    # A list's first item and a live blog's clock time stay.
    for first in ("1. The crossing", "10:45 The crossing"):
        doc = parse("\n\n".join(["The last ferry to Holm", "By Ann Lee\nMarch 3, 2024", first,
                                 prose.format("the whole island"), prose.format("the mayor")]) + "\n")
        assert first.split()[-1] in " ".join(b.text for b in doc.blocks)


def test_a_long_line_of_ideographs_over_the_byline_is_the_dek_not_names() -> None:
    zh = "去年年初，青岚科技的日志量大约是每天四十太字节，到了年底这个数字涨到了九十太字节以上{}。"
    doc = parse("\n\n".join(["我们如何重写日志管道", "一次持续八个月的迁移，以及我们在背压、采样和成本上踩过的坑",
                             "作者：林晓雯\n2025-03-06 10:30", zh.format(""), zh.format("，原有管道")]) + "\n",
                language="zh")
    assert doc.author_names == ("林晓雯",) and doc.meta.subtitle is not None and doc.meta.subtitle.startswith("一次")


def test_a_label_repeated_over_headlines_after_an_arrow_is_a_link_line() -> None:
    ko = "청솔군이 올해 농어촌버스 막차 시간을 삼십 분 늦추기로 하면서 주민들의 저녁 생활이 달라지고 있다고 {} 말했다."
    doc = parse("\n\n".join(["막차 30분이 바꾼 마을의 저녁", "김민서 기자", ko.format("주민들은"),
                             "함께 읽어볼 기사 ▶ 청솔군, 올해 농어촌버스 노선 3곳 신설", ko.format("군청은"),
                             "함께 읽어볼 기사 ▶ 농촌 보건지소 의사 부족, 해법은 없나", ko.format("상인들은")]) + "\n",
                language="ko")
    assert not doc.headings and len(doc.paragraphs) == 3 and "▶" not in " ".join(b.text for b in doc.blocks)


def test_a_month_whose_case_ending_replaces_its_last_letter() -> None:
    prose = "Ziemeļkrasta teātra mazajā zālē pirmizrādi piedzīvojusi jaunā luga par trim māsām, stāsta {}."
    doc = parse("\n\n".join(["Klusa izrāde par skaļām lietām", "Laura Ozola\n2025. gada 14. martā",
                             prose.format("režisore"), prose.format("aktrise")]) + "\n", language="lv")
    assert doc.meta.date == dt.date(2025, 3, 14) and doc.author_names == ("Laura Ozola",)


def test_a_language_in_two_scripts_reads_its_phrases_in_both() -> None:
    prose = "Кочеве поставите одмах при садњи, док још знате где је корење, а биљке ће вам бити захвалне, каже {}."
    doc = parse("\n\n".join(["Како да посадите парадајз", "Пише: Јелена Марковић", prose.format("баштован"),
                             prose.format("комшиница"), "Претплати се", prose.format("сусед")]) + "\n",
                language="sr")
    assert len(doc.paragraphs) == 3 and "Претплати" not in " ".join(b.text for b in doc.blocks)


def test_a_heading_round_a_phrase_of_function_words_keeps_its_own_words() -> None:
    prose = "Компанија је са Техничком школом у Дубовцу потписала споразум о дуалном образовању, каже {}."
    doc = parse("\n\n".join(["Нова фабрика у Дубовцу", "Пише: Јелена Марковић", prose.format("директор"),
                             "Обука у сарадњи са школом", prose.format("директорка")]) + "\n", language="sr")
    assert [h.text for h in doc.headings] == ["Обука у сарадњи са школом"]


def test_names_after_a_comma_in_a_script_whose_letters_are_lower_case_are_a_second_author() -> None:
    ka = "სოციალურ ქსელში ბოლო დღეებში აქტიურად ვრცელდება პოსტი, რომლის ავტორიც ამტკიცებს, რომ ტარიფი იზრდება, {}."
    doc = parse("\n\n".join(["მცდარია: წყლის ტარიფი სამჯერ არ იზრდება",
                             "ნინო ბერიძე, გიორგი ლომიძე\nგამოქვეყნებულია: 14.11.2024, 12:05",
                             ka.format("ამბობს"), ka.format("წერს")]) + "\n", language="ka")
    assert doc.author_names == ("ნინო ბერიძე", "გიორგი ლომიძე")
    assert all(a.role is None for a in doc.meta.authors)


def test_a_reviews_pros_and_cons_are_one_list_that_keeps_its_signs() -> None:
    prose = "«Fjordlys» er et spill jeg kommer til å huske lenge, både for det vakre og for det frustrerende, sier {}."
    doc = parse("\n\n".join(["Fjordlys: vakkert, men nådeløst", "Av Ola Nordmann", prose.format("jeg"),
                             "+ Vakker, håndmalt grafikk\n+ Fin historie uten mange ord\n– Ingen hint",
                             prose.format("du")]) + "\n", language="nb")
    lists = [b for b in doc.blocks if isinstance(b, ListBlock)]
    assert not doc.headings and len(lists) == 1
    assert lists[0].items == ("+ Vakker, håndmalt grafikk", "+ Fin historie uten mange ord", "– Ingen hint")
    # A telephone number's plus is no list's.
    doc = parse("\n\n".join(["Ny tannlege i Vik", "Av Ola Nordmann", prose.format("jeg"), "+47 912 34 567",
                             prose.format("du")]) + "\n", language="nb")
    assert not [b for b in doc.blocks if isinstance(b, ListBlock)]


def test_a_paywall_block_whose_first_phrase_is_one_word_but_a_later_one_is_longer() -> None:
    prose = "Veltra Orsa Hybrid është një nga zgjedhjet më të arsyeshme të këtij viti për familjet, thotë {}."
    doc = parse("\n\n".join(["Veltra Orsa Hybrid: provë e plotë", "Nga Arben Hoxha", prose.format("Arbeni"),
                             prose.format("Drita"),
                             "Ky artikull është pjesë e arkivit Premium. Abonohu për të vazhduar leximin e të gjitha "
                             "provave tona.\nAbonohu nga 3 euro në muaj\nKe tashmë llogari? Hyr"]) + "\n",
                language="sq")
    assert len(doc.paragraphs) == 2 and "Abonohu" not in " ".join(b.text for b in doc.blocks)


def test_a_live_blogs_clock_time_written_with_an_h_under_a_caption_is_no_gallery_counter() -> None:
    prose = "Les rafales ont atteint {} km/h sur le littoral, et des milliers de foyers restent sans électricité."
    doc = parse("\n\n".join(["DIRECT. Tempête sur le littoral", "Par Camille Le Goff", prose.format("130"), "16h48",
                             prose.format("120"), "Un arbre tombé sur la route côtière. (Photo : Yann Perrot)", "12h35",
                             prose.format("110"), "10h50", prose.format("100")]) + "\n", language="fr")
    assert [h.text for h in doc.headings] == ["16h48", "12h35", "10h50"]


def test_a_credit_after_photos_colon_is_whole_when_a_label_word_opens_it() -> None:
    with reading("es"):
        photo = split_caption("Trabajadores de la salina cargan sacos, hacia 1928. (Foto: Archivo Municipal de Albar)")
        assert photo is not None and photo.credit == "Archivo Municipal de Albar"
        photo = split_caption("Trabajadores de la salina cargan sacos, hacia 1928. (Foto: Archivo)")
        assert photo is not None and photo.credit == "Archivo"
