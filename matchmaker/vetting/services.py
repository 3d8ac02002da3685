"""The vetting workflow: reports → case → votes → decision → right of reply → reopening.

Every write runs in one transaction and commits whole or not at all (evidence files written
before a failed commit are deleted again). Role checks that depend on the record (recusal,
one vote per member, which association) are here and in ``vetting.access``; each view's ``@allow``
runs first. Views call the ``*_view`` functions, which decide what each audience may see:

* board and staff of the case's association: everything, reporters included (shared incidents
  of another association come without their reporter);
* members (makers): the decision, the risk band and aggregated signals, never a description or
  a reporter;
* the subject itself: its standing and the incidents against it, never who reported them;
* board and staff looking at a subject's status: their own association's standing and cases, and
  only the incidents their association may see (its own, plus verified shared ones).
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import false, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import events
from .access import can_review_association, can_vote_on_case
from ..accounts.records import User
from ..organizations.records import Association, Membership, Organization
from ..records import utcnow
from ..requirements.records import Requirement
from ..search.outbox import record_change
from ..errors import Conflict
from . import evidence as ev
from . import schemas as s
from .records import (
    SUBJECT_KINDS, Decision, EvidenceFile, Incident, PaymentExperience, Reference, Reply, Standing,
    VettingCase, Vote,
)
from .audit import AUDIT_ACTIONS, AUDIT_COLUMNS, audit, audit_csv  # noqa: F401  (re-exported)
from .clearance import CLEARED, cleared_subjects, is_cleared, standings, under_review  # noqa: F401
from .screening import assess, incident_scope, sharing_partners
from ..errors import DomainError
from ..catalog import N_
from ..i18n import lazy_gettext

# refusals of a lost race (fixed text, so pages show them in the reader's language through the catalog)
ALREADY_OPEN = N_("a case for this firm is already open in this association")
RECUSED = N_("you are recused from case {id}: {reason}")
ALREADY_DECIDED = N_("this case is already decided; reload the page to see the decision")


def _commit(session: Session) -> None:
    try:
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise Conflict("the change conflicts with an existing record") from exc


# -- who and where ----------------------------------------------------------------------------

def subject_org(session: Session, subject_id: int, field: str = "subject_id") -> Organization:
    org = session.get(Organization, subject_id)
    if org is None:
        raise DomainError("not_found", "no organization {id}", field=field, params={"id": subject_id}, status=404)
    if org.kind not in SUBJECT_KINDS:
        raise DomainError("invalid", "organization {id} is a {kind}: only buyers, buying agents and input vendors "
                          "are vetted", field=field, params={"id": subject_id, "kind": org.kind})
    return org


def member_associations(session: Session, org_id: int | None) -> list[int]:
    if org_id is None:
        return []
    return list(session.scalars(select(Membership.association_id).where(Membership.organization_id == org_id)
                                .order_by(Membership.association_id)))


def reporting_association(session: Session, user: User, requested: int | None) -> int:
    """The association a member's report goes to: one its firm belongs to."""
    if user.organization_id is None:
        raise DomainError("forbidden", "reports come from a member firm; your account has no firm",
                          status=403)
    mine = member_associations(session, user.organization_id)
    if requested is not None:
        if requested not in mine:
            raise DomainError("forbidden", "your firm is not a member of association {id}",
                              params={"id": requested}, field="association_id", status=403)
        return requested
    if user.association_id in mine:
        return user.association_id
    if not mine:
        raise DomainError("forbidden", "your firm is not a member of any association", status=403)
    return mine[0]


def board_association(user: User, requested: int | None) -> int:
    """Staff and board act for their own association only."""
    if user.association_id is None:
        raise DomainError("forbidden", "your account is not attached to an association", status=403)
    if requested is not None and requested != user.association_id:
        raise DomainError("forbidden", "you act only for your own association", field="association_id",
                          status=403)
    return user.association_id


# -- reports ----------------------------------------------------------------------------------

def _check_not_self(user: User, subject_id: int) -> None:
    if user.organization_id == subject_id:
        raise DomainError("invalid", "a firm cannot report about itself", field="subject_id")


