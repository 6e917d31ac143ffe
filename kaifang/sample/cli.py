"""The ``kaifang sample`` command: a realistic year of the branch's raw exports in the inbox,
and a year of citizen cases in the feedback store."""

from __future__ import annotations

import time
from pathlib import Path

import click

from kaifang.sample.calendar import SUPPORTED_ROC_YEARS
from kaifang.sample.run import write_sample
from kaifang.settings import load_settings


@click.command()
@click.option(
    "--year", "roc_year", type=int, default=112, show_default=True, help="ROC year (112 = 2023)."
)
@click.option(
    "--scale", type=float, default=1.0, show_default=True, help="Multiply every volume by this."
)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same bytes.")
@click.option(
    "--inbox",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write the exports into (default: the inbox of the settings).",
)
@click.option("--no-cases", is_flag=True, help="Write the exports only, no citizen cases.")
def sample(roc_year: int, scale: float, seed: int, inbox: Path | None, no_cases: bool) -> None:
    """Write a year of realistic raw exports (CSV, Big5 CSV, XLSX, JSON, feeds) into the inbox
    and, into an empty feedback store, a year of citizen cases worked by staff."""
    if scale <= 0:
        raise click.BadParameter("must be positive", param_hint="--scale")
    if roc_year not in SUPPORTED_ROC_YEARS:
        raise click.BadParameter(
            f"{roc_year} is not supported; use {SUPPORTED_ROC_YEARS.start}-{SUPPORTED_ROC_YEARS.stop - 1}",
            param_hint="--year",
        )
    settings = load_settings().ensure_dirs()
    target = inbox or settings.inbox
    started = time.perf_counter()
    written = write_sample(target, roc_year=roc_year, scale=scale, seed=seed)
    for file in written:
        dirt = f" (+{file.dirty_rows} dirty)" if file.dirty_rows else ""
        click.echo(f"{file.records:>8} records{dirt:<14} {file.path.relative_to(target)}")
    click.echo(f"wrote {len(written)} files to {target} in {time.perf_counter() - started:.1f}s")
    if no_cases:
        return
    from kaifang.sample.cases import write_sample_cases  # the feedback service, only when needed

    started = time.perf_counter()
    report = write_sample_cases(settings, roc_year=roc_year, scale=scale, seed=seed)
    if report.skipped:
        click.echo(f"no sample cases: {report.skipped}")
        return
    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(report.submitted.items()))
    events = ", ".join(f"{count} {name}" for name, count in sorted(report.events.items()))
    click.echo(
        f"submitted {kinds} cases to the feedback store "
        f"({report.volunteers} volunteer monitor accounts)"
    )
    click.echo(f"staff and citizens: {events} in {time.perf_counter() - started:.1f}s")
