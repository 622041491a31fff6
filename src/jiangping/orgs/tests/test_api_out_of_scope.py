"""Out-of-scope API objects answer as objects that do not exist (issue 6 §5).

甲区's reporter names 乙县's unit, its township, its submission and its task, then codes
and ids that exist nowhere: each pair gets the same status and the same body (apart
from the code or id the caller sent), and no unit name."""

import json

import pytest
from django.test import Client

from jiangping.intake import services as intake
from jiangping.orgs.scope import Scope
from jiangping.tasks.services import create_task

P = "2019-11"
NAMES = ("乙县", "北镇", "示例市")


@pytest.fixture
def other(cast):
    office = Scope.for_user(cast.office)
    submission = intake.open_submission(office, cast.county_b, P, "indicators",
                                        user=cast.office)
    task = create_task(office, title="抓好秸秆综合利用", lead_unit=cast.county_b,
                       user=cast.office)
    return {"submission": submission.pk, "task": task.pk}


def caller(cast):
    client = Client()
    client.force_login(cast.reporter_a)
    return client


def ask(client, method, path, body=None):
    data = json.dumps(body) if body is not None else None
    kwargs = {"data": data, "content_type": "application/json"} if data else {}
    response = getattr(client, method)(path, **kwargs)
    return response.status_code, response.content.decode("utf-8")


def same_answer(client, method, template, existing, missing, body=None):
    """The answer for the out-of-scope ``existing`` and the unknown ``missing``."""
    seen = []
    for key in (existing, missing):
        path = template.format(key=key)
        filled = json.loads(json.dumps(body).replace("{key}", str(key))) if body else None
        status, text = ask(client, method, path, filled)
        seen.append((status, text.replace(str(key), "<key>")))
        for name in NAMES:
            assert name not in text, (method, path, text)
    assert seen[0] == seen[1], (method, template, seen)
    return seen[0]


UNIT_ENDPOINTS = [
    ("get", "/api/orgs/units/{key}", None),
    ("get", "/api/indicators/values?unit={key}", None),
    ("get", "/api/indicators/targets?unit={key}", None),
    ("put", f"/api/indicators/values/fai/{{key}}/{P}", {"value": "1"}),
    ("delete", f"/api/indicators/values/fai/{{key}}/{P}", None),
    ("put", "/api/indicators/values",
     [{"indicator": "fai", "unit": "{key}", "period": P, "value": "1"}]),
    ("post", "/api/intake/submissions", {"unit": "{key}", "period": P}),
    ("get", "/api/intake/submissions?unit={key}", None),
    ("get", "/api/tasks/?unit={key}", None),
    ("get", "/api/orgs/units?parent={key}", None),
]


@pytest.mark.parametrize(("method", "template", "body"), UNIT_ENDPOINTS)
@pytest.mark.parametrize("unit", ["990121", "990121001", "990100"])
def test_a_unit_elsewhere_answers_as_an_unknown_code(cast, method, template, body, unit):
    if unit == "990100" and "parent=" in template:
        pytest.skip("甲区 itself is a child of the home city: listed, rightly")
    status, _text = same_answer(caller(cast), method, template, unit, "990999", body)
    assert status in (200, 404, 422)


ID_ENDPOINTS = [
    ("get", "/api/intake/submissions/{key}", None, "submission"),
    ("post", "/api/intake/submissions/{key}/submit", None, "submission"),
    ("post", "/api/intake/submissions/{key}/approve", {"comment": ""}, "submission"),
    ("post", "/api/intake/submissions/{key}/return", {"comment": "x"}, "submission"),
    ("post", "/api/intake/submissions/{key}/unlock", {"comment": ""}, "submission"),
    ("get", "/api/tasks/{key}", None, "task"),
    ("post", "/api/tasks/{key}/progress", {"text": "进展", "percent": 10}, "task"),
    ("post", "/api/tasks/{key}/request-close", {"comment": ""}, "task"),
    ("post", "/api/tasks/{key}/approve-close", {"comment": ""}, "task"),
    ("post", "/api/tasks/{key}/reject-close", {"comment": "x"}, "task"),
]


@pytest.mark.parametrize(("method", "template", "body", "kind"), ID_ENDPOINTS)
def test_an_object_elsewhere_answers_as_a_missing_id(cast, other, method, template, body,
                                                     kind):
    status, _text = same_answer(caller(cast), method, template, other[kind], 987654, body)
    assert status == 404


def test_the_refusal_names_the_code_only(cast):
    status, text = ask(caller(cast), "get", "/api/indicators/values?unit=990121")
    assert status == 422
    assert json.loads(text)["detail"] == "组织机构代码不存在或不在您的数据范围内：990121。"


def test_a_peer_city_stays_readable(cast):
    status, _text = ask(caller(cast), "get", "/api/indicators/values?unit=990200")
    assert status == 200
