"""Counts of a bank's items, for `examkit validate` and `examkit list`."""

from __future__ import annotations

from ..models import ITEM_TYPES
from .load import Bank


def type_counts(items) -> dict[str, int]:
    """How many items of each type, every type present (0 where none)."""
    counts = dict.fromkeys(ITEM_TYPES, 0)
    for item in items:
        counts[item.type] += 1
    return counts


def objective_counts(bank: Bank) -> dict[str, dict[str, int]]:
    """Items per type under every node of the objective tree (a task counts its objectives')."""
    totals: dict[str, dict[str, int]] = {}
    objectives = bank.objectives
    for item in bank.items:
        node = item.objective
        while node:
            totals.setdefault(node, dict.fromkeys(ITEM_TYPES, 0))[item.type] += 1
            node = objectives[node].parent
    return totals
