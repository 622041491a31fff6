"""API: indicators, values and the comparison table."""

from ninja import Router

router = Router(tags=["indicators"])
