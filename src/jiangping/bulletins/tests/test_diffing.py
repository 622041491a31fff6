"""The text diff of two versions, side by side and unified (pure, no database)."""

from jiangping.bulletins.diffing import Row, side_by_side, unified

OLD = "\n".join(["标题", "文号1", "", "一、总体情况", "甲", "乙", "丙", "丁", "戊", "落款", "日期"])


def test_equal_texts_have_no_rows():
    assert side_by_side(OLD, OLD) == [] and unified(OLD, OLD) == ""


def test_a_changed_line_with_its_context_and_the_lines_left_out():
    new = OLD.replace("丙", "丙（修改）")
    assert side_by_side(OLD, new, context=1) == [
        Row("skip", skipped=5),
        Row("same", 6, "乙", 6, "乙"),
        Row("changed", 7, "丙", 7, "丙（修改）"),
        Row("same", 8, "丁", 8, "丁"),
        Row("skip", skipped=3),
    ]


def test_added_and_removed_lines_leave_the_other_side_empty():
    new = OLD.replace("文号1\n", "").replace("戊", "戊\n己")
    assert side_by_side(OLD, new, context=0) == [
        Row("skip", skipped=1),
        Row("removed", 2, "文号1", None, ""),
        Row("skip", skipped=7),
        Row("added", None, "", 9, "己"),
        Row("skip", skipped=2),
    ]


def test_a_replacement_of_unequal_length_pairs_lines_then_adds():
    assert side_by_side("a\nb", "x\ny\nz", context=0) == [
        Row("changed", 1, "a", 1, "x"), Row("changed", 2, "b", 2, "y"),
        Row("added", None, "", 3, "z"),
    ]


def test_unified_has_headers_and_hunks():
    new = OLD.replace("丙", "丙（修改）")
    assert unified(OLD, new, old_name="第1版", new_name="第2版", context=0).splitlines() == [
        "--- 第1版", "+++ 第2版", "@@ -7 +7 @@", "-丙", "+丙（修改）"]
