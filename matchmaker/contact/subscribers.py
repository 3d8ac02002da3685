"""What the contact package tells people about other concerns' events (``matchmaker.events``).

Each handler runs inside the sender's transaction (the sender is its session) and only adds
notices and outbox rows; the sender's commit writes them with the decision, reply, publication
or repair they announce; the notices of an order's slip (``order_slipped``) go to both of its sides. Dedup keys make a repeated signal (the same decision, the same level
published again for the same run) a no-op.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import select

from .. import events
from ..accounts.records import User
from ..organizations.records import Association, Organization
from . import notify as nt
from . import notify_bulk as bulk

FIRM_ROLES = ("buyer_user", "maker_user")


def _firm_people(session, organization_id: int) -> list[User]:
    return list(session.scalars(select(User).where(User.organization_id == organization_id,
                                                   User.role.in_(FIRM_ROLES), User.active.is_(True))
                                .order_by(User.id)))


def on_vetting_decided(session, case, decision, **_):
    """The subject firm's users and whoever opened the case (applicant, proposer) learn the decision."""
    assoc = session.get(Association, case.association_id)
    subject = session.get(Organization, case.subject_id)
    params = {"association": assoc.name if assoc else "", "outcome": decision.outcome,
              "subject": subject.name if subject else ""}
    own = _firm_people(session, case.subject_id)
    key = f"vetting_decision:{decision.id}"
    nt.notify_users(session, own, "vetting_decision", params, "/vetting/status", subject=("vetting_case", case.id),
                    dedup_key=key)
    opener = session.get(User, case.opened_by_id) if case.opened_by_id else None
    if opener is not None and opener.id not in {u.id for u in own}:
        link = "/vetting/buyers" if opener.role == "maker_user" else f"/vetting/cases/{case.id}"
        nt.notify_users(session, [opener], "vetting_decision", params, link, subject=("vetting_case", case.id),
                        dedup_key=key)


def on_incident_replied(session, reply, incident=None, **_):
    """The association's staff (where the incident was reported, or the subject's cases) read the reply."""
    from ..vetting.records import VettingCase

    if incident is not None:
        assocs = {incident.association_id}
    else:
        assocs = set(session.scalars(select(VettingCase.association_id)
                                     .where(VettingCase.subject_id == reply.subject_id)))
    if not assocs:
        return
    staff = list(session.scalars(select(User).where(User.role == "association_staff",
                                                    User.association_id.in_(assocs), User.active.is_(True))
                                 .order_by(User.id)))
    subject = session.get(Organization, reply.subject_id)
    nt.notify_users(session, staff, "incident_reply", {"subject": subject.name if subject else ""},
                    f"/vetting/status/{reply.subject_id}", subject=("vetting_reply", reply.id),
                    dedup_key=f"incident_reply:{reply.id}")


def _participants(session, fair_id: int):
    from ..fairs.records import FairParticipant
    return list(session.scalars(select(FairParticipant).where(FairParticipant.fair_id == fair_id)
                                .order_by(FairParticipant.id)))


def on_agenda_published(session, fair, run, level, **_):
    """Every participant's users: the preliminary or final agenda is out (once per run and level)."""
    if level not in ("preliminary", "final"):
        return
    for p in _participants(session, fair.id):
        nt.notify_users(session, _firm_people(session, p.organization_id), f"agenda_{level}", {"fair": fair.name},
                        f"/fairs/{fair.id}/agenda/{p.id}", subject=("fair", fair.id),
                        dedup_key=f"agenda:{run.id}:{level}")


def on_schedule_repaired(session, fair, run, **_):
    """Participants whose meetings a repair moved, added or removed (once the agenda is published)."""
    from ..fairs.records import FairChange, FairParticipant

    if run.publication == "draft":
        return  # nobody sees a draft agenda, so nobody is told it changed
    counts = Counter(session.scalars(select(FairChange.participant_id).where(FairChange.run_id == run.id)))
    for pid, count in sorted(counts.items()):
        p = session.get(FairParticipant, pid)
        if p is None:
            continue
        nt.notify_users(session, _firm_people(session, p.organization_id), "schedule_changed",
                        {"fair": fair.name, "count": count}, f"/fairs/{fair.id}/agenda/{p.id}",
                        subject=("fair", fair.id), dedup_key=f"repair:{run.id}")


