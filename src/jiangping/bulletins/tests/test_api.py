"""The bulletin API: the page's visibility (drafts for the city office only), office-only
generate, edit and publish, files by format, the diff between versions."""

import pytest

from jiangping.bulletins.models import BulletinVersion
from jiangping.bulletins.tests.conftest import PERIOD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("faces")]

BASE = f"/api/bulletins/{PERIOD}"


def post(client, path, body=None):
    return client.post(path, data=body or {}, content_type="application/json")


def test_office_generates_edits_publishes_and_a_county_reads(client, cast, reviewed):
    client.force_login(cast.reporter_a)
    assert post(client, f"{BASE}/generate").status_code == 403
    client.force_login(cast.office)
    made = post(client, f"{BASE}/generate", {"number": "市讲评办〔2026〕9号"}).json()
    assert (made["version"], made["status"], made["review_version"]) == (1, "draft", 1)
    assert made["number"] == "市讲评办〔2026〕9号" and made["published_at"] is None
    assert made["files"]["pdf"] == f"{BASE}/versions/1/pdf"
    edited = post(client, f"{BASE}/edit", {"problems": ["一是到位资金偏少。"]}).json()
    assert edited["edits"] == {"problems": ["到位资金偏少。"]} and edited["version"] == 1
    client.force_login(cast.reporter_b)
    assert client.get(BASE).json() == {"period": PERIOD, "versions": []}  # a draft
    assert client.get(f"{BASE}/versions/1/docx").status_code == 404
    client.force_login(cast.office)
    published = post(client, f"{BASE}/publish").json()
    assert published["status"] == "published" and published["published_at"]
    client.force_login(cast.reporter_b)
    [shown] = client.get(BASE).json()["versions"]
    assert shown["version"] == 1 and shown["digest"] == BulletinVersion.objects.get().digest
    content = client.get(f"{BASE}/versions/1").json()
    assert "一是到位资金偏少。" in content["text"]
    assert content["content"]["sections"][0]["key"] == "headline"
    response = client.get(f"{BASE}/versions/1/docx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"PK-docx\n")


def test_regenerating_the_same_month_gives_the_same_version(client, cast, reviewed):
    client.force_login(cast.office)
    first = post(client, f"{BASE}/generate").json()
    again = post(client, f"{BASE}/generate").json()
    assert again["version"] == first["version"] == 1 and again["digest"] == first["digest"]


def test_refusals(client, cast, reviewed):
    client.force_login(cast.office)
    assert client.get("/api/bulletins/2026-13").status_code == 404
    refused = post(client, "/api/bulletins/2026-05/generate")
    assert refused.status_code == 422
    assert "2026年5月尚无已发布的讲评结果" in refused.json()["detail"]
    nothing = post(client, f"{BASE}/publish")
    assert nothing.status_code == 422 and "没有待发布的通报草稿" in nothing.json()["detail"]
    post(client, f"{BASE}/generate")
    assert client.get(f"{BASE}/versions/1/odt").status_code == 404
    assert client.get(f"{BASE}/versions/2/pdf").status_code == 404
    long = post(client, f"{BASE}/edit", {"number": "号" * 101})
    assert long.status_code == 422 and "文号超过100字" in long.json()["detail"]


def test_diff_between_versions(client, cast, reviewed):
    client.force_login(cast.office)
    post(client, f"{BASE}/generate")
    post(client, f"{BASE}/publish")
    post(client, f"{BASE}/generate", {"number": "市讲评办〔2026〕7号"})
    diff = client.get(f"{BASE}/diff", {"old": 1, "new": 2}).json()["diff"]
    assert "-市讲评办〔2026〕6号\n+市讲评办〔2026〕7号" in diff
    assert diff.startswith("--- 第1版\n+++ 第2版\n")
    client.force_login(cast.reporter_a)
    assert client.get(f"{BASE}/diff", {"old": 1, "new": 2}).status_code == 404


def test_anonymous_is_refused(client, cast, reviewed):
    assert client.get(BASE).status_code == 401
    assert client.get(f"{BASE}/versions/1/pdf").status_code == 401


def test_a_body_of_the_wrong_shape_names_the_field(client, cast, reviewed):
    client.force_login(cast.office)
    refused = post(client, f"{BASE}/generate", {"problems": "一是……"})
    assert refused.status_code == 422
    assert refused.json()["detail"] == "请求参数有误：存在问题应为列表。"
    assert not BulletinVersion.objects.exists()


def test_control_characters_and_lone_surrogates_are_refused_422(client, cast, reviewed):
    client.force_login(cast.office)
    post(client, f"{BASE}/generate")
    refused = post(client, f"{BASE}/edit", {"problems": ["甲。\n乙\u0000。"]})
    assert refused.status_code == 422
    assert refused.json()["detail"] == (
        "存在问题第2段含有不可见的控制字符（U+0000），请删除后重新输入。")
    refused = post(client, f"{BASE}/generate", {"number": "市讲评办\ud800〔2026〕9号"})
    assert refused.status_code == 422 and "文号含有无效的字符（U+D800）" in refused.json()["detail"]
    refused = post(client, f"{BASE}/edit", {"date": "2026-02-30"})
    assert refused.json()["detail"] == "成文日期“2026-02-30”不是存在的日期：2026年2月没有30日。"
    assert BulletinVersion.objects.get().edits == {}
    edited = post(client, f"{BASE}/edit", {"problems": ["甲。\n乙。"], "date": "2026/7/3"}).json()
    assert edited["edits"] == {"problems": ["甲。", "乙。"]} and edited["date"] == "2026年7月3日"


def test_a_published_bulletin_is_corrected_in_a_new_version(client, cast, reviewed):
    client.force_login(cast.office)
    post(client, f"{BASE}/generate")
    first = post(client, f"{BASE}/publish").json()
    second = post(client, f"{BASE}/edit", {"problems": ["到位资金偏少。"], "version": 1,
                                           "digest": first["digest"]}).json()
    assert (second["version"], second["status"]) == (2, "draft")
    assert [v["status"] for v in client.get(BASE).json()["versions"]] == ["draft", "published"]


def test_what_changed_since_the_client_read_it_is_refused_409(client, cast, reviewed):
    client.force_login(cast.office)
    seen = post(client, f"{BASE}/generate").json()
    post(client, f"{BASE}/edit", {"number": "市讲评办〔2026〕8号"})
    refused = post(client, f"{BASE}/publish", {"version": 1, "digest": seen["digest"]})
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        "通报已有变动：第1版在您打开页面后又被修改或重新生成。请核对最新内容后再发布。")
    refused = post(client, f"{BASE}/edit", {"problems": ["甲。"], "version": 2})
    assert refused.status_code == 409 and "您看到的是第2版，现在最新的是第1版" in \
        refused.json()["detail"]
    assert BulletinVersion.objects.get().status == "draft"
    current = client.get(BASE).json()["versions"][0]
    published = post(client, f"{BASE}/publish", {"version": 1, "digest": current["digest"]})
    assert published.status_code == 200 and published.json()["status"] == "published"


def test_messages_name_the_month_and_fields_in_chinese_and_cut_long_values(client, cast,
                                                                           reviewed):
    client.force_login(cast.office)
    missing = client.get(f"{BASE}/versions/3")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "2026年6月没有可查看的第3版通报。"
    post(client, f"{BASE}/generate")
    wrong = post(client, f"{BASE}/publish", {"version": "第一版"})
    assert wrong.status_code == 422 and wrong.json()["detail"] == "请求参数有误：版本应为整数。"
    wrong = post(client, f"{BASE}/edit", {"issuer": 5})
    assert wrong.json()["detail"] == "请求参数有误：发文机关应为文本。"
    long = post(client, f"{BASE}/edit", {"number": "号" * 1000}).json()["detail"]
    assert long == "文号超过100字：" + "号" * 50 + "…（共1000字）。"
