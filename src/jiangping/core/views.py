"""The home page: what each role can act on first (DESIGN §1), in cards that the apps
contribute through :mod:`jiangping.core.registry`."""

from django.shortcuts import render

from jiangping.core import registry
from jiangping.core.access import EVERYONE, roles_allowed
from jiangping.core.periods import default_period
from jiangping.orgs.scope import Scope


@roles_allowed(EVERYONE)
def home(request):
    scope = Scope.for_user(request.user)
    period = default_period()
    cards = registry.cards_for(request, scope, period)
    scripts = list(dict.fromkeys(script for shown in cards for script in shown.card.scripts))
    return render(request, "core/home.html", {
        "period": period, "scope": scope, "cards": cards, "scripts": scripts,
    })