def report_payment(session: Session, user: User, data: s.PaymentIn) -> PaymentExperience:
    subject_org(session, data.subject_id)
    _check_not_self(user, data.subject_id)
    assoc = reporting_association(session, user, data.association_id)
    row = PaymentExperience(
        subject_id=data.subject_id, association_id=assoc, reporter_org_id=user.organization_id,
        reported_by_id=user.id, invoice_date=data.invoice_date, amount=data.amount, currency=data.currency,
        terms_days=data.terms_days, due_date=data.due_date or data.invoice_date + timedelta(days=data.terms_days),
        paid_date=data.paid_date, paid_amount=data.paid_amount, deposit_share=data.deposit_share)
    session.add(row)
    session.flush()
    audit(session, user, "payment_reported", assoc, data.subject_id, record_id=row.id)
    _commit(session)
    return row


def report_incident(session: Session, user: User, data: s.IncidentIn,
                    files: list[ev.CheckedFile] = ()) -> Incident:
    """A new incident (status hearsay until the board verifies it), with its evidence files."""
    subject_org(session, data.subject_id)
    _check_not_self(user, data.subject_id)
    assoc = reporting_association(session, user, data.association_id)
    if len(files) > ev.MAX_FILES_PER_INCIDENT:
        raise DomainError("invalid", "at most {limit} evidence files",
                          field="evidence", params={"limit": ev.MAX_FILES_PER_INCIDENT})
    row = Incident(subject_id=data.subject_id, association_id=assoc, reporter_org_id=user.organization_id,
                   reported_by_id=user.id, type=data.type, severity=int(data.severity),
                   occurred_on=data.occurred_on, description=data.description, status="hearsay")
    session.add(row)
    session.flush()
    _attach(session, user, row, list(files))
    audit(session, user, "incident_reported", assoc, data.subject_id, record_id=row.id, files=len(files))
    return row


def _attach(session: Session, user: User, incident: Incident, files: list[ev.CheckedFile]) -> None:
    """Store files, add their rows and commit; on any failure the files are removed again."""
    stored: list[str] = []
    try:
        for f in files:
            name = ev.store(f)
            stored.append(name)
            session.add(EvidenceFile(incident_id=incident.id, original_name=f.original_name, stored_name=name,
                                     content_type=f.content_type, size_bytes=len(f.data), sha256=f.sha256,
                                     uploaded_by_id=user.id))
        _commit(session)
    except BaseException:
        session.rollback()
        ev.discard(stored)
        raise


def add_evidence(session: Session, user: User, incident: Incident, files: list[ev.CheckedFile]) -> None:
    if not (user.organization_id == incident.reporter_org_id or can_review_association(
            user, incident.association_id)):
        raise DomainError("forbidden", "only the reporting firm or the board may add evidence", status=403)
    have = session.scalar(select(func.count()).select_from(EvidenceFile)
                          .where(EvidenceFile.incident_id == incident.id))
    if have + len(files) > ev.MAX_FILES_PER_INCIDENT:
        raise DomainError("invalid", "at most {limit} evidence files per incident",
                          field="evidence", params={"limit": ev.MAX_FILES_PER_INCIDENT})
    audit(session, user, "incident_reported", incident.association_id, incident.subject_id,
          record_id=incident.id, files_added=len(files))
    _attach(session, user, incident, files)


def report_reference(session: Session, user: User, data: s.ReferenceIn) -> Reference:
    subject_org(session, data.subject_id)
    _check_not_self(user, data.subject_id)
    assoc = reporting_association(session, user, data.association_id)
    row = Reference(subject_id=data.subject_id, association_id=assoc, reporter_org_id=user.organization_id,
                    reported_by_id=user.id, type=data.type, occurred_on=data.occurred_on, note=data.note)
    session.add(row)
    session.flush()
    audit(session, user, "reference_reported", assoc, data.subject_id, record_id=row.id)
    _commit(session)
    return row


