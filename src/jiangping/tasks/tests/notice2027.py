"""A 2027 holiday arrangement (节假日安排) for tests. The State Council's notice for 2027
was not at hand; this one is made up on the pattern of the 2025 and 2026 notices: 春节
from 除夕 (5 February) to 13 February with 31 January and 20 February worked."""

import datetime as dt

from jiangping.tasks.workdays import Calendar

D = dt.date
OFF, WORK = "放假", "调休上班"


def _span(first: dt.date, last: dt.date, name: str) -> list[tuple[dt.date, str, str]]:
    days = (last - first).days + 1
    return [(first + dt.timedelta(days=n), OFF, name) for n in range(days)]


ROWS = [
    *_span(D(2027, 1, 1), D(2027, 1, 3), "元旦"),
    *_span(D(2027, 2, 5), D(2027, 2, 13), "春节"),
    (D(2027, 1, 31), WORK, "春节"),
    (D(2027, 2, 20), WORK, "春节"),
    *_span(D(2027, 4, 3), D(2027, 4, 5), "清明节"),
    *_span(D(2027, 5, 1), D(2027, 5, 5), "劳动节"),
    (D(2027, 4, 25), WORK, "劳动节"),
    (D(2027, 6, 9), OFF, "端午节"),
    (D(2027, 9, 15), OFF, "中秋节"),
    *_span(D(2027, 10, 1), D(2027, 10, 7), "国庆节"),
    (D(2027, 9, 26), WORK, "国庆节"),
    (D(2027, 10, 9), WORK, "国庆节"),
]


def with_2027(calendar: Calendar | None = None) -> Calendar:
    """``calendar`` (default: :func:`up_to_2026`) with the 2027 arrangement entered."""
    base = calendar or up_to_2026()
    names = {**base.names, **{day: name for day, kind, name in ROWS if kind == OFF}}
    return Calendar(base.holidays | {day for day, kind, _n in ROWS if kind == OFF},
                    base.workdays | {day for day, kind, _n in ROWS if kind == WORK},
                    base.years | {2027}, names)


# As the actions take them: (date, DayKind value, name).
VALUES = [(day, "off" if kind == OFF else "work", name) for day, kind, name in ROWS]


def up_to_2026() -> Calendar:
    """chinesecalendar's calendar without any year after 2026, as when 2027 is not yet
    published (whatever a later package release knows)."""
    base = Calendar.default()
    return Calendar(frozenset(d for d in base.holidays if d.year <= 2026),
                    frozenset(d for d in base.workdays if d.year <= 2026),
                    frozenset(y for y in base.years if y <= 2026),
                    {d: n for d, n in base.names.items() if d.year <= 2026})
