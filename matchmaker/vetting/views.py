"""What each audience of the vetting workflow sees: members, the board and staff, and the subject.

* members (makers): the decision, the risk band and aggregated signals, never a description or a
  reporter (:func:`member_view`, :func:`aggregated_signals`);
* board and staff of the case's association: everything, reporters included (:func:`case_view`);
* the subject itself: its standing and the incidents against it, never who reported them
  (:func:`subject_view`).

Split from :mod:`.services` (the workflow's writes), which it reads and never the other way round.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import false, func, select
from sqlalchemy.orm import Session

from .access import can_review_association, can_vote_on_case
from ..access import acts_for, is_admin
from ..accounts.records import User
from ..organizations.records import Association, Organization
from .records import (
    Decision, EvidenceFile, Incident, PaymentExperience, Reference, Standing,
    VettingCase, Vote,
)
from .audit import audit
from .clearance import standings, under_review
from .screening import assess, incident_scope
from .decisions import party_firms
from .replies import visible_replies
from .services import NO_ASSOCIATION, commit


# -- aggregated signals (what members see) -----------------------------------------------------

def aggregated_signals(session: Session, subject_ids: list[int], association_id: int | None) -> dict[int, dict]:
    """Counts only: incidents by type and by severity (withdrawn left out), verified vs not,
    distinct reporting firms, payment experiences and references. No text, no reporter."""
    out = {b: {"incidents_by_type": {}, "incidents_by_severity": {}, "verified_incidents": 0,
               "unverified_incidents": 0, "payment_experiences": 0, "references": 0, "reporting_firms": 0}
           for b in subject_ids}
    if not subject_ids:
        return out
    firms: dict[int, set] = defaultdict(set)
    inc = session.execute(select(Incident.subject_id, Incident.type, Incident.severity, Incident.status,
                                 Incident.reporter_org_id).where(
        Incident.subject_id.in_(subject_ids), Incident.status != "withdrawn",
        incident_scope(session, association_id))).all()
    by_type: dict[int, Counter] = defaultdict(Counter)
    by_sev: dict[int, Counter] = defaultdict(Counter)
    for b, typ, sev, status, rep in inc:
        by_type[b][typ] += 1
        by_sev[b][str(sev)] += 1
        out[b]["verified_incidents" if status == "verified" else "unverified_incidents"] += 1
        firms[b].add(rep)
    for model, key in ((PaymentExperience, "payment_experiences"), (Reference, "references")):
        stmt = select(model.subject_id, model.reporter_org_id).where(model.subject_id.in_(subject_ids))
        if association_id is not None:
            stmt = stmt.where(model.association_id == association_id)
        for b, rep in session.execute(stmt):
            out[b][key] += 1
            firms[b].add(rep)
    for b in subject_ids:
        out[b]["incidents_by_type"] = dict(by_type[b])
        out[b]["incidents_by_severity"] = dict(by_sev[b])
        out[b]["reporting_firms"] = len(firms[b])
    return out


def standing_dict(st: Standing | None, reviewing: bool) -> dict:
    if st is None:
        return {"status": "under_review" if reviewing else "not_vetted", "outcome": None, "conditions": [],
                "review_date": None, "under_review": reviewing}
    return {"status": st.outcome, "outcome": st.outcome, "conditions": list(st.conditions or []),
            "review_date": st.review_date.isoformat(), "under_review": reviewing}


def directory_query(kinds, q: str = ""):
    """The ids the members' directory (``/vetting/buyers``) lists, in its order: subjects of ``kinds`` whose
    name contains ``q``."""
    stmt = select(Organization.id).where(Organization.kind.in_(list(kinds))).order_by(Organization.name,
                                                                                      Organization.id)
    if q:
        esc = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(Organization.name.ilike(f"%{esc}%", escape="\\"))
    return stmt


def member_view(session: Session, subject_ids: list[int], association_id: int | None, actor: User | None,
                lang: str = "en") -> list[dict]:
    """What members see of each subject: status, risk band, aggregated signals. Logged as score_shown."""
    orgs = {o.id: o for o in session.scalars(select(Organization).where(Organization.id.in_(subject_ids)))}
    sts = standings(session, subject_ids, association_id)
    reviewing = under_review(session, subject_ids, association_id)
    scores = assess(session, subject_ids, association_id)
    signals = aggregated_signals(session, subject_ids, association_id)
    if subject_ids:
        audit(session, actor, "score_shown", None if association_id == NO_ASSOCIATION else association_id, None,
              view="member_directory", subjects=list(subject_ids))
    items = []
    for b in subject_ids:
        org = orgs[b]
        items.append({"id": b, "name": org.name, "kind": org.kind, "country": org.country,
                      "standing": standing_dict(sts.get(b), b in reviewing),
                      "risk_band": scores[b].band, "signals": signals[b]})
    return items


# -- the case page (board and staff) ------------------------------------------------------------

def case_view(session: Session, case: VettingCase, actor: User, lang: str = "en") -> dict:
    """Everything the board sees about a case. Logs the score shown and the disclosure of details."""
    subject = session.get(Organization, case.subject_id)
    sid, aid = case.subject_id, case.association_id
    screening = assess(session, [sid], aid)[sid]
    names = {}

    def name(org_id):
        if org_id not in names:
            names[org_id] = None
        return org_id

    payments = session.scalars(select(PaymentExperience).where(
        PaymentExperience.subject_id == sid, PaymentExperience.association_id == aid)
        .order_by(PaymentExperience.invoice_date.desc(), PaymentExperience.id.desc())).all()
    incidents = session.scalars(select(Incident).where(Incident.subject_id == sid, incident_scope(session, aid))
                                .order_by(Incident.occurred_on.desc(), Incident.id.desc())).all()
    references = session.scalars(select(Reference).where(Reference.subject_id == sid, Reference.association_id == aid)
                                 .order_by(Reference.occurred_on.desc())).all()
    files = defaultdict(list)
    # a shared incident comes without its files: their names are the reporter's, and only the association
    # that received them may download them (``evidence.download``)
    with_files = [i.id for i in incidents if can_review_association(actor, i.association_id)]
    if with_files:
        for f in session.scalars(select(EvidenceFile).where(
                EvidenceFile.incident_id.in_(with_files)).order_by(EvidenceFile.id)):
            files[f.incident_id].append(f)
    votes = session.scalars(select(Vote).where(Vote.case_id == case.id).order_by(Vote.id)).all()
    replies = visible_replies(session, sid, aid, [i.id for i in incidents], scoped=not is_admin(actor))
    decisions = session.scalars(select(Decision).where(Decision.subject_id == sid, Decision.association_id == aid)
                                .order_by(Decision.id.desc())).all()
    parties = party_firms(session, case)
    board = session.scalars(select(User).where(User.role == "board_member", User.association_id == aid,
                                               User.active.is_(True)).order_by(User.name, User.id)).all()
    for org_id in {p.reporter_org_id for p in payments} | {i.reporter_org_id for i in incidents} | \
            {r.reporter_org_id for r in references} | {u.organization_id for u in board if u.organization_id}:
        name(org_id)
    names.update(dict(session.execute(select(Organization.id, Organization.name)
                                      .where(Organization.id.in_(list(names)))).all()))
    user_ids = {v.voter_id for v in votes} | {d.decided_by_id for d in decisions if d.decided_by_id}
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(user_ids)))} if user_ids else {}
    voted = {v.voter_id for v in votes}
    board_rows = [{"id": u.id, "name": u.name, "firm": names.get(u.organization_id),
                   "recused": parties.get(u.organization_id) if u.organization_id else None,
                   "voted": u.id in voted} for u in board]
    tally = Counter(v.vote for v in votes)
    my_recusal = parties.get(actor.organization_id) if actor.organization_id else None
    audit(session, actor, "score_shown", aid, sid, case.id, status=screening.status,
          probability=screening.probability, risk_band=screening.risk_band, model_version=screening.model_version)
    audit(session, actor, "disclosure", aid, sid, case.id, what="case details and reporters",
          incidents=len(incidents), payments=len(payments))
    commit(session)
    return {
        "case": case, "subject": subject, "screening": screening, "score": screening.to_dict(lang),
        "payments": payments, "incidents": incidents, "references": references, "files": files,
        "votes": votes, "tally": dict(tally), "replies": replies, "decisions": decisions, "board": board_rows,
        "names": names, "users": users, "my_recusal": my_recusal, "already_voted": actor.id in voted,
        "can_vote": can_vote_on_case(actor, case) and case.status == "open" and not my_recusal,
        "own_association": aid,
        "signals": aggregated_signals(session, [sid], aid)[sid],
        "standing": session.get(Standing, (aid, sid)),
    }


def case_json(view: dict) -> dict:
    """The case page as JSON (board and staff only)."""
    case, names = view["case"], view["names"]
    aid = view["own_association"]

    def reporter(row):
        shared = getattr(row, "association_id", aid) != aid
        return None if shared else {"organization_id": row.reporter_org_id, "name": names.get(row.reporter_org_id)}

    return {
        "id": case.id, "association_id": case.association_id, "status": case.status, "origin": case.origin,
        "opened_at": case.opened_at.isoformat(), "note": case.note, "opening_score": case.opening_score,
        "subject": {"id": view["subject"].id, "name": view["subject"].name, "kind": view["subject"].kind},
        "score": view["score"], "signals": view["signals"],
        "payments": [{"id": p.id, "invoice_date": p.invoice_date.isoformat(), "amount": p.amount,
                      "currency": p.currency, "terms_days": p.terms_days, "due_date": p.due_date.isoformat(),
                      "paid_date": p.paid_date.isoformat() if p.paid_date else None, "paid_amount": p.paid_amount,
                      "deposit_share": p.deposit_share, "reporter": reporter(p)} for p in view["payments"]],
        "incidents": [{"id": i.id, "type": i.type, "severity": i.severity, "occurred_on": i.occurred_on.isoformat(),
                       "status": i.status, "description": i.description, "shared_from":
                       None if i.association_id == aid else i.association_id, "reporter": reporter(i),
                       "evidence": [{"id": f.id, "name": f.original_name, "content_type": f.content_type,
                                     "size_bytes": f.size_bytes} for f in view["files"].get(i.id, [])]}
                      for i in view["incidents"]],
        "references": [{"id": r.id, "type": r.type, "occurred_on": r.occurred_on.isoformat(), "note": r.note,
                        "reporter": reporter(r)} for r in view["references"]],
        "votes": [{"voter_id": v.voter_id, "vote": v.vote, "comment": v.comment,
                   "at": v.created_at.isoformat()} for v in view["votes"]],
        "tally": view["tally"],
        "board": view["board"],
        "replies": [{"id": r.id, "incident_id": r.incident_id, "body": r.body, "disputes": r.disputes,
                     "at": r.created_at.isoformat()} for r in view["replies"]],
        "decisions": [decision_dict(d) for d in view["decisions"]],
    }


def decision_dict(d: Decision) -> dict:
    return {"id": d.id, "case_id": d.case_id, "outcome": d.outcome, "conditions": list(d.conditions or []),
            "deposit_share": d.deposit_share, "rationale": d.rationale, "review_date": d.review_date.isoformat(),
            "decided_at": d.decided_at.isoformat()}


def case_summary(case: VettingCase, subject: Organization) -> dict:
    return {"id": case.id, "association_id": case.association_id, "status": case.status, "origin": case.origin,
            "opened_at": case.opened_at.isoformat(), "subject": {"id": subject.id, "name": subject.name,
                                                                 "kind": subject.kind},
            "opening_score": case.opening_score, "decision_id": case.decision_id}


def queue(session: Session, association_id: int, status: str = "open") -> list[tuple[VettingCase, Organization, int]]:
    votes = (select(func.count()).where(Vote.case_id == VettingCase.id).correlate(VettingCase).scalar_subquery())
    return session.execute(select(VettingCase, Organization, votes)
                           .join(Organization, Organization.id == VettingCase.subject_id)
                           .where(VettingCase.association_id == association_id, VettingCase.status == status)
                           .order_by(VettingCase.opened_at.desc(), VettingCase.id.desc()).limit(500)).all()


# -- the subject's own view (right of reply) ----------------------------------------------------

def subject_view(session: Session, subject_id: int, actor: User) -> dict:
    """The subject's status page: its standings, open cases, incidents against it (no reporter), its replies.

    The subject itself and the platform admin see every association's part. Board and staff of an
    association see only their own standing and cases, their own incidents plus the *verified*
    incidents of associations sharing with theirs (mutual opt-in), and the replies about those.
    """
    scoped = not (is_admin(actor) or acts_for(actor, subject_id))
    viewer = actor.association_id if scoped else None
    standing_q = select(Standing, Association.name).join(
        Association, Association.id == Standing.association_id).where(Standing.subject_id == subject_id)
    case_q = select(VettingCase, Association.name).join(
        Association, Association.id == VettingCase.association_id).where(
        VettingCase.subject_id == subject_id, VettingCase.status == "open")
    incident_q = select(Incident).where(Incident.subject_id == subject_id, Incident.status != "withdrawn")
    if scoped:
        standing_q = standing_q.where(Standing.association_id == viewer)
        case_q = case_q.where(VettingCase.association_id == viewer)
        incident_q = incident_q.where(incident_scope(session, viewer) if viewer is not None else false())
    rows = session.execute(standing_q.order_by(Association.name)).all()
    open_cases = session.execute(case_q).all()
    incidents = session.scalars(incident_q.order_by(Incident.occurred_on.desc(), Incident.id.desc())).all()
    replies = visible_replies(session, subject_id, viewer if scoped else None, [i.id for i in incidents], scoped)
    reviewing = {c.association_id for c, _ in open_cases}
    assoc_names = dict(session.execute(select(Association.id, Association.name)).all())
    what = "standing and incidents to another association" if scoped else "own standing and incidents to the subject"
    assocs = [viewer] if scoped else sorted({st.association_id for st, _ in rows} | reviewing) or [None]
    for assoc in assocs:
        audit(session, actor, "disclosure", assoc, subject_id, what=what, incidents=len(incidents))
    commit(session)
    return {
        "subject_id": subject_id,
        "standings": [dict(standing_dict(st, st.association_id in reviewing), association_id=st.association_id,
                           association=name) for st, name in rows],
        "open_cases": [{"id": c.id, "association_id": c.association_id, "association": name,
                        "origin": c.origin, "opened_at": c.opened_at.isoformat()} for c, name in open_cases],
        # deliberately no reporter, no description, no evidence: the subject never learns who reported
        "incidents": [{"id": i.id, "type": i.type, "severity": i.severity, "occurred_on": i.occurred_on.isoformat(),
                       "status": i.status, "association": assoc_names.get(i.association_id)} for i in incidents],
        "replies": [{"id": r.id, "incident_id": r.incident_id, "body": r.body, "disputes": r.disputes,
                     "at": r.created_at.isoformat()} for r in replies],
    }
