"""Learning from the live system: randomised pairs and team-draft interleaving, served and read back.

Serving (:func:`plan`): for a configurable share of rankings the shown list is changed and the
change logged in ``ranking_serves`` (:mod:`.records`):

* ``RANKING_INTERLEAVE_SHARE`` (default 0.05): the learned model (team A) and the rule score, or
  the previously promoted model with ``RANKING_INTERLEAVE_AGAINST=previous`` (team B), are merged
  by team draft; each shown maker records the team that placed it;
* ``RANKING_SWAP_SHARE`` (default 0.05): one adjacent pair (k, k+1), k in 1..9, is shown in random
  order (RandPair).

Both default to 0 in testing unless set. A click is any later funnel event (profile opened,
shortlisted, contacted, ...) for the same requirement and maker before that requirement is
ranked again. The swap clicks give the examination curve ``pos ** -eta``
(:func:`position_bias`), which training uses for inverse-propensity weights; interleaving clicks
give the win rate of A over B with its confidence interval (:func:`report_lines`).
"""
from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.online import (estimate_eta_from_swaps, estimate_propensities, interleaving_result,
                           randomize_adjacent_pair, team_draft_interleave, credit)

from .records import OutcomeEvent
from .records import RankingServe

SWAP_MAX_POSITION = 10
CLICK_EVENTS = ("profile_opened", "shortlisted", "contacted", "meeting_held", "sample_requested",
                "sample_approved", "order_placed")


@dataclass(frozen=True)
class OnlineSettings:
    swap_share: float = 0.0
    interleave_share: float = 0.0
    against: str = "rule"          # "rule" or "previous"

    @classmethod
    def from_config(cls, config) -> "OnlineSettings":
        """From the app's config (:mod:`matchmaker.config`); absent keys mean no intervention."""
        swap, inter = float(config.get("RANKING_SWAP_SHARE", 0)), float(config.get("RANKING_INTERLEAVE_SHARE", 0))
        against = str(config.get("RANKING_INTERLEAVE_AGAINST", "rule"))
        if not (0 <= swap <= 1 and 0 <= inter <= 1 and swap + inter <= 1):
            raise ValueError("RANKING_SWAP_SHARE and RANKING_INTERLEAVE_SHARE must be shares (0..1) summing to <= 1")
        if against not in ("rule", "previous"):
            raise ValueError("RANKING_INTERLEAVE_AGAINST must be 'rule' or 'previous'")
        return cls(swap, inter, against)


def current_settings() -> OnlineSettings:
    from flask import current_app, has_app_context

    if not has_app_context():
        return OnlineSettings()
    return OnlineSettings.from_config(current_app.config)


def plan(settings: OnlineSettings, order_a: list[int], other_order, k: int, rng: np.random.Generator):
    """``(shown, intervention)``: the rows to show and what was done (None for a plain ranking).

    ``order_a`` is the served ranking (row indices, best first, at least ``k`` long when there are
    that many candidates); ``other_order()`` gives team B's ranking, or None when there is no B.
    """
    u = rng.random()
    if u < settings.interleave_share:
        order_b = other_order()
        if order_b is not None:
            shown, teams = team_draft_interleave(list(order_a), list(order_b), rng, length=min(k, len(order_a)))
            return shown, {"intervention": "interleave", "teams": teams}
    elif u < settings.interleave_share + settings.swap_share:
        top = list(order_a[:k])
        shown, pair = randomize_adjacent_pair(top, rng, max_position=SWAP_MAX_POSITION)
        if pair is not None:
            return shown, {"intervention": "swap", "swap_position": pair}
    return list(order_a[:k]), None


def serve_row(req_id: int, buyer_id: int, served_at: datetime, maker_ids: list[int], intervention: dict,
              arm_a: str, arm_b: str | None, source: str = "app") -> dict:
    return dict(requirement_id=req_id, buyer_id=buyer_id, served_at=served_at,
                intervention=intervention["intervention"], swap_position=intervention.get("swap_position"),
                arm_a=arm_a, arm_b=arm_b if intervention["intervention"] == "interleave" else None,
                makers=[int(m) for m in maker_ids], teams=intervention.get("teams"), source=source)


# --------------------------------------------------------------------------- reading the log

