"""The demo city's bulletin: the latest month generated from its published review,
published, and written in every format, as ``jiangping demo`` ends."""

from __future__ import annotations

from pathlib import Path

from jiangping.bulletins import services
from jiangping.bulletins.models import BulletinVersion, Status
from jiangping.orgs.scope import Scope


def issue_date(period: str) -> str:
    """The demo's issuing date: the 5th of the month after ``period`` (2026-10 → 2026年11月5日),
    so that the demo's bulletin is the same whichever day it is built."""
    year, month = int(period[:4]), int(period[5:])
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return f"{year}年{month}月5日"


def publish_demo_bulletin(period: str) -> tuple[BulletinVersion, dict[str, Path]]:
    """Generate and publish ``period``'s bulletin (the same version when the demo is reused)
    and write its files: ``(version, {format: path})``."""
    scope = Scope.operator()
    bulletin = services.generate(scope, period, date=issue_date(period))
    if bulletin.status != Status.PUBLISHED:
        bulletin = services.publish(scope, period)
    return bulletin, services.files(bulletin, services.FORMATS)
