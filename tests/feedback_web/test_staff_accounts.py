"""Admins manage accounts in the console: change a role or unit, set a new password,
deactivate and reactivate staff and volunteers — each taking effect on the account's next
request, each in the audit log, and never leaving the service without an active admin."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from feedback_api import accounts
from feedback_api.audit import list_audit
from feedback_api.web.pages import taipei_time
from tests.feedback_web.web_helpers import PASSWORD, csrf_from, log_in, submit_case


@pytest.fixture
def admin(client, staff_accounts, store):
    """An admin logged in on ``client``."""
    account = accounts.add_staff(
        store, "root", PASSWORD, display_name="管理員", role="admin", unit=None
    )
    assert log_in(client, "root").status_code == 303
    return account


@pytest.fixture
def second_browser(client):
    """Another person's browser on the same service."""
    with TestClient(client.app, base_url="http://testserver", follow_redirects=False) as other:
        yield other


def change(client, account_id: int, **fields):
    """Open the account's page, then submit its form with ``fields`` changed."""
    page = client.get(f"/staff/accounts/{account_id}")
    assert page.status_code == 200, page.text
    return client.post(
        f"/staff/accounts/{account_id}", data={"csrf_token": csrf_from(page.text), **fields}
    )


def test_a_new_role_and_unit_apply_to_the_next_request(
    client, second_browser, admin, staff_accounts, store
):
    tracking, _ = submit_case(second_browser)  # no model: the case waits at 秘書室 (triage)
    clerk = staff_accounts["metrology"]  # 吳技正, 計量課
    log_in(second_browser, "wu")
    assert tracking not in second_browser.get("/staff").text

    moved = change(client, clerk.id, role="section_staff", unit="秘書室", active="yes")
    assert moved.status_code == 303
    assert "已更新帳號" in client.get(moved.headers["location"]).text
    assert tracking in second_browser.get("/staff").text  # same session, new unit's queue

    change(client, clerk.id, role="supervisor", unit="", active="yes")
    assert second_browser.get("/staff/audit").status_code == 200  # supervisors read the log
    entry = next(e for e in list_audit(store) if e.action == "change_staff")
    assert entry.actor == "管理員 (root)" and entry.detail["username"] == "wu"
    assert entry.detail["role"] == ["section_staff", "supervisor"]
    assert "section_staff → supervisor" in client.get("/staff/audit").text


def test_a_deactivated_account_is_out_at_once_and_back_only_by_logging_in(
    client, second_browser, admin, staff_accounts
):
    clerk = staff_accounts["clerk"]
    log_in(second_browser, "lin")
    assert second_browser.get("/staff").status_code == 200
    stale_cookies = dict(second_browser.cookies)

    deactivated = change(client, clerk.id, role="section_staff", unit="秘書室", active="no")
    assert deactivated.status_code == 303
    out = second_browser.get("/staff")
    assert out.status_code == 303 and out.headers["location"].startswith("/staff/login")
    assert log_in(second_browser, "lin").status_code == 401
    assert "停用" in client.get("/staff/accounts").text

    change(client, clerk.id, role="section_staff", unit="秘書室", active="yes")
    second_browser.cookies.clear()
    second_browser.cookies.update(stale_cookies)  # the session cookie from before
    assert second_browser.get("/staff").status_code == 303
    assert log_in(second_browser, "lin").status_code == 303


def test_a_new_password_replaces_the_old_one_and_ends_sessions(
    client, second_browser, admin, staff_accounts
):
    clerk = staff_accounts["clerk"]
    log_in(second_browser, "lin")
    fields = {"role": "section_staff", "unit": "秘書室", "active": "yes"}
    too_short = change(client, clerk.id, **fields, password="short")
    assert too_short.status_code == 400 and "密碼至少 10 個字元" in too_short.text
    assert second_browser.get("/staff").status_code == 200  # nothing changed

    assert change(client, clerk.id, **fields, password="a brand new password").status_code == 303
    assert second_browser.get("/staff").status_code == 303
    assert log_in(second_browser, "lin", PASSWORD).status_code == 401
    assert log_in(second_browser, "lin", "a brand new password").status_code == 303


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(client, admin, store):
    demoted = change(client, admin.id, role="supervisor", unit="", active="yes")
    deactivated = change(client, admin.id, role="admin", unit="", active="no")
    for refused in (demoted, deactivated):
        assert refused.status_code == 400
        assert "最後一位啟用中的系統管理員" in refused.text
    assert accounts.get_account(store, admin.id).role == "admin"
    assert accounts.get_account(store, admin.id).active

    deputy = accounts.add_staff(
        store, "deputy", PASSWORD, display_name="副管理員", role="admin", unit=None
    )
    assert change(client, admin.id, role="supervisor", unit="", active="yes").status_code == 303
    assert client.get("/staff/accounts").status_code == 403  # root is a supervisor now
    assert accounts.get_account(store, deputy.id).role == "admin"


