"""Learning from a live system: position bias from randomised adjacent pairs, and
team-draft interleaving to compare two rankers on real buyers.

Plain functions on plain data (lists of item ids, arrays of clicks); the app decides which
small share of rankings to randomise or interleave and logs what was shown and clicked.

* **Randomised adjacent pairs** (the RandPair intervention of Joachims, Swaminathan &
  Schnabel 2017): in a randomised ranking one adjacent pair (k, k+1) is shown in random
  order. Both items then appear at k and at k+1 equally often, so relevance cancels and
  ``clicks at k+1 / clicks at k`` estimates ``p(k+1) / p(k)``, the ratio of examination
  probabilities. :func:`estimate_propensities` chains the ratios (``p(1) = 1``);
  :func:`fit_eta` summarises them as the ``eta`` of :func:`models.ranker.position_propensity`.
* **Team-draft interleaving** (Radlinski, Kurup & Joachims 2008): the two rankers take turns
  (coin flip when tied) adding their best item not yet shown; a click credits the team that
  placed the item. :func:`interleaving_result` gives the win rate of ``A`` over impressions
  with a preference, with a Wilson confidence interval.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: below this many clicks on either position of a pair the ratio is not estimated
MIN_PAIR_CLICKS = 20


def randomize_adjacent_pair(ranking: list, rng: np.random.Generator, max_position: int = 10):
    """Pick a pair (k, k+1) with k uniform in 1..min(max_position, len)-1 and show it in random
    order. Returns ``(shown, k)``; log ``k`` with the clicks at positions k and k+1."""
    n = min(max_position, len(ranking))
    if n < 2:
        return list(ranking), None
    k = int(rng.integers(1, n))                  # 1-based upper position of the pair
    shown = list(ranking)
    if rng.random() < 0.5:
        shown[k - 1], shown[k] = shown[k], shown[k - 1]
    return shown, k


def estimate_propensities(k, click_upper, click_lower, max_position: int = 10,
                          min_clicks: int = MIN_PAIR_CLICKS) -> np.ndarray:
    """Examination propensity by position 1..``max_position`` from randomised-pair logs.

    ``k`` (1-based upper position of the randomised pair), ``click_upper`` (click at k, 0/1)
    and ``click_lower`` (click at k+1) are one entry per randomised impression. Positions whose
    chain meets a pair with fewer than ``min_clicks`` clicks on either side are NaN (not enough
    evidence), never a guess.
    """
    k = np.asarray(k, dtype=int)
    up = np.bincount(k, weights=np.asarray(click_upper, float), minlength=max_position + 1)
    lo = np.bincount(k, weights=np.asarray(click_lower, float), minlength=max_position + 1)
    p = np.full(max_position, np.nan)
    p[0] = 1.0
    for pos in range(1, max_position):
        if up[pos] < min_clicks or lo[pos] < min_clicks or np.isnan(p[pos - 1]):
            break
        p[pos] = p[pos - 1] * lo[pos] / up[pos]
    return p


def fit_eta(propensities) -> float:
    """Least-squares ``eta`` of ``p(pos) = pos ** -eta`` over the estimated (non-NaN) positions."""
    p = np.asarray(propensities, dtype=float)
    pos = np.arange(1, len(p) + 1)
    ok = np.isfinite(p) & (p > 0) & (pos > 1)
    if not ok.any():
        raise ValueError("no estimated position beyond the first: not enough randomised clicks")
    x, y = np.log(pos[ok]), np.log(p[ok])
    return float(-(x @ y) / (x @ x))


def team_draft_interleave(ranking_a: list, ranking_b: list, rng: np.random.Generator,
                          length: int | None = None):
    """Merge two rankings by team draft. Returns ``(shown, teams)`` with ``teams[i]`` "A" or "B"."""
    length = length or len(set(ranking_a) | set(ranking_b))
    shown, teams, seen = [], [], set()
    ia = ib = na = nb = 0
    while len(shown) < length:
        a_left = any(x not in seen for x in ranking_a[ia:])
        b_left = any(x not in seen for x in ranking_b[ib:])
        if not (a_left or b_left):
            break
        a_turn = a_left and (not b_left or na < nb or (na == nb and rng.random() < 0.5))
        src, team = (ranking_a, "A") if a_turn else (ranking_b, "B")
        i = ia if a_turn else ib
        while src[i] in seen:
            i += 1
        shown.append(src[i])
        teams.append(team)
        seen.add(src[i])
        if a_turn:
            ia, na = i + 1, na + 1
        else:
            ib, nb = i + 1, nb + 1
    return shown, teams


def credit(teams: list, clicks) -> str:
    """"A", "B" or "tie" for one interleaved impression (clicks: 0/1 per shown position)."""
    c = np.asarray(clicks, dtype=float)
    a = float(c[[t == "A" for t in teams]].sum())
    b = float(c[[t == "B" for t in teams]].sum())
    return "A" if a > b else "B" if b > a else "tie"


@dataclass
class InterleavingResult:
    wins: int
    losses: int
    ties: int
    win_rate: float            # wins / (wins + losses); NaN when no impression had a preference
    ci_low: float
    ci_high: float             # Wilson interval at ``confidence``

    @property
    def significant(self) -> bool:
        return self.ci_low > 0.5 or self.ci_high < 0.5


def interleaving_result(outcomes, confidence: float = 0.95) -> InterleavingResult:
    """Win rate of A over B from per-impression outcomes ("A"/"B"/"tie"), ties excluded."""
    outcomes = list(outcomes)
    w, l_ = outcomes.count("A"), outcomes.count("B")
    t = len(outcomes) - w - l_
    n = w + l_
    if n == 0:
        return InterleavingResult(w, l_, t, math.nan, math.nan, math.nan)
    from scipy.stats import norm
    z = float(norm.ppf(0.5 + confidence / 2))
    ph = w / n
    mid = (ph + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(ph * (1 - ph) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return InterleavingResult(w, l_, t, ph, mid - half, mid + half)


@dataclass
class PositionBias:
    eta: float                 # examination p(pos) = pos ** -eta, p(1) = 1
    ci_low: float
    ci_high: float             # profile-likelihood interval at ``confidence``
    n_impressions: int
    n_clicks: int              # clicks on the randomised pairs

    def propensity(self, positions) -> np.ndarray:
        return np.asarray(positions, dtype=float) ** -self.eta


def estimate_eta_from_swaps(k, click_upper, click_lower, confidence: float = 0.95,
                            min_clicks: int = 30) -> PositionBias | None:
    """Pooled maximum-likelihood ``eta`` from randomised adjacent pairs (all pairs at once).

    Randomisation puts each item at k and k+1 equally often, so clicks at k+1 over clicks on
    the pair follow ``r / (1 + r)`` with ``r = p(k+1) / p(k) = ((k+1)/k) ** -eta``. Pooling every
    pair needs far fewer clicks than chaining per-position ratios
    (:func:`estimate_propensities`). ``None`` below ``min_clicks`` clicks on the pairs.
    """
    from scipy.optimize import brentq, minimize_scalar
    from scipy.stats import chi2

    k = np.asarray(k, dtype=int)
    up = np.bincount(k, weights=np.asarray(click_upper, float))
    lo = np.bincount(k, weights=np.asarray(click_lower, float), minlength=len(up))
    pos = np.flatnonzero(up + lo)
    pos = pos[pos >= 1]
    n_clicks = int((up + lo)[pos].sum())
    if n_clicks < min_clicks:
        return None
    step = np.log((pos + 1) / pos)
    u, w = up[pos], lo[pos]

    def nll(eta):
        log_r = -eta * step                       # log of the ratio p(k+1)/p(k)
        return float(-(w * (log_r - np.logaddexp(0, log_r)) + u * (-np.logaddexp(0, log_r))).sum())

    lo_b, hi_b = -2.0, 5.0
    best = minimize_scalar(nll, bounds=(lo_b, hi_b), method="bounded")
    eta, floor = float(best.x), float(best.fun)
    cut = floor + chi2.ppf(confidence, 1) / 2
    low = brentq(lambda e: nll(e) - cut, lo_b, eta) if nll(lo_b) > cut else lo_b
    high = brentq(lambda e: nll(e) - cut, eta, hi_b) if nll(hi_b) > cut else hi_b
    return PositionBias(eta, float(low), float(high), int(len(k)), n_clicks)
