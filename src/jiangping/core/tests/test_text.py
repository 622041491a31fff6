from jiangping.core.text import join_sentences


def test_join_sentences():
    parts = ["数值有误。", "缺少期间；", " 单位不存在 "]
    assert join_sentences(parts) == "数值有误；缺少期间；单位不存在。"
    assert join_sentences(["只有一句。"]) == "只有一句。"
