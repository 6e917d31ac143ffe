"""The feedback service's commands: ``kaifang db upgrade | backup | restore``, ``kaifang
remind`` (the daily reminders of cases due and late), ``kaifang retention`` (erasing personal
data past the retention period), ``kaifang calendar close | open | withdraw | list`` (the days
this branch declares closed, such as a typhoon day, or working, on top of Taiwan's official
calendar) and ``kaifang accounts
add-staff | add-volunteer | add-api-key | keys | revoke-key | list | deactivate | reactivate |
set-role | reset-password``. Keys issued or revoked, changes to existing accounts and declared
days are audited as the operator's commands.

A command that creates a key or token prints it once, alone on its last line, so a script can
take it with ``tail -n 1``; it is stored only hashed and cannot be shown again.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from pathlib import Path

import click

from feedback_api import accounts, backup, declared_days
from feedback_api.audit import Actor
from feedback_api.deadlines import KNOWN_YEARS, TAIPEI, national_exceptions
from feedback_api.mail import MailOutbox
from feedback_api.reminders import build_reminders
from feedback_api.retention import cutoff_for, erase_expired, expired_cases
from feedback_api.store import create_store_engine, head_revision, open_store, upgrade
from feedback_api.triage import UNITS
from ingest.values import ValueProblem, parse_date
from kaifang.settings import load_settings


@click.group()
def db() -> None:
    """The feedback store's database."""


def _upgrade_store(database_url: str) -> tuple[str, str]:
    """Migrate the store to the newest revision: (its URL without password, the revision)."""
    engine = create_store_engine(database_url)
    try:
        return engine.url.render_as_string(hide_password=True), upgrade(engine)
    finally:
        engine.dispose()


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply pending migrations to the feedback store (also done when the service starts)."""
    url, revision = _upgrade_store(load_settings().ensure_dirs().database_url)
    click.echo(f"feedback store at {url}")
    click.echo(f"at revision {revision} (newest shipped: {head_revision()})")


def _describe(summary: backup.BackupSummary) -> None:
    click.echo(
        f"{summary.cases} cases (store revision {summary.revision}), "
        f"{summary.attachments} attachments, secrets: {', '.join(summary.secrets) or 'none'}"
    )
    if summary.missing_attachments:
        click.echo(
            f"warning: {len(summary.missing_attachments)} attachments the store lists were "
            f"already missing from attachments/: {', '.join(summary.missing_attachments)}"
        )
    for name in summary.secrets_in_environment:
        click.echo(
            f"note: {name} is set by KAIFANG_SECRET_{name.upper()} and is not in the backup; "
            "keep it with the environment, the backup needs it"
        )


@db.command("backup")
@click.argument("folder", type=click.Path(path_type=Path))
def db_backup(folder: Path) -> None:
    """Copy the SQLite feedback store, its attachments and the secrets into a new FOLDER
    (safe while the service runs)."""
    try:
        summary = backup.backup(load_settings().ensure_dirs(), folder)
    except backup.BackupError as exc:
        _fail(exc)
    click.echo(f"backed up into {summary.folder} (personal data: keep it as safe as the store)")
    _describe(summary)


@db.command("restore")
@click.argument("folder", type=click.Path(path_type=Path))
def db_restore(folder: Path) -> None:
    """Restore a backup made by `kaifang db backup` into a home without a store (stop the
    service first), then bring the store to the newest revision."""
    settings = load_settings().ensure_dirs()
    try:
        summary = backup.restore(settings, folder)
    except backup.BackupError as exc:
        _fail(exc)
    _, revision = _upgrade_store(settings.database_url)
    click.echo(f"restored {folder} into {settings.home}, now at revision {revision}")
    _describe(summary)


OPERATOR = Actor("system", "維運指令 (kaifang accounts)")


@click.group("accounts")
def accounts_group() -> None:
    """Staff, volunteer monitors and API keys."""


def _store():
    return open_store(load_settings().ensure_dirs())


def _volunteer(store, username: str) -> accounts.Account:
    account = accounts.find_account(store, username)
    if account is None or account.kind != "volunteer":
        raise accounts.AccountError(f"沒有這個志工 (no volunteer called {username!r})")
    return account


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
            store, "volunteer", f"token of {username}", account_id=account.id, actor=OPERATOR
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
            account = _volunteer(store, volunteer_username)
            key = accounts.create_key(
                store, "volunteer", label, account_id=account.id, actor=OPERATOR
            )
        else:
            key = accounts.create_key(store, "client", label, actor=OPERATOR)
    except accounts.AccountError as exc:
        _fail(exc)
    finally:
        store.close()
    click.echo(
        f"created {'volunteer token' if volunteer_username else 'API key'} {label!r} (shown once):"
    )
    click.echo(key)


@accounts_group.command("list")
@click.option(
    "--kind", type=click.Choice(["staff", "volunteer"]), default="staff", show_default=True
)
def list_accounts(kind: str) -> None:
    """List accounts, active or not: username, status, role and unit, name."""
    store = _store()
    try:
        found = accounts.list_accounts(store, kind)
    finally:
        store.close()
    for account in found:
        status = "active" if account.active else "inactive"
        where = f"{account.role}\t{account.unit or 'all units'}\t" if kind == "staff" else ""
        click.echo(f"{account.username}\t{status}\t{where}{account.display_name}")


def _change(username: str, **changes) -> None:
    store = _store()
    try:
        account = accounts.find_account(store, username)
        if account is None:
            raise accounts.AccountError(f"沒有這個帳號 (no account called {username!r})")
        changed = accounts.change_account(store, account.id, OPERATOR, **changes)
    except accounts.AccountError as exc:
        _fail(exc)
    finally:
        store.close()
    if not changed:
        click.echo(f"{username}: nothing to change")
    for name, value in changed.items():
        shown = f"{value[0]} -> {value[1]}" if isinstance(value, list) else value
        click.echo(f"{username}: {name} {shown}")


@accounts_group.command("deactivate")
@click.argument("username")
def deactivate(username: str) -> None:
    """Stop an account at once: staff can no longer log in and their sessions end; a
    volunteer's tokens stop working. Nothing is deleted."""
    _change(username, active=False)


