"""Ranking the makers for one requirement: hard filters, candidates from the index, the model, reasons.

1. The requirement's hard constraints become index filters; they are never violated. A maker
   whose sample lead time alone exceeds the requirement's lead time is dropped too.
2. The index returns the top ``CANDIDATES`` by text relevance among makers that pass.
3. The promoted learned model reorders them; with no usable model (none trained,
   too little evidence, a corrupt or mismatched file) the rule score ranks them and
   the answer says so.
4. The top ``k`` come back with their three strongest reasons, and each one shown
   is logged as an impression with its position and the model version.
5. For a configurable share of rankings the shown list is interleaved with a second ranker or
   has one adjacent pair randomised, and that is logged too (:mod:`.online`).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from models.ranker import LambdaRanker
from models.registry import ArtifactError, ModelRegistry

from sqlalchemy import select

from ..buyers.records import BuyerProfile
from ..organizations.records import Organization
from ..requirements.records import Requirement
from .records import OutcomeEvent
from ..search.queries import maker_query
from ..search.service import run_search
from .data import Snapshot, feature_matrix, load_makers_cached, requirement_data
from .features import haversine_km
from .reasons import explain_rule, reasons_for
from . import online
from .records import RankingServe
from .store import load_model, load_version, previous_version, rule_scorer

log = logging.getLogger(__name__)

CANDIDATES = 200

@dataclass
class Ranking:
    items: list[dict]
    model_version: str | None
    learned: bool
    notice: str | None = None
    total_candidates: int = 0
    filters: list[str] = field(default_factory=list)


def hard_filter_args(req: Requirement) -> MultiDict:
    """The requirement's hard constraints as search parameters (one place, shared with the search page)."""
    hard = set(req.hard_constraints)
    args = MultiDict()
    if "processes" in hard:
        for code in req.processes:
            args.add("process", code)
    if "product_line" in hard:
        args.add("product_line", req.product_line)
    if "capacity" in hard:
        need = req.monthly_volume or max(1, int(req.quantity / max(1.0, req.lead_time_days / 30.0)))
        args.add("monthly_volume", str(need))
    if "moq" in hard:
        args.add("quantity", str(req.quantity))
    if "lead_time" in hard:
        args.add("lead_time_days", str(req.lead_time_days))
    if "quality" in hard:
        args.add("min_quality", req.min_quality_tier)
    if "certificates" in hard:
        for code in req.certificates:
            args.add("certificate", code)
    return args


def candidate_hits(req: Requirement) -> list:
    """Up to ``CANDIDATES`` index hits among makers passing the requirement's hard constraints.

    Makers whose profile holds the requirement's words come first, then the other makers that pass the
    hard constraints: the words are one feature of the ranking, not a filter. (With the search box's
    rule that most words must match, a requirement's title and style text alone found a median of one
    candidate on the demo cluster.)
    """
    args = hard_filter_args(req)
    args["per_page"] = "100"
    worded = args.copy()
    worded["q"] = f"{req.title} {req.style_text}"[:500]
    with_words = maker_query(worded)
    hits, seen = [], set()
    for query in (with_words, maker_query(args)):
        for page in (1, 2):  # up to CANDIDATES, the index's 100-per-page limit
            result = run_search("makers", query.__class__(**{**query.__dict__, "page": page, "facets": ()}))
            fresh = [h for h in result.hits if h.id not in seen]
            seen.update(h.id for h in fresh)
            hits.extend(fresh)
            if len(result.hits) < 100 or len(hits) >= CANDIDATES:
                break
        if len(hits) >= CANDIDATES:
            break
    return hits[:CANDIDATES]


def candidate_makers(session: Session, hits: list) -> list[dict]:
    """The hits' maker dicts from the process cache (read only; re-read when a profile changed)."""
    by_id = load_makers_cached(session, [int(h.id) for h in hits])
    return [by_id[int(h.id)] for h in hits if int(h.id) in by_id]


def requirement_facts(session: Session, req: Requirement, now: datetime | None = None) -> dict:
    """The requirement as the features see it, with the buyer's location and type read in one query."""
    conn = session.connection()
    mark = {"qmark": "?", "format": "%s", "pyformat": "%s", "numeric": "?"}.get(conn.dialect.paramstyle)
    if mark is None:
        org, bp = Organization.__table__, BuyerProfile.__table__
        row = session.execute(select(org.c.lat, org.c.lon, bp.c.buyer_type)
                              .outerjoin(bp, bp.c.organization_id == org.c.id).where(org.c.id == req.buyer_id)).first()
    else:   # straight to the driver, as the profiles' stamps: SQLAlchemy's statement handling cost 3x the query
        row = conn.exec_driver_sql("SELECT o.lat, o.lon, b.buyer_type FROM organizations o LEFT JOIN buyer_profiles b "
                                   f"ON b.organization_id = o.id WHERE o.id = {mark}", (req.buyer_id,)).first()
    facts = requirement_data(req, buyer=False)
    if row is not None:
        facts.update(buyer_lat=row[0], buyer_lon=row[1], buyer_type=row[2])
    facts["created_at"] = now or datetime.now(timezone.utc)  # track records and certificates as of now
    return facts


