"""Settings and secrets: where data lives, what overrides what, and how secrets are kept."""

from __future__ import annotations

import stat

import pytest
from click.testing import CliRunner

from kaifang.cli import main
from kaifang.secrets import get_secret, init_secrets
from kaifang.settings import SettingsError, load_settings


def test_everything_lives_under_kaifang_home(tmp_path):
    settings = load_settings({"KAIFANG_HOME": str(tmp_path)})
    assert settings.inbox == tmp_path / "inbox"
    assert settings.published == tmp_path / "published"
    assert settings.internal == tmp_path / "internal"
    assert settings.database_url == f"sqlite:///{tmp_path / 'feedback.db'}"


def test_environment_overrides_config_file(tmp_path):
    (tmp_path / "kaifang.toml").write_text(
        'port = 9000\nreply_days = 5\nfeed_urls = ["http://a/x.xml"]\n'
    )
    settings = load_settings({"KAIFANG_HOME": str(tmp_path), "KAIFANG_PORT": "9100"})
    assert settings.port == 9100
    assert settings.reply_days == 5
    assert settings.feed_urls == ("http://a/x.xml",)


def test_bad_config_names_the_file_and_setting(tmp_path):
    (tmp_path / "kaifang.toml").write_text("prot = 9000\n")
    with pytest.raises(SettingsError, match=r"kaifang.toml: unknown setting\(s\) prot"):
        load_settings({"KAIFANG_HOME": str(tmp_path)})
    with pytest.raises(SettingsError, match="KAIFANG_PORT"):
        load_settings({"KAIFANG_HOME": str(tmp_path / "other"), "KAIFANG_PORT": "eighty"})
    with pytest.raises(SettingsError, match="KAIFANG_MAX_ROW_DROP.*between 0 and 1"):
        load_settings({"KAIFANG_HOME": str(tmp_path / "other"), "KAIFANG_MAX_ROW_DROP": "10"})


def test_secrets_are_generated_once_with_owner_only_permissions(settings, monkeypatch):
    monkeypatch.delenv("KAIFANG_SECRET_PSEUDONYM_KEY", raising=False)
    created = init_secrets(settings)
    assert set(created) == {"pseudonym_key", "session_key", "api_key_pepper"}
    key_file = settings.secrets / "pseudonym_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    first = get_secret(settings, "pseudonym_key")
    assert init_secrets(settings) == []
    assert get_secret(settings, "pseudonym_key") == first
    assert len(first) == 64


def test_folders_with_personal_data_are_private_from_the_start(tmp_path):
    # the mail outbox in internal/ holds citizens' addresses and case keys before any nightly run
    settings = load_settings({"KAIFANG_HOME": str(tmp_path / "home")}).ensure_dirs()
    for folder in (settings.internal, settings.secrets):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_secret_from_environment_wins(settings, monkeypatch):
    monkeypatch.setenv("KAIFANG_SECRET_SESSION_KEY", "from-the-vault")
    assert get_secret(settings, "session_key") == b"from-the-vault"
    assert "session_key" not in init_secrets(settings)


@pytest.mark.parametrize(
    ("args", "variable", "value"),
    [
        (["init"], "KAIFANG_PORT", "eighty"),
        (["nightly"], "KAIFANG_MAX_ROW_DROP", "10"),
        (["accounts", "list"], "KAIFANG_RETENTION_YEARS", "five"),
    ],
)
def test_a_bad_setting_stops_every_command_with_its_name_not_a_traceback(
    kaifang_home, monkeypatch, args, variable, value
):
    monkeypatch.setenv(variable, value)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert f"environment variable {variable}" in result.stderr
    assert not isinstance(result.exception, SettingsError)
    assert not kaifang_home.exists()  # nothing was created or run


def test_a_port_outside_1_to_65535_is_refused_not_served_elsewhere(kaifang_home, monkeypatch):
    # uvicorn took 99999 modulo 65536 and served on 34463 while saying 99999
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: pytest.fail("it served"))
    refused = CliRunner().invoke(main, ["serve", "--port", "99999"])
    assert refused.exit_code == 2 and "--port" in refused.stderr
    monkeypatch.setenv("KAIFANG_PORT", "99999")
    refused = CliRunner().invoke(main, ["serve"])
    assert refused.exit_code == 2 and "KAIFANG_PORT" in refused.stderr


def test_a_folder_that_cannot_be_created_is_named_with_its_setting(kaifang_home, monkeypatch):
    monkeypatch.setenv("KAIFANG_INBOX", "/proc/kaifang-inbox")  # /proc refuses even root
    result = CliRunner().invoke(main, ["nightly"])
    assert result.exit_code == 2
    assert "cannot create /proc/kaifang-inbox (KAIFANG_INBOX)" in result.stderr


def test_a_negative_number_of_years_or_days_is_refused(tmp_path):
    # retention_years = -5 used to switch erasing off while saying "retention_years = 0"
    for variable in ("KAIFANG_RETENTION_YEARS", "KAIFANG_REPLY_DAYS"):
        with pytest.raises(SettingsError, match=f"{variable}.*must not be negative"):
            load_settings({"KAIFANG_HOME": str(tmp_path), variable: "-5"})
