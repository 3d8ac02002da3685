"""A small cluster for fair tests: one association with an organizer, member makers with profiles,
buyers with open requirements, a user per firm, and a controllable vetting gate; and the fair's clock
moved for what happens during and after a fair (fairs are created in the future, outcomes come later)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest

from sqlalchemy import select

from matchmaker import db
from matchmaker.fairs.core import now_local, slot_key
from matchmaker.fairs.records import (Fair, FairCalendarEntry, FairChange, FairMeeting, FairParticipant,
                                      FairRequest)
from matchmaker.buyers.services import create_buyer_profile
from matchmaker.makers.services import create_maker_profile
from matchmaker.requirements.services import create_requirement
from matchmaker.buyers.schemas import BuyerProfileIn
from matchmaker.makers.schemas import MakerProfileIn
from matchmaker.requirements.schemas import RequirementIn
from tests.support.vetting import clear_buyer
from tests.support.dates import FAIR_DAY
from matchmaker.organizations.records import Association, Membership, Organization

MAKER = {
    "headcount": 40, "service_tier": "full_package", "monthly_capacity": 20000, "min_order_qty": 500,
    "order_lead_days": 21, "quality_tier": "standard", "processes": ["cutting", "sewing", "laundry"],
    "product_lines": ["jeans_western"], "niches": ["latino_market"],
}
BUYER = {"buyer_type": "brand", "annual_volume_units": 100000, "typical_order_qty": 3000,
         "segments": ["jeans_western"]}
REQUIREMENT = {"title": "Western jeans", "product_line": "jeans_western", "quantity": 3000, "lead_time_days": 30,
               "processes": ["sewing", "laundry"], "niches": ["latino_market"], "status": "open"}

SESSIONS = [{"label": "Morning", "start": f"{FAIR_DAY}T09:00", "end": f"{FAIR_DAY}T11:00"}]


@pytest.fixture
def reject(app):
    """Record the hosting board's rejection of a buyer (the real vetting records)."""
    def _reject(buyer_id: int, association_id: int) -> None:
        with app.app_context():
            clear_buyer(db.session(), buyer_id, association_id, outcome="rejected")
    return _reject


@dataclass
class Cluster:
    association: int
    other_association: int
    makers: list[int]
    buyers: list[int]
    outsider_maker: int          # not a member of the association
    users: dict = field(default_factory=dict)   # name -> user id
    tokens: dict = field(default_factory=dict)  # name -> auth headers


@pytest.fixture
def cluster(app, factory) -> Cluster:
    makers = [factory.org("maker", name=f"Taller {c}", city="Guadalajara", state="Jalisco") for c in "ABCD"]
    outsider = factory.org("maker", name="Taller Fuera", city="León", state="Guanajuato")
    buyers = [factory.org("buyer", name=f"Buyer {c}", country="US") for c in "XYZ"]
    with app.app_context():
        sess = db.session()
        assoc = Association(name="Jeans makers of Guadalajara", slug="jeans-gdl", sector="denim")
        other = Association(name="Children's wear", slug="ninos-gdl", sector="children")
        sess.add_all([assoc, other])
        sess.flush()
        sess.add_all([Membership(association_id=assoc.id, organization_id=m) for m in makers])
        sess.commit()
        assoc_id, other_id = assoc.id, other.id
        for i, m in enumerate([*makers, outsider]):
            body = dict(MAKER)
            if i == 1:
                body["product_lines"] = ["knitwear"]
            create_maker_profile(sess, sess.get(Organization, m), MakerProfileIn(**body))
        for b in buyers:
            create_buyer_profile(sess, sess.get(Organization, b), BuyerProfileIn(**BUYER))
            clear_buyer(sess, b, assoc_id)  # the hosting board approved every buyer of this cluster
    users = {"organizer": factory.user("fair_organizer", association_id=assoc_id),
             "other_organizer": factory.user("fair_organizer", association_id=other_id),
             "admin": factory.user("platform_admin"),
             "staff": factory.user("association_staff", association_id=assoc_id),
             "outsider": factory.user("maker_user", outsider)}
    for i, m in enumerate(makers):
        users[f"maker{i}"] = factory.user("maker_user", m)
    for i, b in enumerate(buyers):
        users[f"buyer{i}"] = factory.user("buyer_user", b)
    with app.app_context():
        sess = db.session()
        for i, b in enumerate(buyers):
            create_requirement(sess, b, users[f"buyer{i}"], RequirementIn(**REQUIREMENT))
    c = Cluster(assoc_id, other_id, makers, buyers, outsider, users)
    c.tokens = _LazyTokens(factory, users)
    return c


class _LazyTokens(dict):
    def __init__(self, factory, users):
        super().__init__()
        self.factory, self.users = factory, users

    def __missing__(self, name):
        self[name] = self.factory.token(self.users[name])
        return self[name]


def fair_body(**changes) -> dict:
    body = {"name": "Spring denim show", "venue": "Expo Guadalajara", "slot_minutes": 30,
            "sessions": SESSIONS, "tables": [{"label": "Mesa 1"}, {"label": "Mesa 2"}]}
    body.update(changes)
    return body


