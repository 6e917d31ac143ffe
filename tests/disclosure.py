"""What a reader of a published breakdown can work out about its emptied cells from its total,
for the tests of small-cell suppression."""

from __future__ import annotations


def recover(counts: dict[str, int], total: int, emptied: set[str]) -> dict[str, int] | None:
    """The values of the ``emptied`` cells of a breakdown of ``total`` when only one assignment
    of counts of at least 1 (unlisted categories are zero) fits what is published, else None."""
    left = total - sum(count for category, count in counts.items() if category not in emptied)
    if len(emptied) == 1 or left == len(emptied):
        return {category: left // len(emptied) for category in emptied}
    return None
