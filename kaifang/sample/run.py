"""Writing a whole sample year into an inbox: every export, in the order their links require.

The dispatch plan comes first (it picks the batches to sample), then the import export
(which reports the failed and sampled batches), then the exports built from those.
"""

from __future__ import annotations

from pathlib import Path

from kaifang.sample.context import SampleContext, WrittenFile
from kaifang.sample.dispatch import plan_dispatch, sampled_indices, write_dispatch
from kaifang.sample.failed_batches import write_failed_batches
from kaifang.sample.feeds import write_feeds
from kaifang.sample.imports import daily_batch_counts, write_imports
from kaifang.sample.market import write_market_inspections
from kaifang.sample.metrology import write_metrology
from kaifang.sample.performance import write_performance
from kaifang.sample.sites import build_sites, write_sites


def write_sample(
    inbox: Path, *, roc_year: int = 112, scale: float = 1.0, seed: int = 1
) -> list[WrittenFile]:
    """Write the raw exports of one year into `inbox`; return what was written."""
    inbox.mkdir(parents=True, exist_ok=True)
    ctx = SampleContext(inbox=inbox, roc_year=roc_year, scale=scale, seed=seed)
    rounds = plan_dispatch(ctx, daily_batch_counts(ctx))
    imports = write_imports(ctx, sampled_indices(rounds))
    sites = build_sites(ctx)
    return [
        imports.file,
        write_failed_batches(ctx, imports.failed),
        write_dispatch(ctx, rounds, imports.sampled),
        write_sites(ctx, sites),
        write_metrology(ctx, sites),
        write_market_inspections(ctx),
        write_performance(ctx),
        *write_feeds(ctx),
    ]
