"""Bad input on the milestone form, whose ``version_<stage>`` field names the stage (issue 11: read
through ``orders.forms.MilestoneForm``): empty, far too long, or the wrong type is a 4xx with a
message on the page, never a 500."""
from __future__ import annotations

import pytest

from tests.orders.conftest import maker_order
from tests.support.world import csrf_from, login_as

LONG = "9" * 20_000


@pytest.mark.parametrize("bad", ["", LONG, "abc", "²", "-1"])
def test_bad_input_on_the_milestone_form_is_never_a_500(app, factory, world, bad):
    oid = maker_order(app.test_client(), world, "maker1", buyer=world.buyer)["id"]
    maker = app.test_client()
    login_as(maker, factory, world.users["maker1"])
    for form in ({"stage": bad, "version_cut": bad}, {"stage": "cut", "planned_on": bad, "version_cut": bad},
                 {"stage": "cut", "planned_on": "2030-02-01", "actual_on": bad, "version_cut": bad}):
        token = csrf_from(maker.get(f"/orders/{oid}").get_data(as_text=True))
        r = maker.post(f"/orders/{oid}/milestones", data={**form, "csrf_token": token})
        assert r.status_code < 500, (form, r.status_code)
        if r.status_code != 302:
            assert 400 <= r.status_code < 500 and "data-field=" in r.get_data(as_text=True)
