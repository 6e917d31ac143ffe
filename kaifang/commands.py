"""The shell's own commands: ``init`` (folders and secrets), ``serve`` and ``up`` (the main job)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kaifang.secrets import init_secrets
from kaifang.settings import Settings, load_settings


@click.command()
def init() -> None:
    """Create KAIFANG_HOME's folders and generate missing secrets (mode 0600)."""
    _initialise(load_settings())


def _initialise(settings: Settings) -> Settings:
    settings.ensure_dirs()
    created = init_secrets(settings)
    click.echo(f"KAIFANG_HOME is {settings.home}")
    for name in created:
        click.echo(f"generated secret {name} in {settings.secrets}")
    return settings


def _serve_options(command):
    command = click.option(
        "--port",
        type=click.IntRange(1, 65535),
        default=None,
        help="Port (default: settings, 8000).",
    )(command)
    command = click.option(
        "--host", default=None, help="Interface (default: settings, 127.0.0.1)."
    )(command)
    return command


def _run_server(settings: Settings, only: str | None, host: str | None, port: int | None) -> None:
    import uvicorn

    from kaifang.app import create_app

    host = host or settings.host
    port = settings.port if port is None else port
    click.echo(f"serving {only or 'portal and feedback service'} on http://{host}:{port}/")
    uvicorn.run(
        create_app(settings, only), host=host, port=port, log_level="info", proxy_headers=True
    )


@click.command()
@click.option(
    "--only",
    type=click.Choice(["portal", "feedback"]),
    default=None,
    help="Serve only the open-data portal or only the feedback service (to scale them apart).",
)
@_serve_options
def serve(only: str | None, host: str | None, port: int | None) -> None:
    """Serve the portal (published/) and the feedback service on one port."""
    _run_server(load_settings().ensure_dirs(), only, host, port)


@click.command()
@_serve_options
def up(host: str | None, port: int | None) -> None:
    """Initialise, write sample data if the inbox is empty, train the default model, write sample
    cases if the feedback store is empty, run the nightly job, serve."""
    from classifier.registry import ensure_default_model
    from ingest.nightly import run_nightly
    from ingest.report import Reporter, print_summary
    from kaifang.sample.cases import write_sample_cases
    from kaifang.sample.run import write_sample

    settings = _initialise(load_settings())
    if not any(settings.inbox.iterdir()):
        click.echo(f"the inbox is empty: writing a year of sample exports into {settings.inbox}")
        write_sample(settings.inbox, roc_year=112, scale=1.0, seed=1)
    version = ensure_default_model(settings)
    click.echo(f"routing model: {version}")
    cases = write_sample_cases(settings, roc_year=112, scale=1.0, seed=1)
    if cases.skipped is None:
        click.echo(
            f"the feedback store was empty: wrote {sum(cases.submitted.values())} sample cases"
        )
    outcome = run_nightly(settings, reporter=Reporter())
    print_summary(outcome.results)
    if outcome.failed:
        names = ", ".join(result.dataset for result in outcome.failed)
        click.echo(f"failed: {names}; serving what is published", err=True)
    if hint := first_admin_hint(settings):
        click.echo(hint)
    sys.stdout.flush()
    _run_server(settings, None, host, port)


def first_admin_hint(settings: Settings) -> str | None:
    """How to create the first admin, while no one can log in to the staff console (kaifang
    ships no default password)."""
    from feedback_api.accounts import list_accounts
    from feedback_api.store import open_store

    store = open_store(settings)
    try:
        staff = list_accounts(store, "staff")
    finally:
        store.close()
    if any(account.role == "admin" and account.active for account in staff):
        return None
    return (
        "no one can log in to the staff console (/staff) yet; create the first admin with\n"
        "  printf '%s\\n' 'a password of 10 or more characters' | "
        f"{_kaifang_program()} accounts add-staff admin --name 系統管理員 --role admin "
        "--password-stdin"
    )


def _kaifang_program() -> str:
    """How to call kaifang from the shell that ran it: the console script beside this Python
    (``.venv/bin/kaifang`` after ``make up``, which is not on the PATH), relative to the working
    folder when it lies inside it; ``kaifang`` when there is none."""
    script = Path(sys.executable).parent / "kaifang"
    if not script.is_file():
        return "kaifang"
    try:
        return str(script.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(script.absolute())
