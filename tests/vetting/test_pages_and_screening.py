"""In the browser: a board member takes a buyer from application to decision; the model's reasons show."""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from .conftest import csrf_from, incident, login, open_case, payment


@pytest.fixture(scope="module")
def trained_files():
    """A screener fitted on the synthetic history of ``models.reputation_synth`` (a second or two)."""
    from models.reputation import ReputationScreener
    from models.reputation_features import build_training_set
    from models.reputation_synth import make_history

    h = make_history(n_buyers=600, n_firms=20, seed=3)
    cut = [h["end"] - pd.Timedelta(days=365 + 120 * k) for k in range(3)]
    X, y, _ = build_training_set(h["payments"], h["incidents"], h["references"], h["buyers"], h["fx"], cut,
                                 data_end=h["end"])
    return ReputationScreener(cv=3, calibration="sigmoid").fit(X, y).to_files()


def _promote(app, files):
    from models.registry import ModelRegistry

    reg = ModelRegistry(app.config["MODEL_DIR"])
    reg.promote("reputation", reg.save("reputation", files, {"test": True}))


def test_board_member_decides_in_the_browser(client, factory, world, trained_files):
    w = world
    _promote(client.application, trained_files)
    # evidence from two member firms: enough history for a number
    for who, late in ((w.reporter, 0), (w.reporter, 40), (w.member, 75), (w.member, 5)):
        inv = date.today() - timedelta(days=200)
        client.post("/api/v1/vetting/payments", headers=w.h[who], json=payment(
            w.buyer_org, invoice_date=inv.isoformat(), paid_date=(inv + timedelta(days=30 + late)).isoformat()))
    client.post("/api/v1/vetting/incidents", json=incident(w.buyer_org), headers=w.h[w.reporter])

    buyer = login(client.application.test_client(), factory, w.buyer)
    page = buyer.get(f"/vetting/status/{w.buyer_org}").get_data(as_text=True)
    r = buyer.post("/vetting/apply", data={"csrf_token": csrf_from(page), "association_id": str(w.assoc)})
    assert r.status_code == 302

    board = login(client.application.test_client(), factory, w.board_2)
    queue = board.get("/vetting/queue").get_data(as_text=True)
    assert "Denim Co" in queue
    case_id = client.get("/api/v1/vetting/cases", headers=w.h[w.staff]).json["items"][0]["id"]
    r = board.get(f"/vetting/cases/{case_id}")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and 'data-testid="reasons"' in html
    assert "Raises risk" in html or "Lowers risk" in html
    assert "Taller Secreto Reportador" in html            # the board sees the reporter
    token = csrf_from(html)
    r = board.post(f"/vetting/cases/{case_id}/vote", data={"csrf_token": token, "vote": "approved"})
    assert r.status_code == 302
    r = board.post(f"/vetting/cases/{case_id}/decide", data={"csrf_token": token, "outcome": "approved",
                                                              "review_date": "2020-01-01", "rationale": ""})
    html = r.get_data(as_text=True)
    assert r.status_code == 422, html
    assert 'data-field="rationale"' in html
    r = board.post(f"/vetting/cases/{case_id}/decide", data={"csrf_token": token, "outcome": "approved",
                                                              "review_date": "2020-01-01",
                                                              "rationale": "Pays on time, three firms say."})
    assert r.status_code == 422 and 'data-field="review_date"' in r.get_data(as_text=True)
    r = board.post(f"/vetting/cases/{case_id}/decide", data={
        "csrf_token": token, "outcome": "approved_with_conditions", "conditions": "deposit",
        "deposit_share": "30", "review_date": (date.today() + timedelta(days=180)).isoformat(),
        "rationale": "Late now and then; deposit of 30 % until the next review."})
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    html = board.get(f"/vetting/cases/{case_id}").get_data(as_text=True)
    assert "deposit of 30 %" in html
    # Spanish reasons on the case page
    board.post("/language", data={"csrf_token": token, "lang": "es", "next": "/"})
    html = board.get(f"/vetting/cases/{case_id}").get_data(as_text=True)
    assert "Aumenta el riesgo" in html or "Reduce el riesgo" in html
    # the buyer sees its new status
    page = buyer.get(f"/vetting/status/{w.buyer_org}").get_data(as_text=True)
    assert 'data-vetting-status="approved_with_conditions"' in page


def test_recused_member_sees_why_and_gets_no_vote_form(client, factory, world):
    w = world
    client.post("/api/v1/vetting/incidents", json=incident(w.buyer_org), headers=w.h[w.board_1])
    case_id = open_case(client, w)
    board = login(client.application.test_client(), factory, w.board_1)
    html = board.get(f"/vetting/cases/{case_id}").get_data(as_text=True)
    assert 'data-testid="recused"' in html and 'data-testid="vote-form"' not in html
    r = board.post(f"/vetting/cases/{case_id}/vote", data={"csrf_token": csrf_from(html), "vote": "approved"})
    assert r.status_code == 403 and "recused" in r.get_data(as_text=True)


def test_no_model_and_insufficient_history_are_said_in_words(client, factory, world):
    w = world
    for who in (w.reporter, w.member, w.reporter):
        client.post("/api/v1/vetting/payments", json=payment(w.buyer_org), headers=w.h[who])
    case_id = open_case(client, w)
    case = client.get(f"/api/v1/vetting/cases/{case_id}", headers=w.h[w.staff]).json
    assert case["score"]["status"] == "no_model" and case["score"]["probability"] is None
    items = client.get("/api/v1/vetting/subjects?per_page=100", headers=w.h[w.member]).json["items"]
    bands = {i["id"]: i["risk_band"] for i in items}
    assert bands[w.buyer_org] == "no_model" and bands[w.other_buyer_org] == "insufficient_history"
    board = login(client.application.test_client(), factory, w.board_2)
    assert "No model trained yet" in board.get(f"/vetting/cases/{case_id}").get_data(as_text=True)


def test_train_screener_command_on_the_database(app, client, world):
    """The CLI trains on DB history with a time split, prints metrics, and refuses a too-short history."""
    from matchmaker.vetting import register_cli

    register_cli(app)
    result = app.test_cli_runner().invoke(args=["train", "screener"])
    assert result.exit_code != 0 and "no payment experiences" in result.output
