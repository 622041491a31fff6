"""Small helpers for the Chinese sentences the product shows."""

from collections.abc import Iterable


def join_sentences(parts: Iterable[object]) -> str:
    """Several reasons as one sentence: ``"甲。", "乙。"`` → ``"甲；乙。"``."""
    clauses = [str(p).strip().rstrip("。；;.") for p in parts]
    return "；".join(c for c in clauses if c) + "。"
