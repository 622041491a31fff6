"""Template filters for submissions: the labelled trail and the unlock mark."""

from __future__ import annotations

from django import template

from jiangping.intake import history as trail

register = template.Library()


@register.filter
def history(submission):
    """The submission's events as :class:`~jiangping.intake.history.Entry` lines."""
    return trail.history(submission) if submission else []


@register.filter
def unlocked(submission):
    """Whether a returned submission was reopened by an unlock (解锁) rather than 退回."""
    return trail.unlocked(submission)
