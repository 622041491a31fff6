"""System checks of the indicators app: the bounds of the plausibility warnings."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.checks import Error, register

BOUNDS = (
    ("JUMP_MONTH_RATIO", "JIANGPING_JUMP_MONTH_RATIO", Decimal(1), "倍数，大于 1"),
    ("JUMP_YEAR_RATIO", "JIANGPING_JUMP_YEAR_RATIO", Decimal(1), "倍数，大于 1"),
    ("JUMP_GROWTH_PP", "JIANGPING_JUMP_GROWTH_PP", Decimal(0), "百分点，大于 0"),
)


@register()
def plausibility_bounds(app_configs, **kwargs):
    errors = []
    for name, variable, above, what in BOUNDS:
        raw = getattr(settings, name)
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or value <= above:
            errors.append(Error(f"{variable} 应为{what}，现为“{raw}”。", id="indicators.E001"))
    return errors
