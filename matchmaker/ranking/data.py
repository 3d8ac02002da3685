"""Rows to plain data for the ranker: requirement and maker dicts, track records, labelled training sets.

Labels are graded from the outcome log, per (requirement, maker) pair, the best
event reached: order or repeat order 5 > sample approved 4 > meeting held or
sample requested 3 > contacted 2 > shortlisted or profile opened 1 > shown and
nothing more 0. A dispute caps the pair at 0. Only pairs that were shown count
(impressions are the negatives); each row keeps its position so training can
correct for position bias.

Track records join the outcome log's events with the order-based record of
:mod:`.order_record` (deliveries, rejects, buyers' ratings), both as of the
requirement's time in training (:class:`History`) and as of now in serving
(:class:`Snapshot`).
"""
from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import replace
from datetime import datetime, timezone
from functools import lru_cache

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .. import taxonomy as tx
from ..makers.records import Certificate, MakerNiche, MakerProcess, MakerProductLine, MakerProfile
from ..organizations.records import Organization
from ..requirements.records import Requirement
from .records import TRACK_EVENTS, OutcomeEvent
from . import epoch, order_record
from .features import (FEATURE_NAMES, RECORD_WIDTH, ClusterPriors, TrackRecord, analysed_terms, feature_rows,
                       maker_vector, record_row)

GRADES = {"shown": 0, "profile_opened": 1, "shortlisted": 1, "contacted": 2, "meeting_held": 3,
          "sample_requested": 3, "sample_approved": 4, "order_placed": 5, "repeat_order": 5}


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def requirement_data(req: Requirement, buyer: Organization | None | bool = None) -> dict:
    """The requirement as a plain dict; ``buyer=False`` leaves the buyer's facts None (the caller fills them)."""
    buyer = None if buyer is False else (buyer or req.buyer)
    return {
        "id": req.id, "buyer_id": req.buyer_id, "created_at": _utc(req.created_at),
        "product_line": req.product_line, "processes": list(req.processes), "quantity": req.quantity,
        "monthly_volume": req.monthly_volume, "lead_time_days": req.lead_time_days,
        "unit_price_min": req.unit_price_min, "unit_price_max": req.unit_price_max,
        "min_quality_tier": req.min_quality_tier, "certificates": list(req.certificates),
        "niches": list(req.niches), "text": f"{req.title} {req.style_text}",
        "buyer_lat": buyer.lat if buyer else None, "buyer_lon": buyer.lon if buyer else None,
        "buyer_type": buyer.buyer_profile.buyer_type if buyer is not None and buyer.buyer_profile else None,
    }


def _maker_terms(name: str, about: str, processes, lines, niches) -> frozenset[str]:
    labels = " ".join(f"{v.label(c, 'es')} {v.label(c, 'en')}" for v, codes in
                      ((tx.PROCESS_STAGES, processes), (tx.PRODUCT_LINES, lines), (tx.NICHES, niches))
                      for c in sorted(codes))
    return analysed_terms(f"{name} {about} {labels}")


def maker_data(profile: MakerProfile) -> dict:
    """The plain dict of one maker from its ORM profile (same keys as :func:`load_makers`)."""
    org = profile.organization
    certs: dict = {}
    for c in profile.certificates:
        certs[c.kind] = max(certs.get(c.kind, c.valid_until), c.valid_until)
    row = {c.key: getattr(profile, c.key) for c in MakerProfile.__table__.columns}
    return _maker_dict(row, org.name, org.lat, org.lon, {p.code for p in profile.processes},
                       {p.code for p in profile.product_lines}, {n.code for n in profile.niches}, certs)


def _maker_dict(p: dict, name, lat, lon, processes, lines, niches, certs) -> dict:
    return {
        "id": p["organization_id"], "name": name, "processes": processes, "product_lines": lines, "niches": niches,
        "available_capacity": int(p["monthly_capacity"] * (1 - (p["committed_share"] or 0))),
        "monthly_capacity": p["monthly_capacity"], "min_order_qty": p["min_order_qty"],
        "order_lead_days": p["order_lead_days"], "sample_lead_days": p["sample_lead_days"],
        "unit_price_min": p["unit_price_min"], "unit_price_max": p["unit_price_max"],
        "quality_rank": tx.QUALITY_TIERS.rank(p["quality_tier"]), "certificates": certs,
        "design_capability": bool(p["design_capability"]), "lat": lat, "lon": lon,
        "export_experience": bool(p["export_experience"]), "languages": tuple(p["languages"] or ()),
        "headcount": p["headcount"], "size_band": tx.size_band(p["headcount"]),
        "terms": _maker_terms(name, p["about"] or "", processes, lines, niches),
    }


