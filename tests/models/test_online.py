"""Online learning helpers: position bias from randomised pairs, team-draft interleaving."""
import numpy as np
import pytest

from models.online import (estimate_propensities, fit_eta, interleaving_result,
                           randomize_adjacent_pair, team_draft_interleave, credit)


def simulate_clicks(rng, shown, relevance, examine):
    """A user who looks at position i with probability examine[i] and clicks what is relevant."""
    return [int(rng.random() < examine[i] and rng.random() < relevance[d]) for i, d in enumerate(shown)]


def test_randomised_pairs_recover_a_known_position_bias():
    rng = np.random.default_rng(0)
    true = np.arange(1, 11) ** -0.7
    ks, up, lo = [], [], []
    for _ in range(40_000):
        ranking = list(rng.permutation(30))
        relevance = {d: r for d, r in zip(range(30), rng.uniform(0, 0.6, 30))}
        shown, k = randomize_adjacent_pair(ranking, rng)
        clicks = simulate_clicks(rng, shown[:10], relevance, true)
        ks.append(k), up.append(clicks[k - 1]), lo.append(clicks[k])
    p = estimate_propensities(ks, up, lo)
    assert p[0] == 1 and np.all(np.isfinite(p))
    # each adjacent ratio is estimated from ~4,000 randomised impressions (about 5 % error);
    # errors compound along the chain, so the ratios are checked, then the fitted eta
    assert np.max(np.abs(p[1:] / p[:-1] - true[1:] / true[:-1])) < 0.12
    assert fit_eta(p) == pytest.approx(0.7, abs=0.15)
    assert abs(fit_eta(p) - 0.7) < abs(fit_eta(p) - 1.0)      # better than the fixed 1/pos prior


def test_thin_randomised_logs_give_no_estimate_rather_than_a_guess():
    p = estimate_propensities([1, 1, 2], [1, 0, 1], [0, 1, 1])
    assert p[0] == 1 and np.isnan(p[1:]).all()
    with pytest.raises(ValueError, match="not enough"):
        fit_eta(p)


def test_team_draft_keeps_each_rankers_order_and_balances_the_teams():
    rng = np.random.default_rng(1)
    a, b = list("abcdefgh"), list("hgbacfed")
    for _ in range(50):
        shown, teams = team_draft_interleave(a, b, rng)
        assert sorted(shown) == sorted(a) and len(set(shown)) == len(shown)
        for team, src in (("A", a), ("B", b)):
            mine = [d for d, t in zip(shown, teams) if t == team]
            assert mine == sorted(mine, key=src.index)             # each team's picks in its own order
        counts = [teams[:i].count("A") - teams[:i].count("B") for i in range(1, len(teams) + 1)]
        assert all(abs(c) <= 1 for c in counts[:6])


def test_interleaving_prefers_the_better_ranker_with_a_confidence_interval():
    rng = np.random.default_rng(2)
    examine = np.arange(1, 11) ** -1.0
    outcomes = []
    for _ in range(3000):
        relevance = dict(enumerate(rng.uniform(0, 1, 20) ** 3))
        good = sorted(relevance, key=lambda d: -relevance[d] - rng.normal(0, 0.05))
        noisy = sorted(relevance, key=lambda d: -relevance[d] - rng.normal(0, 0.5))
        shown, teams = team_draft_interleave(good, noisy, rng, length=10)
        outcomes.append(credit(teams, simulate_clicks(rng, shown, relevance, examine)))
    res = interleaving_result(outcomes)
    assert res.win_rate > 0.55 and res.significant and res.ci_low < res.win_rate < res.ci_high
    same = interleaving_result(["A", "B"] * 100 + ["tie"] * 5)
    assert same.win_rate == 0.5 and not same.significant and same.ties == 5


def test_pooled_swap_estimator_recovers_the_examination_curve_with_an_interval():
    from models.online import estimate_eta_from_swaps

    rng = np.random.default_rng(5)
    true_eta, n = 0.7, 6000
    k = rng.integers(1, 10, n)
    rel = rng.uniform(0.1, 0.6, (n, 2))              # two items of the pair, shown in random order
    upper_first = rng.random(n) < 0.5
    r_up = np.where(upper_first, rel[:, 0], rel[:, 1])
    r_lo = np.where(upper_first, rel[:, 1], rel[:, 0])
    up = rng.random(n) < r_up * k ** -true_eta
    lo = rng.random(n) < r_lo * (k + 1.0) ** -true_eta
    bias = estimate_eta_from_swaps(k, up, lo)
    assert bias.ci_low < true_eta < bias.ci_high and bias.ci_high - bias.ci_low < 0.5
    assert bias.propensity([1, 4])[0] == 1.0 and bias.n_clicks == int(up.sum() + lo.sum())
    assert estimate_eta_from_swaps(k[:20], up[:20], lo[:20]) is None     # too few clicks: no guess
