"""Sentences, headings and directives as speeches and minutes write them: where a sentence
ends (enumerations, quotes, 一是…二是…, numbered items), which line is a heading, and which
sentence assigns work."""

import pytest

from jiangping.tasks import directives, sentences


def split(text):
    return [text[a:b] for a, b in sentences.split_sentences(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("会议强调：一是要抓好森林防火，二是要抓好秸秆禁烧，三是要抓好信访稳定。",
     ["会议强调：", "一是要抓好森林防火，", "二是要抓好秸秆禁烧，", "三是要抓好信访稳定。"]),
    ("重点抓好三项工作：（一）项目建设；（二）招商引资；（三）安全生产。",
     ["重点抓好三项工作：", "（一）项目建设；", "（二）招商引资；", "（三）安全生产。"]),
    ("会议议定：\n1.县财政局负责资金；\n2.县住建局负责实施。",
     ["会议议定：", "1.县财政局负责资金；", "2.县住建局负责实施。"]),
    ("2.县住建局要加快。3.县财政局要配合。", ["2.县住建局要加快。", "3.县财政局要配合。"]),
    ("①县住建局负责；②县财政局配合。", ["①县住建局负责；", "②县财政局配合。"]),
    ("（1）加强领导。（2）强化督查。", ["（1）加强领导。", "（2）强化督查。"]),
    ("一要抓项目。二要抓招商。", ["一要抓项目。", "二要抓招商。"]),
    ("首先，要抓项目；其次，要抓招商。", ["首先，要抓项目；", "其次，要抓招商。"]),
])
def test_enumerations(text, expected):
    assert split(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # A quote ending a sentence belongs to it; a colon inside one starts no list.
    ("他指出：“要把项目建设作为头等大事。”各乡镇要抓好落实。",
     ["他指出：“要把项目建设作为头等大事。”", "各乡镇要抓好落实。"]),
    ("坚持“项目为王”理念；加快建设。", ["坚持“项目为王”理念；", "加快建设。"]),
    ("要做到“三个确保”：确保安全，确保质量，确保进度。",
     ["要做到“三个确保”：确保安全，确保质量，确保进度。"]),
    # A ； inside brackets ends nothing.
    ("县住建局要加快建设（确保6月底前完工；年底前投用）。",
     ["县住建局要加快建设（确保6月底前完工；年底前投用）。"]),
    # A decimal is no item number; 一是否 is no item.
    ("县交通局要加快G318线改造。1.5亿元资金要在年底前到位。",
     ["县交通局要加快G318线改造。", "1.5亿元资金要在年底前到位。"]),
    ("要研究一是否可行，二是否必要。", ["要研究一是否可行，二是否必要。"]),
    ("加快建设！务必按期完成？", ["加快建设！", "务必按期完成？"]),
])
def test_quotes_brackets_and_numbers(text, expected):
    assert split(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("县住建局要加快（含续建项目）；县财政局要配合。",
     ["县住建局要加快（含续建项目）；", "县财政局要配合。"]),
    ("县住建局要加快（含（续建）项目）；县财政局要配合。",
     ["县住建局要加快（含（续建）项目）；", "县财政局要配合。"]),
    ("县住建局要加快建设（含续建（扩建）项目；新建项目）。",
     ["县住建局要加快建设（含续建（扩建）项目；新建项目）。"]),
    # A bracket left open does not swallow the sentences after it, nor the next line.
    ("县住建局要加快（含续建项目。县财政局要配合。",
     ["县住建局要加快（含续建项目。", "县财政局要配合。"]),
    ("一、抓项目（重点\n县住建局要加快；县财政局要配合。",
     ["一、抓项目（重点", "县住建局要加快；", "县财政局要配合。"]),
    ("（牵头单位：县住建局；配合单位：县财政局）", ["（牵头单位：县住建局；配合单位：县财政局）"]),
    # A placeholder opening a sentence is no closing mark.
    ("确保增长X%。X个项目要在年底前开工。", ["确保增长X%。", "X个项目要在年底前开工。"]),
])
def test_brackets(text, expected):
    assert split(text) == expected


def test_a_unit_note_in_brackets_belongs_to_its_item():
    text = "1.加快老旧小区改造。（牵头单位：县住建局；配合单位：县财政局）\n2.抓好春耕。"
    assert split(text) == [
        "1.加快老旧小区改造。（牵头单位：县住建局；配合单位：县财政局）", "2.抓好春耕。"]
    assert split("加快改造。\n（责任单位：县住建局）") == ["加快改造。", "（责任单位：县住建局）"]


def test_offsets_leave_out_the_spaces_around():
    text = "　一、抓项目\n  县住建局要加快。 "
    assert sentences.split_sentences(text) == [(1, 6), (9, 17)]


def test_an_item_list_may_open_after_a_wide_space():
    text = "会议议定：　1.县财政局负责资金。"
    assert split(text) == ["会议议定：", "1.县财政局负责资金。"]
    assert sentences.starts_line(text, 6) and not sentences.starts_line("甲。　乙", 3)