def load_makers(session: Session, ids=None) -> dict[int, dict]:
    """Plain dicts of the makers ``ids`` (all when None), read with a few flat queries (no ORM objects)."""
    ids = None if ids is None else sorted({int(i) for i in ids})
    if ids is not None and not ids:
        return {}
    prof = MakerProfile.__table__
    org = Organization.__table__
    stmt = select(prof, org.c.name, org.c.lat, org.c.lon).join(org, org.c.id == prof.c.organization_id)
    children = {}
    for key, model, cols in (("processes", MakerProcess, ("code",)), ("lines", MakerProductLine, ("code",)),
                             ("niches", MakerNiche, ("code",)), ("certs", Certificate, ("kind", "valid_until"))):
        t = model.__table__
        q = select(t.c.maker_id, *(t.c[c] for c in cols))
        children[key] = q if ids is None else q.where(t.c.maker_id.in_(ids))
    if ids is not None:
        stmt = stmt.where(prof.c.organization_id.in_(ids))
    sets = {key: defaultdict(set) for key in ("processes", "lines", "niches")}
    for key in sets:
        for maker_id, code in session.execute(children[key]):
            sets[key][maker_id].add(code)
    certs: dict[int, dict] = defaultdict(dict)
    for maker_id, kind, valid_until in session.execute(children["certs"]):
        held = certs[maker_id]
        held[kind] = max(held.get(kind, valid_until), valid_until)
    out = {}
    for row in session.execute(stmt).mappings():
        mid = row["organization_id"]
        out[mid] = _maker_dict(row, row["name"], row["lat"], row["lon"], sets["processes"].get(mid, set()),
                               sets["lines"].get(mid, set()), sets["niches"].get(mid, set()), certs.get(mid, {}))
    return out


_MAKER_CACHE: dict[tuple, tuple] = {}
_MAKER_CACHE_MAX = 50_000
_COUNTS_CACHE: dict[str, tuple] = {}


@lru_cache(maxsize=1)
def _snapshot_key():
    """The highest id of each track-record event kind (each max is an index lookup) and the orders' key
    (:func:`.order_record.cache_key_select`), in one statement built once: one round trip per ranking."""
    from sqlalchemy import func

    return order_record.cache_key_select(*(
        select(func.max(OutcomeEvent.id)).where(OutcomeEvent.event == ev).scalar_subquery() for ev in TRACK_EVENTS))
SNAPSHOT_TTL_SECONDS = 300.0


def _stamps(session: Session, ids: list[int]) -> dict[int, tuple]:
    """Each maker's (profile version, updated_at, organization version, updated_at), one indexed query.

    Sent straight to the driver: for 200 ids SQLAlchemy's row processing (datetime parsing
    included) cost more than the query; the raw values are only compared for equality.
    """
    conn = session.connection()
    mark = {"qmark": "?", "format": "%s", "pyformat": "%s", "numeric": "?"}.get(conn.dialect.paramstyle)
    if mark is None:
        prof, org = MakerProfile.__table__, Organization.__table__
        rows = session.execute(select(prof.c.organization_id, prof.c.version, prof.c.updated_at, org.c.version,
                                      org.c.updated_at).join(org, org.c.id == prof.c.organization_id)
                               .where(prof.c.organization_id.in_(ids)))
    else:
        rows = conn.exec_driver_sql(
            "SELECT p.organization_id, p.version, p.updated_at, o.version, o.updated_at FROM maker_profiles p "
            f"JOIN organizations o ON o.id = p.organization_id WHERE p.organization_id IN ({', '.join([mark] * len(ids))})",
            tuple(ids)).fetchall()
    return {row[0]: tuple(row[1:]) for row in rows}


def load_makers_cached(session: Session, ids) -> dict[int, dict]:
    """:func:`load_makers` for serving: unchanged makers come from a process cache.

    One light query reads each maker's row versions and update times (profile and
    organization); only makers whose stamp differs from the cached one are read again,
    so an edited profile is ranked on its new data at once (every profile edit updates the
    profile row, which bumps its version: ``services.replace_maker_profile``). Each cached
    dict carries its numeric vector (``"_vec"``, :func:`.features.maker_vector`), so features
    for 200 candidates are a stack of held arrays. Callers get the cached dicts: read only.
    """
    ids = sorted({int(i) for i in ids})
    if not ids:
        return {}
    url = str(session.get_bind().url)
    stamps = _stamps(session, ids)
    out, missing = {}, []
    for mid, stamp in stamps.items():
        cached = _MAKER_CACHE.get((url, mid))
        if cached is not None and cached[0] == stamp:
            out[mid] = cached[1]
        else:
            missing.append(mid)
    if missing:
        if len(_MAKER_CACHE) > _MAKER_CACHE_MAX:
            _MAKER_CACHE.clear()
        for mid, data in load_makers(session, missing).items():
            data["_vec"] = maker_vector(data)
            _MAKER_CACHE[(url, mid)] = (stamps[mid], data)
            out[mid] = data
    return out


