from django.conf import settings

from jiangping.orgs.models import Role


def site(request):
    return {"DEMO_MODE": settings.DEMO_MODE, "Role": Role}
