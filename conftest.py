import os
import tempfile

# Tests never touch a developer's ./data and never need real keys.
os.environ.setdefault("JIANGPING_DATA_DIR", tempfile.mkdtemp(prefix="jiangping-test-"))
os.environ.setdefault("JIANGPING_SECRET_KEY", "test-secret-key-" + "x" * 40)
os.environ.setdefault("JIANGPING_FIELD_KEY", "eD2QbLqnuQQ6aQHbGWgS3cWcZz_-7C5V4XJXgSPYY8w=")

import pytest


@pytest.fixture
def cast(db):
    """The fixed cast of :mod:`jiangping.demo.cast` (city office, 甲区, 乙县, …)."""
    from jiangping.demo.cast import build_cast

    return build_cast()
