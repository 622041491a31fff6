"""How months and data labels read in each language."""

from django.utils import translation

from jiangping.core.hant import hant
from jiangping.core.periods import by_year
from jiangping.core.templatetags.jiangping import month_label


def test_month_label_per_language():
    with translation.override("zh-hans"):
        assert month_label("2026-09") == "2026年9月"
    with translation.override("en"):
        assert month_label("2026-09") == "2026-09"
        assert month_label("2026-10") == "2026-10"
    assert month_label("") == ""


def test_months_grouped_by_year():
    assert by_year(["2026-02", "2026-01", "2025-12"]) == [
        ("2026", ["2026-02", "2026-01"]), ("2025", ["2025-12"])]
    assert by_year([]) == []


def test_data_labels_in_traditional_only_under_zh_hant():
    with translation.override("zh-hant"):
        assert hant("固定资产投资") == "固定資產投資"
        assert hant("县（市、区）") == "縣（市、區）"
        assert hant("") == "" and hant(None) is None
    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert hant("固定资产投资") == "固定资产投资"
