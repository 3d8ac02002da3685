"""Signed check-in codes: what a code names, who may use it, and its URL (pages, API and agendas share it)."""
from __future__ import annotations

from flask import current_app, url_for

from .. import db
from .access import can_check_in_fair_meeting
from ..auth import current_actor
from . import attendance
from .records import Fair
from ..errors import DomainError


def check_in_target(token: str):
    """(fair, meeting, holder side) a check-in token names, or a 404."""
    sess = db.session()
    data = attendance.read_check_in_token(current_app.config["SECRET_KEY"], token)
    fair = sess.get(Fair, data[0]) if data else None
    meeting = attendance.pair_meeting(sess, fair, data[1], data[2]) if fair is not None else None
    if meeting is None:
        raise DomainError("not_found", "token: this check-in code names no meeting of a current schedule",
                          status=404,
                          fields=[{"field": "token", "problem": "names no meeting of a current schedule"}])
    return fair, meeting, data[3]


def may_check_in(fair, meeting, holder: str) -> bool:
    counterpart = meeting.maker if holder == "buyer" else meeting.buyer
    return can_check_in_fair_meeting(current_actor(), fair.association_id, counterpart.organization_id)


def check_in_url(fair, buyer_pid: int, maker_pid: int, holder: str, api: bool = False) -> str:
    token = attendance.check_in_token(current_app.config["SECRET_KEY"], fair.id, buyer_pid, maker_pid, holder)
    return url_for("api.get_fair_check_in" if api else "fairs.check_in", token=token, _external=True)
