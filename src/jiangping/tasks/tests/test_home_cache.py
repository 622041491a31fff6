"""The home page's 督办事项 card is rendered once per scope, role and day and kept in the
page cache; a task written, reported on or decided is seen by the next view, and each
unit sees its own tasks (:mod:`jiangping.core.registry`, ``HomeCard.cached``)."""

import datetime as dt

from django.urls import reverse

from jiangping.orgs.scope import Scope
from jiangping.tasks import services


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_tasks_card_follows_the_tasks(client, cast, cached):
    office = Scope.for_user(cast.office)
    assert "没有待办的督办事项" in home(client, cast.reporter_a)
    task = services.create_task(office, user=cast.office, title="完成散煤清洁替代",
                                lead_unit=cast.county_a, deadline=dt.date(2030, 6, 30))
    page = home(client, cast.reporter_a)
    assert "完成散煤清洁替代" in page and "没有待办的督办事项" not in page
    assert "完成散煤清洁替代" not in home(client, cast.reporter_b)  # 乙县's own card
    services.request_close(Scope.for_user(cast.reporter_a), task, cast.reporter_a)
    assert "完成散煤清洁替代" not in home(client, cast.reporter_a)  # done: not to do
    office_page = home(client, cast.office)
    assert "待审核的销号申请" in office_page and "完成散煤清洁替代" in office_page


def test_the_tasks_card_turns_overdue_with_the_day(client, cast, cached, monkeypatch):
    office = Scope.for_user(cast.office)
    today = dt.date.today()
    services.create_task(office, user=cast.office, title="按期报送材料",
                         lead_unit=cast.county_a, deadline=today + dt.timedelta(days=1))
    assert "task-overdue" not in home(client, cast.reporter_a)
    # Two days on, no task written: the card of the new day shows it overdue.
    monkeypatch.setattr("django.utils.timezone.localdate",
                        lambda *args: today + dt.timedelta(days=2))
    assert "task-overdue" in home(client, cast.reporter_a)