def set_incident_status(session: Session, user: User, incident: Incident, data: s.IncidentStatusIn) -> Incident:
    """Board/staff verify or mark hearsay; the reporting firm (or board/staff) withdraw.

    A newly verified incident reopens the subject's case in its association and in every
    association that receives it through sharing and has vetted the subject.
    """
    board = can_review_association(user, incident.association_id)
    if data.status == "disputed":
        raise DomainError("invalid", "only the buyer disputes an incident, through its reply",
                          field="status")
    if data.status == "withdrawn":
        if not (board or user.organization_id == incident.reporter_org_id):
            raise DomainError("forbidden", "only the reporting firm or the board may withdraw an incident",
                              status=403)
    elif not board:
        raise DomainError("forbidden", "only the board or staff of the incident's association may "
                           "verify an incident",
                          status=403)
    before = incident.status
    incident.status = data.status
    incident.status_changed_at = utcnow()
    audit(session, user, "incident_status", incident.association_id, incident.subject_id,
          record_id=incident.id, before=before, after=data.status, note=data.note)
    if data.status == "verified" and before != "verified":
        reopen_for_incident(session, incident, user)
    _commit(session)
    return incident


# -- cases ------------------------------------------------------------------------------------

def open_case_for(session: Session, association_id: int) -> dict[int, VettingCase]:
    return {c.subject_id: c for c in session.scalars(select(VettingCase).where(
        VettingCase.association_id == association_id, VettingCase.status == "open"))}


def _open_case(session: Session, actor: User | None, association_id: int, subject_id: int, origin: str,
               note: str = "", reuse_open: bool = True) -> VettingCase:
    """Open a case, or return the open one (``reuse_open``; else an open case is a :class:`Conflict`)."""
    existing = session.scalar(select(VettingCase).where(
        VettingCase.association_id == association_id, VettingCase.subject_id == subject_id,
        VettingCase.status == "open"))
    if existing is not None:
        if not reuse_open:  # an application or proposal that lost a race to a parallel one
            raise Conflict(ALREADY_OPEN)
        return existing
    score = assess(session, [subject_id], association_id)[subject_id]
    case = VettingCase(association_id=association_id, subject_id=subject_id, origin=origin, note=note,
                       opened_by_id=actor.id if actor else None, status="open",
                       opening_score=score.to_dict("en", with_reasons=False))
    session.add(case)
    try:
        session.flush()
    except IntegrityError as exc:
        # a parallel request opened the case first (uq_vcase_open held): one winner, the rest 409
        session.rollback()
        raise Conflict(ALREADY_OPEN) from exc
    audit(session, actor, "case_reopened" if origin in ("new_verified_incident", "review_due") else "case_opened",
          association_id, subject_id, case.id, origin=origin)
    return case


def apply(session: Session, user: User, data: s.ApplicationIn) -> VettingCase:
    """A buyer (or input vendor) asks an association to vet it."""
    if user.organization_id is None:
        raise DomainError("forbidden", "your account has no firm to apply for", status=403)
    subject_org(session, user.organization_id)
    if session.get(Association, data.association_id) is None:
        raise DomainError("not_found", "no association {id}", field="association_id",
                          params={"id": data.association_id}, status=404)
    _refuse_duplicate(session, data.association_id, user.organization_id)
    case = _open_case(session, user, data.association_id, user.organization_id, "application", data.note,
                      reuse_open=False)
    _commit(session)
    return case


def propose(session: Session, user: User, data: s.ProposalIn) -> VettingCase:
    """A member firm (or the board/staff) asks its association to vet a subject."""
    subject_org(session, data.subject_id)
    if user.role in ("association_staff", "board_member"):
        assoc = board_association(user, data.association_id)
    else:
        assoc = reporting_association(session, user, data.association_id)
        _check_not_self(user, data.subject_id)
    _refuse_duplicate(session, assoc, data.subject_id)
    case = _open_case(session, user, assoc, data.subject_id, "proposal", data.note, reuse_open=False)
    _commit(session)
    return case


def _refuse_duplicate(session: Session, association_id: int, subject_id: int) -> None:
    existing = session.scalar(select(VettingCase.id).where(
        VettingCase.association_id == association_id, VettingCase.subject_id == subject_id,
        VettingCase.status == "open"))
    if existing is not None:
        raise Conflict(ALREADY_OPEN)


def reopen_for_incident(session: Session, incident: Incident, actor: User | None) -> list[VettingCase]:
    """A new verified incident reopens the case where the subject has been vetted or is pending."""
    assocs = {incident.association_id}
    partners = sharing_partners(session, incident.association_id)
    if partners:
        assocs |= set(session.scalars(select(Standing.association_id).where(
            Standing.subject_id == incident.subject_id, Standing.association_id.in_(partners))))
    return [_open_case(session, actor, a, incident.subject_id, "new_verified_incident",
                       f"incident {incident.id} verified") for a in sorted(assocs)]


