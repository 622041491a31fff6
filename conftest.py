import pytest


def pytest_configure(config):
    from django.conf import settings

    # Hashing the cast's passwords with PBKDF2 costs a second per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # No rendered table is kept between views: a test runs in a transaction that never
    # commits, so the figures version would not change after its writes. The tests of
    # the cache itself (``cached`` below) turn it on, and commit.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def cached(settings, transactional_db):
    """A cache in this process's memory, empty, and a database whose writes commit, as in
    production: each changes the figures version once committed."""
    from django.core.cache import caches

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "test"}}
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


@pytest.fixture
def cast(db):
    """The fixed cast of :mod:`jiangping.demo.cast` (city office, 甲区, 乙县, …)."""
    from jiangping.demo.cast import build_cast

    return build_cast()
