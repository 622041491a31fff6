"""The task admin keeps to the tasks the user's subtree leads or co-operates on."""

from django.contrib.auth.models import Permission
from django.urls import reverse

from jiangping.orgs.scope import Scope
from jiangping.tasks import services


def staff(user, *codenames):
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def test_county_staff_sees_only_its_own_tasks(client, cast):
    office = Scope.for_user(cast.office)
    services.create_task(office, title="甲区牵头事项", lead_unit=cast.county_a)
    services.create_task(office, title="乙县牵头事项", lead_unit=cast.county_b,
                         co_units=[cast.county_c])
    client.force_login(staff(cast.reporter_a, "view_task", "change_task", "view_taskprogress"))
    page = client.get(reverse("admin:tasks_task_changelist")).content.decode()
    assert "甲区牵头事项" in page and "乙县牵头事项" not in page
    assert client.get(reverse("admin:tasks_taskprogress_changelist")).status_code == 200

    client.force_login(staff(cast.office, "view_task", "change_task"))
    response = client.get(reverse("admin:tasks_task_changelist"))
    assert response.context["cl"].result_count == 2
