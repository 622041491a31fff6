"""Actions on users and org units; every write of the orgs app goes through here."""

import hashlib
import secrets

from django.db import transaction

from jiangping.orgs.models import ApiToken

TOKEN_PREFIX = "jp_"  # noqa: S105  (a visible prefix, not a secret)


def token_digest(token: str) -> str:
    """The SHA-256 hex digest under which a token is stored and looked up."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_api_token(user, name: str) -> str:
    """Issue a bearer token (API 令牌) for ``user``; the token is returned once, never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, digest=token_digest(token))
    return token
