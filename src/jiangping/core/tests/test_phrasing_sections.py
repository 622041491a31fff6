"""The phrasing the bulletin's task and ranking sections add: lists kept short."""

import pytest

from jiangping.core.phrasing import bounded_list


def test_a_short_list_is_written_in_full():
    assert bounded_list([]) == ""
    assert bounded_list(["甲区"]) == "甲区"
    assert bounded_list(["市发改委2项", "甲区1项"], limit=2) == "市发改委2项、甲区1项"


def test_a_long_list_stops_at_the_limit_with_deng_and_the_count():
    names = ["甲区", "乙县", "丙市", "丁县"]
    assert bounded_list(names, limit=3) == "甲区、乙县、丙市等4个单位"
    assert bounded_list(names, limit=1, counter="项") == "甲区等4项"


def test_a_limit_below_one_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        bounded_list(["甲区"], limit=0)
