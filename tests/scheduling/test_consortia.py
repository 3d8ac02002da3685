"""The consortium builder finds the best team by its stated objective, and respects
capacity, minimums, firms, locks and the buyer's no-subcontracting rule."""
from __future__ import annotations

import itertools

import pytest

from scheduling.consortia import Candidate, Stage, TeamError, TeamProblem, Weights, build_teams, prefilter

# every site in one grid cell: a leg between two firms takes one day, none inside one firm
GDL = dict(lat=20.66, lon=-103.35)


def cand(maker, stage, fit, capacity=1000, lead=5, **kw):
    return Candidate(maker, stage, fit, capacity, lead, **{**GDL, **kw})


def brute_force(stages, cands, w):
    """Independent reference: every team of one maker per stage, scored by hand."""
    best = None
    per_stage = [[c for c in cands if c.stage == s.code and c.capacity >= s.volume] for s in stages]
    for combo in itertools.product(*per_stage):
        fit = sum(w.fit * c.fit - w.risk * c.risk for c in combo)
        lead = sum(c.lead_days for c in combo)
        lead += sum(0 if a.owner == b.owner else 1 for a, b in zip(combo, combo[1:]))
        value = fit - w.lead_day * lead
        if best is None or value > best[0] + 1e-9:
            best = (value, tuple(c.maker for c in combo))
    return best


def test_the_optimum_matches_an_exhaustive_search():
    stages = (Stage("cutting", 800), Stage("sewing", 800), Stage("laundry", 800))
    cands = [cand("a", "cutting", 0.9, lead=9), cand("b", "cutting", 0.7, lead=3), cand("c", "cutting", 0.8, risk=0.5),
             cand("d", "sewing", 0.6), cand("e", "sewing", 0.95, lead=12), cand("a", "sewing", 0.5, lead=2),
             cand("f", "laundry", 0.8), cand("g", "laundry", 0.85, lead=8, risk=0.1),
             cand("small", "laundry", 1.0, 500)]
    w = Weights(lead_day=0.3)
    result = build_teams(TeamProblem(stages, tuple(cands), weights=w, max_per_stage=1), k=1)
    value, makers = brute_force(stages, cands, w)
    team = result.teams[0]
    assert tuple(team.makers(s.code)[0] for s in stages) == makers
    assert team.objective == pytest.approx(value, abs=1e-3)
    assert team.status == "optimal" and team.gap == pytest.approx(0, abs=1e-6)


def test_a_volume_no_maker_can_take_alone_is_split_within_capacity_and_minimums():
    stages = (Stage("sewing", 2500),)
    cands = [cand("a", "sewing", 0.9, 1500), cand("b", "sewing", 0.8, 1200, min_units=1100),
             cand("c", "sewing", 0.3, 5000)]
    team = build_teams(TeamProblem(stages, tuple(cands)), k=1).teams[0]
    units = {a.maker: a.units for a in team.assignments}
    assert sum(units.values()) == 2500
    assert units == {"a": 1400, "b": 1100}  # best fit takes all it can after b's minimum


def test_capacity_promised_to_other_proposals_is_not_offered_again():
    stages = (Stage("cutting", 1000), Stage("sewing", 1000))
    cands = [cand("a", "cutting", 0.9, 1500), cand("a", "sewing", 0.9, 1500),
             cand("b", "cutting", 0.5, 1000), cand("c", "sewing", 0.5, 1000)]
    team = build_teams(TeamProblem(stages, tuple(cands), max_per_stage=1), k=1).teams[0]
    assert {a.maker for a in team.assignments} == {"a"}  # one firm through both stages
    result = build_teams(TeamProblem(stages, tuple(cands), max_per_stage=1, committed={"a": 1000}), k=1)
    assert result.shortfalls == {} and {a.maker for a in result.teams[0].assignments} == {"b", "c"}


def test_legal_units_of_one_owner_count_as_one_firm():
    stages = (Stage("sewing", 1500),)
    cands = [cand("unit1", "sewing", 0.9, 1000, firm="owner"), cand("unit2", "sewing", 0.9, 1000, firm="owner"),
             cand("other", "sewing", 0.4, 1000)]
    team = build_teams(TeamProblem(stages, tuple(cands)), k=1).teams[0]
    owners = [c.owner for c in cands if c.maker in team.makers("sewing")]
    assert len(owners) == len(set(owners)) == 2


def test_no_subcontracting_gives_a_single_firm_team():
    stages = (Stage("cutting", 500), Stage("sewing", 500), Stage("finishing", 500))
    cands = [cand("best_cut", "cutting", 1.0), cand("best_sew", "sewing", 1.0), cand("best_fin", "finishing", 1.0),
             cand("full", "cutting", 0.4), cand("full", "sewing", 0.4), cand("full", "finishing", 0.4)]
    open_team = build_teams(TeamProblem(stages, tuple(cands)), k=1).teams[0]
    assert {a.maker for a in open_team.assignments} == {"best_cut", "best_sew", "best_fin"}
    closed = build_teams(TeamProblem(stages, tuple(cands), single_firm=True), k=1).teams[0]
    assert {a.maker for a in closed.assignments} == {"full"}
    assert closed.lead_days == 15  # one firm moves its own goods: no transport legs


