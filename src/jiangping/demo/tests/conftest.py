"""The bulletin's fakes (composer and writers) for the demo's tests: see test_command.py."""

from jiangping.bulletins.tests.fakes import faces  # noqa: F401  (a fixture)
