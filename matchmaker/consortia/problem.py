"""A requirement as a consortium problem: its stages, and every maker able to take one.

Stages are the requirement's processes in the order garments go through them (the process
vocabulary's order); each stage carries the whole quantity. A maker is a candidate for a
stage when it offers that process, meets the requirement's quality tier and certificates,
and is not the coordinator itself. Its figures come from its public profile: spare monthly
capacity times the months of the buyer's lead time (what it can put through by then),
minimum order (its minimum part), order lead time shared out over the processes it offers
(one stage of a shop that does five takes a fifth of its order lead time, two days at
least), site, firm (ownership group) and size band. The buyer's lead time is the plan's
deadline: each late day costs the plan.

Fit per stage is the ranking's own score for the requirement narrowed to that stage (the
learned model when one is promoted, else the rule), turned into a 0–1 percentile among the
stage's candidates so every stage weighs alike. Risk is one minus the shrunk on-time share
of the maker's track record, so newcomers sit near the cluster's prior. Cost and cohesion come
from ``terms`` (price bands and members' prices; consortia confirmed together).

The buyer's subcontracting rule: ``forbidden`` asks for teams of one firm (``single_firm``);
``declared`` and ``forbidden`` both leave out makers whose profile says they subcontract
(their part would go to a firm the offer does not name). A consortium offer always names
its members, so it is the declared consortium the buyer admits.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np
from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.registry import ArtifactError, ModelRegistry
from scheduling.consortia import Candidate, Stage, TeamProblem

from .. import taxonomy as tx
from ..ranking.data import Snapshot, feature_matrix, load_makers, requirement_data
from ..ranking.features import FEATURE_NAMES, shrunk
from ..ranking.serving import load_model
from ..ranking.training import rule_scorer
from ..makers.records import MakerProcess, MakerProfile
from ..organizations.records import Organization
from ..requirements.records import Requirement
from . import terms

#: On-time share assumed for a maker with no delivered orders yet (risk = 1 - shrunk share).
ON_TIME_PRIOR = 0.8
#: A candidate list per stage is cut to this many by fit before optimising (see prefilter).
PER_STAGE = 15


@dataclass
class Built:
    problem: TeamProblem
    names: dict[int, str]
    stages: list[str]


def requirement_stages(req: Requirement) -> list[str]:
    order = tx.PROCESS_STAGES.codes
    return sorted({p for p in req.processes if p in order}, key=order.index)


def _scores(req: Requirement, makers: list[dict], history) -> np.ndarray:
    data = requirement_data(req)
    data["created_at"] = datetime.now(timezone.utc)
    X = feature_matrix(data, makers, history)
    try:
        loaded = load_model(ModelRegistry(current_app.config["MODEL_DIR"]))
    except ArtifactError:  # an unusable model ranks by rule, as the ranked list does
        loaded = None
    model = loaded[0] if loaded else None
    scorer = model if model is not None else rule_scorer().fit(X[:1])
    return np.asarray(scorer.predict(X), dtype=float)


def _percentile(values: np.ndarray) -> np.ndarray:
    if len(values) <= 1:
        return np.ones(len(values))
    order = values.argsort(kind="stable").argsort(kind="stable")
    return order / (len(values) - 1)


def stage_days(maker: dict) -> int:
    """Days one stage takes at ``maker``: its order lead time over the processes it offers."""
    return max(2, math.ceil((maker["order_lead_days"] or 0) / max(1, len(maker["processes"]))))


def build(session: Session, req: Requirement, coordinator_id: int, locks: dict | None = None,
          committed: dict | None = None, single_firm: bool | None = None, small_share: float = 0.0) -> Built:
    """The problem for ``req`` as ``coordinator_id`` sees it. ``single_firm`` defaults to the
    buyer's rule (``subcontracting == "forbidden"``)."""
    if single_firm is None:
        single_firm = (req.subcontracting or "allowed") == "forbidden"
    prices = terms.part_prices(session, coordinator_id)
    stages = requirement_stages(req)
    ids = sorted(set(session.scalars(select(MakerProcess.maker_id).where(MakerProcess.code.in_(stages)))))
    ids = [i for i in ids if i != coordinator_id]
    makers = load_makers(session, ids)
    min_rank = tx.QUALITY_TIERS.rank(req.min_quality_tier) if req.min_quality_tier in tx.QUALITY_TIERS else 0
    now = datetime.now(timezone.utc).date()
    eligible = [m for m in makers.values() if m["quality_rank"] >= min_rank
                and all(m["certificates"].get(c) and m["certificates"][c] >= now for c in req.certificates)]
    if (req.subcontracting or "allowed") != "allowed":  # the buyer wants to know every firm making its goods
        hidden = set(session.scalars(select(MakerProfile.organization_id).where(
            MakerProfile.organization_id.in_([m["id"] for m in eligible]), MakerProfile.subcontracts.is_(True))))
        eligible = [m for m in eligible if m["id"] not in hidden]
    firms = dict(session.execute(select(Organization.id, Organization.ownership_group_id)
                                 .where(Organization.id.in_([m["id"] for m in eligible]))).all())
    candidates = []
    history = Snapshot.from_db(session, [m["id"] for m in eligible]) if eligible else None
    for stage in stages:
        pool = [m for m in eligible if stage in m["processes"]]
        if not pool:
            continue
        narrowed = Requirement(**{c.key: getattr(req, c.key) for c in Requirement.__table__.columns
                                  if c.key not in ("processes",)}, processes=[stage])
        narrowed.buyer = req.buyer
        fit = _percentile(_scores(narrowed, pool, history))
        months = max(1.0, (req.lead_time_days or 30) / 30.0)
        costs = [terms.unit_cost(m, stage, prices) for m in pool]
        known = sorted(c for c in costs if c is not None)
        typical = known[len(known) // 2] if known else None  # a maker without a price counts at the median
        for m, f, cost in zip(pool, fit, costs):
            record = history.record(m["id"], datetime.now(timezone.utc))
            risk = 1.0 - shrunk(record.on_time, record.orders, ON_TIME_PRIOR)
            firm = firms.get(m["id"])
            candidates.append(Candidate(
                maker=str(m["id"]), stage=stage, fit=round(float(f), 4),
                capacity=int(m["available_capacity"] * months), lead_days=stage_days(m),
                firm=f"group{firm}" if firm else None,
                min_units=int(m["min_order_qty"] or 0), lat=m["lat"], lon=m["lon"],
                unit_cost=cost if cost is not None else typical, risk=round(risk, 4),
                small=m["size_band"] in ("micro", "small")))
    owner = {m["id"]: f"group{firms[m['id']]}" if firms.get(m["id"]) else str(m["id"]) for m in eligible}
    cohesion: dict[tuple[str, str], float] = {}
    for (a, b), n in terms.together_counts(session, coordinator_id).items():
        if a in owner and b in owner and owner[a] != owner[b]:
            key = tuple(sorted((owner[a], owner[b])))
            cohesion[key] = max(cohesion.get(key, 0.0), terms.cohesion_score(n))
    problem = TeamProblem(tuple(Stage(s, int(req.quantity)) for s in stages), tuple(candidates),
                          cohesion=cohesion, small_share=float(small_share or 0.0),
                          locked={s: tuple(str(x) for x in v) for s, v in (locks or {}).items()},
                          committed={str(k): int(v) for k, v in (committed or {}).items()}, single_firm=single_firm,
                          deadline_days=req.lead_time_days)
    names = {m["id"]: m["name"] for m in eligible}
    return Built(problem, names, stages)


def single_firm_can_serve(built: Built) -> bool:
    """Some one maker offers every stage with the capacity and minimum for the whole quantity."""
    by_maker: dict[str, set[str]] = {}
    for c in built.problem.candidates:
        if c.capacity >= built.problem.stages[0].volume >= c.min_units:
            by_maker.setdefault(c.maker, set()).add(c.stage)
    return any(stages >= set(built.stages) for stages in by_maker.values())


__all__ = ["Built", "FEATURE_NAMES", "PER_STAGE", "build", "requirement_stages", "single_firm_can_serve"]
