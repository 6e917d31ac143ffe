"""The status lifecycle of a case: its states, which changes are allowed, and what the public
sees. received → assigned → in_progress → replied → closed, plus duplicate and referred (sent
to another agency, e.g. food to the FDA), which end a case like closed does."""

from __future__ import annotations

STATUSES: dict[str, tuple[str, str]] = {
    "received": ("已收件", "Received"),
    "assigned": ("已分派", "Assigned"),
    "in_progress": ("處理中", "In progress"),
    "replied": ("已回覆", "Replied"),
    "closed": ("已結案", "Closed"),
    "duplicate": ("重複案件", "Duplicate"),
    "referred": ("已移請他機關處理", "Referred to another agency"),
}

TRANSITIONS: dict[str, frozenset[str]] = {
    "received": frozenset({"assigned", "in_progress", "replied", "duplicate", "referred"}),
    "assigned": frozenset({"in_progress", "replied", "duplicate", "referred"}),
    "in_progress": frozenset({"replied", "duplicate", "referred"}),
    "replied": frozenset({"closed", "in_progress"}),
    "closed": frozenset(),
    "duplicate": frozenset(),
    "referred": frozenset(),
}

OPEN_STATUSES = frozenset({"received", "assigned", "in_progress", "replied"})
FINISHED_STATUSES = frozenset({"closed", "duplicate", "referred"})
ROUTABLE_STATUSES = frozenset({"received", "assigned", "in_progress"})


class TransitionError(ValueError):
    """A status change the lifecycle does not allow; the message says which and why."""


def check_transition(current: str, target: str) -> None:
    """Raise TransitionError unless a case in ``current`` may move to ``target``."""
    if target not in TRANSITIONS.get(current, frozenset()):
        allowed = sorted(TRANSITIONS.get(current, ()))
        zh_allowed = "、".join(STATUSES[status][0] for status in allowed)
        zh_next = f"，只能改為：{zh_allowed}" if allowed else "，案件已結束"
        en_next = ", ".join(allowed) or "nothing, the case is finished"
        raise TransitionError(
            f"「{STATUSES[current][0]}」的案件不能改為「{STATUSES[target][0]}」{zh_next} "
            f"(a case that is {current} cannot become {target}; it can become: {en_next})"
        )


def open311_status(status: str) -> str:
    """Open311's two states: finished cases are closed, everything else is open."""
    return "closed" if status in FINISHED_STATUSES else "open"