@pytest.mark.parametrize(("sentence", "line_start", "expected"), [
    ("一、关于重点项目建设", True, (1, "一、关于重点项目建设")),
    ("十一、其他事项", True, (1, "十一、其他事项")),
    ("（二）狠抓安全生产。由县应急局牵头", True, (2, "（二）狠抓安全生产。由县应急局牵头")),
    ("（二）狠抓安全生产，由县应急局牵头", True, (2, "（二）狠抓安全生产")),
    ("3.关于春耕生产：县农业农村局要", False, (3, "3.关于春耕生产")),
    ("3．抓招商。", False, (3, "3．抓招商")),
    ("12、抓好信访稳定。", False, (3, "12、抓好信访稳定")),
    ("（3）强化督查。", False, (4, "（3）强化督查")),
    ("③县财政局配合。", False, (4, "③县财政局配合")),
    ("二要抓招商，", False, (5, "二要抓招商")),
    ("三是抓安全，", False, (5, "三是抓安全")),
    ("一是因为资金不足，", False, None),
    ("二是指项目建设，", False, None),
    ("二、关于民生", False, None),
    ("（二）狠抓安全", False, None),
    ("2021年完成", True, None),
    ("1.5亿元到位。", True, None),
])
def test_headings(sentence, line_start, expected):
    assert sentences.heading_of(sentence, line_start) == expected


@pytest.mark.parametrize(("sentence", "end"), [
    ("一、抓项目", 2), ("（十二）抓招商", 4), ("12.抓项目", 3), ("（1）抓", 3), ("⑤抓", 1),
    ("三要抓好", 2), ("一要是", 2), ("抓项目", 0), ("2021年", 0),
])
def test_where_the_text_after_a_marker_begins(sentence, end):
    assert sentences.marker_end(sentence) == end


def cue(sentence, **kw):
    found = directives.directive(sentence, **kw)
    return None if found is None else (found.cue.group() if found.cue else "")


@pytest.mark.parametrize(("sentence", "expected"), [
    ("各乡镇要加强森林防火巡查。", "要"),
    ("必须在4月底前完成问题整改。", "必须"),
    ("确保6月底前全面开工。", "确保"),
    ("力争全年签约项目30个。", "力争"),
    ("县财政局负责资金保障。", "负责"),
    ("由县住建局牵头组织实施。", "牵头"),
    ("请各乡镇于月底前报送。", "请"),
    ("务请各单位高度重视，按时报送。", "务请"),
    ("责成县住建局立即整改。", "责成"),
    ("会议议定，由县住建局负责。", "会议议定"),
    ("会议同意县住建局提交的《老旧小区改造方案》。", "会议同意"),
    ("会议原则同意《招商引资奖励办法》，由县政府办按程序印发。", "会议原则同意"),
    ("会议审议通过了《方案》，请县住建局抓紧组织实施。", "会议审议通过"),
    ("会议原则同意该方案，由县住建局牵头。", "会议原则同意"),
])
def test_what_assigns_work(sentence, expected):
    assert cue(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "这是一项重要工作。",
    "不要搞形式主义。",
    "希望大家齐心协力。",
    "会议原则同意《招商引资奖励办法》。",
    "主要领导要亲自抓、负总责。",
    "各部门要高度重视，统一思想，真抓实干。",
    "今年以来，县住建局完成投资5亿元。",
    "截至3月底，全县已开工项目20个。",
    "县委书记主持召开了专题会议。",
    "刚才，几位同志作了很好的发言。",
    "1-2月，全县规上工业增加值增长5%。",
    "督查组发现，部分乡镇进度滞后。",
    "现将《东山县2025年重点工作任务分解方案》印发给你们，请认真抓好落实。",
    "附件：1.任务分解表",
    "抄送：县委办，县人大办。",
    "截至目前，“确保完成”的承诺仍未兑现。",
    "县住建局汇报了加快推进项目建设的情况。",
    "前2个月，全县上下加快推进项目建设，成效明显。",
    "会议议定：",
    "现将会议确定事项纪要如下：",
])
def test_what_assigns_no_work(sentence):
    assert cue(sentence) is None


@pytest.mark.parametrize(("sentence", "expected"), [
    ("县住建局通报了进度，要求各乡镇加快。", "要求"),
    ("针对当前森林防火形势，各乡镇要加强巡查。", "要"),
    ("近年来，各地要加强耕地保护。", "要"),
    ("今年以来，全县开工项目20个，各乡镇要加快。", "要"),
    ("截至目前，县住建局负责的项目均已开工。", None),
    ("今年以来，全县加快项目建设。", None),
])
def test_a_fact_needs_a_strong_cue(sentence, expected):
    assert cue(sentence) == expected


def test_titles_and_items():
    assert cue("关于加快推进重点项目建设的通知", whole_line=True) is None
    assert cue("关于加快推进重点项目建设的通知。", whole_line=True) == "加快"
    assert cue("关于加快推进重点项目建设的通知") == "加快"
    assert cue("二是加强困难户帮扶。", item=True) == ""
    assert cue("二是加强困难户帮扶。") is None
    assert cue("二是各乡镇汇报了进度。", item=True) is None


def test_the_clauses_that_report_facts():
    sentence = "今年以来，全县开工项目20个，各乡镇要加快。"
    assert directives.narrative_spans(sentence) == [(0, 4)]
    found = directives.directive(sentence)
    assert found.facts == [(0, 4)] and found.live(4) and not found.live(0)
