"""Recommended counterparts at a fair: a transparent rule score with reasons.

The score compares what a buyer looks for (its open requirements and the segments of
its profile) with a maker's public capability profile:

==============  ======  =====================================================
component       weight  1.0 when
==============  ======  =====================================================
product line      0.35  the maker makes a product line the buyer looks for
processes         0.30  share of the buyer's required process stages covered
capacity          0.20  the order fits the maker's free monthly capacity and
                        is at least its minimum order (0.5 if it fits only one)
niche             0.15  the maker serves a niche the buyer asked for
==============  ======  =====================================================

A component with no data on the buyer side is left out and the weights are
renormalised, so a newcomer with a thin profile is still ranked. Reasons name only
the requester's own data and the candidate's public profile (never a maker's clients).
The learned ranker will replace :func:`pair_score`; its signature is the contract.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from flask import has_request_context

from ..i18n import format_number, gettext
from ..buyers.records import BuyerProfile
from ..makers.records import MakerProfile
from ..requirements.records import Requirement
from .. import taxonomy as tx

WEIGHTS = {"product_line": 0.35, "processes": 0.30, "capacity": 0.20, "niche": 0.15}


@dataclass
class BuyerNeeds:
    lines: set[str] = field(default_factory=set)
    processes: set[str] = field(default_factory=set)
    niches: set[str] = field(default_factory=set)
    order_qty: int = 0
    monthly_volume: int = 0


@dataclass
class Recommendation:
    score: float
    reasons: list[str]


def _(message: str, **params) -> str:
    """Translate inside a request; plain English elsewhere (scheduling runs, scripts)."""
    return gettext(message, **params) if has_request_context() else message.format(**params)


def buyer_needs(session: Session, buyer_id: int) -> BuyerNeeds:
    needs = BuyerNeeds()
    profile = session.get(BuyerProfile, buyer_id)
    if profile is not None:
        needs.lines |= set(profile.segments or [])
        needs.order_qty = profile.typical_order_qty or 0
    reqs = session.scalars(select(Requirement).where(Requirement.buyer_id == buyer_id,
                                                     Requirement.status == "open")).all()
    for r in reqs:
        needs.lines.add(r.product_line)
        needs.processes |= set(r.processes or [])
        needs.niches |= set(r.niches or [])
        needs.order_qty = max(needs.order_qty, r.quantity or 0)
        needs.monthly_volume = max(needs.monthly_volume, r.monthly_volume or 0)
    return needs


def _labels(vocab, codes, lang) -> str:
    return ", ".join(vocab.label(c, lang) for c in sorted(codes))


def pair_score(needs: BuyerNeeds, maker: MakerProfile | None, lang: str = "en") -> Recommendation:
    """Score in [0, 1] and the reasons, from the buyer's needs and the maker's public profile."""
    if maker is None:
        return Recommendation(0.0, [_("No capability profile yet.")])
    parts: dict[str, float] = {}
    reasons: list[str] = []
    maker_lines = {p.code for p in maker.product_lines}
    maker_procs = {p.code for p in maker.processes}
    maker_niches = {n.code for n in maker.niches}
    if needs.lines:
        common = needs.lines & maker_lines
        parts["product_line"] = 1.0 if common else 0.0
        if common:
            reasons.append(_("Product line fit: {lines}.", lines=_labels(tx.PRODUCT_LINES, common, lang)))
    if needs.processes:
        covered = needs.processes & maker_procs
        parts["processes"] = len(covered) / len(needs.processes)
        if covered:
            reasons.append(_("Covers {n} of {total} required processes.", n=len(covered),
                             total=len(needs.processes)))
    qty = needs.monthly_volume or needs.order_qty
    if qty:
        free = maker.monthly_capacity * (1 - (maker.committed_share or 0)) + (maker.peak_spare_capacity or 0)
        fits_capacity = free >= qty
        fits_moq = (maker.min_order_qty or 0) <= (needs.order_qty or qty)
        parts["capacity"] = (fits_capacity + fits_moq) / 2
        if fits_capacity and fits_moq:
            reasons.append(_("Capacity fits an order of {qty} units.", qty=format_number(qty)))
        elif not fits_moq:
            reasons.append(_("Minimum order {moq} is above the usual order.", moq=format_number(maker.min_order_qty)))
    if needs.niches:
        common = needs.niches & maker_niches
        parts["niche"] = 1.0 if common else 0.0
        if common:
            reasons.append(_("Niche match: {niches}.", niches=_labels(tx.NICHES, common, lang)))
    if not parts:
        return Recommendation(0.0, [_("Not enough information on what the buyer looks for.")])
    total = sum(WEIGHTS[k] for k in parts)
    score = sum(WEIGHTS[k] * v for k, v in parts.items()) / total
    return Recommendation(round(score, 3), reasons)