@accounts_group.command("reactivate")
@click.argument("username")
def reactivate(username: str) -> None:
    """Let a deactivated account in again (staff log in anew; a volunteer's unrevoked tokens
    work again)."""
    _change(username, active=True)


@accounts_group.command("set-role")
@click.argument("username")
@click.option("--role", type=click.Choice(accounts.ROLES), required=True)
@click.option("--unit", type=click.Choice(UNITS), help="The section (required for section_staff).")
def set_role(username: str, role: str, unit: str | None) -> None:
    """Change a staff member's role and unit (applies to their next request)."""
    _change(username, role=role, unit=unit)


@accounts_group.command("reset-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input.")
def reset_password(username: str, password_stdin: bool) -> None:
    """Set a new password for a staff member; their current sessions end."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    _change(username, password=password)


@accounts_group.command("keys")
@click.option("--volunteer", "volunteer_username", help="Only this volunteer's tokens.")
def list_keys(volunteer_username: str | None) -> None:
    """List API keys and volunteer tokens (never the keys themselves): id, kind, label, owner,
    created, revoked."""
    store = _store()
    try:
        account_id = _volunteer(store, volunteer_username).id if volunteer_username else None
        keys = accounts.list_keys(store, account_id=account_id)
    except accounts.AccountError as exc:
        _fail(exc)
    finally:
        store.close()
    for key in keys:
        revoked = f"revoked {key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "live"
        click.echo(
            f"{key.id}\t{key.kind}\t{key.label}\t{key.owner or '-'}\t"
            f"{key.created_at:%Y-%m-%d %H:%M}\t{revoked}"
        )


@accounts_group.command("revoke-key")
@click.argument("key_id", type=int)
def revoke_key(key_id: int) -> None:
    """Stop an API key or volunteer token at once (its id is in `kaifang accounts keys`)."""
    store = _store()
    try:
        revoked = accounts.revoke_key(store, key_id, actor=OPERATOR)
    except accounts.AccountError as exc:
        _fail(exc)
    finally:
        store.close()
    click.echo(f"key {key_id} revoked" if revoked else f"key {key_id} was already revoked")


@click.command("remind")
@click.option("--dry-run", is_flag=True, help="Print the e-mails instead of sending them.")
def remind(dry_run: bool) -> None:
    """E-mail today's reminders: to section staff, their section's late cases and those due by
    the end of the next working day; to supervisors and admins, every late case. Run it once a
    working day (deploy/kaifang-reminders.timer)."""
    settings = load_settings().ensure_dirs()
    store = open_store(settings)
    try:
        reminders = build_reminders(store, settings)
    finally:
        store.close()
    outbox = MailOutbox(settings, autostart=False)
    if not dry_run and reminders and not outbox.enabled:
        raise click.ClickException("mail is switched off (no smtp_host): no reminder was sent")
    for reminder in reminders:
        if dry_run:
            click.echo(f"To: {reminder.email.to}\nSubject: {reminder.email.subject}\n")
            click.echo(reminder.email.body + "\n")
        else:
            outbox.send(reminder.email)
    if not dry_run and reminders:
        outbox.deliver_due()  # what the server refuses now stays spooled for the service to retry
    verb = "would send" if dry_run else "sent"
    click.echo(f"{verb} {len(reminders)} reminder(s)")


@click.command("retention")
@click.option("--dry-run", is_flag=True, help="Count the cases past retention, erase nothing.")
def retention(dry_run: bool) -> None:
    """Erase citizens' personal data from cases finished more than `retention_years` ago (also
    a step of the nightly job): contact details, address, attachments; texts de-identified."""
    settings = load_settings().ensure_dirs()
    store = open_store(settings)
    try:
        cutoff = cutoff_for(settings, datetime.now(UTC))
        if dry_run and cutoff is not None:
            count = len(expired_cases(store, cutoff))
            click.echo(f"{count} case(s) finished before {cutoff:%Y-%m-%d} would be erased")
            return
        click.echo(erase_expired(store, settings).summary())  # with retention off: says so
    finally:
        store.close()


CALENDAR_OPERATOR = Actor("system", "維運指令 (kaifang calendar)")


@click.group("calendar")
def calendar_group() -> None:
    """Working days: Taiwan's official calendar and the days this branch declares (a typhoon
    day off, an extra working day). Dates are 2026-08-12 or ROC 115/08/12."""


def _status(working: bool) -> str:
    return "working day" if working else "day off"


def _known_year(year: int, given: str) -> int:
    if year not in KNOWN_YEARS:
        raise click.ClickException(
            f"{given} is outside the years kaifang knows Taiwan's official calendar for "
            f"({KNOWN_YEARS[0]}-{KNOWN_YEARS[-1]})"
        )
    return year


def _day(text: str) -> date:
    try:
        day = parse_date(text)
    except ValueProblem as exc:
        _fail(exc)
    _known_year(day.year, repr(text))
    return day


def _declare(text: str, kind: str, reason: str | None) -> None:
    day = _day(text)
    store = _store()
    try:
        moved = declared_days.declare_day(store, day, kind, reason, CALENDAR_OPERATOR)
    except declared_days.DeclarationError as exc:
        _fail(exc)
    finally:
        store.close()
    status = _status(kind == declared_days.WORKING)
    click.echo(f"{day:%Y-%m-%d %a} declared a {status}; {moved} case(s) have a new due date")


@calendar_group.command("close")
@click.argument("day")
@click.option("--reason", help="Why, e.g. 颱風停止上班; shown by `kaifang calendar list`.")
def close_day(day: str, reason: str | None) -> None:
    """Declare DAY a day off for the branch, e.g. a typhoon day (停止上班): the cases whose
    answer period it falls in are due one working day later."""
    _declare(day, declared_days.CLOSED, reason)


@calendar_group.command("open")
@click.argument("day")
@click.option("--reason", help="Why; shown by `kaifang calendar list`.")
def open_day(day: str, reason: str | None) -> None:
    """Declare DAY (a Saturday, Sunday or holiday) a working day for the branch: the cases
    whose answer period it falls in are due one working day sooner."""
    _declare(day, declared_days.WORKING, reason)


@calendar_group.command("withdraw")
@click.argument("day")
def withdraw_day(day: str) -> None:
    """Withdraw what was declared for DAY; it follows Taiwan's official calendar again."""
    parsed = _day(day)
    store = _store()
    try:
        moved = declared_days.withdraw_day(store, parsed, CALENDAR_OPERATOR)
    except declared_days.DeclarationError as exc:
        _fail(exc)
    finally:
        store.close()
    click.echo(
        f"{parsed:%Y-%m-%d %a} follows the official calendar again; {moved} case(s) "
        "have a new due date"
    )


@calendar_group.command("list")
@click.argument("year", type=int, required=False)
def list_calendar(year: int | None) -> None:
    """List YEAR's (default: this year's) weekdays off and working weekend days: Taiwan's
    official calendar, then what the branch declared."""
    year = datetime.now(TAIPEI).year if year is None else _known_year(year, str(year))
    store = _store()
    try:
        declared = declared_days.list_declared_days(store, year)
    finally:
        store.close()
    lines = [
        (national.day, national.working, national.name) for national in national_exceptions(year)
    ]
    lines += [
        (one.day, one.working, f"declared: {one.reason or 'no reason given'}") for one in declared
    ]
    for day, working, why in sorted(lines, key=lambda line: line[0]):
        click.echo(f"{day:%Y-%m-%d %a}\t{_status(working)}\t{why}")
