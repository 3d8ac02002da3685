"""Numbers on the fairs pages as a Mexican reader writes them (es_MX: ``12,345.4``, ``1.25%``), the same
marks as in English; Spain's ``12.345,4`` / ``1,25 %`` would be wrong for this cluster's readers."""
from __future__ import annotations

import re

import pytest

from matchmaker import db
from matchmaker.fairs.records import FairScheduleRun

from tests.fairs.conftest import make_fair
from tests.support.world import login_as, set_language


@pytest.mark.parametrize("lang, word", [("en", "Objective"), ("es", "Objetivo")])
def test_the_grid_writes_thousands_decimals_and_percentages_as_in_mexico(app, client, factory, cluster, lang, word):
    fair = make_fair(client, cluster)
    with app.app_context():
        sess = db.session()
        sess.add(FairScheduleRun(fair_id=fair["id"], solver_status="FEASIBLE", objective=12345.4, bound=23456.0,
                                 gap=0.0125, wall_time=1234.56, time_limit=600,
                                 metrics={"meetings": 1500, "requests": 2, "requests_fulfilled": 1, "must": 0,
                                          "must_fulfilled": 0, "below_min": 0, "value": 12345.4}, baseline={}))
        sess.commit()
    login_as(client, factory, cluster.users["organizer"])
    set_language(client, lang)
    html = client.get(f"/fairs/{fair['id']}/grid").get_data(as_text=True)
    assert word in html
    assert 'data-testid="objective">12,345</strong>' in html and 'data-testid="bound">23,456</strong>' in html
    assert 'data-testid="gap">1.25%</strong>' in html
    assert "1,234.6 s / 600 s" in html and '<td class="num">1,500</td>' in html
    assert "12.345" not in html and "1,25" not in html


def test_a_refused_time_limit_is_shown_again_from_the_form_beside_its_field(client, factory, cluster):
    fair = make_fair(client, cluster)
    login_as(client, factory, cluster.users["organizer"])
    path = f"/fairs/{fair['id']}"
    assert 'name="time_limit" value="20"' in client.get(path).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)
    r = client.post(f"{path}/schedule", data={"csrf_token": token, "time_limit": "9999"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and 'name="time_limit" value="9999"' in html
    assert 'id="time_limit-error" data-field="time_limit">The time limit must be between 1 and 600 seconds.' in html
