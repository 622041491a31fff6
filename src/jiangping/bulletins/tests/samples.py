"""A hand-built bulletin for the writers' tests: every block kind, a long table that
crosses a page, negative figures, ties, and editable closing sections."""

from __future__ import annotations

from jiangping.bulletins.document import Bulletin, Chart, Paragraph, Section, Subheading, Table

COUNTIES = ["临江区", "东湖区", "西山区", "南岭县", "北塘县", "青石县", "白沙县", "红岩县",
            "金川县", "玉泉市"]


def sample_bulletin(rows: int = 10) -> Bulletin:
    names = [COUNTIES[i % len(COUNTIES)] + ("" if i < len(COUNTIES) else str(i))
             for i in range(rows)]
    ranking = [
        [str(i + 1), name, f"{30 - i * 0.7:.2f}", f"{25 - i * 0.5:.2f}", f"{95 - i * 1.3:.2f}",
         ["前移1位", "后退2位", "与上月持平"][i % 3]]
        for i, name in enumerate(names)
    ]
    ranking[2][0] = ranking[1][0] = "并列2"
    return Bulletin(
        title="关于2026年1—10月全市重点工作讲评情况的通报",
        period="2026-10",
        number="市讲评办〔2026〕10号",
        date="2026年11月5日",
        issuer="江城市月讲评工作领导小组办公室",
        sections=[
            Section("headline", "总体情况", [Paragraph(
                "1—10月，全市经济运行总体平稳，主要指标稳中有进。")]),
            Section("indicators", "主要经济指标", [
                Subheading("（一）地区生产总值"),
                Paragraph("1—10月，全市固定资产投资同比增长8.2%，高于全省平均增速（6.1%）"
                          "2.1个百分点，居全省第6位，较1—9月前移2位。"),
                Paragraph("规模以上工业增加值同比下降3.2%，低于全省平均增速（1.5%）4.7个百分点，"
                          "居全省第14位，与上月持平。"),
                Chart("trend", "全市固定资产投资增速走势",
                      ["1—6月", "1—7月", "1—8月", "1—9月", "1—10月"],
                      [{"name": "全市", "values": ["6.1", "6.8", "7.0", "7.9", "8.2"]},
                       {"name": "全省", "values": ["5.9", "6.0", None, "6.2", "6.1"]}], unit="%"),
            ]),
            Section("tasks", "督办事项落实情况", [Paragraph(
                "市政府第12次常务会议交办事项42项，已办结30项，办结率71.4%；逾期未办结3项。")]),
            Section("ranking", "综合考核排名", [
                Paragraph("县市组综合得分由高到低依次为：" + "、".join(
                    f"{r[1]}{r[4]}分" for r in ranking[:5]) + "。"),
                Table("表1 2026年1—10月各县（市、区）综合考核排名",
                      ["名次", "县区", "指标得分", "工作得分", "总分", "较上月"], ranking,
                      align=["center", "left", "right", "right", "right", "center"]),
                Chart("bars", "各县（市、区）综合得分", names,
                      [{"name": "总分", "values": [r[4] for r in ranking]}], unit="分",
                      marker={"name": "平均", "value": "89.15"}),
                Chart("gauge", "全市重点项目投资完成进度", ["完成率"],
                      [{"name": "完成率", "values": ["78.6"]}], unit="%",
                      marker={"name": "序时进度", "value": "83.3"}),
                Paragraph("红榜：临江区、东湖区。黑榜：红岩县。流动红旗：临江区；黄旗：玉泉市。"),
            ]),
            Section("problems", "存在问题", [
                Paragraph("部分县区项目开工率偏低，红岩县仅为45.0%。", lead="一是"),
                Paragraph("规模以上工业增加值同比下降3.2%，低于全省平均水平。", lead="二是"),
            ], editable=True),
            Section("actions", "下步工作", [
                Paragraph("加快项目开工建设，确保年度计划开工项目全部开工。", lead="一是要"),
                Paragraph("抓好督办事项落实，逾期事项限期办结。", lead="二是要"),
            ], editable=True),
        ],
    )
