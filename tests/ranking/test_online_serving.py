"""Online interventions served by the app and read back: randomised pairs, team-draft interleaving."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from matchmaker import db
from matchmaker.ranking import online
from matchmaker.ranking.online_report import online_report
from matchmaker.ranking.records import RankingServe
from matchmaker.ranking.records import OutcomeEvent

from tests.ranking.conftest import promote, synthetic_model
from tests.ranking.test_ranking_api import post_requirement, ranking


def serves(app):
    with app.app_context():
        return list(db.session().scalars(select(RankingServe).order_by(RankingServe.id)))


def test_no_intervention_in_tests_unless_configured(app, client, cluster):
    promote(app, synthetic_model())
    req_id = post_requirement(client, cluster["b2_headers"], hard_constraints=["processes"])
    ranking(client, req_id, cluster["b2_headers"])
    assert serves(app) == []


def test_interleaved_ranking_logs_the_team_of_every_shown_maker_and_a_click_credits_it(app, client, cluster):
    version = promote(app, synthetic_model())
    app.config["RANKING_INTERLEAVE_SHARE"] = 1.0
    req_id = post_requirement(client, cluster["b2_headers"], hard_constraints=["processes"])
    body = ranking(client, req_id, cluster["b2_headers"], k=4)
    [serve] = serves(app)
    shown = [i["maker_id"] for i in body["items"]]
    assert serve.intervention == "interleave" and serve.makers == shown
    assert serve.arm_a == version and serve.arm_b == "rule" and set(serve.teams) <= {"A", "B"}
    assert len(serve.teams) == len(shown) and "A" in serve.teams and "B" in serve.teams
    b_maker = shown[serve.teams.index("B")]
    with app.app_context():
        s = db.session()
        s.add(OutcomeEvent(requirement_id=req_id, buyer_id=cluster["b2"], maker_id=b_maker, event="shortlisted",
                           rank=shown.index(b_maker) + 1, occurred_at=serve.served_at + timedelta(minutes=3),
                           source="contact"))
        s.commit()
        [(arms, result)] = online.interleaving(s).items()
        assert arms == (version, "rule") and (result.wins, result.losses, result.ties) == (0, 1, 0)
        report = "\n".join(online_report(s))
    assert "win rate of A" in report and "95 % CI" in report and "size band" in report


def test_randomised_pair_swaps_one_adjacent_pair_of_the_learned_order(app, client, cluster):
    promote(app, synthetic_model())
    req_id = post_requirement(client, cluster["b2_headers"], hard_constraints=["processes"])
    plain = [i["maker_id"] for i in ranking(client, req_id, cluster["b2_headers"], k=5)["items"]]
    app.config["RANKING_SWAP_SHARE"] = 1.0
    seen_swapped = False
    for _ in range(12):
        body = ranking(client, req_id, cluster["b2_headers"], k=5)
        shown = [i["maker_id"] for i in body["items"]]
        serve = serves(app)[-1]
        k = serve.swap_position
        assert serve.intervention == "swap" and serve.makers == shown and 1 <= k < len(shown)
        expected = list(plain)
        if shown != plain:
            expected[k - 1], expected[k] = expected[k], expected[k - 1]
            seen_swapped = True
        assert shown == expected
    assert seen_swapped


def test_training_uses_propensities_from_randomised_pairs(app):
    from matchmaker.demo import generate
    from matchmaker.ranking.training import position_eta

    with app.app_context():
        generate(db.session(), makers=150, buyers=40, seed=3)
        lines = []
        eta, source = position_eta(db.session(), None, None, None, echo=lines.append)
    assert source == "randomised pairs" and 0 < eta < 2 and "randomised-pair rankings" in lines[0]
