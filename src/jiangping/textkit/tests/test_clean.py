"""The text cleaner (文本清洗): pinyin annotations out, real parentheses kept."""

import time
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiangping.textkit.clean import (
    Removal,
    chinese_number,
    clean,
    is_reading,
    normalize_width,
    syllable_key,
    to_simplified,
)


def kept(text):
    return clean(text, simplified=False).text


@pytest.mark.parametrize(("raw", "expected"), [
    ("建設(shè)", "建設"),
    ("項(xiàng)目", "項目"),
    ("各縣(市、區(qū))", "各縣(市、區)"),
    ("建設(shè)項(xiàng)目", "建設項目"),
    ("建（jiàn）設", "建設"),
])
def test_annotations_are_stripped(raw, expected):
    assert kept(raw) == expected


@pytest.mark.parametrize("text", [
    "X省(X)", "(GDP)", "咖啡(café)", "下降5%(較上月)", "各縣(市、區)", "重慶(Chongqing)",
    "建(JIAN)", "建(Jiàn)", "中(a)", "建(jianx)", "建(qwe)", "建(jian6)", "(shè)", "a(shè)",
    "建 (jiàn)",
])
def test_real_parentheses_are_kept(text):
    assert kept(text) == text


def test_nfd_tone_marks_are_composed_and_stripped():
    raw = unicodedata.normalize("NFD", "建設(shè)")
    assert raw != "建設(shè)"
    assert kept("建設(she\u0300)") == "建設"
    assert kept(raw) == "建設"


def test_text_without_annotations_is_unchanged():
    text = "一是要加快推进重点项目建设，各县(市、区)要确保12月底前完成。"
    assert clean(text).text == text
    assert clean(text).removals == []


def test_heteronyms_accept_every_reading_of_the_character():
    assert kept("行(háng)") == "行"
    assert kept("行(xíng)") == "行"
    assert kept("行(shè)") == "行(shè)"
    assert kept("银行(háng)行(xíng)动") == "银行行动"


def test_tone_digits_and_toneless_forms():
    assert kept("建(jian4)") == "建"
    assert kept("建(jian)") == "建"
    assert kept("建(jian3)") == "建(jian3)"
    assert kept("建(jiǎn)") == "建(jiǎn)"
    assert kept("綠(lǜ)綠(lv4)綠(lu:4)") == "綠綠綠"
    assert kept("的(de5)") == "的"


def test_removals_are_reported_with_input_offsets():
    result = clean("各縣(市、區(qū))建設(shè)")
    assert result.text == "各县(市、区)建设"
    assert result.removals == [
        Removal(position=5, char="區", annotation="qū", start=6, end=10),
        Removal(position=12, char="設", annotation="shè", start=13, end=18),
    ]


def test_repeated_annotation_is_stripped_in_one_pass():
    result = clean("設(shè)(shè)", simplified=False)
    assert result.text == "設"
    assert [r.start for r in result.removals] == [1, 6]


def test_traditional_to_simplified_is_optional():
    assert clean("建設(shè)項(xiàng)目").text == "建设项目"
    assert clean("建設(shè)項(xiàng)目", simplified=False).text == "建設項目"
    assert to_simplified("乾淨頭髮") == "干净头发"


def test_width_is_normalised_but_numeral_words_are_kept():
    assert normalize_width("完成１２．５％") == "完成12.5%"
    assert clean("一是抓好十二五规划，完成１２０个。").text == "一是抓好十二五规划，完成120个。"
    assert normalize_width("第一。二是") == "第一。二是"


@pytest.mark.parametrize(("text", "value"), [
    ("一百二十", Decimal(120)), ("两千", Decimal(2000)), ("1.5万", Decimal(15000)),
    ("一点五", Decimal("1.5")), ("１２０", Decimal(120)), ("是", None), ("", None),
])
def test_chinese_number(text, value):
    assert chinese_number(text) == value


def test_syllable_key():
    assert syllable_key("shè") == ("she", 4)
    assert syllable_key("she4") == ("she", 4)
    assert syllable_key("she") == ("she", None)
    assert syllable_key("lu:4") == ("lv", 4)
    assert syllable_key("SHE") is None
    assert syllable_key("cafè1") is None
    assert not is_reading("cafe", "咖")


def test_a_long_speech_is_cleaned_quickly():
    speech = "各縣(市、區(qū))要加快建設(shè)項(xiàng)目，確保年底前完成目標(biāo)(GDP)。" * 350
    assert len(speech) > 10_000
    start = time.perf_counter()
    result = clean(speech)
    assert time.perf_counter() - start < 1.0
    assert len(result.removals) == 4 * 350


PIECES = st.sampled_from([
    "建", "設", "项", "行", "區", "綠", "的", "乾", "淨", "X", "a", "5", "１", "%", "％",
    "．", "。", "、", "(", ")", "（", "）", " ", "shè", "she4", "jian", "háng", "xíng",
    "lǜ", "qū", "GDP", "café", "e\u0300",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=20).map("".join), st.booleans())
def test_cleaning_is_idempotent(text, simplified):
    once = clean(text, simplified=simplified).text
    assert clean(once, simplified=simplified).text == once


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_characters="(（", blacklist_categories=["Cs"]),
               max_size=40))
def test_text_without_parentheses_only_changes_form(text):
    nfc = unicodedata.normalize("NFC", text)
    assert clean(text, simplified=False).text == normalize_width(nfc)
    assert clean(text).text == to_simplified(normalize_width(nfc))
