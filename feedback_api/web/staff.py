"""The staff console at ``/staff``: its routes, gathered from the modules that build each part —
:mod:`.staff_access` (login, logout, the session and CSRF guard), :mod:`.staff_queue` (unit
queues, search), :mod:`.staff_case` (the case page and its actions), :mod:`.staff_entry`
(cases entered for phone calls, letters and e-mails), :mod:`.staff_admin` (audit log,
accounts) and :mod:`.staff_volunteers` (volunteers and their tokens).

Every page needs a staff session; every POST also needs the CSRF token. Section staff see only
their own unit's cases; supervisors see every unit and the audit log; admins also manage
accounts (add, change role, unit or e-mail, set a password, deactivate; volunteers' tokens).
Changes go through :mod:`feedback_api.cases` and :mod:`feedback_api.accounts`, which write the
audit log in the same transaction; page views, searches and logins are audited by the console.
"""

from __future__ import annotations

from starlette.routing import Route

from feedback_api.web.staff_access import SUPERVISORS, login, login_form, logout, staff_only
from feedback_api.web.staff_admin import (
    add_account,
    audit_log,
    change_account,
    edit_account,
    list_accounts,
)
from feedback_api.web.staff_case import act, view_attachment, view_case
from feedback_api.web.staff_entry import enter_case, new_case_form
from feedback_api.web.staff_queue import queue, search
from feedback_api.web.staff_volunteers import add_volunteer, issue_token, revoke_token

routes = [
    Route("/staff/login", login_form, methods=["GET"], name="staff_login"),
    Route("/staff/login", login, methods=["POST"]),
    Route("/staff/logout", staff_only(logout), methods=["POST"]),
    Route("/staff", staff_only(queue), methods=["GET"], name="staff_queue"),
    Route("/staff/search", staff_only(search), methods=["GET"]),
    Route("/staff/cases/new", staff_only(new_case_form), methods=["GET"]),
    Route("/staff/cases/new", staff_only(enter_case), methods=["POST"]),
    Route("/staff/cases/{tracking}", staff_only(view_case), methods=["GET"]),
    Route(
        "/staff/cases/{tracking}/attachments/{attachment_id:int}",
        staff_only(view_attachment),
        methods=["GET"],
    ),
    Route(
        "/staff/cases/{tracking}/{action:str}",
        staff_only(act),
        methods=["POST"],
    ),
    Route("/staff/audit", staff_only(audit_log, roles=SUPERVISORS), methods=["GET"]),
    *(
        Route(path, staff_only(handler, roles=("admin",)), methods=[method])
        for path, method, handler in (
            ("/staff/accounts", "GET", list_accounts),
            ("/staff/accounts", "POST", add_account),
            ("/staff/accounts/{account_id:int}", "GET", edit_account),
            ("/staff/accounts/{account_id:int}", "POST", change_account),
            ("/staff/accounts/volunteers", "POST", add_volunteer),
            ("/staff/accounts/{account_id:int}/tokens", "POST", issue_token),
            ("/staff/accounts/{account_id:int}/tokens/{key_id:int}/revoke", "POST", revoke_token),
        )
    ),
]
