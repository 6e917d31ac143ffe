"""The ``kaifang sample`` command: a realistic year of the branch's raw exports in the inbox."""

from __future__ import annotations

import time
from pathlib import Path

import click

from kaifang.sample.calendar import SUPPORTED_ROC_YEARS, CalendarError
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
    help="Folder to write into (default: the inbox of the settings).",
)
def sample(roc_year: int, scale: float, seed: int, inbox: Path | None) -> None:
    """Write a year of realistic raw exports (CSV, Big5 CSV, XLSX, JSON, feeds) into the inbox."""
    if scale <= 0:
        raise click.BadParameter("must be positive", param_hint="--scale")
    if roc_year not in SUPPORTED_ROC_YEARS:
        raise click.BadParameter(
            f"{roc_year} is not supported; use {SUPPORTED_ROC_YEARS.start}-{SUPPORTED_ROC_YEARS.stop - 1}",
            param_hint="--year",
        )
    target = inbox or load_settings().ensure_dirs().inbox
    started = time.perf_counter()
    try:
        written = write_sample(target, roc_year=roc_year, scale=scale, seed=seed)
    except CalendarError as exc:
        raise click.ClickException(str(exc)) from exc
    for file in written:
        dirt = f" (+{file.dirty_rows} dirty)" if file.dirty_rows else ""
        click.echo(f"{file.records:>8} records{dirt:<14} {file.path.relative_to(target)}")
    click.echo(f"wrote {len(written)} files to {target} in {time.perf_counter() - started:.1f}s")