def reopen_due(session: Session, today: date | None = None, association_id: int | None = None) -> int:
    """Open a case for every standing whose review date has come (and has no open case)."""
    today = today or date.today()
    stmt = select(Standing).where(Standing.review_date <= today)
    if association_id is not None:
        stmt = stmt.where(Standing.association_id == association_id)
    n = 0
    for st in session.scalars(stmt).all():
        if session.scalar(select(VettingCase.id).where(
                VettingCase.association_id == st.association_id, VettingCase.subject_id == st.subject_id,
                VettingCase.status == "open")) is None:
            _open_case(session, None, st.association_id, st.subject_id, "review_due",
                       f"review date {st.review_date.isoformat()} reached")
            n += 1
    if n:
        _commit(session)
    return n


# -- recusal, votes, decisions ----------------------------------------------------------------

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
        _commit(session)
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
        _commit(session)
    except (IntegrityError, Conflict):
        session.rollback()
        raise DomainError("case_closed", ALREADY_DECIDED, status=409) from None
    return decision


def set_standing(session: Session, association_id: int, subject_id: int, decision: Decision) -> None:
    """Replace the standing and queue the subject's requirements for the search index (same transaction)."""
    st = session.get(Standing, (association_id, subject_id))
    if st is None:
        st = Standing(association_id=association_id, subject_id=subject_id)
        session.add(st)
    st.outcome, st.conditions, st.decision_id = decision.outcome, list(decision.conditions), decision.id
    st.review_date, st.updated_at = decision.review_date, utcnow()
    # The index keeps the highest document version, so the requirement rows are touched (their
    # optimistic-lock version goes up) and re-queued: the new clearance reaches the index.
    for req in session.scalars(select(Requirement).where(Requirement.buyer_id == subject_id)):
        req.updated_at = utcnow()
        record_change(session, "requirements", req.id)


# -- right of reply ---------------------------------------------------------------------------

def reply(session: Session, user: User, data: s.ReplyIn) -> Reply:
    subject_id = user.organization_id
    if subject_id is None:
        raise DomainError("forbidden", "your account has no firm", status=403)
    subject_org(session, subject_id)
    incident = None
    if data.incident_id is not None:
        incident = session.get(Incident, data.incident_id)
        if incident is None or incident.subject_id != subject_id or incident.status == "withdrawn":
            raise DomainError("not_found", "no incident {id} about your firm",
                              params={"id": data.incident_id}, field="incident_id", status=404)
    row = Reply(subject_id=subject_id, incident_id=data.incident_id, author_id=user.id, body=data.body,
                disputes=data.dispute)
    session.add(row)
    session.flush()
    if incident is not None and data.dispute and incident.status != "disputed":
        before = incident.status
        incident.status, incident.status_changed_at = "disputed", utcnow()
        audit(session, user, "incident_status", incident.association_id, subject_id, record_id=incident.id,
              before=before, after="disputed", reply_id=row.id)
    for assoc in _subject_associations(session, subject_id, incident):
        audit(session, user, "reply", assoc, subject_id, reply_id=row.id, incident_id=data.incident_id,
              dispute=data.dispute)
    events.incident_replied.send(session, reply=row, incident=incident)
    _commit(session)
    return row


def visible_replies(session: Session, subject_id: int, association_id: int | None, incident_ids: list[int],
                    scoped: bool = True) -> list[Reply]:
    """The subject's replies an association may read: about incidents it sees, or general ones once it
    has had a case about the subject. Unscoped (the subject, the admin): every reply."""
    stmt = select(Reply).where(Reply.subject_id == subject_id).order_by(Reply.id.desc())
    if scoped:
        general = Reply.incident_id.is_(None)
        if association_id is None or session.scalar(select(VettingCase.id).where(
                VettingCase.subject_id == subject_id, VettingCase.association_id == association_id).limit(1)) is None:
            general = false()
        stmt = stmt.where(or_(general, Reply.incident_id.in_(incident_ids)))
    return list(session.scalars(stmt))


def _subject_associations(session: Session, subject_id: int, incident: Incident | None) -> list[int]:
    if incident is not None:
        return [incident.association_id]
    found = set(session.scalars(select(VettingCase.association_id).where(VettingCase.subject_id == subject_id)))
    return sorted(found) or [None]