def rank_requirement(session: Session, registry: ModelRegistry, req: Requirement, k: int = 20,
                     lang: str = "en", log_impressions: bool = True, now: datetime | None = None) -> Ranking:
    makers = candidate_makers(session, candidate_hits(req))
    if not makers:
        return Ranking([], None, False, notice="no_candidates", total_candidates=0)
    # whatever the buyer marked hard: a maker that cannot even deliver a sample within the lead time cannot serve it
    makers = [m for m in makers if (m.get("sample_lead_days") or 0) <= req.lead_time_days]
    if not makers:
        return Ranking([], None, False, notice="lead_time_too_short", total_candidates=0)
    req_data = requirement_facts(session, req, now)
    history = Snapshot.from_db(session, [m["id"] for m in makers])
    X = feature_matrix(req_data, makers, history)
    model, version, notice = _model_or_fallback(registry)
    learned = model is not None
    scorer = model if learned else rule_scorer().fit(X[:1])
    scores, contrib_of = _scores_and_explainer(scorer, X)
    order = np.argsort(-scores, kind="stable")
    arm_a = version if learned else "rule"
    settings = online.current_settings()
    rng = np.random.default_rng()
    other = _other_arm(registry, settings, X, learned, version)
    shown, intervention = online.plan(settings, order.tolist(), other[0], k, rng)
    shown = np.asarray(shown, dtype=np.intp)
    # only the shown rows are explained; "path" attributions reuse the leaves found while scoring
    contributions = contrib_of(shown)
    at = req_data["created_at"]
    items = []
    for rank, (row, i) in enumerate(zip(contributions, shown), start=1):
        m = dict(makers[i])
        m["record"] = history.record(m["id"], at)   # for the worded reasons only
        if None not in (req_data["buyer_lat"], req_data["buyer_lon"], m["lat"], m["lon"]):
            m["distance_km"] = haversine_km(req_data["buyer_lat"], req_data["buyer_lon"], m["lat"], m["lon"])
        items.append({"rank": rank, "maker_id": m["id"], "name": m["name"], "score": float(scores[i]),
                      "size_band": m["size_band"],
                      "reasons": reasons_for(row, X[i], req_data, m, lang, session=session)})
    if log_impressions:
        _log_impressions(session, req, items, arm_a, at, intervention, other[1])
    return Ranking(items, version if learned else None, learned, notice, total_candidates=len(makers))


def _scores_and_explainer(scorer, X):
    """Scores of every candidate, and a function giving the contributions of any subset of rows."""
    if isinstance(scorer, LambdaRanker):
        scores, leaves = scorer.predict_with_leaves(X)
        return scores, lambda rows: scorer.path_contributions(leaves[rows])
    return scorer.predict(X), lambda rows: explain_rule(X[rows])


def _other_arm(registry: ModelRegistry, settings, X, learned: bool, version: str | None):
    """``(order_b(), arm_b)``: team B of an interleaving, the rule score or the previous model."""
    if not learned or settings.interleave_share <= 0:
        return (lambda: None), None
    if settings.against == "previous":
        try:
            previous = previous_version(registry)
            model_b = load_version(registry, previous) if previous else None
        except ArtifactError as exc:
            log.warning("previous ranker unusable for interleaving: %s", exc)
            model_b = None
        if model_b is not None:
            return (lambda: np.argsort(-model_b.predict(X), kind="stable").tolist()), previous
        return (lambda: None), None
    return (lambda: np.argsort(-rule_scorer().fit(X[:1]).predict(X), kind="stable").tolist()), "rule"


def _model_or_fallback(registry: ModelRegistry):
    try:
        loaded = load_model(registry)
    except ArtifactError as exc:
        log.error("ranker model unusable, ranking by rule score: %s", exc)
        return None, None, "model_unusable"
    if loaded is None:
        return None, None, "no_model"
    return loaded[0], loaded[1], None


def _log_impressions(session: Session, req: Requirement, items: list[dict], version: str, at: datetime,
                     intervention: dict | None, arm_b: str | None) -> None:
    """``shown`` events at ``at``; a randomised or interleaved ranking also gets its ``ranking_serves`` row."""
    session.add_all([OutcomeEvent(requirement_id=req.id, buyer_id=req.buyer_id, maker_id=item["maker_id"],
                                  event="shown", rank=item["rank"], model_version=version, source="ranking",
                                  occurred_at=at) for item in items])
    if intervention is not None and items:
        session.add(RankingServe(**online.serve_row(req.id, req.buyer_id, at, [i["maker_id"] for i in items],
                                                    intervention, version, arm_b)))
    session.commit()
