"""The inputs of the cost and cohesion terms, read from what the coordinator may use.

* **Cost** of a maker for a stage, per piece: the price that maker gave this coordinator for
  that stage when it last confirmed a part (its quote to the coordinator), else its public
  price band (the midpoint of ``unit_price_min``–``unit_price_max``, or the one end given)
  shared evenly over the processes it offers. A maker with neither counts at the median of
  the stage's known costs (``problem.build``), so a missing price is neither a bonus nor a
  penalty. Price bands are in US dollars, as the profile form states.
* **Cohesion** of two firms: how often they confirmed their parts of the *same* consortium of
  this coordinator (only its own past proposals: another coordinator's teams are not its
  data). One consortium together scores 0.5, two 0.75, and so on towards 1.

Orders (issue 15) may later add pairs that delivered together; nothing here depends on them.
"""
from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .records import Part, Proposal
from ..catalog import N_

#: What the proposal page says about each objective term (English message ids; translated).
EXPLAIN = {
    "fit": N_("Fit: how well each maker suits this requirement for its stage (the ranking's score, as a "
              "percentile among the stage's candidates), weighted by the share of the stage it takes."),
    "lead": N_("Lead time: days along the stage sequence, each stage as long as its slowest maker, plus transport "
               "between the sites of consecutive stages (by distance); days past the buyer's lead time cost more."),
    "cost": N_("Cost: each member's price per piece for its stage: the price it gave you when it confirmed an "
               "earlier part, else its public price band shared over the processes it offers; a maker with "
               "neither counts at the stage's median."),
    "risk": N_("Risk: one minus the on-time share of each maker's delivered orders, drawn towards the cluster's "
               "average for makers with few orders."),
    "cohesion": N_("Cohesion: a bonus for pairs of firms that confirmed their parts of the same consortium of yours "
                   "before (one consortium together 0.5, two 0.75, …)."),
    "small_share": N_("Small-firm share: the share of the volume you state for micro and small firms; every unit "
                      "short of it costs the team."),
}


def band_cost(maker: dict) -> float | None:
    """Per-piece cost of one stage at ``maker`` from its public price band, or None."""
    low, high = maker.get("unit_price_min"), maker.get("unit_price_max")
    if low is None and high is None:
        return None
    mid = (low + high) / 2 if low is not None and high is not None else (low if low is not None else high)
    return round(float(mid) / max(1, len(maker["processes"])), 4)


def part_prices(session: Session, coordinator_id: int) -> dict[tuple[int, str], float]:
    """``{(maker_id, stage): price}``: each member's latest price for a stage it confirmed to
    this coordinator."""
    rows = session.execute(select(Part.maker_id, Part.stage, Part.unit_price)
                           .join(Proposal, Proposal.id == Part.proposal_id)
                           .where(Proposal.coordinator_id == coordinator_id, Part.status == "confirmed",
                                  Part.unit_price.is_not(None))
                           .order_by(Part.answered_at, Part.id)).all()
    return {(maker_id, stage): float(price) for maker_id, stage, price in rows}  # later rows win


def unit_cost(maker: dict, stage: str, prices: dict[tuple[int, str], float]) -> float | None:
    quoted = prices.get((maker["id"], stage))
    return quoted if quoted is not None else band_cost(maker)


def together_counts(session: Session, coordinator_id: int) -> dict[tuple[int, int], int]:
    """``{(maker_a, maker_b): n}`` with ``a < b``: consortia of this coordinator in which both
    confirmed their parts."""
    rows = session.execute(select(Part.proposal_id, Part.maker_id).join(Proposal, Proposal.id == Part.proposal_id)
                           .where(Proposal.coordinator_id == coordinator_id, Proposal.status == "sent",
                                  Part.status == "confirmed")).all()
    members: dict[int, set[int]] = defaultdict(set)
    for proposal_id, maker_id in rows:
        members[proposal_id].add(maker_id)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for makers in members.values():
        for a, b in combinations(sorted(makers), 2):
            counts[(a, b)] += 1
    return dict(counts)


def cohesion_score(n: int) -> float:
    return round(1.0 - 0.5 ** n, 4) if n > 0 else 0.0


__all__ = ["EXPLAIN", "band_cost", "cohesion_score", "part_prices", "together_counts", "unit_cost"]
