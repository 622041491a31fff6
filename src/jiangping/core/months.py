"""The city office's control of the month under review (开启讲评月份): a POST from its
pages, through the actions of :mod:`jiangping.core.periods`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiangping.core.access import OFFICE, roles_allowed
from jiangping.core.periods import close_review_month, open_review_month, period_label
from jiangping.core.text import join_sentences
from jiangping.orgs.scope import Scope


@roles_allowed(OFFICE)
@require_POST
def review_month(request):
    """开启 (``action=open``) or 撤销 (``action=close``) the month under review ``period``."""
    scope = Scope.for_user(request.user)
    scope.require_city_office()
    period = request.POST.get("period", "")
    try:
        if request.POST.get("action") == "close":
            close_review_month(scope, period)
            messages.success(request, _("已撤销%(period)s的讲评月份设置。") % {
                "period": period_label(period)})
        else:
            open_review_month(scope, period, request.user)
            messages.success(request, _(
                "已将%(period)s设为本期讲评月份，各页面将默认显示该月。") % {
                "period": period_label(period)})
    except ValidationError as error:
        messages.error(request, join_sentences(error.messages))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = "home"
    return redirect(back)
