"""The Django admin keeps to the user's subtree and writes through the services."""

from decimal import Decimal as D

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse

from jiangping.core.tests.web import P, month_data
from jiangping.indicators.models import Indicator, Target
from jiangping.intake import services as intake
from jiangping.orgs.models import Role

MODELS = ["indicators.indicator", "indicators.value", "indicators.target", "intake.submission",
          "orgs.orgunit", "orgs.user", "orgs.apitoken"]


def staff(user, *actions):
    """Make ``user`` a staff member (not a superuser) with the admin permissions given."""
    user.is_staff = True
    user.save()
    codenames = [f"{action}_{model.split('.')[1]}" for model in MODELS for action in actions]
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def data(cast):
    data = month_data(cast)
    intake.get_or_open(data.county_a, P, "indicators")
    intake.get_or_open(data.county_b, P, "indicators")
    return data


@pytest.mark.parametrize("name", [
    "indicators_value", "indicators_target", "intake_submission", "orgs_orgunit", "orgs_user",
])
def test_county_staff_sees_only_own_county(client, data, name):
    client.force_login(staff(data.reporter_b, "view"))
    response = client.get(reverse(f"admin:{name}_changelist"))
    assert response.status_code == 200
    rows = [str(obj) for obj in response.context["cl"].result_list]
    page = response.content.decode()
    assert rows and "甲区" not in page and "jiaqu" not in page
    client.force_login(staff(data.office, "view"))
    assert client.get(reverse(f"admin:{name}_changelist")).context["cl"].result_count \
        > len(rows)


def test_county_staff_cannot_open_another_countys_row(client, data):
    target = Target.objects.get(unit=data.county_a)
    client.force_login(staff(data.reporter_b, "view", "change", "delete"))
    response = client.get(reverse("admin:indicators_target_change", args=[target.pk]))
    assert response.status_code == 302  # "does not exist" for this user


def test_targets_are_written_by_the_city_office_only(client, data):
    target = Target.objects.get(unit=data.county_b)
    url = reverse("admin:indicators_target_change", args=[target.pk])
    client.force_login(staff(data.reporter_b, "view", "add", "change", "delete"))
    assert client.post(url, {"value": "1"}).status_code == 403
    assert client.get(reverse("admin:indicators_target_add")).status_code == 403
    assert client.post(reverse("admin:indicators_target_delete", args=[target.pk]),
                       {"post": "yes"}).status_code == 403
    assert Target.objects.get(pk=target.pk).value == 90


