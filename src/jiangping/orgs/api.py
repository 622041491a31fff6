"""API: org units, and the authentication shared by every router."""

import hashlib

from django.utils import timezone
from ninja import Router
from ninja.security import HttpBearer, django_auth

from jiangping.orgs.models import ApiToken

router = Router(tags=["orgs"])


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        digest = hashlib.sha256(token.encode()).hexdigest()
        found = ApiToken.objects.select_related("user", "user__unit").filter(digest=digest).first()
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used=timezone.now())
        request.user = found.user
        return found.user


def auth_methods():
    return [django_auth, TokenAuth()]
