"""Sending a consortium to the buyer as one quote, through the contact inquiry flow.

The coordinator's chosen team becomes an ordinary contact ``Quote`` (``maker_id`` = the
coordinator firm) on an ``Inquiry`` between the buyer's requirement and the coordinator, made
here or reused when the buyer had already written to the coordinator. The quote links its
proposal (``consortium_proposal_id``) so the buyer's inquiry page and quote comparison show
the stage plan beside it; anything built on quotes (accepting one as an order) works for it
unchanged. The proposal's status, the members' parts, the inquiry and the quote are written
in one transaction: a race ends with one winner and a 409, never a half-sent offer. The buyer
is told as of any new quote; no ranking outcome is logged (the coordinator is not a ranked maker).

What the buyer reads (:func:`offer_dict`): the consortium's total price, the plan, each stage's
member (the consortium is always declared) and its confirmation, and each stage's price only
when the coordinator chose to show it. Members' own prices for their parts stay with the
coordinator.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import taxonomy as tx
from ..contact import notify as nt
from ..contact.records import Inquiry, Quote
from ..contact.quotes import quote_dict
from ..organizations.records import Organization
from ..records import utcnow
from ..validation import LAST_DAY
from .records import Part, Proposal
from .services import invalid, latest_quote
from ..errors import Conflict
from ..catalog import N_

#: Days a quote is valid when the coordinator does not say.
VALID_DAYS = 30


def _firms(session: Session, maker_ids: set[int]) -> int:
    groups = session.execute(select(Organization.id, Organization.ownership_group_id)
                             .where(Organization.id.in_(maker_ids))).all()
    return len({f"g{g}" if g else f"m{i}" for i, g in groups})


def send(session: Session, proposal: Proposal, user, body) -> Proposal:
    """Send alternative ``body.chosen`` as the coordinator's quote; each member is asked to confirm."""
    if not 0 <= body.chosen < len(proposal.alternatives):
        raise invalid("chosen", N_("Pick one of the proposed teams."))
    req = proposal.requirement
    team = proposal.alternatives[body.chosen]
    makers = {a["maker_id"] for a in team["assignments"]}
    if (req.subcontracting or "allowed") == "forbidden" and _firms(session, makers) > 1:
        raise invalid("chosen", N_("The buyer forbids subcontracting: only a team of one firm can be sent."))
    if body.currency is not None and body.currency not in tx.CURRENCIES:
        raise invalid("currency", "Choose one of the listed currencies.")
    today = utcnow().date()
    if body.valid_until is not None and body.valid_until < today:
        raise invalid("valid_until", N_("The validity date must be today or later."))
    if body.valid_until is not None and body.valid_until > LAST_DAY:
        raise invalid("valid_until", N_("The validity date must be on or before {limit}."),
                      limit=LAST_DAY.isoformat())
    price = body.unit_price if body.unit_price is not None else team.get("unit_cost")
    if not price or price <= 0:
        raise invalid("unit_price", N_("Give the consortium's price per piece: no member's cost is known."))
    currency = body.currency or (req.currency if body.unit_price is not None else "USD")
    lead = max(1, min(365, int(team.get("lead_days") or 1)))
    now = utcnow()
    won = session.execute(update(Proposal).where(Proposal.id == proposal.id, Proposal.version == body.version,
                                                 Proposal.status == "draft")
                          .values(status="sent", chosen=body.chosen, sent_at=now, version=body.version + 1,
                                  show_stage_prices=body.show_stage_prices, updated_at=now)).rowcount
    if not won:
        session.rollback()
        raise Conflict(N_("The proposal was changed or sent meanwhile."))
    for a in team["assignments"]:
        session.add(Part(proposal_id=proposal.id, stage=a["stage"], maker_id=a["maker_id"], units=a["units"]))
    inq = session.scalar(select(Inquiry).where(Inquiry.requirement_id == req.id,
                                               Inquiry.maker_id == proposal.coordinator_id))
    if inq is not None and inq.status == "declined":
        session.rollback()
        raise Conflict(N_("You declined this buyer's inquiry on the requirement; it takes no offer."))
    if inq is None:
        inq = Inquiry(requirement_id=req.id, buyer_id=req.buyer_id, maker_id=proposal.coordinator_id,
                      created_at=now)
        session.add(inq)
    if inq.status != "accepted":
        inq.status, inq.answered_by_id, inq.answered_at = "accepted", user.id, now
    inq.last_activity_at = now
    session.flush()
    session.add(Quote(inquiry_id=inq.id, maker_id=proposal.coordinator_id, unit_price=round(float(price), 2),
                      currency=currency, lead_time_days=lead, moq=body.moq or req.quantity,
                      valid_until=body.valid_until or today + timedelta(days=VALID_DAYS), notes=body.notes,
                      created_by_id=user.id, created_at=now, consortium_proposal_id=proposal.id))
    try:
        nt.notify(session, inq, "quote", "buyer")
        session.commit()
    except IntegrityError as exc:  # another send made the inquiry at the same moment
        session.rollback()
        raise Conflict(N_("The proposal was changed or sent meanwhile.")) from exc
    session.expire(proposal)
    return proposal


def offer_dict(session: Session, proposal: Proposal) -> dict:
    """What the buyer reads: one quote from the coordinator, with its stage plan."""
    team = proposal.alternatives[proposal.chosen] if proposal.alternatives else {"assignments": [], "plan": []}
    status = {(p.stage, p.maker_id): p.status for p in proposal.parts}
    quote = latest_quote(session, proposal.id)
    stages = []
    for a in team["assignments"]:
        row = {"stage": a["stage"], "maker_id": a["maker_id"], "maker": a["maker"], "units": a["units"],
               "confirmation": status.get((a["stage"], a["maker_id"]), "asked")}
        if proposal.show_stage_prices:
            row["unit_price"] = a.get("unit_cost")
        stages.append(row)
    return {"id": proposal.id, "requirement_id": proposal.requirement_id, "requirement": proposal.requirement.title,
            "coordinator": proposal.coordinator.name, "sent_at": proposal.sent_at.isoformat() if proposal.sent_at
            else None, "lead_days": team.get("lead_days"), "plan": team.get("plan", []), "stages": stages,
            "inquiry_id": quote.inquiry_id if quote else None, "quote": quote_dict(quote) if quote else None}