def test_a_deactivated_volunteer_s_tokens_stop_working(client, admin, store):
    volunteer = accounts.add_volunteer(store, "vol-a", display_name="志工甲")
    token = accounts.create_key(store, "volunteer", "token", account_id=volunteer.id)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/volunteer/reports", headers=headers).status_code == 200
    listing = client.get("/staff/accounts").text
    volunteers = listing.split("<h2>志工帳號</h2>")[1]
    assert "志工甲" in volunteers and "啟用" in volunteers
    assert "志工甲" not in listing.split("<main")[0]  # in the page, not in its title

    assert change(client, volunteer.id, active="no").status_code == 303
    assert client.get("/api/v1/volunteer/reports", headers=headers).status_code == 401
    assert change(client, volunteer.id, active="yes").status_code == 303
    assert client.get("/api/v1/volunteer/reports", headers=headers).status_code == 200
    assert [e.action for e in list_audit(store)].count("change_volunteer") == 2


def test_only_admins_reach_account_pages_and_every_change_needs_the_csrf_token(
    client, admin, staff_accounts, store
):
    clerk = staff_accounts["clerk"]
    assert client.get("/staff/accounts/999999").status_code == 404
    forged = client.post(f"/staff/accounts/{clerk.id}", data={"active": "no"})
    assert forged.status_code == 403 and accounts.get_account(store, clerk.id).active

    client.cookies.clear()
    log_in(client, "chen")  # a supervisor
    assert client.get(f"/staff/accounts/{clerk.id}").status_code == 403
    token = csrf_from(client.get("/staff").text)
    refused = client.post(f"/staff/accounts/{clerk.id}", data={"csrf_token": token, "active": "no"})
    assert refused.status_code == 403 and accounts.get_account(store, clerk.id).active


def shown_token(page) -> str:
    match = re.search(r'id="token" type="text" readonly value="(kfv_[^"]+)"', page.text)
    assert match, page.text
    return match.group(1)


def reports(client, token: str) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    return client.get("/api/v1/volunteer/reports", headers=headers).status_code


def test_admins_add_volunteers_and_issue_and_revoke_their_tokens(client, admin, store):
    form = csrf_from(client.get("/staff/accounts").text)
    nameless = client.post(
        "/staff/accounts/volunteers",
        data={"csrf_token": form, "volunteer_username": "vol-b", "volunteer_name": ""},
    )
    assert nameless.status_code == 400 and 'href="#volunteer_name"' in nameless.text
    added = client.post(
        "/staff/accounts/volunteers",
        data={"csrf_token": form, "volunteer_username": "vol-b", "volunteer_name": "志工乙"},
    )
    assert added.status_code == 201 and added.headers["cache-control"] == "no-store"
    first = shown_token(added)
    assert reports(client, first) == 200
    volunteer = accounts.find_account(store, "vol-b")
    page = client.get(f"/staff/accounts/{volunteer.id}").text
    assert "第一個權杖" in page and first not in page  # listed, never shown again

    unlabelled = client.post(
        f"/staff/accounts/{volunteer.id}/tokens", data={"csrf_token": csrf_from(page)}
    )
    assert unlabelled.status_code == 400
    second = shown_token(
        client.post(
            f"/staff/accounts/{volunteer.id}/tokens",
            data={"csrf_token": csrf_from(page), "label": "新手機"},
        )
    )
    [first_key] = [
        k for k in accounts.list_keys(store, account_id=volunteer.id) if k.label == "第一個權杖"
    ]
    revoked = client.post(
        f"/staff/accounts/{volunteer.id}/tokens/{first_key.id}/revoke",
        data={"csrf_token": csrf_from(page)},
    )
    assert revoked.status_code == 303
    assert "已撤銷" in client.get(revoked.headers["location"]).text
    assert reports(client, first) == 401 and reports(client, second) == 200

    actions = [(e.action, e.detail) for e in list_audit(store)]
    assert ("add_volunteer", {"username": "vol-b"}) in actions
    assert ("revoke_volunteer_key", {"label": "第一個權杖"}) in actions
    issued = [detail for action, detail in actions if action == "issue_volunteer_key"]
    assert issued == [
        {"label": "新手機", "username": "vol-b"},
        {"label": "第一個權杖", "username": "vol-b"},
    ]
    assert not any(first in str(detail) or second in str(detail) for _, detail in actions)


