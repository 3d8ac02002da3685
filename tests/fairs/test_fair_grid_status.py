"""The organizer's grid in the reader's language: the solver's status and the publication buttons."""
from __future__ import annotations

import pytest

from matchmaker import db
from matchmaker.fairs.records import FairScheduleRun

from tests.fairs.conftest import make_fair
from tests.support.world import login_as, set_language


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
