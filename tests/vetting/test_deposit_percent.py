"""The board's decision form takes the deposit in percent, like the order page: its refusals state percent
limits ("more than 0", "at most 100", never "at most 1"), and 30 is kept as the 0.3 share the API gives."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from .conftest import login, open_case
from .test_page_polish import _decide_page, _error, _spanish


@pytest.mark.parametrize("lang, more_than, at_most", [
    ("en", "Must be more than 0.", "Must be at most 100."),
    ("es", "Debe ser mayor que 0.", "Debe ser como máximo 100."),
])
def test_the_decision_forms_deposit_is_a_percent(client, factory, world, lang, more_than, at_most):
    case_id = open_case(client, world)
    board = login(client.application.test_client(), factory, world.board_2)
    if lang == "es":
        _spanish(board)
    html = board.get(f"/vetting/cases/{case_id}").get_data(as_text=True)
    assert "(0–1)" not in html and "(%)" in html
    conditions = {"outcome": "approved_with_conditions", "conditions": "deposit"}
    for typed, message in (("-10", more_than), ("0", more_than), ("150", at_most)):
        r = _decide_page(board, case_id, deposit_share=typed, **conditions)
        assert r.status_code == 422 and _error(r.get_data(as_text=True), "deposit_share") == message
    r = _decide_page(board, case_id, deposit_share="30", **conditions)
    # 30 % passes the form (the case itself may refuse the decision for its own reasons)
    assert 'data-field="deposit_share"' not in r.get_data(as_text=True)


def test_thirty_percent_typed_is_the_apis_share_of_0_3(app):
    from matchmaker.forms import form_payload
    from matchmaker.vetting import schemas as s
    from matchmaker.vetting.forms import DecisionForm

    with app.test_request_context(method="POST", data={
            "outcome": "approved_with_conditions", "conditions": "deposit", "deposit_share": "30",
            "rationale": "Late now and then; a deposit until the next review.",
            "review_date": (date.today() + timedelta(days=200)).isoformat()}):
        payload, _rows = form_payload(DecisionForm(meta={"csrf": False}), s.DecisionIn)
        assert s.DecisionIn.model_validate(payload).deposit_share == 0.3
    # the API still takes the share itself, 0 to 1
    assert s.DecisionIn.model_validate({**payload, "deposit_share": 0.3}).deposit_share == 0.3
