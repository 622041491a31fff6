"""The demo city's assessment: its scheme (``schemes/demo.toml``) put in force for the
demo's years, and the last months reviewed and published, so that ranks have a change and
the escalation rule a history from the first start."""

from __future__ import annotations

import re
from pathlib import Path

from jiangping.indicators import formulas
from jiangping.orgs.scope import Scope
from jiangping.reviews import services
from jiangping.reviews.models import Run

SCHEME_FILE = Path(__file__).with_name("schemes") / "demo.toml"
MONTHS = 3


def demo_scheme(year: int) -> str:
    """The demo scheme's text for ``year``."""
    text = SCHEME_FILE.read_text(encoding="utf-8")
    return re.sub(r"(?m)^year = \d{4}$", f"year = {year}", text, count=1)


def publish_demo_reviews(latest: str, months: int = MONTHS) -> Run:
    """Put the demo scheme in force and publish the reviews of the ``months`` months up to
    ``latest`` (YYYY-MM); returns the latest month's published version."""
    scope = Scope.operator()
    periods = [formulas.shift_period(latest, -n) for n in reversed(range(months))]
    for year in sorted({formulas.parse_period(p)[0] for p in periods}):
        services.upload_scheme(scope, demo_scheme(year))
    run = None
    for period in periods:
        run = services.compute(scope, period)
        if run.status != "published":
            run = services.publish(scope, period)
    return run
