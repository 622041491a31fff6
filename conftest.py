import pytest


def pytest_configure(config):
    from django.conf import settings

    # Hashing the cast's passwords with PBKDF2 costs a second per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cast(db):
    """The fixed cast of :mod:`jiangping.demo.cast` (city office, 甲区, 乙县, …)."""
    from jiangping.demo.cast import build_cast

    return build_cast()