class History:
    """Every maker's track-record events in time order, answering "as of t" in O(log n).

    Only events strictly before ``t`` count, both for a maker's record and for the
    cluster priors it is shrunk toward, so training rows never see their own future.
    With ``priors`` given (serving: priors from aggregate counts now), they are used as is.
    """

    def __init__(self, events, priors: ClusterPriors | None = None, orders: order_record.Timeline | None = None):
        self._orders = orders or order_record.Timeline([])
        self._times: dict[int, dict[str, list[datetime]]] = defaultdict(lambda: defaultdict(list))
        self._on_time: dict[int, list[datetime]] = defaultdict(list)
        self._all: dict[str, list[datetime]] = defaultdict(list)
        for maker_id, event, on_time, at in sorted(events, key=lambda e: _utc(e[3])):
            at = _utc(at)
            self._times[maker_id][event].append(at)
            self._all[event].append(at)
            if event == "order_placed" and on_time:
                self._on_time[maker_id].append(at)
                self._all["on_time"].append(at)
        self._fixed = priors
        self._prior_cache: dict[datetime, ClusterPriors] = {}

    @property
    def priors(self) -> ClusterPriors:
        """Priors from the whole stored history (serving), or the fixed ones."""
        return self._fixed or self.priors_at(None)

    def priors_at(self, at: datetime | None) -> ClusterPriors:
        """Cluster-wide rates from events before ``at`` (all events when ``None``)."""
        if self._fixed is not None:
            return self._fixed
        at = _utc(at) if at is not None else None
        if at in self._prior_cache:
            return self._prior_cache[at]
        n = {ev: (bisect_left(ts, at) if at is not None else len(ts)) for ev, ts in self._all.items()}
        n.update(self._orders.totals(at))
        priors = priors_from_counts(n)
        self._prior_cache[at] = priors
        return priors

    @classmethod
    def from_db(cls, session: Session, maker_ids=None) -> "History":
        """All makers' history, or only ``maker_ids``' (serving) with priors from cluster-wide counts."""
        stmt = select(OutcomeEvent.maker_id, OutcomeEvent.event, OutcomeEvent.on_time,
                      OutcomeEvent.occurred_at).where(OutcomeEvent.event.in_(TRACK_EVENTS))
        if maker_ids is None:
            return cls(session.execute(stmt), orders=order_record.Timeline(order_record.events(session)))
        rows = session.execute(stmt.where(OutcomeEvent.maker_id.in_(list(maker_ids))))
        return cls(rows, priors=cluster_priors(session),
                   orders=order_record.Timeline(order_record.events(session, maker_ids)))

    def record(self, maker_id: int, at: datetime) -> TrackRecord:
        at = _utc(at)
        extra = _order_fields(self._orders.maker(maker_id, at))
        times = self._times.get(maker_id)
        if not times:
            return TrackRecord(**extra)
        n = lambda ev: bisect_left(times.get(ev, []), at)  # noqa: E731
        return TrackRecord(orders=n("order_placed"), on_time=bisect_left(self._on_time.get(maker_id, []), at),
                           repeats=n("repeat_order"), disputes=n("dispute"), contacts=n("contacted"),
                           responded=min(n("contacted"), n("meeting_held") + n("sample_requested")),
                           samples=n("sample_requested"), approved=min(n("sample_requested"), n("sample_approved")),
                           **extra)


