"""Object rules of the consortia concern: who may read or act on which proposal or part.

Route rules (which roles reach an endpoint at all) are each view's ``@allow``. Here: a
proposal belongs to its coordinator firm; a sent proposal is also the requirement's
buyer's to read (as one offer with its plan); a part is its maker's to answer. Anything
else is a 404, so ids of other firms' proposals reveal nothing.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..i18n import gettext
from ..access import acts_for
from ..permissions import can_view_requirement, visible_requirement_filter
from ..requirements.records import Requirement
from .problem import requirement_stages
from .records import Part, Proposal
from .services import is_coordinator
from ..errors import DomainError
from ..catalog import N_


def not_found(what: str) -> DomainError:
    return DomainError("not_found", gettext("No such {what}.", what=gettext(what)), status=404)


def require_coordinator(user) -> None:
    if not is_coordinator(user):
        raise DomainError("forbidden", gettext("Only a coordinator firm builds consortia."), status=403)


def coordinator_requirement(session: Session, user, req_id: int) -> Requirement:
    require_coordinator(user)
    req = session.get(Requirement, req_id)
    if req is None or req.status != "open" or not can_view_requirement(user, req):
        raise not_found(N_("requirement"))
    if len(requirement_stages(req)) < 2:  # a team needs two stages to split between makers
        text = gettext("This requirement has fewer than two stages; a single maker serves it.")
        raise DomainError("invalid", text, status=422, fields=[{"field": "processes", "problem": text}])
    return req


def own_proposal(session: Session, user, proposal_id: int) -> Proposal:
    require_coordinator(user)
    proposal = session.get(Proposal, proposal_id)
    if proposal is None or not acts_for(user, proposal.coordinator_id):
        raise not_found(N_("proposal"))
    return proposal


def offer_for_buyer(session: Session, user, proposal_id: int) -> Proposal:
    proposal = session.get(Proposal, proposal_id)
    if proposal is None or proposal.status != "sent" or not acts_for(user, proposal.requirement.buyer_id):
        raise not_found(N_("offer"))
    return proposal


def own_part(session: Session, user, part_id: int) -> Part:
    part = session.get(Part, part_id)
    if part is None or not acts_for(user, part.maker_id):
        raise not_found(N_("part"))
    return part


__all__ = ["coordinator_requirement", "offer_for_buyer", "own_part", "own_proposal", "require_coordinator",
           "visible_requirement_filter"]
