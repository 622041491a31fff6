"""Where rendered fragments are kept (``JIANGPING_CACHE_URL``) and the figures version."""

import pytest
from django.db import transaction

from jiangping import settings as jp_settings
from jiangping.core import checks, pagecache


@pytest.mark.parametrize(("url", "backend"), [
    ("", "filebased.FileBasedCache"),
    ("redis://127.0.0.1:6379/1", "redis.RedisCache"),
    ("rediss://cache.example:6380/0", "redis.RedisCache"),
    ("locmem://", "locmem.LocMemCache"),
])
def test_the_cache_url_chooses_the_backend(monkeypatch, url, backend):
    monkeypatch.setenv("JIANGPING_CACHE_URL", url)
    config = jp_settings._cache()
    assert config["BACKEND"] == f"django.core.cache.backends.{backend}"
    if url.startswith("redis"):
        assert config["LOCATION"] == url
    if not url:
        assert config["LOCATION"] == str(jp_settings.DATA_DIR / "cache")


def test_an_unknown_cache_url_is_refused(settings):
    settings.CACHE_URL = "memcached://127.0.0.1:11211"
    [error] = checks.cache_url_is_understood(None)
    assert error.id == "jiangping.E004" and "memcached://" in error.msg
    settings.CACHE_URL = ""
    assert checks.cache_url_is_understood(None) == []


def test_redis_without_its_package_is_refused(settings, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_redis(name, *args, **kwargs):
        if name == "redis":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_redis)
    settings.CACHE_URL = "redis://127.0.0.1:6379/0"
    [error] = checks.cache_url_is_understood(None)
    assert error.id == "jiangping.E004" and "redis" in error.hint


@pytest.mark.django_db(transaction=True)
def test_the_version_changes_on_commit_only():
    assert pagecache.figures_version() == 0
    with transaction.atomic():
        pagecache.figures_changed()
        assert pagecache.figures_version() == 0  # not before the commit
    first = pagecache.figures_version()
    assert first != 0
    with pytest.raises(RuntimeError), transaction.atomic():
        pagecache.figures_changed()
        raise RuntimeError
    assert pagecache.figures_version() == first
    pagecache.figures_changed()  # outside a transaction: at once
    assert pagecache.figures_version() not in (0, first)


def test_a_fragment_is_rendered_once_per_version(cached, monkeypatch):
    versions = iter([5, 5, 6])
    monkeypatch.setattr(pagecache, "figures_version", lambda: next(versions))
    rendered = []

    def render():
        rendered.append(1)
        return f"<p>{len(rendered)}</p>"

    assert pagecache.cached_fragment("t", ("a",), render) == "<p>1</p>"
    assert pagecache.cached_fragment("t", ("a",), render) == "<p>1</p>"
    assert pagecache.cached_fragment("t", ("a",), render) == "<p>2</p>"


@pytest.mark.django_db(transaction=True)
def test_a_request_reads_the_version_once_and_again_after_its_own_write(
        django_assert_num_queries):
    from django.core.signals import request_finished, request_started

    pagecache.figures_changed()
    request_started.send(sender=None)
    try:
        with django_assert_num_queries(1):
            first = pagecache.figures_version()
            assert pagecache.figures_version() == first
        pagecache.figures_changed()  # the request's own write: the next read sees it
        second = pagecache.figures_version()
        assert second != first
    finally:
        request_finished.send(sender=None)
    # Outside a request every call reads the table.
    with django_assert_num_queries(2):
        assert pagecache.figures_version() == second == pagecache.figures_version()
