"""Actions on users and org units; every write of the orgs app goes through here."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jiangping.orgs.models import ApiToken

TOKEN_PREFIX = "jp_"  # noqa: S105  (a visible prefix, not a secret)
# A token's last use (最近使用) is recorded at most this often: a request reading through the
# API writes nothing the rest of the time, and takes no write lock on SQLite.
TOKEN_USE_RESOLUTION = timedelta(minutes=5)


def token_digest(token: str) -> str:
    """The SHA-256 hex digest under which a token is stored and looked up."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_api_token(user, name: str) -> str:
    """Issue a bearer token (API 令牌) for ``user``; the token is returned once, never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, digest=token_digest(token))
    return token


def record_token_use(token: ApiToken, now: datetime | None = None) -> bool:
    """Record that ``token`` was used at ``now`` (default: the clock), unless its
    ``last_used`` is less than :data:`TOKEN_USE_RESOLUTION` old. Returns whether it wrote.

    ``token.last_used`` as loaded spares the statement on most requests; the write itself
    is one conditional UPDATE (its own transaction), so requests of the same token racing
    each other write it once, whatever they loaded."""
    now = now or timezone.now()
    stale_before = now - TOKEN_USE_RESOLUTION
    if token.last_used is not None and token.last_used > stale_before:
        return False
    written = (
        ApiToken.objects.filter(pk=token.pk)
        .filter(Q(last_used__isnull=True) | Q(last_used__lte=stale_before))
        .update(last_used=now)
    )
    if written:
        token.last_used = now
    return bool(written)
