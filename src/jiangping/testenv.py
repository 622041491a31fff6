"""A pytest plugin loaded with ``-p jiangping.testenv`` before Django's settings are read.

Tests never touch a developer's ./data and never need real keys.
"""

import os
import tempfile

os.environ.setdefault("JIANGPING_DATA_DIR", tempfile.mkdtemp(prefix="jiangping-test-"))
os.environ.setdefault("JIANGPING_SECRET_KEY", "test-secret-key-" + "x" * 40)
os.environ.setdefault("JIANGPING_FIELD_KEY", "eD2QbLqnuQQ6aQHbGWgS3cWcZz_-7C5V4XJXgSPYY8w=")
os.environ.setdefault("JIANGPING_CONN_MAX_AGE", "0")
