"""Pure checks of what a file is (sniff), the CSV delimiter and cell references."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from jiangping.intake.reading import sniff_delimiter
from jiangping.intake.sniff import column_index, column_letters

_NAMES = st.text(alphabet="单位指标期间数值甲乙丙", min_size=1, max_size=4)
_NUMBERS = st.integers(min_value=0, max_value=10**9).map(lambda n: f"{n:,}")


@given(st.lists(_NAMES, min_size=2, max_size=6, unique=True), st.data())
def test_tsv_with_thousands_separators_is_tab_separated(header, data):
    rows = data.draw(st.lists(st.lists(_NUMBERS, min_size=len(header), max_size=len(header)),
                              min_size=1, max_size=10))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter="\t").writerows([header, *rows])
    assert sniff_delimiter(buffer.getvalue()) == "\t"


@given(st.lists(_NAMES, min_size=2, max_size=6, unique=True), st.data())
def test_csv_with_quoted_thousands_is_comma_separated(header, data):
    rows = data.draw(st.lists(st.lists(_NUMBERS, min_size=len(header), max_size=len(header)),
                              min_size=1, max_size=10))
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    assert sniff_delimiter(buffer.getvalue()) == ","


def test_delimiter_of_a_single_column_is_a_comma():
    assert sniff_delimiter("单位\n甲区\n") == ","
    assert sniff_delimiter("a;b;c\n1;2;3\n") == ";"


@given(st.integers(min_value=0, max_value=16383))
def test_column_letters_round_trip(index):
    assert column_index(column_letters(index)) == index


def test_column_letters_examples():
    assert [column_letters(i) for i in (0, 25, 26, 51, 16383)] == ["A", "Z", "AA", "AZ", "XFD"]


@given(st.lists(st.integers(min_value=0, max_value=300), min_size=1, max_size=30),
       st.integers(min_value=1, max_value=200))
def test_long_line_finds_the_first_line_over_the_limit(lengths, limit):
    from jiangping.intake import reading

    data = b"\n".join(b"x" * n for n in lengths)
    expected = next((i + 1 for i, n in enumerate(lengths) if n > limit), None)
    original = reading._LINE_CHUNK
    reading._LINE_CHUNK = max(1, limit // 2)  # a chunk never longer than the limit
    try:
        assert reading.long_line(io.BytesIO(data), limit) == expected
    finally:
        reading._LINE_CHUNK = original
