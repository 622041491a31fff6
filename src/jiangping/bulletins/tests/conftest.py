"""Fixtures of the bulletin app's tests: the fakes of :mod:`fakes` (asked for by name, so
the writers' own tests keep the real writers) and a month with a published review."""

import pytest

from jiangping.bulletins.tests.fakes import faces  # noqa: F401  (a fixture)
from jiangping.reviews import services as reviews
from jiangping.reviews.tests.conftest import PERIOD, enter_month


@pytest.fixture
def reviewed(cast):
    """The cast's June reviewed and published (version 1); the city office's scope."""
    office = enter_month(cast)
    reviews.compute(office, PERIOD)
    reviews.publish(office, PERIOD, cast.office)
    return office


__all__ = ["PERIOD"]
