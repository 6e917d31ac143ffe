"""The ``kaifang nightly`` command: run the publishing job once and report.

Exit codes: 0 every dataset published or unchanged; 1 at least one dataset failed (its
previous version stays online); 2 the definitions are invalid (nothing was built) or a setting
is (reported by ``kaifang.cli``);
3 another run holds the lock.
"""

from __future__ import annotations

import sys

import click

from ingest.definitions import DefinitionError
from ingest.lock import AlreadyRunning
from ingest.nightly import run_nightly
from ingest.report import Reporter, print_summary
from kaifang.settings import load_settings


@click.command()
@click.option(
    "--dataset", "datasets", multiple=True, metavar="NAME",
    help="Run only this dataset (repeatable). Default: every definition in datasets/.",
)  # fmt: skip
@click.option(
    "--accept-drop", "accept_drop", multiple=True, metavar="NAME",
    help="Publish this dataset even if its export removes more rows than max_row_drop allows "
    "(the rows are really gone; repeatable).",
)  # fmt: skip
def nightly(datasets: tuple[str, ...], accept_drop: tuple[str, ...]) -> None:
    """Publish every dataset from the inbox's exports: validate, de-identify, check, swap in."""
    settings = load_settings()
    try:
        outcome = run_nightly(
            settings, only=list(datasets) or None, reporter=Reporter(), accept_drop=accept_drop
        )
    except DefinitionError as exc:
        click.echo(f"dataset definitions are invalid, nothing was built:\n{exc}", err=True)
        sys.exit(2)
    except AlreadyRunning as exc:
        click.echo(str(exc), err=True)
        sys.exit(3)
    print_summary(outcome.results)
    for status in outcome.feeds:
        if status.status == "error":
            click.echo(f"feed {status.source}: {status.message}", err=True)
    if outcome.failed:
        names = ", ".join(result.dataset for result in outcome.failed)
        click.echo(f"failed: {names} (yesterday's files are still published)", err=True)
    sys.exit(outcome.exit_code)