def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def serves_with_clicks(session: Session, intervention: str | None = None):
    """Each logged serve with its clicks: ``[(serve, clicked: list[bool] per shown position)]``."""
    stmt = select(RankingServe).order_by(RankingServe.id)
    if intervention:
        stmt = stmt.where(RankingServe.intervention == intervention)
    serves = list(session.scalars(stmt))
    if not serves:
        return []
    req_ids = sorted({s.requirement_id for s in serves})
    shown_times: dict[int, list[datetime]] = defaultdict(list)
    clicks: dict[tuple[int, int], list[datetime]] = defaultdict(list)
    for start in range(0, len(req_ids), 500):
        chunk = req_ids[start:start + 500]
        for rid, at in session.execute(select(OutcomeEvent.requirement_id, OutcomeEvent.occurred_at).distinct()
                                       .where(OutcomeEvent.requirement_id.in_(chunk),
                                              OutcomeEvent.event == "shown")):
            shown_times[rid].append(_utc(at))
        for rid, mid, at in session.execute(select(OutcomeEvent.requirement_id, OutcomeEvent.maker_id,
                                                   OutcomeEvent.occurred_at)
                                            .where(OutcomeEvent.requirement_id.in_(chunk),
                                                   OutcomeEvent.event.in_(CLICK_EVENTS))):
            clicks[(rid, mid)].append(_utc(at))
    for times in shown_times.values():
        times.sort()
    out = []
    for s in serves:
        start = _utc(s.served_at)
        times = shown_times.get(s.requirement_id, [])
        i = bisect_right(times, start)
        end = times[i] if i < len(times) else None          # the requirement's next ranking
        out.append((s, [any(t >= start and (end is None or t < end) for t in clicks.get((s.requirement_id, m), ()))
                        for m in s.makers]))
    return out


def swap_clicks(session: Session):
    """``(k, click at k, click at k+1)`` arrays, one entry per randomised-pair serve."""
    rows = [(s.swap_position, c[s.swap_position - 1], c[s.swap_position])
            for s, c in serves_with_clicks(session, "swap") if s.swap_position and len(c) > s.swap_position]
    if not rows:
        return np.array([], int), np.array([], float), np.array([], float)
    k, up, lo = map(np.asarray, zip(*rows))
    return k.astype(int), up.astype(float), lo.astype(float)


def position_bias(session: Session):
    """Examination curve estimated from the randomised pairs (None when they hold too few clicks)."""
    k, up, lo = swap_clicks(session)
    return estimate_eta_from_swaps(k, up, lo) if len(k) else None


def interleaving(session: Session) -> dict[tuple[str, str], object]:
    """``{(arm_a, arm_b): InterleavingResult}`` over every interleaved serve."""
    outcomes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for s, c in serves_with_clicks(session, "interleave"):
        outcomes[(s.arm_a, s.arm_b)].append(credit(s.teams, np.asarray(c, float)))
    return {arms: interleaving_result(o) for arms, o in outcomes.items()}


def report_lines(session: Session) -> list[str]:
    """The online part of ``evaluate ranker --online``."""
    lines = []
    results = interleaving(session)
    if not results:
        lines.append("interleaving: no interleaved rankings logged yet (RANKING_INTERLEAVE_SHARE)")
    for (a, b), r in results.items():
        n = r.wins + r.losses + r.ties
        verdict = ("A is better" if r.ci_low > 0.5 else "B is better" if r.ci_high < 0.5 else
                   "no significant difference") if r.wins + r.losses else "no impression with a preference"
        lines.append(f"team-draft interleaving, A = {a} vs B = {b}: {n} rankings, {r.wins + r.losses} with a "
                     f"preference (A {r.wins}, B {r.losses}, ties {r.ties})")
        lines.append(f"  win rate of A {r.win_rate:.3f} (95 % CI {r.ci_low:.3f} .. {r.ci_high:.3f}): {verdict}")
    k, up, lo = swap_clicks(session)
    bias = estimate_eta_from_swaps(k, up, lo) if len(k) else None
    if bias is None:
        lines.append(f"position bias: {len(k)} randomised-pair rankings, too few clicks to estimate "
                     "(RANKING_SWAP_SHARE)")
    else:
        lines.append(f"position bias from {bias.n_impressions} randomised-pair rankings ({bias.n_clicks} clicks on "
                     f"the pairs): examination ~ rank ** -{bias.eta:.2f} (95 % CI {bias.ci_low:.2f} .. "
                     f"{bias.ci_high:.2f})")
        chained = estimate_propensities(k, up, lo, max_position=SWAP_MAX_POSITION, min_clicks=10)
        lines.append("  per position (chained pair ratios, >= 10 clicks a side): " + " ".join(
            f"{p:.2f}" if np.isfinite(p) else "-" for p in chained))
    return lines


def exposure_lines(session: Session, size_band_of) -> list[str]:
    """Top-10 exposure by size band in the interleaved lists, split by the team that placed each maker."""
    served = serves_with_clicks(session, "interleave")
    if not served:
        return []
    exp: dict[tuple[str, str], float] = defaultdict(float)
    for s, _ in served:
        for rank, (m, team) in enumerate(zip(s.makers, s.teams), start=1):
            if rank <= 10:
                exp[(team, size_band_of(m) or "unknown")] += 1.0 / np.log2(rank + 1)
    bands = sorted({b for _, b in exp})
    lines = ["top-10 exposure share by size band in the interleaved lists (placed by A | by B):"]
    tot = {t: sum(v for (tt, _), v in exp.items() if tt == t) or 1.0 for t in ("A", "B")}
    for b in bands:
        lines.append(f"  {b:<10}{exp[('A', b)] / tot['A']:>8.3f} | {exp[('B', b)] / tot['B']:.3f}")
    return lines
