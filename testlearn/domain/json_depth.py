"""How deeply a parsed JSON value nests, for refusing hostile files before walking them."""

from __future__ import annotations

from typing import Any


def nesting_depth(value: Any, *, stop_above: int) -> int:
    """How deeply lists and objects nest in ``value`` (a scalar is 0), without recursion.

    Counting stops as soon as it passes ``stop_above``: the caller only needs to know that.
    """
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > stop_above:
            return deepest
        stack.extend((child, level + 1) for child in children if isinstance(child, dict | list))
    return deepest
