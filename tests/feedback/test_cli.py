"""The commands operators use: db upgrade and the accounts commands."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from feedback_api import accounts
from feedback_api.app import create_app
from feedback_api.audit import list_audit
from feedback_api.deadlines import TAIPEI
from feedback_api.store import current_revision, head_revision, open_store
from kaifang.cli import main
from kaifang.commands import first_admin_hint
from kaifang.settings import load_settings
from tests.feedback.payloads import valid_case
from tests.live_server import serving


def run(*args, input=None):
    result = CliRunner().invoke(main, list(args), input=input)
    assert result.exit_code == 0, result.output
    return result.output


def test_db_upgrade_creates_the_store(kaifang_home):
    output = run("db", "upgrade")
    assert f"at revision {head_revision()}" in output
    store = open_store(load_settings(), migrate=False)
    assert current_revision(store.engine) == head_revision()
    store.close()


def test_add_staff_reads_the_password_and_refuses_bad_input(kaifang_home):
    output = run(
        "accounts", "add-staff", "lin", "--name", "林技士", "--role", "section_staff",
        "--unit", "計量課", "--password-stdin", input="a long enough password\n",
    )  # fmt: skip
    assert "created staff account lin" in output
    store = open_store(load_settings())
    assert accounts.authenticate_staff(store, "lin", "a long enough password").unit == "計量課"
    store.close()
    refused = CliRunner().invoke(
        main,
        ["accounts", "add-staff", "wu", "--name", "吳", "--password-stdin"],
        input="short\n",
    )
    assert refused.exit_code != 0 and "unit" in refused.output


def test_keys_are_printed_once_on_the_last_line_and_work(kaifang_home):
    key = run("accounts", "add-api-key", "city app").strip().splitlines()[-1]
    token = run("accounts", "add-volunteer", "vol-a", "--name", "志工甲").strip().splitlines()[-1]
    second = run("accounts", "add-api-key", "phone", "--volunteer", "vol-a").splitlines()[-1]
    assert key.startswith("kfk_") and token.startswith("kfv_") and second.startswith("kfv_")
    settings = load_settings().ensure_dirs()
    with serving(create_app(settings)) as url, httpx.Client(base_url=url) as client:
        accepted = client.post("/api/v1/cases", json=valid_case(), headers={"X-API-Key": key})
        assert accepted.status_code == 201
        for volunteer_token in (token, second):
            listing = client.get(
                "/api/v1/volunteer/reports",
                headers={"Authorization": f"Bearer {volunteer_token}"},
            )
            assert listing.status_code == 200


def test_operators_deactivate_reactivate_and_change_accounts(kaifang_home):
    run(
        "accounts", "add-staff", "lin", "--name", "林技士", "--role", "section_staff",
        "--unit", "計量課", "--password-stdin", input="a long enough password\n",
    )  # fmt: skip
    token = run("accounts", "add-volunteer", "vol-a", "--name", "志工甲").splitlines()[-1]
    store = open_store(load_settings())

    assert "lin: active True -> False" in run("accounts", "deactivate", "lin")
    assert "vol-a: active True -> False" in run("accounts", "deactivate", "vol-a")
    assert accounts.authenticate_staff(store, "lin", "a long enough password") is None
    assert accounts.authenticate_key(store, token, "volunteer") is None
    assert "lin\tinactive\tsection_staff\t計量課\t林技士" in run("accounts", "list")
    assert "vol-a\tinactive\t志工甲" in run("accounts", "list", "--kind", "volunteer")

    run("accounts", "reactivate", "lin")
    run("accounts", "reactivate", "vol-a")
    assert accounts.authenticate_key(store, token, "volunteer") is not None
    assert "role section_staff -> supervisor" in run(
        "accounts", "set-role", "lin", "--role", "supervisor"
    )
    run("accounts", "reset-password", "lin", "--password-stdin", input="another long password\n")
    assert accounts.authenticate_staff(store, "lin", "a long enough password") is None
    assert accounts.authenticate_staff(store, "lin", "another long password").role == "supervisor"
    actions = [entry.action for entry in list_audit(store)]
    assert actions.count("change_staff") == 4 and actions.count("change_volunteer") == 2
    assert {entry.actor for entry in list_audit(store)} == {"維運指令 (kaifang accounts)"}
    store.close()

    for args in (("deactivate", "nobody"), ("set-role", "vol-a", "--role", "admin")):
        refused = CliRunner().invoke(main, ["accounts", *args])
        assert refused.exit_code != 0 and "Error:" in refused.output


def test_operators_list_and_revoke_keys_without_ever_seeing_them_again(kaifang_home):
    key = run("accounts", "add-api-key", "city app").splitlines()[-1]
    token = run("accounts", "add-volunteer", "vol-a", "--name", "志工甲").splitlines()[-1]
    listing = run("accounts", "keys")
    assert key not in listing and token not in listing
    [client_line] = [line for line in listing.splitlines() if "\tclient\t" in line]
    assert client_line.split("\t")[2:4] == ["city app", "-"]
    assert client_line.split("\t")[5:] == ["live", "never used"]
    [token_line] = run("accounts", "keys", "--volunteer", "vol-a").splitlines()
    assert token_line.split("\t")[1:4] == ["volunteer", "token of vol-a", "vol-a"]

    client_id = client_line.split("\t")[0]
    assert f"key {client_id} revoked" in run("accounts", "revoke-key", client_id)
    assert "already revoked" in run("accounts", "revoke-key", client_id)
    store = open_store(load_settings())
    assert accounts.authenticate_key(store, key, "client") is None
    assert accounts.authenticate_key(store, token, "volunteer") is not None
    actions = [entry.action for entry in list_audit(store)]
    assert actions.count("revoke_client_key") == 1 and "issue_volunteer_key" in actions
    store.close()
    assert "revoked" in run("accounts", "keys").splitlines()[0]
    refused = CliRunner().invoke(main, ["accounts", "revoke-key", "999"])
    assert refused.exit_code != 0 and "no key with id 999" in refused.output
    for args in (("keys", "--volunteer", "nobody"), ("add-api-key", "x", "--volunteer", "nobody")):
        unknown = CliRunner().invoke(main, ["accounts", *args])
        assert unknown.exit_code != 0 and "no volunteer called 'nobody'" in unknown.output


def test_operators_see_which_volunteers_still_use_their_tokens(kaifang_home):
    token = run("accounts", "add-volunteer", "vol-a", "--name", "志工甲").splitlines()[-1]
    run("accounts", "add-volunteer", "vol-b", "--name", "志工乙")
    assert "vol-a\tactive\t志工甲\tnever used" in run("accounts", "list", "--kind", "volunteer")

    before = datetime.now(UTC).replace(second=0, microsecond=0)
    with serving(create_app(load_settings().ensure_dirs())) as url:
        listing = httpx.get(
            f"{url}/api/v1/volunteer/reports", headers={"Authorization": f"Bearer {token}"}
        )
        assert listing.status_code == 200
    after = datetime.now(UTC)

    lines = run("accounts", "list", "--kind", "volunteer").splitlines()
    [used] = [line.split("\t")[3] for line in lines if line.startswith("vol-a\t")]
    assert used.startswith("used ")
    shown = datetime.strptime(used, "used %Y-%m-%d %H:%M").replace(tzinfo=TAIPEI)  # local time
    assert before <= shown <= after
    assert "vol-b\tactive\t志工乙\tnever used" in lines
    [token_line] = run("accounts", "keys", "--volunteer", "vol-a").splitlines()
    assert token_line.split("\t")[5:] == ["live", used]


def test_up_says_how_to_create_the_first_admin_until_there_is_one(kaifang_home):
    settings = load_settings().ensure_dirs()
    hint = first_admin_hint(settings)
    command = hint.splitlines()[-1].strip()
    assert command.startswith("printf '%s\\n'") and "--role admin --password-stdin" in command
    program, arguments = command.split(" | ")[1].split(" accounts ")
    run("accounts", *arguments.split(), input="a long enough password\n")
    assert first_admin_hint(settings) is None
    # the program is one that runs from the shell `make up` leaves: the console script beside
    # this Python (.venv/bin/kaifang), not `kaifang`, which is not on the PATH
    script = Path(sys.executable).parent / "kaifang"
    assert Path(program).absolute() == script.absolute()


def test_the_first_admin_hint_names_plain_kaifang_without_a_console_script(
    kaifang_home, monkeypatch, tmp_path
):
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    hint = first_admin_hint(load_settings().ensure_dirs())
    assert "| kaifang accounts add-staff admin" in hint


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("postgresql+psycopg://postgres@127.0.0.1:5432/kaifang_no_such_db", "cannot connect"),
        ("postgresql+psycopg://postgres:s3cret@127.0.0.1:1/kaifang", "cannot connect"),
        ("postgres://postgres@127.0.0.1/kaifang", "postgresql+psycopg://"),
        ("feedback.db", "not a database URL"),
        ("sqlite:////proc/kaifang/feedback.db", "cannot create the feedback store's folder"),
    ],
)
def test_a_feedback_store_that_cannot_be_opened_is_named_without_a_traceback(
    kaifang_home, monkeypatch, url, said
):
    monkeypatch.setenv("KAIFANG_DATABASE_URL", url)
    for args in (["db", "upgrade"], ["accounts", "list"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1
        assert "KAIFANG_DATABASE_URL" in result.stderr and said in result.stderr
        assert "s3cret" not in result.stderr
        assert isinstance(result.exception, SystemExit)
