"""Demo fairs: three fairs of the jeans association, one in each state a fair goes through.

* **open for requests**: in about six weeks, its request deadline ahead; cleared buyers and member
  makers registered, some meeting requests marked;
* **scheduled and published**: in about ten days, requests closed, the optimizer's schedule
  published as final (agendas downloadable);
* **past, with outcomes**: about two months before the demo's today, a few meetings held over video,
  every meeting checked in held or no-show, samples and orders recorded (the outcome log gets them
  as ``source="fair"``), and most sides' one-week follow-up answers (``source="fair_follow_up"``),
  so the organizer's report has content.

So the organizer, the buyer and the maker each have a fair to look at. Everything goes through
:mod:`matchmaker.fairs.services` except the creation of the past fair: an organizer may not create
a fair in the past, so its fair, session and table rows are written directly.

A fair runs on the venue's wall clock (``requests_open`` compares with the real time), so the two
coming fairs are dated from the later of the demo's today and the real date; the participants,
marks and outcomes are drawn from ``seed``. Requires the demo cluster and its vetting history
(only buyers the hosting board cleared may attend).
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..fairs import attendance, followups
from ..fairs import schemas as fs
from ..fairs import services as svc
from ..fairs.records import Fair, FairFollowUp, FairSession, FairTable
from ..accounts.records import User
from ..organizations.records import Membership, Organization
from ..ranking.records import OutcomeEvent
from ..vetting.clearance import cleared_subjects

BUYERS_PER_FAIR = 8
MAKERS_PER_FAIR = 16
TABLES = 8
VENUE = "Expo Guadalajara, Av. Mariano Otero 1499"
TIMEZONE = "America/Mexico_City"


def _sessions(day: date) -> list[dict]:
    """Two days, a morning and an afternoon each (2 × 2 × 3 h of 30-minute slots)."""
    out = []
    for d in (day, day + timedelta(days=1)):
        out.append({"label": f"{d:%d/%m} mañana", "start": datetime.combine(d, time(9)),
                    "end": datetime.combine(d, time(12))})
        out.append({"label": f"{d:%d/%m} tarde", "start": datetime.combine(d, time(15)),
                    "end": datetime.combine(d, time(18))})
    return out


def _people(session: Session, association_id: int, rng: random.Random) -> tuple[list[int], list[int]]:
    """Cleared buyers and member makers, the demo logins' firms first."""
    demo_buyer = session.scalar(select(User.organization_id).where(User.email == "buyer@demo.matchmaker"))
    demo_maker = session.scalar(select(User.organization_id).where(User.email == "maker@demo.matchmaker"))
    buyer_ids = list(session.scalars(select(Organization.id).where(Organization.kind.in_(svc.BUYER_KINDS))
                                     .order_by(Organization.id)))
    cleared = sorted(cleared_subjects(session, buyer_ids, association_id))
    maker_ids = list(session.scalars(
        select(Organization.id).join(Membership, Membership.organization_id == Organization.id)
        .where(Membership.association_id == association_id, Organization.kind.in_(svc.MAKER_KINDS))
        .order_by(Organization.id)))
    buyers = [b for b in (demo_buyer,) if b in cleared]
    makers = [m for m in (demo_maker,) if m in maker_ids]
    buyers += rng.sample([b for b in cleared if b not in buyers], min(BUYERS_PER_FAIR - len(buyers),
                                                                     len(cleared) - len(buyers)))
    makers += rng.sample([m for m in maker_ids if m not in makers], min(MAKERS_PER_FAIR - len(makers),
                                                                       len(maker_ids) - len(makers)))
    return buyers, makers