def _slip_params(reference: str, counterpart: str, kind: str, stage: str | None, planned_on: str | None) -> dict:
    """A slip notice's parameters; a missed milestone's name its stage and planned date (worded when shown)."""
    params = {"order": reference, "counterpart": counterpart, "slip": kind}
    if stage:
        params.update(stage=stage, planned_on=planned_on or "")
    return params


def on_order_slipped(session, order_id, buyer_id, maker_id, kind, key, reference="", stage=None, planned_on=None,
                     **_):
    """Both sides of the order learn that a target slipped (once per slip and user: the dedup key)."""
    buyer, maker = session.get(Organization, buyer_id), session.get(Organization, maker_id)
    for org_id, other, link in ((buyer_id, maker, f"/monitoring/buyer/makers/{maker_id}"),
                                (maker_id, buyer, f"/monitoring/maker/buyers/{buyer_id}")):
        params = _slip_params(reference, other.name if other else "", kind, stage, planned_on)
        nt.notify_users(session, _firm_people(session, org_id), "order_slip", params, link,
                        subject=("order", order_id), dedup_key=f"slip:{key}")


def on_orders_slipped(session, slips, **_):
    """Many slips at once (the daily check): the same notices as :func:`on_order_slipped`, written in a few
    set-based statements (the firms' names and users in one query per chunk, the notices in bulk)."""
    firm_ids = sorted({s["buyer_id"] for s in slips} | {s["maker_id"] for s in slips})
    names, people = {}, defaultdict(list)
    for start in range(0, len(firm_ids), bulk.CHUNK):
        chunk = firm_ids[start:start + bulk.CHUNK]
        names.update(session.execute(select(Organization.id, Organization.name)
                                     .where(Organization.id.in_(chunk))).tuples().all())
        for user in session.scalars(select(User).where(User.organization_id.in_(chunk), User.role.in_(FIRM_ROLES),
                                                       User.active.is_(True)).order_by(User.id)):
            people[user.organization_id].append(user)
    items = []
    for s in slips:
        buyer_id, maker_id = s["buyer_id"], s["maker_id"]
        for org_id, other, link in ((buyer_id, maker_id, f"/monitoring/buyer/makers/{maker_id}"),
                                    (maker_id, buyer_id, f"/monitoring/maker/buyers/{buyer_id}")):
            if people.get(org_id):
                params = _slip_params(s.get("reference", ""), names.get(other, ""), s["kind"], s.get("stage"),
                                      s.get("planned_on"))
                items.append(bulk.Item(people[org_id], params, link, ("order", s["order_id"]), f"slip:{s['key']}"))
    bulk.notify_many(session, "order_slip", items)


def on_fair_follow_up_answered(session, fair, meeting, follow_up, **_):
    """The meeting's other side learns that this side followed it up (its next step); an order named leads to
    recording it (either side may), anything else to the fair page. Once per answer (the dedup key)."""
    by, to = (meeting.buyer, meeting.maker) if follow_up.side == "buyer" else (meeting.maker, meeting.buyer)
    link = f"/orders/new?fair_meeting_id={meeting.id}" if follow_up.next_step == "order" else f"/fairs/{fair.id}"
    nt.notify_users(session, _firm_people(session, to.organization_id), "fair_follow_up",
                    {"by": by.organization.name, "fair": fair.name, "step": follow_up.next_step}, link,
                    subject=("fair", fair.id),
                    dedup_key=f"followup:{fair.id}:{meeting.buyer_participant_id}:{meeting.maker_participant_id}:"
                              f"{follow_up.side}:{follow_up.wave}")


def connect() -> None:
    """Subscribe (weak=False: the handlers are module functions; connecting twice is harmless)."""
    events.vetting_decided.connect(on_vetting_decided, weak=False)
    events.incident_replied.connect(on_incident_replied, weak=False)
    events.agenda_published.connect(on_agenda_published, weak=False)
    events.schedule_repaired.connect(on_schedule_repaired, weak=False)
    events.fair_follow_up_answered.connect(on_fair_follow_up_answered, weak=False)
    events.order_slipped.connect(on_order_slipped, weak=False)
    events.orders_slipped.connect(on_orders_slipped, weak=False)
