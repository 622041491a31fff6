"""Data labels in Traditional Chinese (繁體).

Indicator names, units of measure and org-unit names are data, stored in Simplified
Chinese. When the active language is zh-hant they are shown converted with OpenCC's
``s2tw`` (Taiwan standard characters). The same function is the ``|hant`` template
filter and converts the labels handed to the charts.
"""

from __future__ import annotations

from functools import lru_cache

from django.utils.translation import get_language


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("s2tw")


@lru_cache(maxsize=4096)
def _traditional(text: str) -> str:
    return _converter().convert(text)


def hant(text):
    """``text`` in Traditional Chinese when the active language is zh-hant, else as is."""
    if not text or not (get_language() or "").lower().startswith("zh-hant"):
        return text
    return _traditional(str(text))