class Snapshot:
    """Serving's view of track records: every event so far, counted in one grouped query (no event rows).

    Same ``record`` / ``priors_at`` interface as :class:`History`; a ranking is computed now,
    so "before the requirement's time" is everything stored.
    """

    def __init__(self, counts: dict[int, dict[str, int]], priors: ClusterPriors, rows: dict | None = None):
        self._counts = counts
        self._priors = priors
        self._records: dict[int, TrackRecord] = {}
        self._rows = rows if rows is not None else {m: _record_row(self._record(m)) for m in counts}
        # every row held as one array (and a zero row last), so a ranking takes its 200 rows by index
        self._index = {m: i for i, m in enumerate(self._rows)}
        self._matrix = np.array([*self._rows.values(), _ZERO_RECORD], dtype=float).reshape(-1, RECORD_WIDTH)

    @classmethod
    def from_db(cls, session: Session, maker_ids=None) -> "Snapshot":
        """Counts for every maker, cached per database until a track record could have changed.

        The cache key is the track-record epoch (:mod:`.epoch`: one row read by primary key, bumped in
        the transaction of every change to the tables the records are summed from); on a database
        without it, the old aggregate key (the highest event id of each track-record kind and
        :func:`.order_record.cache_key_select`, one statement). On a miss the counts are read again
        with grouped queries. ``SNAPSHOT_TTL_SECONDS`` bounds staleness for changes made outside
        SQLAlchemy. A session that changed a track record and has not committed reads afresh and
        caches nothing.
        """
        import time

        from sqlalchemy import func

        url = str(session.get_bind().url)
        if epoch.pending(session):
            key = None
        else:
            value = epoch.current(session)
            key = ("epoch", value) if value is not None else \
                ("key",) + tuple(str(v) for v in session.execute(_snapshot_key()).one())
            hit = _COUNTS_CACHE.get(url)
            if hit is not None and hit[0] == key and time.monotonic() - hit[1] < SNAPSHOT_TTL_SECONDS:
                return hit[2]
        counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        stmt = (select(OutcomeEvent.maker_id, OutcomeEvent.event, OutcomeEvent.on_time, func.count())
                .where(OutcomeEvent.event.in_(TRACK_EVENTS))
                .group_by(OutcomeEvent.maker_id, OutcomeEvent.event, OutcomeEvent.on_time))
        for maker_id, event, on_time, n in session.execute(stmt):
            counts[maker_id][event] += n
            if event == "order_placed" and on_time:
                counts[maker_id]["on_time"] += n
        for maker_id, sums in order_record.totals_now(session).items():
            counts[maker_id].update(sums)
        totals: dict[str, float] = defaultdict(int)
        for per_maker in counts.values():
            for event, n in per_maker.items():
                totals[event] += n
        snapshot = cls(counts, priors_from_counts(totals))
        if key is not None:
            _COUNTS_CACHE[url] = (key, time.monotonic(), snapshot)
        return snapshot

    @property
    def priors(self) -> ClusterPriors:
        return self._priors

    def priors_at(self, at=None) -> ClusterPriors:
        return self._priors

    def records_array(self, maker_ids) -> np.ndarray:
        """The ``(n, RECORD_WIDTH)`` track-record array of :func:`.features.record_matrix` for ``maker_ids``."""
        index, zero = self._index, len(self._index)
        return self._matrix[[index.get(m, zero) for m in maker_ids]]

    def record(self, maker_id: int, at=None) -> TrackRecord:
        """The maker's record (kept: a snapshot never changes; callers read it only)."""
        held = self._records.get(maker_id)
        if held is None:
            held = self._records[maker_id] = self._record(maker_id)
        return held

    def _record(self, maker_id: int) -> TrackRecord:
        c = self._counts.get(maker_id)
        if not c:
            return TrackRecord()
        return TrackRecord(orders=c["order_placed"], on_time=c["on_time"], repeats=c["repeat_order"],
                           disputes=c["dispute"], contacts=c["contacted"],
                           responded=min(c["contacted"], c["meeting_held"] + c["sample_requested"]),
                           samples=c["sample_requested"], approved=min(c["sample_requested"], c["sample_approved"]),
                           **_order_fields([c[f] for f in order_record.FIELDS]))


_ZERO_RECORD = (0,) * RECORD_WIDTH
_record_row = record_row


def _order_fields(values) -> dict:
    """The order-based TrackRecord fields from sums in :data:`.order_record.FIELDS` order."""
    out = dict(zip(order_record.FIELDS, (float(v) for v in values)))
    for f in order_record.FIELDS:
        out[f] = int(round(out[f]))
    return out


