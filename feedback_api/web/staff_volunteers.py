"""Console pages where admins look after volunteer monitors: add a volunteer with their first
token, issue another token (for a new phone), and revoke a lost one. A token is shown once, on
the page that issued it, and is stored only hashed; issuing and revoking are audited."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from feedback_api import accounts as staff_accounts
from feedback_api.accounts import Account
from feedback_api.web.labels import zh_part
from feedback_api.web.staff_access import StaffRequest, audit, staff_page
from feedback_api.web.staff_admin import account_of, accounts_page, edit_page, no_such_account

FIRST_TOKEN_LABEL = "第一個權杖"


def _token_page(staff: StaffRequest, account: Account, label: str, token: str) -> Response:
    context = {"nav": "accounts", "account": account, "label": label, "token": token}
    response = staff_page(staff, "staff/token.html", context, 201)
    response.headers["Cache-Control"] = "no-store"
    return response


async def add_volunteer(staff: StaffRequest) -> Response:
    values = {name: staff.field(name) for name in ("volunteer_username", "volunteer_name")}
    values["volunteer_email"] = staff.field("volunteer_email")
    if not values["volunteer_name"]:
        return await accounts_page(staff, {"volunteer_name": "請填寫姓名"}, values, 400)

    def create() -> tuple[Account, str]:
        account = staff_accounts.add_volunteer(
            staff.web.store, values["volunteer_username"], display_name=values["volunteer_name"],
            email=values["volunteer_email"] or None,
        )  # fmt: skip
        audit(staff.web, staff.actor, "add_volunteer", detail={"username": account.username})
        token = staff_accounts.create_key(
            staff.web.store, "volunteer", FIRST_TOKEN_LABEL, account_id=account.id,
            actor=staff.actor,
        )  # fmt: skip
        return account, token

    try:
        account, token = await run_in_threadpool(create)
    except staff_accounts.AccountError as exc:
        errors = {"volunteer_username": f"無法新增：{zh_part(str(exc))}"}
        return await accounts_page(staff, errors, values, 400)
    return _token_page(staff, account, FIRST_TOKEN_LABEL, token)


async def issue_token(staff: StaffRequest) -> Response:
    account = await account_of(staff)
    if account is None or account.kind != "volunteer":
        return no_such_account(staff)
    label = staff.field("label")[:100]  # the column's width
    if not label:
        return await edit_page(staff, account, {"label": "請填寫權杖用途，例如「新手機」"}, 400)
    token = await run_in_threadpool(
        lambda: staff_accounts.create_key(
            staff.web.store, "volunteer", label, account_id=account.id, actor=staff.actor
        )
    )
    return _token_page(staff, account, label, token)


async def revoke_token(staff: StaffRequest) -> Response:
    account = await account_of(staff)
    if account is None or account.kind != "volunteer":
        return no_such_account(staff)
    key_id = staff.request.path_params["key_id"]
    owned = await run_in_threadpool(
        staff_accounts.list_keys, staff.web.store, account_id=account.id
    )
    if key_id not in {key.id for key in owned}:
        return no_such_account(staff)
    await run_in_threadpool(
        lambda: staff_accounts.revoke_key(staff.web.store, key_id, actor=staff.actor)
    )
    return RedirectResponse(f"/staff/accounts/{account.id}?done=revoked", status_code=303)
