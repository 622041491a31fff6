"""API lists a page at a time, written straight to JSON (the hot lists' fast path).

A paginated list (``limit``, default 100, and ``offset``; ``{"items": […], "count": N}``,
docs/api.md) is answered by :func:`page_answer`: the endpoint gives the ordered rows and
a function turning one row into the item's dict, with the keys and plain values
(``str``, ``int``, ``bool``, ``date``, ``datetime``, ``None``, lists and dicts of them)
of its schema. The answer is the same JSON the schema would give through Django Ninja's
validation, rendered by the API's renderer (:class:`ChineseJSONRenderer`), without
building a validated object per field of every item: at 100 items a page that
validation cost more than the query. The schema stays declared on the route
(:func:`paged`), for the OpenAPI documentation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from ninja import Query, Schema
from ninja.renderers import JSONRenderer
from pydantic import create_model

from jiangping.core.pagecache import cached_fragment

DEFAULT_LIMIT = 100


def limit_param():
    """The ``limit`` parameter of a list endpoint, as Django Ninja's LimitOffsetPagination
    takes it (same name, default and refusal): ``limit: int = limit_param()``."""
    return Query(DEFAULT_LIMIT, ge=1)


def offset_param():
    """The ``offset`` parameter of a list endpoint (see :func:`limit_param`)."""
    return Query(0, ge=0)



class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 JSON with Chinese written as is, not as ``\\uXXXX`` escapes (the API's
    renderer, :mod:`jiangping.api`)."""

    json_dumps_params = {"ensure_ascii": False}


RENDERER = ChineseJSONRenderer()
_SCHEMAS: dict[type, type] = {}


def paged(item: type[Schema]) -> type[Schema]:
    """The response schema ``{"items": list[item], "count": int}`` of a paginated list of
    ``item`` (named ``Paged<Item>``, as Django Ninja's pagination names it)."""
    if item not in _SCHEMAS:
        _SCHEMAS[item] = create_model(f"Paged{item.__name__}", __base__=Schema,
                                      items=(list[item], ...), count=(int, ...))
    return _SCHEMAS[item]


def page_answer(request, rows: QuerySet, item: Callable[[Any], dict], *, limit: int,
                offset: int, max_limit: int,
                prepare: Callable[[list], Iterable] | None = None) -> HttpResponse:
    """The JSON answer ``{"items": [item(row) …], "count": N}`` for rows
    ``offset`` … ``offset + min(limit, max_limit)`` of the ordered queryset ``rows``;
    ``count`` is the number of all its rows (one COUNT query). ``prepare(rows)`` may
    complete the page's rows first (e.g. attach what a row's item shows) and returns
    them."""
    limit = min(limit, max_limit)
    page = list(rows[offset:offset + limit])
    if prepare is not None:
        page = list(prepare(page))
    data = {"items": [item(row) for row in page], "count": rows.count()}
    return HttpResponse(RENDERER.render(request, data, response_status=200), status=200,
                        content_type=f"{RENDERER.media_type}; charset={RENDERER.charset}")


def cached_answer(name: str, parts: Iterable, answer: Callable[[], HttpResponse]
                  ) -> HttpResponse:
    """``answer()``'s JSON body kept in the page cache under ``name`` and ``parts``
    (everything it depends on besides the figures version and the language: the caller's
    scope, the query) until the figures change; an error raised by ``answer()`` is raised,
    never kept."""
    body = cached_fragment(name, parts, lambda: answer().content)
    return HttpResponse(body, status=200,
                        content_type=f"{RENDERER.media_type}; charset={RENDERER.charset}")