def test_alternatives_are_diverse_and_never_better_than_the_first_and_beat_greedy():
    stages = tuple(Stage(code, 1000) for code in ("cutting", "sewing", "laundry", "finishing"))
    cands = [cand(f"{code}{n}", code, fit, 1000 if n else 600, lead=4 + n)
             for code in ("cutting", "sewing", "laundry", "finishing") for n, fit in enumerate((0.95, 0.8, 0.7, 0.5))]
    result = build_teams(TeamProblem(stages, tuple(cands)), k=3)
    assert len(result.teams) == 3
    keys = [t.key() for t in result.teams]
    assert len(set(keys)) == 3
    objectives = [t.objective for t in result.teams]
    assert all(a >= b - 1e-9 for a, b in zip(objectives, objectives[1:]))
    for team in result.teams:
        assert team.bound >= team.objective - 1e-6 and team.gap >= 0
    assert result.greedy is not None and result.teams[0].objective >= result.greedy.objective - 1e-6


def test_a_locked_stage_keeps_its_maker_and_the_rest_is_reoptimised():
    stages = (Stage("cutting", 500), Stage("sewing", 500))
    cands = [cand("c1", "cutting", 0.9), cand("c2", "cutting", 0.6),
             cand("s1", "sewing", 0.9), cand("s2", "sewing", 0.5)]
    team = build_teams(TeamProblem(stages, tuple(cands), locked={"cutting": ("c2",)}), k=1).teams[0]
    assert team.makers("cutting") == ("c2",) and team.makers("sewing") == ("s1",)


def test_a_stage_nobody_can_cover_is_reported_not_guessed():
    stages = (Stage("cutting", 500), Stage("embroidery", 500), Stage("sewing", 5000))
    cands = [cand("c1", "cutting", 0.9), cand("s1", "sewing", 0.9, 1000), cand("s2", "sewing", 0.9, 1000)]
    result = build_teams(TeamProblem(stages, tuple(cands)), k=2)
    assert result.teams == [] and result.shortfalls == {"embroidery": "no_candidate", "sewing": "capacity"}


def test_the_small_firm_share_moves_volume_to_small_firms():
    stages = (Stage("sewing", 1000),)
    cands = [cand("big", "sewing", 0.9, 2000), cand("tiny", "sewing", 0.7, 400, small=True)]
    plain = build_teams(TeamProblem(stages, tuple(cands)), k=1).teams[0]
    assert {a.maker for a in plain.assignments} == {"big"}
    shared = build_teams(TeamProblem(stages, tuple(cands), small_share=0.3), k=1).teams[0]
    assert {a.maker: a.units for a in shared.assignments}["tiny"] >= 300


def test_prefilter_keeps_locked_makers_and_the_best_fits():
    cands = tuple(cand(f"m{n}", "sewing", n / 100) for n in range(100)) + (cand("mine", "sewing", 0.0),)
    kept = prefilter(TeamProblem((Stage("sewing", 100),), cands, locked={"sewing": ("mine",)}), per_stage=5)
    names = {c.maker for c in kept.candidates}
    assert "mine" in names and {"m99", "m98", "m97", "m96", "m95"} <= names and len(names) < 30


@pytest.mark.parametrize("problem, field", [
    (TeamProblem((), ()), "stages"),
    (TeamProblem((Stage("a", 0),), ()), "stages.a.volume"),
    (TeamProblem((Stage("a", 1),), (cand("m", "b", 1.0),)), "candidates.stage"),
    (TeamProblem((Stage("a", 1),), (cand("m", "a", 1.0),), locked={"a": ("x",)}), "locked"),
    (TeamProblem((Stage("a", 1),), (), small_share=1.5), "small_share"),
])
def test_bad_input_names_the_field(problem, field):
    with pytest.raises(TeamError) as err:
        build_teams(problem)
    assert err.value.field == field


