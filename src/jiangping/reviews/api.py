"""API of the monthly review (``/api/reviews/``): the month's ranking and a unit's part of
it, with the pages' visibility (drafts for the city office only), the year's result from
the published months, and computing and publishing for the city office. Results have the
shape of ``jiangping review --json`` (``--year``: of ``jiangping review --year --json``)."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router

from jiangping.indicators import formulas
from jiangping.orgs.scope import Scope
from jiangping.reviews import services
from jiangping.reviews.models import Run

router = Router(tags=["考核与讲评"])


def _period(period: str) -> str:
    try:
        formulas.parse_period(period)
    except ValueError:
        raise Http404(_("期间“%(period)s”无效，应为 YYYY-MM。") % {"period": period}) from None
    return period


def _shown(run: Run) -> dict:
    return {**run.result, "version": run.version, "status": run.status,
            "computed_at": run.computed_at.isoformat(),
            "published_at": run.published_at.isoformat() if run.published_at else None}


def _visible(request, period: str) -> Run:
    run = services.visible_run(Scope.for_user(request.user), _period(period))
    if run is None:
        raise Http404(_("%(period)s尚无可查看的考核结果。") % {"period": period})
    return run


@router.get("/year/{year}", summary="年度综合得分（已发布月份按期别权重合成）")
def year_result(request, year: int):
    if not 2000 <= year <= 2100:
        raise Http404(_("年度“%(year)s”无效。") % {"year": year})
    try:
        return services.year_result(year)
    except ValidationError as error:
        raise Http404(" ".join(error.messages)) from None


@router.get("/{period}", summary="某月考核排名（已发布；市级可见草稿）")
def month_review(request, period: str):
    return _shown(_visible(request, period))


@router.get("/{period}/units/{code}", summary="某单位某月考核得分、计算过程与找差距")
def unit_review(request, period: str, code: str):
    run = _visible(request, period)
    entry = services.unit_entry(run, code)
    if entry is None:
        raise Http404(_("单位 %(code)s 不在%(period)s的考核结果中。")
                      % {"code": code, "period": period})
    return {"period": period, "version": run.version, "status": run.status, **entry}


@router.post("/{period}/compute", summary="计算某月考核结果（市级管理员）")
def compute(request, period: str):
    run = services.compute(Scope.for_user(request.user), _period(period), user=request.user)
    return _shown(run)


@router.post("/{period}/publish", summary="发布某月考核结果（市级管理员）")
def publish(request, period: str):
    run = services.publish(Scope.for_user(request.user), _period(period), request.user)
    return _shown(run)
