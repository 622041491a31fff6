"""Who may open a submission, and of which form: the service decides for the API and the
entry page alike."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from jiangping.intake import services
from jiangping.intake.models import State, Submission
from jiangping.orgs.scope import Scope

P = "2019-11"


def test_a_reporter_opens_its_own_county_and_the_office_any_reporting_unit(cast):
    mine = services.open_submission(Scope.for_user(cast.reporter_a), cast.county_a, P,
                                    "indicators", cast.reporter_a)
    assert mine.state == State.DRAFT and mine.unit == cast.county_a
    office = Scope.for_user(cast.office)
    for unit in (cast.county_b, cast.department):
        assert services.open_submission(office, unit, P, "indicators", cast.office).unit == unit


@pytest.mark.parametrize("form", ["targets", "peers", "projects"])
def test_forms_that_are_not_reported_cannot_be_opened(cast, form):
    for user in (cast.reporter_a, cast.office):
        with pytest.raises(ValidationError, match="不通过填报报送"):
            services.open_submission(Scope.for_user(user), cast.county_a, P, form, user)
    assert not Submission.objects.exists()


def test_units_below_a_county_do_not_report(cast):
    for user in (cast.reporter_a, cast.office):
        for unit in (cast.township_a, cast.village_a):
            with pytest.raises(ValidationError, match="该表由县级单位、市直部门报送"):
                services.open_submission(Scope.for_user(user), unit, P, "indicators", user)
    with pytest.raises(ValidationError):
        services.open_submission(Scope.for_user(cast.office), cast.city, P, "indicators",
                                 cast.office)
    assert not Submission.objects.exists()


def test_outside_the_scope_or_read_only_is_refused(cast):
    with pytest.raises(PermissionDenied, match="无权修改“甲区”"):
        services.open_submission(Scope.for_user(cast.reporter_b), cast.county_a, P,
                                 "indicators", cast.reporter_b)
    with pytest.raises(PermissionDenied, match="只能查看"):
        services.open_submission(Scope.for_user(cast.leader), cast.county_a, P, "indicators",
                                 cast.leader)
    assert not Submission.objects.exists()


def api(user, **payload):
    client = Client()
    client.force_login(user)
    return client.post("/api/intake/submissions", data={"period": P, **payload},
                       content_type="application/json")


def test_api_refuses_what_the_service_refuses(cast):
    assert api(cast.reporter_a, unit="990102", form="targets").status_code == 422
    assert api(cast.reporter_a, unit="990102", form="peers").status_code == 422
    township = api(cast.reporter_a, unit="990102001")
    assert township.status_code == 422 and "甲区东街道" in township.json()["detail"]
    assert api(cast.leader, unit="990102").status_code == 403
    assert not Submission.objects.exists()
    assert api(cast.reporter_a, unit="990102").status_code == 200


def test_entry_page_submits_only_a_reporting_unit(cast):
    client = Client()
    client.force_login(cast.office)
    response = client.post(f"/indicators/entry/?unit=990102001&period={P}",
                           {"v_fai": "1", "submit": "1"}, follow=True)
    assert "甲区东街道" in response.content.decode()
    assert "该表由县级单位、市直部门报送" in response.content.decode()
    assert not Submission.objects.exists()
    client.post(f"/indicators/entry/?unit=990102&period={P}", {"v_fai": "1", "submit": "1"})
    assert Submission.objects.get().state == State.SUBMITTED
