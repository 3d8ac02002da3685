"""A buyer's shortlists: one per requirement, the makers on it, and their side-by-side comparison.

Adding a maker logs ``shortlisted`` with the position and model version that showed it (hidden
fields of the ranked list), so later outcome events carry the same ranking context. The comparison
shows only public profile facts and cluster-wide track-record counts, never naming a client.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..ranking.features import haversine_km
from ..accounts.records import User
from ..ranking.records import OutcomeEvent
from ..records import utcnow
from ..requirements.records import Requirement
from ..errors import Conflict
from ..makers.services import maker_dicts
from . import schemas as s
from .records import Inquiry, Shortlist, ShortlistEntry
from .services import commit, insert_if_missing, iso, maker_org
from ..errors import DomainError


def shortlist_for(session: Session, req: Requirement, create: bool = False) -> Shortlist | None:
    sl = session.scalar(select(Shortlist).where(Shortlist.requirement_id == req.id))
    if sl is None and create:
        insert_if_missing(session, Shortlist, buyer_id=req.buyer_id, requirement_id=req.id, created_at=utcnow())
        sl = session.scalar(select(Shortlist).where(Shortlist.requirement_id == req.id))
    return sl


def add_to_shortlist(session: Session, user: User, req: Requirement, data: s.ShortlistAdd) -> ShortlistEntry:
    maker_org(session, data.maker_id, "maker_id")
    sl = shortlist_for(session, req, create=True)
    if any(e.maker_id == data.maker_id for e in sl.entries):
        raise Conflict("this maker is already on the shortlist")
    entry = ShortlistEntry(shortlist_id=sl.id, maker_id=data.maker_id, source=data.source, rank=data.rank,
                           model_version=data.model_version, added_by_id=user.id)
    session.add(entry)
    session.add(OutcomeEvent(requirement_id=req.id, buyer_id=req.buyer_id, maker_id=data.maker_id,
                             event="shortlisted", rank=data.rank, model_version=data.model_version,
                             source="contact", occurred_at=utcnow()))
    commit(session)
    return entry


def remove_from_shortlist(session: Session, req: Requirement, maker_id: int) -> None:
    sl = shortlist_for(session, req)
    entry = next((e for e in sl.entries if e.maker_id == maker_id), None) if sl else None
    if entry is None:
        raise DomainError("not_found", "Maker {id} is not on this shortlist.", field="maker_id", status=404,
                          params={'id': maker_id})
    sl.entries.remove(entry)
    commit(session)


def shortlists_of(session: Session, buyer_id: int | None) -> list[tuple[Shortlist, int]]:
    if buyer_id is None:
        return []
    counts = (select(func.count(ShortlistEntry.id)).where(ShortlistEntry.shortlist_id == Shortlist.id)
              .correlate(Shortlist).scalar_subquery())
    return list(session.execute(select(Shortlist, counts).where(Shortlist.buyer_id == buyer_id)
                                .order_by(Shortlist.id.desc())).all())


def track_records(session: Session, maker_ids: list[int]) -> dict[int, dict]:
    """Counts across the whole cluster, never naming a client: orders, repeat orders, disputes, on time."""
    out = {m: {"orders": 0, "repeat_orders": 0, "disputes": 0, "on_time_share": None} for m in maker_ids}
    if not maker_ids:
        return out
    on_time: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    rows = session.execute(select(OutcomeEvent.maker_id, OutcomeEvent.event, OutcomeEvent.on_time, func.count())
                           .where(OutcomeEvent.maker_id.in_(maker_ids),
                                  OutcomeEvent.event.in_(("order_placed", "repeat_order", "dispute")))
                           .group_by(OutcomeEvent.maker_id, OutcomeEvent.event, OutcomeEvent.on_time))
    for maker_id, event, ok, n in rows:
        key = {"order_placed": "orders", "repeat_order": "repeat_orders", "dispute": "disputes"}[event]
        out[maker_id][key] += n
        if event != "dispute" and ok is not None:
            on_time[maker_id][0 if ok else 1] += n
    for maker_id, (good, late) in on_time.items():
        out[maker_id]["on_time_share"] = round(good / (good + late), 3)
    return out


def comparison(session: Session, req: Requirement, entries: list[ShortlistEntry]) -> list[dict]:
    """One row per shortlisted maker: the public profile facts a buyer compares, side by side."""
    ids = [e.maker_id for e in entries]
    profiles = maker_dicts(session, ids)
    records = track_records(session, ids)
    buyer = req.buyer
    today = utcnow().date().isoformat()
    inquired = {m: i for m, i in session.execute(
        select(Inquiry.maker_id, Inquiry.id).where(Inquiry.requirement_id == req.id, Inquiry.maker_id.in_(ids)))}
    rows = []
    for e in entries:
        p = profiles.get(e.maker_id)
        distance = None
        if p and None not in (buyer.lat, buyer.lon, p["lat"], p["lon"]):
            distance = round(haversine_km(buyer.lat, buyer.lon, p["lat"], p["lon"]))
        rows.append({
            "maker_id": e.maker_id, "name": e.maker.name, "source": e.source, "rank": e.rank,
            "model_version": e.model_version, "has_profile": p is not None,
            "processes": p["processes"] if p else [],
            "monthly_capacity": p["monthly_capacity"] if p else None,
            "peak_spare_capacity": p["peak_spare_capacity"] if p else None,
            "min_order_qty": p["min_order_qty"] if p else None,
            "sample_lead_days": p["sample_lead_days"] if p else None,
            "order_lead_days": p["order_lead_days"] if p else None,
            "service_tier": p["service_tier"] if p else None,
            "quality_tier": p["quality_tier"] if p else None,
            "size_band": p["size_band"] if p else None,
            "certificates": sorted({c["kind"] for c in p["certificates"] if c["valid_until"] >= today}) if p else [],
            "distance_km": distance,
            "track_record": records[e.maker_id],
            "inquiry_id": inquired.get(e.maker_id),
        })
    return rows


def entry_dict(e: ShortlistEntry) -> dict:
    return {"maker_id": e.maker_id, "name": e.maker.name, "source": e.source, "rank": e.rank,
            "model_version": e.model_version, "added_at": iso(e.created_at)}