def test_target_key_is_read_only_on_change(client, data):
    target = Target.objects.get(unit=data.county_b)
    url = reverse("admin:indicators_target_change", args=[target.pk])
    client.force_login(staff(data.office, "view", "add", "change", "delete"))
    page = client.get(url).content.decode()
    assert 'name="value"' in page
    assert 'name="unit"' not in page and 'name="indicator"' not in page
    assert 'name="year"' not in page
    response = client.post(url, {"value": "95", "unit": data.county_a.pk, "year": "2020"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.unit, target.year, target.value) == (data.county_b, 2019, D("95"))


def test_target_add_and_delete_go_through_the_service(client, data, monkeypatch):
    from jiangping.indicators import targets

    calls = []
    set_target = targets.set_target

    def spy(scope, **kwargs):
        calls.append(kwargs["value"])
        return set_target(scope, **kwargs)

    monkeypatch.setattr(targets, "set_target", spy)
    client.force_login(staff(data.office, "view", "add", "change", "delete"))
    response = client.post(reverse("admin:indicators_target_add"), {
        "indicator": data.revenue.pk, "unit": data.county_c.pk, "year": "2019", "value": "20",
    })
    assert response.status_code == 302
    added = Target.objects.get(unit=data.county_c, indicator=data.revenue)
    assert LogEntry.objects.get(action_flag=ADDITION).object_id == str(added.pk)
    assert client.post(reverse("admin:indicators_target_add"), {
        "indicator": data.revenue.pk, "unit": data.county_c.pk, "year": "1800", "value": "1",
    }).status_code == 200  # refused on the form, not by a server error
    response = client.post(reverse("admin:indicators_target_delete", args=[added.pk]),
                           {"post": "yes"})
    assert response.status_code == 302
    response = client.post(reverse("admin:indicators_target_changelist"), {
        "action": "delete_selected", "post": "yes",
        "_selected_action": [t.pk for t in Target.objects.filter(unit=data.county_a)],
    })
    assert response.status_code == 302
    assert calls == [D("20"), None, None]
    assert not Target.objects.filter(unit=data.county_a).exists()
    assert not Target.objects.filter(pk=added.pk).exists()


def test_target_form_refuses_a_target_not_above_zero(client, data):
    target = Target.objects.get(unit=data.county_b)
    client.force_login(staff(data.office, "view", "change"))
    response = client.post(reverse("admin:indicators_target_change", args=[target.pk]),
                           {"value": "0"})
    assert response.status_code == 200 and "须大于零" in response.content.decode()
    assert Target.objects.get(pk=target.pk).value == 90


def indicator_form(indicator, **changes):
    fields = ["code", "name", "synonyms", "unit", "kind", "direction", "decimals",
              "has_target", "sort_order"]
    form = {name: getattr(indicator, name) for name in fields}
    form["has_target"] = "on" if indicator.has_target else ""
    form["growth_of"] = indicator.growth_of_id or ""
    return {**form, **changes}


def test_indicator_catalog_is_kept_by_the_city_office(client, data):
    url = reverse("admin:indicators_indicator_change", args=[data.revenue.pk])
    client.force_login(staff(data.reporter_b, "view", "add", "change", "delete"))
    assert client.get(url).status_code == 200  # read-only for other staff
    assert client.post(url, indicator_form(data.revenue, unit="万元")).status_code == 403
    assert client.get(reverse("admin:indicators_indicator_add")).status_code == 403
    delete = reverse("admin:indicators_indicator_delete", args=[data.pm10.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    data.revenue.refresh_from_db()
    assert data.revenue.unit == "亿元"
    client.force_login(staff(data.office, "view", "change"))
    response = client.post(url, indicator_form(data.revenue, name="一般公共预算收入（全口径）"))
    assert response.status_code == 302


def test_indicator_unit_and_kind_are_fixed_once_it_has_values(client, data):
    client.force_login(staff(data.office, "view", "add", "change"))
    url = reverse("admin:indicators_indicator_change", args=[data.revenue.pk])
    page = client.get(url).content.decode()
    assert 'name="unit"' not in page and 'name="kind"' not in page
    assert 'name="decimals"' in page
    response = client.post(url, indicator_form(data.revenue, unit="万元", kind="stock",
                                               decimals="1"))
    assert response.status_code == 302
    data.revenue.refresh_from_db()
    assert (data.revenue.unit, data.revenue.kind, data.revenue.decimals) == ("亿元", "flow", 1)
    fresh = Indicator.objects.create(code="exports", name="出口总额", unit="亿元", kind="flow")
    page = client.get(reverse("admin:indicators_indicator_change", args=[fresh.pk])).content
    assert b'name="unit"' in page and b'name="kind"' in page


def test_county_staff_cannot_change_users_or_units(client, data):
    client.force_login(staff(data.reporter_b, "view", "add", "change", "delete"))
    url = reverse("admin:orgs_user_change", args=[data.reporter_b.pk])
    response = client.post(url, {"username": "yixian", "role": Role.ADMIN,
                                 "unit": data.county_b.pk, "is_active": "on"})
    assert response.status_code == 403
    data.reporter_b.refresh_from_db()
    assert data.reporter_b.role == Role.REPORTER
    unit = reverse("admin:orgs_orgunit_change", args=[data.county_b.pk])
    assert client.post(unit, {"name": "乙县", "code": "990121", "level": "county"}) \
        .status_code == 403
    assert client.get(reverse("admin:orgs_orgunit_add")).status_code == 403


def test_submissions_are_not_deleted_in_the_admin(client, data):
    submission = intake.get_or_open(data.county_b, P, "indicators")
    client.force_login(staff(data.office, "view", "change", "delete"))
    url = reverse("admin:intake_submission_delete", args=[submission.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    client.force_login(staff(data.reporter_b, "view", "change", "delete"))
    change = reverse("admin:intake_submission_change", args=[submission.pk])
    assert client.post(change, {"deadline": "2030-01-01"}).status_code == 403


def test_staff_without_a_unit_sees_nothing(client, data):
    data.reporter_b.unit = None
    data.reporter_b.save()
    client.force_login(staff(data.reporter_b, "view"))
    assert client.get(reverse("admin:index")).status_code == 200
    response = client.get(reverse("admin:indicators_value_changelist"))
    assert response.status_code == 200 and response.context["cl"].result_count == 0
