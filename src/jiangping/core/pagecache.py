"""Heavy page fragments rendered once per month and scope (Django's cache framework).

A fragment (the comparison table of a month for a scope) is cached under a key made of
what it depends on — the month, the tier, the scope, the options, the language — and the
*figures version*, a number that every action writing what the pages show (values,
targets, approvals, the catalog, the org units, the opened months) changes once its
transaction has committed (:func:`figures_changed`). A page reads the version before it
reads any figure, so a fragment is never stored under a version older than its data,
and a write is seen by the next page view in every process. The version is a new random
number each time rather than a counter: two writers never produce the same one, and
tests that roll their data back never meet an older test's fragments.

The cache is the ``default`` of ``settings.CACHES``: files under the data directory by
default, Redis when ``JIANGPING_CACHE_URL`` names one (README, deployment table).
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from jiangping.core.models import FiguresVersion

T = TypeVar("T")
FIGURES = "figures"
TIMEOUT = 24 * 3600  # a fragment nobody asks for again leaves the cache after a day


# The version read by the request this thread serves, read once per request: a page
# of several cached parts reads it once, and sees one version throughout.
_request = threading.local()


def _request_started(**kwargs) -> None:
    _request.serving, _request.version = True, None


def _request_finished(**kwargs) -> None:
    _request.serving, _request.version = False, None


request_started.connect(_request_started, dispatch_uid="pagecache-request-started")
request_finished.connect(_request_finished, dispatch_uid="pagecache-request-finished")


def figures_version() -> int:
    """The current figures version (0 before the first write): one indexed read, once per
    request (and again after the request's own write)."""
    if getattr(_request, "serving", False) and _request.version is not None:
        return _request.version
    value = (FiguresVersion.objects.filter(name=FIGURES).values_list("value", flat=True)
             .first() or 0)
    if getattr(_request, "serving", False):
        _request.version = value
    return value


def _new_version() -> None:
    _request.version = None
    value = secrets.randbits(62) + 1
    if FiguresVersion.objects.filter(name=FIGURES).update(value=value):
        return
    try:
        with transaction.atomic():
            FiguresVersion.objects.create(name=FIGURES, value=value)
    except IntegrityError:  # created meanwhile by another writer: any new number will do
        FiguresVersion.objects.filter(name=FIGURES).update(value=value)


def figures_changed() -> None:
    """Called by an action that writes what the pages show, inside its transaction: the
    version changes once when (and only if) that transaction commits, in a statement of
    its own, so that writers of different units never wait for each other on this row.
    A failure there is logged, not raised (the figures are saved); fragments then live
    until the next write or for :data:`TIMEOUT`."""
    pending = getattr(connection, "run_on_commit", [])
    if connection.in_atomic_block and any(entry[1] is _new_version for entry in pending):
        return
    transaction.on_commit(_new_version, robust=True)


def fragment_key(name: str, parts: Iterable, version: int) -> str:
    """The cache key of fragment ``name`` for ``parts`` (values with a stable ``repr``)
    at ``version``, in the active language."""
    digest = hashlib.sha256(repr((tuple(parts), get_language())).encode()).hexdigest()[:32]
    return f"jp:{name}:{version}:{digest}"


def cached_fragment(name: str, parts: Iterable, render: Callable[[], T]) -> T:
    """Fragment ``name`` for ``parts`` (the HTML of a page's part, or the plain data of an
    API answer): from the cache, or ``render()``'d and kept for the current figures
    version. ``parts`` must hold everything the fragment depends on besides the figures
    and the language; ``render()`` returns a picklable value, never ``None``."""
    key = fragment_key(name, parts, figures_version())
    found = cache.get(key)
    if found is None:
        found = render()
        cache.set(key, found, TIMEOUT)
    return found


def _changed(sender, **kwargs) -> None:
    figures_changed()


def changes_figures(*models) -> None:
    """Change the figures version whenever an instance of one of ``models`` is saved or
    deleted one by one (the admin's edits included; bulk writes call
    :func:`figures_changed` themselves). Called from an app's ``ready()``."""
    for model in models:
        label = model._meta.label
        post_save.connect(_changed, sender=model, dispatch_uid=f"figures-save:{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"figures-delete:{label}")
