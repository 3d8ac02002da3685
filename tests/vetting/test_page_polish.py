"""Issue 9 on the vetting pages: messages a board member or buyer reads are sentences in their
language, beside the field they concern; the buyer's status page does not contradict itself."""
from __future__ import annotations

import re
from datetime import date, timedelta

from matchmaker import db
from matchmaker.vetting.cases import reopen_due

from .conftest import approve, csrf_from, login, open_case, payment


def _spanish(client):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    client.post("/language", data={"csrf_token": token, "lang": "es", "next": "/"})


def _decide_page(client, case_id, **fields):
    token = csrf_from(client.get(f"/vetting/cases/{case_id}").get_data(as_text=True))
    body = {"csrf_token": token, "outcome": "approved", "rationale": "Pays on time, three firms say so.",
            "review_date": (date.today() + timedelta(days=200)).isoformat(), **fields}
    return client.post(f"/vetting/cases/{case_id}/decide", data=body)


def _error(html: str, field: str) -> str:
    match = re.search(rf'id="{field}-error" data-field="{field}">([^<]*)<', html)
    assert match, f"no message beside {field}"
    return match.group(1)


def test_short_rationale_says_how_long_it_must_be(client, factory, world):
    case_id = open_case(client, world)
    board = login(client.application.test_client(), factory, world.board_2)
    r = _decide_page(board, case_id, rationale="Pays.")
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert _error(html, "rationale") == "Write at least 20 characters."
    assert "This field is required" not in html

    _spanish(board)
    html = _decide_page(board, case_id, rationale="Paga.").get_data(as_text=True)
    assert _error(html, "rationale") == "Escriba al menos 20 caracteres."


def test_conditions_error_sits_beside_the_conditions(client, factory, world):
    case_id = open_case(client, world)
    board = login(client.application.test_client(), factory, world.board_2)
    html = _decide_page(board, case_id, outcome="approved_with_conditions").get_data(as_text=True)
    fieldset = html[html.index('<fieldset class="field group invalid" id="conditions"'):]
    fieldset = fieldset[:fieldset.index("</fieldset>")]
    assert 'data-field="conditions">Choose at least one condition for an approval with conditions.' in fieldset
    assert 'data-field="deposit_share"' not in html

    html = _decide_page(board, case_id, deposit_share="30").get_data(as_text=True)
    assert _error(html, "deposit_share") == "A deposit share needs the deposit condition."

    _spanish(board)
    html = _decide_page(board, case_id, review_date=date.today().isoformat()).get_data(as_text=True)
    assert _error(html, "review_date") == "La fecha de revisión debe ser posterior a hoy."


def test_approved_buyer_sees_one_standing_and_no_apply_for_that_association(client, factory, world):
    approve(client, world, open_case(client, world))
    buyer = login(client.application.test_client(), factory, world.buyer)
    html = buyer.get(f"/vetting/status/{world.buyer_org}").get_data(as_text=True)
    standings = html[html.index('data-testid="standings"'):html.index("</section>")]
    assert 'data-vetting-status="approved"' in standings
    assert "Under review" not in standings
    assert "Next review" in standings
    # the only association has decided: nothing left to apply to
    assert 'data-testid="apply-form"' not in html


def test_reopened_review_is_said_in_words_on_both_pages(app, client, factory, world):
    approve(client, world, open_case(client, world))
    with app.app_context():
        assert reopen_due(db.session(), today=date.today() + timedelta(days=400)) == 1
    buyer = login(client.application.test_client(), factory, world.buyer)
    _spanish(buyer)
    html = buyer.get(f"/vetting/status/{world.buyer_org}").get_data(as_text=True)
    assert "El consejo está revisando de nuevo esta situación desde el" in html
    assert "En revisión" not in html

    board = login(client.application.test_client(), factory, world.board_1)
    _spanish(board)
    queue = board.get("/vetting/queue").get_data(as_text=True)
    case_id = int(re.search(r'href="/vetting/cases/(\d+)"', queue).group(1))
    page = board.get(f"/vetting/cases/{case_id}").get_data(as_text=True)
    assert re.search(r"Fecha de revisión vencida: \d{1,2} \w+ \d{4}\.", page)
    assert "reached" not in page


