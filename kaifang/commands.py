"""The shell's own commands: ``init`` (directories and secrets), ``up`` and ``serve``."""

from __future__ import annotations

import click

from kaifang.secrets import init_secrets
from kaifang.settings import load_settings


@click.command()
def init() -> None:
    """Create KAIFANG_HOME's folders and generate missing secrets (mode 0600)."""
    settings = load_settings().ensure_dirs()
    created = init_secrets(settings)
    click.echo(f"KAIFANG_HOME is {settings.home}")
    for name in created:
        click.echo(f"generated secret {name} in {settings.secrets}")