def _register_and_mark(session: Session, fair: Fair, buyers: list[int], makers: list[int], organizer_id: int,
                       rng: random.Random, as_history: bool = False) -> int:
    """Register everyone (as the organizer) and let each buyer mark a few makers; returns the marks.
    ``as_history``: the fair is already over (the past fair is built as it was held)."""
    people = {}
    for org_id in [*buyers, *makers]:
        people[org_id] = svc.register(session, fair, fs.ParticipantIn(organization_id=org_id), organizer_id,
                                      by_organizer=True, as_history=as_history)
    marks = 0
    for b in buyers:
        for m in rng.sample(makers, min(4, len(makers))):
            svc.set_request(session, fair, people[b], people[m].id, rng.choice(("must", "would_like", "would_like")),
                            by_organizer=True, as_history=as_history)
            marks += 1
        if rng.random() < 0.5:  # makers ask too
            m = rng.choice(makers)
            svc.set_request(session, fair, people[m], people[b].id, "would_like", by_organizer=True,
                            as_history=as_history)
            marks += 1
    return marks


def _new_fair(session: Session, association_id: int, organizer_id: int, name: str, day: date,
              deadline: datetime) -> Fair:
    data = fs.FairIn(name=name, venue=VENUE, timezone=TIMEZONE, slot_minutes=30, request_deadline=deadline,
                     sessions=_sessions(day), breaks=[], tables=[{"label": f"Mesa {i}"} for i in range(1, TABLES + 1)],
                     default_min_meetings=1, default_max_meetings=10)
    return svc.create_fair(session, data, association_id, organizer_id)


def _past_fair(session: Session, association_id: int, organizer_id: int, name: str, day: date) -> Fair:
    """The past fair's own rows, written directly: creating a fair in the past is refused to organizers."""
    fair = Fair(association_id=association_id, name=name, venue=VENUE, timezone=TIMEZONE,
                slot_minutes=30, request_deadline=datetime.combine(day - timedelta(days=7), time(18)),
                default_min_meetings=1, default_max_meetings=10, created_by_id=organizer_id,
                created_at=datetime.combine(day - timedelta(days=45), time(10)))
    fair.sessions = [FairSession(label=s["label"], starts_at=s["start"], ends_at=s["end"]) for s in _sessions(day)]
    fair.breaks = []
    fair.tables = [FairTable(label=f"Mesa {i}") for i in range(1, TABLES + 1)]
    session.add(fair)
    session.commit()
    return fair


def _record_outcomes(session: Session, fair: Fair, rng: random.Random, organizer_id: int) -> dict[str, int]:
    """Video meetings for a few buyers who could not travel, the organizer's QR check-ins (held or
    no-show), samples and orders, then both sides' one-week follow-up answers for most meetings."""
    counts = {"held": 0, "no_show": 0, "sample_requested": 0, "order_placed": 0, "virtual": 0, "follow_ups": 0}
    last_event = session.scalar(select(func.max(OutcomeEvent.id))) or 0
    meetings = svc.run_meetings(session, svc.current_run(session, fair), active_only=True)
    for meeting in meetings[1::9]:  # the buyer asked for video
        attendance.set_virtual(session, fair, meeting, True, "buyer")
        counts["virtual"] += 1
    for meeting in meetings:
        if rng.random() < 0.1:
            attendance.check_in(session, fair, meeting, "no_show", organizer_id)
            counts["no_show"] += 1
            continue
        attendance.check_in(session, fair, meeting, "held", organizer_id)
        counts["held"] += 1
        if rng.random() < 0.4:
            svc.record_follow_up(session, meeting, "sample_requested")
            counts["sample_requested"] += 1
            if rng.random() < 0.35:
                svc.record_follow_up(session, meeting, "order_placed")
                counts["order_placed"] += 1
    # the services stamp outcomes with the time of recording; in the demo they happened at the fair
    ended = max(s.ends_at for s in fair.sessions)
    session.execute(update(OutcomeEvent).where(OutcomeEvent.id > last_event).values(occurred_at=ended))
    session.commit()
    last_event = session.scalar(select(func.max(OutcomeEvent.id))) or 0
    asked_at = ended + timedelta(days=8)
    for meeting in svc.run_meetings(session, svc.current_run(session, fair)):
        if meeting.status != "held":
            continue
        for side in (meeting.buyer, meeting.maker):
            if rng.random() < 0.7:
                step = rng.choices(followups.NEXT_STEPS, weights=(3, 3, 2, 1))[0]
                rating = rng.choices((1, 2, 3, 4, 5), weights=(1, 1, 3, 4, 3))[0]
                followups.answer(session, fair, meeting, side, "week", rating, step, None, now=asked_at)
                counts["follow_ups"] += 1
    stamp = asked_at.replace(tzinfo=ZoneInfo(fair.timezone))
    session.execute(update(OutcomeEvent).where(OutcomeEvent.id > last_event).values(occurred_at=stamp))
    session.execute(update(FairFollowUp).where(FairFollowUp.fair_id == fair.id).values(answered_at=stamp))
    session.commit()
    return counts