def test_no_dispute_box_without_incidents(client, factory, world):
    buyer = login(client.application.test_client(), factory, world.buyer)
    html = buyer.get(f"/vetting/status/{world.buyer_org}").get_data(as_text=True)
    assert 'data-testid="reply-form"' in html
    assert 'name="dispute"' not in html and 'name="incident_id"' not in html


def test_queue_tabs_are_tabs_without_a_stray_dot(client, factory, world):
    open_case(client, world)
    board = login(client.application.test_client(), factory, world.board_1)
    html = board.get("/vetting/queue").get_data(as_text=True)
    tabs = html[html.index('<nav class="tabs"'):]
    tabs = tabs[:tabs.index("</nav>")]
    assert "Open cases" in tabs and "Decided cases" in tabs and "·" not in tabs


def test_refusals_are_sentences_in_spanish(client, factory, world):
    case_id = open_case(client, world)
    board = login(client.application.test_client(), factory, world.board_2)
    _spanish(board)
    token = csrf_from(board.get(f"/vetting/cases/{case_id}").get_data(as_text=True))
    vote = board.post(f"/vetting/cases/{case_id}/vote", data={"csrf_token": token, "vote": "approved"})
    assert vote.status_code == 302
    r = board.post(f"/vetting/cases/{case_id}/vote", data={"csrf_token": token, "vote": "approved"})
    html = r.get_data(as_text=True)
    assert r.status_code == 409 and "ya votó en este caso" in html


def test_every_service_refusal_is_a_message_id_with_spanish():
    """Each refusal the vetting workflow raises is a literal msgid (never an f-string, which the catalogue
    cannot hold) with a Spanish form, so pages show ``exc.text()`` in the reader's language."""
    import ast
    from pathlib import Path

    from matchmaker.vetting import cases, decisions, replies, reports, services
    from tests.support.catalog import spanish

    ES = spanish()
    trees = [ast.parse(Path(m.__file__).read_text()) for m in (services, reports, cases, decisions, replies)]
    constants = {t.id: n.value.args[0].value for tree in trees for n in ast.walk(tree) if isinstance(n, ast.Assign)
                 for t in n.targets if isinstance(t, ast.Name) and isinstance(n.value, ast.Call)
                 and getattr(n.value.func, "id", "") == "N_"}
    raised = []
    for node in (node for tree in trees for node in ast.walk(tree)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("DomainError", "Conflict"):
            arg = node.args[1] if node.func.id == "DomainError" else node.args[0]
            assert not isinstance(arg, ast.JoinedStr), f"an f-string refusal on line {node.lineno}"
            raised.append(arg.value if isinstance(arg, ast.Constant) else constants[arg.id])
    assert len(raised) >= 15
    for message in raised:
        assert message in ES, message


def test_case_page_names_the_model_in_words(app, client, factory, world):
    import pandas as pd
    from models.registry import ModelRegistry
    from models.reputation import ReputationScreener
    from models.reputation_features import build_training_set
    from models.reputation_synth import make_history

    h = make_history(n_buyers=300, n_firms=12, seed=5)
    cut = [h["end"] - pd.Timedelta(days=365 + 120 * k) for k in range(2)]
    X, y, _ = build_training_set(h["payments"], h["incidents"], h["references"], h["buyers"], h["fx"], cut,
                                 data_end=h["end"])
    reg = ModelRegistry(app.config["MODEL_DIR"])
    version = reg.save("reputation", ReputationScreener(cv=3, calibration="sigmoid").fit(X, y).to_files(),
                       {"cutoffs": ["2025-01-31", "2025-11-01"]})
    reg.promote("reputation", version)
    for who in (world.reporter, world.member, world.board_1):
        client.post("/api/v1/vetting/payments", json=payment(world.buyer_org), headers=world.h[who])
    case_id = open_case(client, world)
    board = login(client.application.test_client(), factory, world.board_2)
    html = board.get(f"/vetting/cases/{case_id}").get_data(as_text=True)
    assert version not in html
    words = re.search(r'data-testid="model-words">([^<]*)<', html).group(1)
    assert words.startswith("reputation model trained ") and words.endswith("history up to Nov 1, 2025")
    _spanish(board)
    html = board.get(f"/vetting/cases/{case_id}").get_data(as_text=True)
    assert "historial de pagos e incidentes hasta el 1 nov 2025" in html
