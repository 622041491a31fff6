"""What a bulletin section is given and gives back (章节接口).

Each app contributes its section through :func:`jiangping.core.registry.register_section`
(from its ``AppConfig.ready()``); :func:`jiangping.bulletins.compose.compose` calls every
registered ``build(context)`` in order and keeps the sections that return a draft.
A draft also carries the problems (存在问题) and next steps (下步工作) its data suggests;
the bulletin's closing sections list them as 一是…二是… / 一是要…二是要…, editable by the
office before publishing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jiangping.bulletins.document import Section


@dataclass
class Context:
    """The month a bulletin is built for.

    ``period``: ``YYYY-MM``; ``review``: the published review's result (the JSON of
    :func:`jiangping.reviews.services.as_json`, with ``version``) or ``None``;
    ``city``: the city :class:`~jiangping.orgs.models.OrgUnit` the bulletin speaks for;
    ``scope``: the city office's scope (every unit).
    """

    period: str
    review: dict | None
    city: Any
    scope: Any


@dataclass
class Draft:
    """A built section, with the problems and next steps its data suggests: each a
    clause without its ordinal (``"部分县区项目开工率偏低，丙县仅为45.0%"``)."""

    section: Section
    problems: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