def test_a_token_is_revoked_only_through_its_own_volunteer(client, admin, store):
    owner = accounts.add_volunteer(store, "vol-a", display_name="志工甲")
    other = accounts.add_volunteer(store, "vol-c", display_name="志工丙")
    token = accounts.create_key(store, "volunteer", "手機", account_id=owner.id)
    [key] = accounts.list_keys(store, account_id=owner.id)
    form = csrf_from(client.get(f"/staff/accounts/{other.id}").text)
    wrong = client.post(
        f"/staff/accounts/{other.id}/tokens/{key.id}/revoke", data={"csrf_token": form}
    )
    assert wrong.status_code == 404 and reports(client, token) == 200


def test_an_admin_sets_the_address_reminders_go_to(client, admin, staff_accounts, store):
    clerk = staff_accounts["metrology"]
    fields = {"role": "section_staff", "unit": "計量課", "active": "yes"}
    assert "收不到提醒信" in client.get("/staff/accounts").text
    change(client, clerk.id, **fields, email="wu@bsmi.example.tw")
    assert accounts.get_account(store, clerk.id).email == "wu@bsmi.example.tw"
    assert 'value="wu@bsmi.example.tw"' in client.get(f"/staff/accounts/{clerk.id}").text
    change(client, clerk.id, **fields, email="")
    assert accounts.get_account(store, clerk.id).email is None
    emails = [e.detail["email"] for e in list_audit(store) if e.action == "change_staff"]
    assert emails == [["wu@bsmi.example.tw", None], [None, "wu@bsmi.example.tw"]]


def test_a_refused_account_points_at_the_field_at_fault(client, admin):
    form = {
        "username": "unit-lead", "display_name": "王課長", "role": "supervisor", "unit": "",
        "email": "", "password": "a long enough password",
    }  # fmt: skip
    token = csrf_from(client.get("/staff/accounts").text)
    assert client.post("/staff/accounts", data={"csrf_token": token, **form}).status_code == 303
    taken = client.post("/staff/accounts", data={"csrf_token": token, **form})
    assert taken.status_code == 400 and 'href="#username"' in taken.text  # not #unit
    assert "已有人使用" in taken.text
    no_unit = {**form, "username": "kuo", "role": "section_staff"}
    refused = client.post("/staff/accounts", data={"csrf_token": token, **no_unit})
    assert refused.status_code == 400 and 'href="#unit"' in refused.text


def test_admins_see_when_each_volunteer_and_token_was_last_used(client, admin, store):
    volunteer = accounts.add_volunteer(store, "vol-a", display_name="志工甲")
    accounts.add_volunteer(store, "vol-idle", display_name="志工丁")
    phone = accounts.create_key(store, "volunteer", "手機", account_id=volunteer.id)
    accounts.create_key(store, "volunteer", "平板", account_id=volunteer.id)

    def volunteer_row(username: str) -> str:
        table = client.get("/staff/accounts").text.split("<h2>志工帳號</h2>")[1]
        return re.search(rf"<tr>\s*<td><a [^>]*>{username}</a>.*?</tr>", table, re.S).group(0)

    assert "從未使用" in volunteer_row("vol-a")
    assert reports(client, phone) == 200
    [used] = [
        k.last_used_at
        for k in accounts.list_keys(store, account_id=volunteer.id)
        if k.label == "手機"
    ]
    assert used is not None
    shown = taipei_time(used)
    assert shown in volunteer_row("vol-a") and "從未使用" in volunteer_row("vol-idle")

    page = client.get(f"/staff/accounts/{volunteer.id}").text
    rows = dict(re.findall(r"<tr>\s*<td>(手機|平板)</td>(.*?)</tr>", page, re.S))
    assert shown in rows["手機"] and "從未使用" in rows["平板"]
