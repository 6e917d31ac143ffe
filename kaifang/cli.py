"""The ``kaifang`` command line: one entry point, each command owned by the package that does the work.

Every package exposes its click commands in its own ``cli`` module; this file only lists
them, and turns a bad setting (``SettingsError``, raised wherever a command loads the settings)
into one line naming the setting and where it was set, with exit status 2, and a feedback store
that cannot be opened (``StoreUnavailable``) into one line saying why, with exit status 1. CLI
output and logs are in English.
"""

from __future__ import annotations

import importlib

import click

from feedback_api.store import StoreUnavailable
from kaifang.settings import SettingsError

# (module, attribute) of every command or command group, in the order `kaifang --help` shows them.
COMMANDS: list[tuple[str, str]] = [
    ("kaifang.commands", "init"),
    ("kaifang.commands", "up"),
    ("kaifang.commands", "serve"),
    ("ingest.deid.cli", "deid"),
    ("ingest.cli", "nightly"),
    ("kaifang.sample.cli", "sample"),
    ("feedback_api.cli", "db"),
    ("feedback_api.cli", "accounts_group"),
    ("feedback_api.cli", "remind"),
    ("feedback_api.cli", "calendar_group"),
    ("feedback_api.cli", "retention"),
    ("classifier.cli", "classifier_group"),
    ("classifier.cli", "classify"),
]


class _BadSetting(click.ClickException):
    exit_code = 2


class _Main(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except SettingsError as exc:
            raise _BadSetting(str(exc)) from exc
        except StoreUnavailable as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kaifang")
def main() -> None:
    """kaifang (開放): open data and citizen feedback for an inspection agency."""


for module_name, attribute in COMMANDS:
    main.add_command(getattr(importlib.import_module(module_name), attribute))
