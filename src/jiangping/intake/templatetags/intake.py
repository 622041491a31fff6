"""Template filters for submissions: the labelled trail, the state as the queue counts
it, and the office's reason."""

from __future__ import annotations

from django import template

from jiangping.intake import history as trail
from jiangping.intake import services

register = template.Library()


@register.filter
def history(submission):
    """The submission's events as :class:`~jiangping.intake.history.Entry` lines."""
    return trail.history(submission) if submission else []


@register.filter
def unlocked(submission):
    """Whether a returned submission was reopened by an unlock (解锁) rather than 退回."""
    return trail.unlocked(submission)


@register.filter
def state_key(submission):
    """The state the queue counts the submission under (``unlocked`` apart from returned)."""
    return trail.queue_key(submission, submission.state if submission else services.MISSING)


@register.filter
def state_name(key):
    """The label of a state key, the same as the queue's counter (已解锁 included)."""
    return services.state_label(key)


@register.filter
def reason(submission):
    """The office's comment on the latest decision."""
    return trail.reason(submission)
