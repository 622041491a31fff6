"""API: the month under review (本期讲评月份) and the months with data, as the pages use them."""

from datetime import datetime

from ninja import Field, Router, Schema

from jiangping.core import periods
from jiangping.orgs.scope import Scope

router = Router(tags=["months"])


class MonthsOut(Schema):
    review_month: str = Field(..., description="本期讲评月份：各页面默认打开的月份")
    opened: bool = Field(..., description="是否由市级开启（否则按多数单位已报送的最近月份）")
    opened_at: datetime | None
    opened_by: str | None
    months: list[str] = Field(..., description="有数据或已开启的月份，由近及远")


class OpenIn(Schema):
    period: str = Field(..., description="期间 YYYY-MM（须为已结束的月份）", examples=["2019-11"])


def _answer() -> dict:
    period = periods.review_month()
    opened = periods.opened_month()
    own = opened is not None and opened.period == period
    return {
        "review_month": period, "opened": own,
        "opened_at": opened.opened_at if own else None,
        "opened_by": opened.opened_by.username if own and opened.opened_by else None,
        "months": periods.data_periods(),
    }


@router.get("/", response=MonthsOut, summary="本期讲评月份")
def months(request):
    return _answer()


@router.post("/review", response=MonthsOut, summary="开启讲评月份（市级）")
def open_month(request, payload: OpenIn):
    """The city office opens ``period`` as the month under review; `403` for other roles,
    `422` for a month that has not ended or a malformed period."""
    periods.open_review_month(Scope.for_user(request.auth), payload.period, request.auth)
    return _answer()