def generate_demo_fairs(session: Session, seed: int = 7, today: date | None = None, association_id: int = 1,
                        time_limit: float = 5.0, now: datetime | None = None) -> dict[str, int]:
    """Write the three demo fairs of ``association_id``; returns counts of what was written.

    ``today`` is the demo's today (the past fair is dated from it); ``now`` the venue's
    wall-clock time the coming fairs are dated from (default: the real time).
    """
    from ..demo.generator import DEFAULT_TODAY

    today = today or DEFAULT_TODAY
    now = now or datetime.now(ZoneInfo(TIMEZONE)).replace(tzinfo=None)  # fair times are the venue's wall clock
    if session.scalar(select(func.count()).select_from(Fair).where(Fair.association_id == association_id)):
        raise ValueError("the association already has fairs; demo fairs go into a database without any")
    rng = random.Random(seed * 7919 + 3)
    organizer_id = session.scalar(select(User.id).where(User.role == "fair_organizer",
                                                        User.association_id == association_id).order_by(User.id))
    base = max(today, now.date())
    counts = {"fairs": 0, "participants": 0, "requests": 0, "meetings": 0}
    buyers, makers = _people(session, association_id, rng)
    if organizer_id is None or not buyers or not makers:
        return counts  # a tiny cluster: no organizer, cleared buyer or member maker to hold a fair with

    def tally(fair: Fair, marks: int) -> None:
        counts["fairs"] += 1
        counts["participants"] += len(svc.participants(session, fair))
        counts["requests"] += marks

    day = base + timedelta(days=42)
    fair = _new_fair(session, association_id, organizer_id, f"Feria de Compradores de Mezclilla {day:%m/%Y}",
                     day, deadline=datetime.combine(day - timedelta(days=10), time(18)))
    tally(fair, _register_and_mark(session, fair, buyers, makers, organizer_id, rng))

    buyers, makers = _people(session, association_id, rng)
    day = base + timedelta(days=10)
    fair = _new_fair(session, association_id, organizer_id, f"Semana del Denim Guadalajara {day:%Y}", day,
                     deadline=datetime.combine(day - timedelta(days=3), time(18)))
    tally(fair, _register_and_mark(session, fair, buyers, makers, organizer_id, rng))
    run = svc.run_schedule(session, fair, time_limit, organizer_id)
    svc.publish(session, fair, "final")
    counts["meetings"] += len(svc.run_meetings(session, run))
    first = svc.run_meetings(session, run)[:1]
    for meeting in first:  # a buyer who cannot travel: the organizer moved its first meeting to video
        attendance.set_virtual(session, fair, meeting, True, "organizer")
    # requests closed once the schedule was made: the deadline is set back to before now
    fair.request_deadline = min(fair.request_deadline, now - timedelta(days=1))
    session.commit()

    buyers, makers = _people(session, association_id, rng)
    day = min(today, now.date()) - timedelta(days=60)
    fair = _past_fair(session, association_id, organizer_id, f"Expo Mezclilla Guadalajara {day:%m/%Y}", day)
    tally(fair, _register_and_mark(session, fair, buyers, makers, organizer_id, rng, as_history=True))
    run = svc.run_schedule(session, fair, time_limit, organizer_id)
    svc.publish(session, fair, "final", as_history=True)
    counts["meetings"] += len(svc.run_meetings(session, run))
    counts.update(_record_outcomes(session, fair, rng, organizer_id))
    return counts