def make_fair(client, cluster: Cluster, **changes) -> dict:
    r = client.post("/api/v1/fairs", json=fair_body(**changes), headers=cluster.tokens["organizer"])
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def register(client, cluster: Cluster, fair_id: int, org_id: int, who: str = "organizer", **extra):
    return client.post(f"/api/v1/fairs/{fair_id}/participants", json={"organization_id": org_id, **extra},
                       headers=cluster.tokens[who])


def register_all(client, cluster: Cluster, fair_id: int, **extra) -> dict[int, int]:
    """Register every buyer and member maker; returns organization id -> participant id."""
    out = {}
    for org in [*cluster.buyers, *cluster.makers]:
        r = register(client, cluster, fair_id, org, **extra)
        assert r.status_code == 201, r.get_json()
        out[org] = r.get_json()["id"]
    return out


def mark(client, cluster: Cluster, fair_id: int, who: str, to: int, value):
    return client.put(f"/api/v1/fairs/{fair_id}/requests", json={"to_participant_id": to, "mark": value},
                      headers=cluster.tokens[who])


def wait_schedule(client, cluster: Cluster, url: str, timeout: float = 60.0) -> dict:
    """Poll a scheduling job's API URL until it has finished; returns its body."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        body = client.get(url, headers=cluster.tokens["organizer"]).get_json()
        if body["status"] in ("done", "failed") or time.monotonic() > deadline:
            assert body["status"] == "done", body
            return body
        time.sleep(0.1)


# -- the fair's clock ---------------------------------------------------------------------------------
# An organizer may only create upcoming fairs, and a meeting's outcome (held, no-show, sample, order)
# is refused before its slot starts: a test of what happens at or after the fair moves the fair's
# rows back in time, every venue time by the same whole minutes, slot ids recomputed to match.

def shift_fair_times(sess, fair_id: int, delta: timedelta) -> None:
    """Move every venue time of the fair by ``delta`` (whole minutes): sessions, breaks, the request
    deadline and expiries, meetings and their slot ids, calendar entries, changes and unavailable slots."""
    assert delta % timedelta(minutes=1) == timedelta(0), "slot ids are minutes: shift by whole minutes"

    def slot(key: str | None) -> str | None:
        return None if key is None else slot_key(datetime.strptime(key, "%Y%m%dT%H%M") + delta)

    fair = sess.get(Fair, fair_id)
    for period in [*fair.sessions, *fair.breaks]:
        period.starts_at, period.ends_at = period.starts_at + delta, period.ends_at + delta
    if fair.request_deadline is not None:
        fair.request_deadline += delta
    for m in sess.scalars(select(FairMeeting).where(FairMeeting.fair_id == fair_id)):
        m.starts_at, m.ends_at, m.slot_id = m.starts_at + delta, m.ends_at + delta, slot(m.slot_id)
    for e in sess.scalars(select(FairCalendarEntry).where(FairCalendarEntry.fair_id == fair_id)):
        e.starts_at, e.ends_at = e.starts_at + delta, e.ends_at + delta
    for c in sess.scalars(select(FairChange).where(FairChange.fair_id == fair_id)):
        c.slot_id, c.previous_slot_id = slot(c.slot_id), slot(c.previous_slot_id)
    for p in sess.scalars(select(FairParticipant).where(FairParticipant.fair_id == fair_id)):
        p.unavailable = [slot(k) for k in p.unavailable or []]
    for r in sess.scalars(select(FairRequest).where(FairRequest.fair_id == fair_id,
                                                    FairRequest.expires_at.is_not(None))):
        r.expires_at += delta
    sess.commit()


def _shift_to(sess, fair_id: int, moment: datetime, ago: timedelta) -> None:
    """Shift the fair so that ``moment`` (a venue time of it) falls ``ago`` before the app's now on the
    venue's clock (to the minute)."""
    now = now_local(sess.get(Fair, fair_id)).replace(second=0, microsecond=0)
    shift_fair_times(sess, fair_id, now - ago - moment)


def start_meeting(sess, fair_id: int, meeting_id: int, minutes: int = 5) -> None:
    """Move the fair so that this meeting's slot began ``minutes`` ago: it is under way (later slots
    have not started yet). ``sess`` is any session on the app's database (a live server's too)."""
    _shift_to(sess, fair_id, sess.get(FairMeeting, meeting_id).starts_at, timedelta(minutes=minutes))


def meeting_started_minutes_ago(app, fair_id: int, meeting_id: int, minutes: int = 5) -> None:
    """:func:`start_meeting` in the test app."""
    with app.app_context():
        start_meeting(db.session(), fair_id, meeting_id, minutes)


def fair_ended_days_ago(app, fair_id: int, days: int) -> None:
    """Move the fair so that its last session ended ``days`` days ago (venue time): every meeting is past."""
    with app.app_context():
        sess = db.session()
        fair = sess.get(Fair, fair_id)
        _shift_to(sess, fair_id, max(s.ends_at for s in fair.sessions), timedelta(days=days))
