"""The seeded random generator of the sample, tuned for drawing millions of values.

`random.Random.choice`, `randrange` and `choices` go through Python-level rejection
sampling and list building; for picking vocabulary items the small bias of scaling one
53-bit float is irrelevant, and the draws stay fully determined by the seed.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from typing import Any


class SampleRandom(random.Random):
    def choice(self, seq: Sequence[Any]) -> Any:
        return seq[int(self.random() * len(seq))]

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        if stop is None:
            start, stop = 0, start
        if step != 1 or stop <= start:
            return super().randrange(start, stop, step)
        return start + int(self.random() * (stop - start))

    def choices(self, population, weights=None, *, cum_weights=None, k=1):
        if k == 1 and cum_weights is not None:
            return [population[bisect(cum_weights, self.random() * cum_weights[-1])]]
        return super().choices(population, weights, cum_weights=cum_weights, k=k)
