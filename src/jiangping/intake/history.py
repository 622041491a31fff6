"""How a submission's trail (审核记录) reads.

An unlock (解锁) is stored like a return: the submission goes back to ``returned``
with the office's comment, if any. What tells them apart is the state before: an
unlock reopens an *approved* form, a return answers a *submitted* one. So an event is
an unlock when it moves an approved submission to returned.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from jiangping.intake.models import State, Submission, SubmissionEvent

UNLOCKED = "unlocked"  # the queue's key for a returned submission that was unlocked


def is_unlock(previous_state: str | None, state: str) -> bool:
    return previous_state == State.APPROVED and state == State.RETURNED


@dataclass(frozen=True)
class Entry:
    """One line of the trail: the event and what it was (打开/报送/审核通过/退回/解锁)."""

    event: SubmissionEvent
    label: str
    unlock: bool = False

    @property
    def comment(self) -> str:
        return self.event.comment or ""


def history(submission: Submission) -> list[Entry]:
    """The submission's events in order, each labelled; uses prefetched ``events``."""
    entries, previous = [], None
    for event in submission.events.all():
        unlock = is_unlock(previous, event.state)
        entries.append(Entry(event, _("解锁") if unlock else event.get_state_display(), unlock))
        previous = event.state
    return entries


def unlocked(submission: Submission | None) -> bool:
    """Returned because the city office unlocked it (not sent back as wrong)."""
    if submission is None or submission.state != State.RETURNED:
        return False
    trail = history(submission)
    return bool(trail) and trail[-1].unlock


def reason(submission: Submission | None) -> str:
    """The office's comment on the submission's latest decision (退回原因, 审核意见)."""
    return submission.comment if submission is not None else ""


def queue_key(submission: Submission | None, state: str) -> str:
    """The state a submission counts under in the queue, unlocked apart from returned."""
    return UNLOCKED if unlocked(submission) else state
