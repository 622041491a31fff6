"""The ``scores`` and ``catalog`` import forms: dry run, refusals naming row and column."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jiangping.indicators import metrics
from jiangping.indicators.models import Indicator
from jiangping.reviews import services
from jiangping.reviews.models import ManualScore
from jiangping.reviews.tests.conftest import PERIOD, SCHEME

pytestmark = pytest.mark.django_db

MANUAL = SCHEME.replace('weight = 40\ntarget = "target"\n',
                        'weight = 30\ntarget = "target"\n') + (
    '\n[[items]]\ncode = "evaluation"\nname = "领导评价"\nmethod = "manual"\nweight = 10\n')


def run(tmp_path, form, text, *flags):
    path = tmp_path / f"{form}.csv"
    path.write_text(text, encoding="utf-8")
    call_command("import", form, str(path), *flags)


def test_scores_are_imported_and_scored(cast, month, tmp_path):
    services.upload_scheme(month, MANUAL.replace("[lists]", "[lists]", 1), cast.office)
    run(tmp_path, "scores", f"期间,单位,考核项,得分,说明\n{PERIOD},甲区,领导评价,8.5,好\n"
                            f"{PERIOD},乙县,evaluation,6,\n", "--apply")
    assert {(s.unit.name, s.item, str(s.points)) for s in ManualScore.objects.all()} == {
        ("甲区", "evaluation", "8.50"), ("乙县", "evaluation", "6.00")}
    run_ = services.compute(month, PERIOD)
    a = next(u for u in run_.result["units"] if u["name"] == "甲区")
    assert next(i for i in a["items"] if i["item"] == "evaluation")["explain"] == "人工评分8.5分"


def test_scores_refuse_unknown_items_and_points_beyond_the_weight(cast, month, tmp_path,
                                                                 capsys):
    services.upload_scheme(month, MANUAL, cast.office)
    with pytest.raises(CommandError) as refused:
        run(tmp_path, "scores", f"期间,单位,考核项,得分\n{PERIOD},甲区,fai,5\n"
                                f"{PERIOD},乙县,evaluation,11\n2024-06,甲区,evaluation,1\n",
            "--apply")
    captured = capsys.readouterr()
    message = str(refused.value) + captured.out + captured.err
    assert "不是现行考核方案的人工评分项（可填：evaluation）" in message
    assert "得分应在 0 至 10 分之间" in message
    assert "2024年度的考核方案尚未上传" in message
    assert not ManualScore.objects.exists()


def test_catalog_adds_indicators_that_become_metrics(cast, tmp_path):
    run(tmp_path, "catalog", "指标代码,指标名称,计量单位,类型,方向,小数位数,对应增速指标\n"
                             "big_signings,亿元以上项目签约数,个,累计,越高越好,0,\n"
                             "signed,签约金额,亿元,累计,,2,signed_growth\n"
                             "signed_growth,签约金额增速,%,增速,,1,\n", "--apply")
    signed = Indicator.objects.get(code="signed")
    assert Indicator.objects.get(code="signed_growth").growth_of == signed
    assert Indicator.objects.get(code="big_signings").decimals == 0
    assert metrics.get("value.big_signings").name == "亿元以上项目签约数"


def test_catalog_refusals(cast, tmp_path, capsys):
    with pytest.raises(CommandError) as refused:
        run(tmp_path, "catalog", "指标代码,指标名称,计量单位,类型,小数位数,对应增速指标\n"
                                 "Big-One,甲,个,累计,0,\n"
                                 "other,固定资产投资,亿元,累计,1,\n"
                                 "x1,乙,个,水平,9,\n"
                                 "x2,丙,个,累计,1,revenue\n", "--apply")
    captured = capsys.readouterr()
    message = str(refused.value) + captured.out + captured.err
    assert "应以小写字母开头" in message
    assert "已被指标 fai 使用" in message
    assert "小数位数应为 0 至 4" in message
    assert "“revenue”不是增速指标" in message
    assert not Indicator.objects.filter(code__in=["x1", "x2", "other"]).exists()


def test_forms_are_for_the_city_office_only(cast, month, tmp_path):
    with pytest.raises(CommandError):
        run(tmp_path, "catalog", "指标代码,指标名称,计量单位,类型\nnew_one,新指标,个,累计\n",
            "--apply", "--as", "jiaqu")
    assert not Indicator.objects.filter(code="new_one").exists()
