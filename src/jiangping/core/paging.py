"""Lists that grow without bound (the task board, and every list like it) are shown a page
at a time (分页), so that a page's cost does not grow with the history behind it."""

from __future__ import annotations

from django.core.paginator import Page, Paginator

# Rows on one page of a list: a screen or two of a table, one row per item.
PAGE_SIZE = 50


def page_of(items, number: str | int | None, per_page: int | None = None) -> Page:
    """Page ``number`` (1-based, as the ``page`` parameter of the URL gives it) of the
    ordered queryset or list ``items``. A number that is not one, or is out of range,
    gives the first or the last page rather than an error: an old link still lands on
    the list. The page's ``object_list`` is evaluated by whoever iterates it, with one
    COUNT query for the paginator. ``per_page`` defaults to :data:`PAGE_SIZE`."""
    return Paginator(items, per_page or PAGE_SIZE).get_page(number)
