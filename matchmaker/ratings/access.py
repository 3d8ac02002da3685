"""Object rules of the ratings concern: who reads which firm's aggregates, and who reads comments.

Route rules (which roles reach an endpoint at all) are each view's ``@allow``. Here:

* a firm's aggregates in one direction are read by the firm itself, by the side that deals with
  it (makers read buyers' purchasing practices and vendors' performance; buyers read makers'
  performance), by the association's people and the platform admin. A competitor (a buyer
  looking at another buyer, a maker at another maker) sees nothing: the direction is left out.
* individual ratings and raters are read by nobody through any page or API; comments are read
  by the board members of the association the rating was given in, without rater, date or
  order (``services.board_comments``), and by nobody else, the rated firm included.
"""
from __future__ import annotations

from ..access import acts_for, is_admin

ASSOCIATION_ROLES = {"association_staff", "board_member", "fair_organizer"}
#: the role that deals with the rated firm, per direction
COUNTERPARTS = {"buyer_practices": "maker_user", "maker_performance": "buyer_user",
                "vendor_performance": "maker_user"}


def can_read_aggregates(user, org_id: int, direction: str) -> bool:
    if user is None:
        return False
    if is_admin(user) or user.role in ASSOCIATION_ROLES or acts_for(user, org_id):
        return True
    return COUNTERPARTS.get(direction) == user.role


def can_read_comments(user, association_id: int | None) -> bool:
    """Board members of that association only (not staff, not the platform admin)."""
    return (user is not None and user.role == "board_member" and association_id is not None
            and user.association_id == association_id)


def board_association(user) -> int | None:
    """The association whose members' ratings the user reviews (board and staff of one association)."""
    if user is not None and user.role in {"board_member", "association_staff"}:
        return user.association_id
    return None
