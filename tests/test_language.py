"""Language detection from the text: scripts first, then each language's function words."""

from __future__ import annotations

import pytest

from pipeline.parse.language import detect

SAMPLES = {
    "en": "The council said on Tuesday that the new bridge would open in the spring, but residents are not sure.",
    "fr": "Le conseil a annoncé mardi que le nouveau pont ouvrira au printemps, mais les habitants ne sont pas sûrs.",
    "de": "Der Rat hat am Dienstag angekündigt, dass die neue Brücke im Frühjahr eröffnet wird, aber die Anwohner "
          "sind nicht sicher.",
    "es": "El consejo anunció el martes que el nuevo puente se abrirá en primavera, pero los vecinos no están seguros.",
    "it": "Il consiglio ha annunciato martedì che il nuovo ponte sarà aperto in primavera, ma gli abitanti non sono "
          "sicuri della data.",
    "pt": "O conselho anunciou na terça-feira que a nova ponte será aberta na primavera, mas os moradores não têm "
          "certeza.",
    "nl": "De raad heeft dinsdag aangekondigd dat de nieuwe brug in het voorjaar open gaat, maar de bewoners zijn er "
          "niet zeker van.",
    "ja": "市議会は火曜日、新しい橋が春に開通すると発表したが、住民は確信していない。",
    "zh": "市议会周二宣布新桥将于春季开通，但居民们并不确定。",
    "ko": "시의회는 화요일 새 다리가 봄에 개통될 것이라고 발표했지만 주민들은 확신하지 못하고 있다.",
    "ar": "أعلن المجلس يوم الثلاثاء أن الجسر الجديد سيفتتح في الربيع، لكن السكان غير متأكدين.",
    "he": "המועצה הודיעה ביום שלישי כי הגשר החדש ייפתח באביב, אך התושבים אינם בטוחים.",
    "ru": "Совет объявил во вторник, что новый мост откроется весной, но жители не уверены.",
}


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_detects(lang: str) -> None:
    assert detect(SAMPLES[lang]) == lang


def test_too_little_text_keeps_the_default() -> None:
    assert detect("Hello", default="fr") == "fr"
    assert detect("", default="de") == "de"
    assert detect("12345 — 678") == "en"