def priors_from_counts(n: dict) -> ClusterPriors:
    """Shrinkage targets from cluster-wide counts; defaults until there are 20 orders (20 deliveries,
    20 ratings for the order-based targets)."""
    orders = n.get("order_placed", 0)
    if orders < 20:
        base = ClusterPriors()
    else:
        contacts = n.get("contacted", 0) or 1
        samples = n.get("sample_requested", 0) or 1
        base = ClusterPriors(
            on_time=n.get("on_time", 0) / orders, repeat=n.get("repeat_order", 0) / orders,
            dispute=n.get("dispute", 0) / orders,
            responded=min(1.0, (n.get("meeting_held", 0) + n.get("sample_requested", 0)) / contacts),
            approved=min(1.0, n.get("sample_approved", 0) / samples), converted=min(1.0, orders / contacts))
    extra = {}
    if n.get("deliveries", 0) >= 20:
        extra["delivery_on_time"] = n.get("on_time_deliveries", 0) / n["deliveries"]
        if n.get("delivered_units", 0) > 0:
            extra["reject"] = n.get("rejected_units", 0) / n["delivered_units"]
    if n.get("ratings", 0) >= 20 and n.get("rating_scores", 0) > 0:
        extra["rating"] = n.get("rating_sum", 0) / n["rating_scores"]
    return replace(base, **extra) if extra else base


def cluster_priors(session: Session) -> ClusterPriors:
    """Cluster-wide rates from aggregate counts (one small query), the shrinkage targets."""
    from sqlalchemy import func

    counts = dict(session.execute(select(OutcomeEvent.event, func.count()).where(
        OutcomeEvent.event.in_(TRACK_EVENTS)).group_by(OutcomeEvent.event)).all())
    if counts.get("order_placed", 0) >= 20:
        counts["on_time"] = session.scalar(select(func.count()).where(OutcomeEvent.event == "order_placed",
                                                                     OutcomeEvent.on_time.is_(True)))
    for sums in order_record.totals_now(session).values():
        for f, v in sums.items():
            counts[f] = counts.get(f, 0) + v
    return priors_from_counts(counts)


def feature_matrix(req: dict, makers: list[dict], history) -> np.ndarray:
    """Feature rows for one requirement, with track records and priors as of its time."""
    at = req["created_at"]
    if hasattr(history, "records_array"):        # serving's Snapshot: every event so far, as held arrays
        return feature_rows(req, makers, history.records_array([m["id"] for m in makers]), history.priors)
    return feature_rows(req, makers, [history.record(m["id"], at) for m in makers], history.priors_at(at))


def training_set(session: Session, progress=None):
    """Impressions with graded labels: ``X, y, qid, query_time, position, size_band`` (rows grouped by query)."""
    shown = session.execute(select(OutcomeEvent.requirement_id, OutcomeEvent.maker_id, OutcomeEvent.rank)
                            .where(OutcomeEvent.event == "shown", OutcomeEvent.requirement_id.is_not(None))).all()
    grade: dict[tuple[int, int], int] = {}
    disputed = set()
    for req_id, maker_id, event in session.execute(
            select(OutcomeEvent.requirement_id, OutcomeEvent.maker_id, OutcomeEvent.event)
            .where(OutcomeEvent.requirement_id.is_not(None), OutcomeEvent.event != "shown")):
        if event == "dispute":
            disputed.add((req_id, maker_id))
        elif event in GRADES:
            grade[(req_id, maker_id)] = max(grade.get((req_id, maker_id), 0), GRADES[event])
    by_req: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for req_id, maker_id, rank in shown:
        by_req[req_id].append((maker_id, rank or 0))
    reqs = {r.id: requirement_data(r) for r in session.scalars(
        select(Requirement).options(selectinload(Requirement.buyer).selectinload(Organization.buyer_profile)).where(Requirement.id.in_(list(by_req))))}
    makers = load_makers(session, {m for pairs in by_req.values() for m, _ in pairs})
    history = History.from_db(session)
    X, y, qid, when, position, band = [], [], [], [], [], []
    ordered = sorted(by_req, key=lambda r: reqs[r]["created_at"])
    for i, req_id in enumerate(ordered):
        pairs = [(m, r) for m, r in sorted(by_req[req_id], key=lambda p: p[1]) if m in makers]
        if not pairs:
            continue
        req = reqs[req_id]
        X.append(feature_matrix(req, [makers[m] for m, _ in pairs], history))
        for maker_id, rank in pairs:
            y.append(0 if (req_id, maker_id) in disputed else grade.get((req_id, maker_id), 0))
            qid.append(req_id)
            when.append(req["created_at"].timestamp())
            position.append(rank)
            band.append(makers[maker_id]["size_band"])
        if progress and (i % 200 == 0 or i == len(ordered) - 1):
            progress("features", i + 1, len(ordered))
    if not X:
        empty = np.empty((0, len(FEATURE_NAMES)))
        return empty, np.array([], int), np.array([], int), np.array([]), np.array([], int), np.array([], object)
    return (np.vstack(X), np.array(y), np.array(qid), np.array(when), np.array(position), np.array(band, object))
