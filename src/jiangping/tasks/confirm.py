"""立项 from a speech (讲话分解): the rows the office confirmed become tasks, and the
unit names it taught the page on the way (未登记单位 mapped to a registered unit, or
created) are remembered in the org registry, all or nothing."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiangping.orgs.models import OrgUnit
from jiangping.orgs.scope import Scope
from jiangping.orgs.services import add_synonym, create_unit
from jiangping.tasks import services
from jiangping.tasks.models import SourceKind, Task


@transaction.atomic
def confirm_speech(
    scope: Scope, rows: list[dict], *, source_title: str = "",
    source_date: dt.date | None = None, user=None,
) -> tuple[list[Task], list[tuple[str, OrgUnit]]]:
    """Create the confirmed tasks of one speech and learn its unit names.

    Each row holds the keys of :func:`~jiangping.tasks.services.create_tasks` and
    ``mentions``: the unresolved unit mentions the office mapped, each ``{"text",
    "role", "unit": OrgUnit}`` (kept as a synonym of the unit,
    :func:`jiangping.orgs.services.add_synonym`) or ``{"text", "role", "new": {"level",
    "parent"}}`` (a unit created under that name, once however many rows name it). A
    mapped lead mention leads its row when the office picked no lead; every other
    mapped mention co-operates. Returns the tasks and the ``(name, unit)`` pairs learnt.
    Raises ValidationError naming each refused row (第N项) and writes nothing then;
    PermissionDenied outside the city office."""
    scope.require_city_office()
    created: dict[str, OrgUnit] = {}
    learnt: list[tuple[str, OrgUnit]] = []
    errors: list[str] = []
    drafts = []
    for n, row in enumerate(rows, start=1):
        lead, co = row.get("lead_unit"), list(row.get("co_units", ()))
        for mention in row.get("mentions", ()):
            text = mention["text"]
            try:
                if "new" in mention:
                    unit = created.get(text)
                    if unit is None:
                        spec = mention["new"]
                        unit = created[text] = create_unit(text, spec["level"], spec["parent"],
                                                           user)
                        learnt.append((text, unit))
                else:
                    unit = mention["unit"]
                    if add_synonym(unit, text, user):
                        learnt.append((text, unit))
            except ValidationError as refusal:
                errors += [_("第%(n)d项：%(reason)s") % {"n": n, "reason": message}
                           for message in refusal.messages]
                continue
            if mention["role"] == "lead" and lead is None:
                lead = unit
            elif unit != lead:
                co.append(unit)
        drafts.append({**row, "lead_unit": lead, "co_units": co})
    if errors:
        raise ValidationError(errors)
    tasks = services.create_tasks(scope, drafts, source_kind=SourceKind.SPEECH,
                                  source_title=source_title, source_date=source_date, user=user)
    return tasks, learnt
