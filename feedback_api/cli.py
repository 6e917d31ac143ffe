"""The feedback service's commands: ``kaifang db upgrade`` and ``kaifang accounts
add-staff | add-volunteer | add-api-key``.

A command that creates a key or token prints it once, alone on its last line, so a script can
take it with ``tail -n 1``; it is stored only hashed and cannot be shown again.
"""

from __future__ import annotations

import sys

import click

from feedback_api import accounts
from feedback_api.store import create_store_engine, head_revision, open_store, upgrade
from feedback_api.triage import UNITS
from kaifang.settings import load_settings


@click.group()
def db() -> None:
    """The feedback store's database."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply pending migrations to the feedback store (also done when the service starts)."""
    settings = load_settings().ensure_dirs()
    engine = create_store_engine(settings.database_url)
    try:
        revision = upgrade(engine)
    finally:
        engine.dispose()
    click.echo(f"feedback store at {engine.url.render_as_string(hide_password=True)}")
    click.echo(f"at revision {revision} (newest shipped: {head_revision()})")


@click.group("accounts")
def accounts_group() -> None:
    """Staff, volunteer monitors and API keys."""


def _store():
    return open_store(load_settings().ensure_dirs())


def _fail(exc: Exception) -> None:
    raise click.ClickException(str(exc)) from exc


@accounts_group.command("add-staff")
@click.argument("username")
@click.option("--name", "display_name", required=True, help="Name shown in the console and log.")
@click.option(
    "--role",
    type=click.Choice(accounts.ROLES),
    default="section_staff",
    show_default=True,
)
@click.option("--unit", type=click.Choice(UNITS), help="The section (required for section_staff).")
@click.option("--email")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from standard input instead of prompting.",
)
def add_staff(
    username: str,
    display_name: str,
    role: str,
    unit: str | None,
    email: str | None,
    password_stdin: bool,
) -> None:
    """Create a staff account (the password is stored as an argon2 hash)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    store = _store()
    try:
        account = accounts.add_staff(
            store, username, password, display_name=display_name, role=role, unit=unit, email=email
        )
    except accounts.AccountError as exc:
        _fail(exc)
    finally:
        store.close()
    click.echo(
        f"created staff account {account.username} ({account.role}, {account.unit or 'all units'})"
    )


@accounts_group.command("add-volunteer")
@click.argument("username")
@click.option("--name", "display_name", required=True)
@click.option("--email")
def add_volunteer(username: str, display_name: str, email: str | None) -> None:
    """Create a volunteer monitor and print their first API token."""
    store = _store()
    try:
        account = accounts.add_volunteer(store, username, display_name=display_name, email=email)
        token = accounts.create_key(
            store, "volunteer", f"token of {username}", account_id=account.id
        )
    except accounts.AccountError as exc:
        _fail(exc)
    finally:
        store.close()
    click.echo(f"created volunteer {account.username}; their token (shown once):")
    click.echo(token)


@accounts_group.command("add-api-key")
@click.argument("label")
@click.option(
    "--volunteer",
    "volunteer_username",
    help="Make a new token for this volunteer instead of a client API key.",
)
def add_api_key(label: str, volunteer_username: str | None) -> None:
    """Create an API key for an Open311/API client (or a new volunteer token) and print it."""
    store = _store()
    try:
        if volunteer_username:
            account = accounts.find_account(store, volunteer_username)
            if account is None or account.kind != "volunteer":
                raise accounts.AccountError(f"no volunteer called {volunteer_username!r}")
            key = accounts.create_key(store, "volunteer", label, account_id=account.id)
        else:
            key = accounts.create_key(store, "client", label)
    except accounts.AccountError as exc:
        _fail(exc)
    finally:
        store.close()
    click.echo(
        f"created {'volunteer token' if volunteer_username else 'API key'} {label!r} (shown once):"
    )
    click.echo(key)
