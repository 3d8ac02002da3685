"""The organizer's grid in the reader's language: the solver's status and the publication buttons."""
from __future__ import annotations

import pytest

from matchmaker import db
from matchmaker.fairs.records import FairScheduleRun

from tests.fairs.conftest import make_fair
from tests.support.world import csrf_from, login_as, set_language


def _run(app, fair_id: int, status: str, publication: str = "draft") -> None:
    with app.app_context():
        sess = db.session()
        sess.add(FairScheduleRun(fair_id=fair_id, solver_status=status, objective=1.0, bound=1.0, gap=0.0,
                                 wall_time=1.0, time_limit=20, publication=publication,
                                 metrics={"meetings": 0, "requests": 0, "requests_fulfilled": 0, "must": 0,
                                          "must_fulfilled": 0, "below_min": 0, "value": 0}, baseline={}))
        sess.commit()


@pytest.mark.parametrize("lang, status, shown", [
    ("en", "optimal", "optimal"), ("es", "optimal", "óptimo"),
    ("en", "feasible", "feasible"), ("es", "feasible", "factible"),
    ("en", "fallback", "fallback (the solver found no solution in time: a quick schedule is kept)"),
    ("es", "fallback", "respaldo (el optimizador no encontró solución a tiempo: se conserva un calendario rápido)"),
])
def test_the_grid_names_the_solver_status_in_the_readers_language(app, client, factory, cluster, lang, status, shown):
    fair = make_fair(client, cluster)
    _run(app, fair["id"], status)
    login_as(client, factory, cluster.users["organizer"])
    set_language(client, lang)
    html = client.get(f"/fairs/{fair['id']}/grid").get_data(as_text=True)
    assert f'data-testid="solver-status">{shown}</strong>' in html


@pytest.mark.parametrize("lang, refusal", [
    ("en", "Publication: the schedule is already a draft; there is nothing to withdraw"),
    ("es", "Publicación: el programa ya es un borrador; no hay nada que retirar"),
])
def test_a_draft_is_not_offered_back_to_draft_and_a_direct_post_is_refused(app, client, factory, cluster, lang,
                                                                            refusal):
    fair = make_fair(client, cluster)
    _run(app, fair["id"], "optimal", publication="draft")
    login_as(client, factory, cluster.users["organizer"])
    set_language(client, lang)
    path = f"/fairs/{fair['id']}"
    page = client.get(f"{path}/grid").get_data(as_text=True)
    assert 'data-testid="publish-draft"' not in page and 'data-testid="publish-preliminary"' in page
    r = client.post(f"{path}/publish", data={"csrf_token": csrf_from(page), "level": "draft"})
    html = r.get_data(as_text=True)
    assert r.status_code == 409 and refusal in html
    assert "Publication updated." not in html and "Publicación actualizada." not in html
    r = client.post(f"{path}/publish", data={"csrf_token": csrf_from(page), "level": "preliminary"})
    assert r.status_code == 302
    assert 'data-testid="publish-draft"' in client.get(f"{path}/grid").get_data(as_text=True)


def test_the_api_refuses_withdrawing_a_draft_with_409_naming_the_level(app, client, factory, cluster):
    fair = make_fair(client, cluster)
    _run(app, fair["id"], "optimal", publication="draft")
    r = client.post(f"/api/v1/fairs/{fair['id']}/publish", json={"level": "draft"}, headers=cluster.tokens["organizer"])
    err = r.get_json()["error"]
    assert r.status_code == 409 and "already a draft" in err["message"] and err["fields"][0]["field"] == "level"
    r = client.post(f"/api/v1/fairs/{fair['id']}/publish", json={"level": "final"}, headers=cluster.tokens["organizer"])
    assert r.status_code == 200 and r.get_json()["publication"] == "final"
    r = client.post(f"/api/v1/fairs/{fair['id']}/publish", json={"level": "draft"}, headers=cluster.tokens["organizer"])
    assert r.status_code == 200 and r.get_json()["publication"] == "draft"
