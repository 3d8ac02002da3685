"""The board on a case: who is recused, one vote per member, and the decision.

A board member whose firm (or ownership group) is party to the case is recused. Votes and the
decision of one case are serialised by claiming the open case first (:func:`_claim_open_case`), so a
case is decided once and a vote never lands on a closed case. The decision replaces the subject's
standing (``services.set_standing``) and tells the other concerns (``events.vetting_decided``).
"""
from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import events
from .access import can_vote_on_case
from ..accounts.records import User
from ..organizations.records import Organization
from ..records import utcnow
from ..errors import Conflict
from . import schemas as s
from .audit import audit
from .records import Decision, Incident, PaymentExperience, Reference, VettingCase, Vote
from .screening import incident_scope
from .services import commit, set_standing
from ..errors import DomainError
from ..catalog import N_
from ..i18n import lazy_gettext

# refusals of a lost race (fixed text, so pages show them in the reader's language through the catalog)
RECUSED = N_("you are recused from case {id}: {reason}")
ALREADY_DECIDED = N_("this case is already decided; reload the page to see the decision")


def party_firms(session: Session, case: VettingCase) -> dict[int, str]:
    """Firms party to the case -> why: the subject, every reporting firm, and their ownership groups."""
    parties: dict[int, str] = {case.subject_id: N_("your firm is the subject of this case")}
    sources = (
        (PaymentExperience, PaymentExperience.association_id == case.association_id,
         N_("your firm reported a payment experience about this firm")),
        (Incident, incident_scope(session, case.association_id), N_("your firm reported an incident about this firm")),
        (Reference, Reference.association_id == case.association_id, N_("your firm gave a reference about this firm")),
    )
    for model, scope, why in sources:
        for org in session.scalars(select(model.reporter_org_id).distinct().where(
                model.subject_id == case.subject_id, scope)):
            parties.setdefault(org, why)
    from ..vendors.records import VendorPurchase  # input vendors: a firm that bought from the vendor is a party
    for org in session.scalars(select(VendorPurchase.member_org_id).distinct().where(
            VendorPurchase.vendor_id == case.subject_id, VendorPurchase.association_id == case.association_id)):
        parties.setdefault(org, N_("your firm recorded a purchase from this firm"))
    groups = dict(session.execute(select(Organization.id, Organization.ownership_group_id).where(
        Organization.id.in_(list(parties)), Organization.ownership_group_id.is_not(None))).all())
    if groups:
        for org in session.scalars(select(Organization.id).where(
                Organization.ownership_group_id.in_(set(groups.values())))):
            parties.setdefault(org, N_("a firm of your ownership group is party to this case"))
    return parties


def recusal_reason(session: Session, case: VettingCase, user: User, parties: dict | None = None) -> str | None:
    if user.organization_id is None:
        return None
    parties = party_firms(session, case) if parties is None else parties
    return parties.get(user.organization_id)


def _check_board_member(user: User, case: VettingCase) -> None:
    if not can_vote_on_case(user, case):
        raise DomainError("forbidden", "only board members of the case's association vote and decide",
                          status=403)
    if case.status != "open":
        raise DomainError("case_closed", ALREADY_DECIDED, status=409)


def _claim_open_case(session: Session, case: VettingCase, close: bool) -> None:
    """Serialise votes and the decision of one case: a conditional UPDATE ... WHERE status = 'open'.

    It is the transaction's first write, so it waits for any other vote or decision on the case
    (PostgreSQL's row lock, SQLite's write lock) and then sees the committed state: a case decided
    in the meantime matches no row, and the request is refused with 409 instead of writing a second
    decision (or a vote on a closed case). Votes "update" the status to itself only to take the lock.
    """
    values = {"status": "decided", "closed_at": utcnow()} if close else {"status": "open"}
    done = session.execute(update(VettingCase).where(VettingCase.id == case.id, VettingCase.status == "open")
                           .values(**values).execution_options(synchronize_session=False)).rowcount
    if done != 1:
        session.rollback()
        raise DomainError("case_closed", ALREADY_DECIDED, status=409)


def cast_vote(session: Session, user: User, case: VettingCase, data: s.VoteIn) -> Vote:
    _check_board_member(user, case)
    reason = recusal_reason(session, case, user)
    if reason:
        raise DomainError("recused", RECUSED, status=403, params={"id": case.id, "reason": lazy_gettext(reason)})
    if session.scalar(select(Vote.id).where(Vote.case_id == case.id, Vote.voter_id == user.id)) is not None:
        raise DomainError("already_voted", "you have already voted on this case; one vote per member",
                          field="vote", status=409)
    _claim_open_case(session, case, close=False)
    vote = Vote(case_id=case.id, voter_id=user.id, voter_org_id=user.organization_id, vote=data.vote,
                comment=data.comment)
    session.add(vote)
    try:
        session.flush()
        audit(session, user, "vote", case.association_id, case.subject_id, case.id, vote=data.vote)
        commit(session)
    except (IntegrityError, Conflict):
        session.rollback()
        raise DomainError("already_voted", "you have already voted on this case; one vote per member",
                          field="vote", status=409) from None
    return vote


def decide(session: Session, user: User, case: VettingCase, data: s.DecisionIn) -> Decision:
    """The board's decision: closes the case, replaces the standing, re-queues the subject's requirements."""
    _check_board_member(user, case)
    reason = recusal_reason(session, case, user)
    if reason:
        raise DomainError("recused", RECUSED, status=403, params={"id": case.id, "reason": lazy_gettext(reason)})
    if session.scalar(select(func.count()).select_from(Vote).where(Vote.case_id == case.id)) == 0:
        raise DomainError("no_votes", "the board has not voted on this case yet; record at least one vote",
                          status=409)
    _claim_open_case(session, case, close=True)
    decision = Decision(case_id=case.id, association_id=case.association_id, subject_id=case.subject_id,
                        outcome=data.outcome, conditions=list(data.conditions), deposit_share=data.deposit_share,
                        rationale=data.rationale, review_date=data.review_date, decided_by_id=user.id)
    session.add(decision)
    try:
        session.flush()  # uq_vdec_case: one decision per case, even if the claim above were bypassed
        set_standing(session, case.association_id, case.subject_id, decision)
        case.status, case.decision_id, case.closed_at = "decided", decision.id, utcnow()
        audit(session, user, "decision", case.association_id, case.subject_id, case.id, outcome=data.outcome,
              conditions=list(data.conditions), review_date=data.review_date.isoformat(), decision_id=decision.id)
        events.vetting_decided.send(session, case=case, decision=decision)
        commit(session)
    except (IntegrityError, Conflict):
        session.rollback()
        raise DomainError("case_closed", ALREADY_DECIDED, status=409) from None
    return decision