def test_each_stage_says_why_its_maker_won_and_what_the_runner_up_lacked():
    from scheduling.consortia import REASON_CODES, explain
    stages = (Stage("cutting", 800), Stage("laundry", 800))
    cands = [cand("c_best", "cutting", 0.9, lead=4), cand("c_small", "cutting", 0.95, 300, lead=4),
             cand("l_fast", "laundry", 0.8, lead=3), cand("l_slow", "laundry", 0.8, lead=12, risk=0.4)]
    problem = TeamProblem(stages, tuple(cands), max_per_stage=1)
    team = build_teams(problem, k=1).teams[0]
    cutting, laundry = explain(problem, team)
    assert cutting.makers == ("c_best",) and cutting.runner_up == "c_small"
    assert [r.code for r in cutting.runner_up_reasons] == ["runner_up_capacity"]
    assert cutting.runner_up_reasons[0].params == {"maker": "c_small", "spare": 300, "volume": 800}
    assert laundry.makers == ("l_fast",)
    assert {r.code for r in laundry.reasons} >= {"picked_best_fit", "picked_fast", "picked_low_risk"}
    assert {r.code for r in laundry.runner_up_reasons} == {"runner_up_slower", "runner_up_riskier"}
    for part in (cutting, laundry):
        assert {r.code for r in part.reasons + part.runner_up_reasons} <= set(REASON_CODES)


def test_the_plan_chains_stages_with_transport_and_ends_at_the_lead_time():
    from scheduling.consortia import plan
    far = dict(lat=25.68, lon=-100.31)  # Monterrey: about 670 km from Guadalajara
    stages = (Stage("cutting", 500), Stage("sewing", 500), Stage("laundry", 500))
    cands = [cand("cut", "cutting", 0.9, lead=3), cand("sew", "sewing", 0.9, lead=6),
             Candidate("wash", "laundry", 0.9, 1000, 4, **far)]
    problem = TeamProblem(stages, tuple(cands))
    team = build_teams(problem, k=1).teams[0]
    # cutting 0-3, one day to the sewing shop (same city), sewing 4-10, 1 + ceil(~670/500) = 3 days north
    assert plan(problem, team) == [("cutting", 0, 3), ("sewing", 4, 10), ("laundry", 13, 17)]
    assert team.lead_days == 17


def test_a_plan_past_the_buyers_lead_time_pays_for_each_late_day():
    stages = (Stage("cutting", 500), Stage("sewing", 500))
    cands = [cand("slow_best", "cutting", 1.0, lead=20), cand("quick", "cutting", 0.8, lead=4),
             cand("sew", "sewing", 0.9, lead=6)]
    relaxed = build_teams(TeamProblem(stages, tuple(cands)), k=1).teams[0]
    assert relaxed.makers("cutting") == ("slow_best",)  # 0.2 of fit outweighs 16 days at 0.1 a day
    tight = build_teams(TeamProblem(stages, tuple(cands), deadline_days=15), k=1).teams[0]
    assert tight.makers("cutting") == ("quick",) and tight.lead_days == 11 and tight.terms["late"] == 0


def test_a_cost_term_changes_the_chosen_maker_and_is_explained():
    from scheduling.consortia import explain

    stages = (Stage("cutting", 1000), Stage("sewing", 1000))
    free = [cand("fine", "cutting", 1.0), cand("cheap", "cutting", 0.8), cand("sew", "sewing", 1.0)]
    team = build_teams(TeamProblem(stages, tuple(free), max_per_stage=1), k=1).teams[0]
    assert team.makers("cutting") == ("fine",) and team.terms["cost"] == 0
    # the better fit (10 × 0.2 = 2 points) costs 4 more per piece: the cheap cutter wins
    priced = [cand("fine", "cutting", 1.0, unit_cost=5.0), cand("cheap", "cutting", 0.8, unit_cost=1.0),
              cand("sew", "sewing", 1.0, unit_cost=3.0)]
    problem = TeamProblem(stages, tuple(priced), max_per_stage=1)
    team = build_teams(problem, k=1).teams[0]
    assert team.makers("cutting") == ("cheap",)
    assert team.terms["cost"] == pytest.approx(-(1.0 + 3.0))
    cutting = explain(problem, team)[0]
    assert "picked_cheapest" in {r.code for r in cutting.reasons}
    assert "runner_up_costlier" in {r.code for r in cutting.runner_up_reasons}


def test_cohesion_between_firms_that_worked_together_picks_the_pair_and_says_so():
    from scheduling.consortia import explain

    stages = (Stage("cutting", 1000), Stage("sewing", 1000))
    cands = [cand("cut_a", "cutting", 0.9), cand("cut_b", "cutting", 0.85), cand("sew", "sewing", 1.0)]
    alone = build_teams(TeamProblem(stages, tuple(cands), max_per_stage=1), k=1).teams[0]
    assert alone.makers("cutting") == ("cut_a",)
    problem = TeamProblem(stages, tuple(cands), max_per_stage=1, cohesion={("cut_b", "sew"): 0.75})
    team = build_teams(problem, k=1).teams[0]
    assert team.makers("cutting") == ("cut_b",) and team.terms["cohesion"] == pytest.approx(0.75)
    reasons = [r for e in explain(problem, team) for r in e.reasons if r.code == "picked_cohesion"]
    assert {(r.params["maker"], r.params["partner"]) for r in reasons} == {("cut_b", "sew"), ("sew", "cut_b")}
