"""Once a fair is over its schedule is what was held: the organizer can no longer recompute it (a new
run would replace the held meetings and their outcomes with an unpublished draft). The page says so in
the reader's language instead of offering the button; the page's form and the API refuse with a 409."""
from __future__ import annotations

import pytest

from tests.fairs.conftest import fair_ended_days_ago
from tests.fairs.test_fair_meetings import published  # noqa: F401  (the published fair fixture)
from tests.support.world import csrf_from, login_as, set_language


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_fair_that_is_over_keeps_its_held_schedule(app, client, cluster, factory, published, lang):  # noqa: F811
    fid, mid = published["id"], published["meeting"]
    fair_ended_days_ago(app, fid, 1)
    organizer = cluster.tokens["organizer"]
    assert client.patch(f"/api/v1/fairs/{fid}/meetings/{mid}", json={"status": "held"},
                        headers=organizer).status_code == 200

    r = client.post(f"/api/v1/fairs/{fid}/schedule", json={"time_limit": 2}, headers=organizer)
    assert r.status_code == 409, r.get_json()
    assert r.get_json()["error"]["fields"][0]["field"] == "schedule"

    login_as(client, factory, cluster.users["organizer"])
    set_language(client, lang)
    page = client.get(f"/fairs/{fid}").get_data(as_text=True)
    over = {"en": "The fair is over: its schedule stays as it was held",
            "es": "La feria ya terminó: su programa queda como se celebró"}[lang]
    assert 'data-testid="fair-over"' in page and over in page
    assert 'data-testid="run-schedule"' not in page
    r = client.post(f"/fairs/{fid}/schedule", data={"csrf_token": csrf_from(page), "time_limit": "2"})
    assert r.status_code == 409
    refusal = {"en": "Schedule: the fair is over", "es": "Programa: la feria ya terminó"}[lang]
    assert 'data-field="schedule"' in r.get_data(as_text=True) and refusal in r.get_data(as_text=True)

    agenda = client.get(f"/api/v1/fairs/{fid}/participants/{published['buyer']}/agenda", headers=organizer).get_json()
    assert agenda["publication"] == "final"
    assert next(m for m in agenda["meetings"] if m["id"] == mid)["status"] == "held"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_participant_of_a_fair_that_is_over_stays_with_its_meetings(
        app, client, cluster, factory, published, lang):  # noqa: F811
    """Removing a firm deletes its meetings and follow-ups: after the fair that would erase what was held."""
    fid, mid, maker = published["id"], published["meeting"], published["maker"]
    fair_ended_days_ago(app, fid, 1)
    organizer = cluster.tokens["organizer"]
    assert client.patch(f"/api/v1/fairs/{fid}/meetings/{mid}", json={"status": "held"},
                        headers=organizer).status_code == 200
    r = client.delete(f"/api/v1/fairs/{fid}/participants/{maker}", headers=organizer)
    assert r.status_code == 409, r.get_json()

    login_as(client, factory, cluster.users["organizer"])
    set_language(client, lang)
    page = client.get(f"/fairs/{fid}").get_data(as_text=True)
    assert f'data-testid="remove-{maker}"' not in page
    r = client.post(f"/fairs/{fid}/participants/{maker}/remove", data={"csrf_token": csrf_from(page)})
    assert r.status_code == 409
    kept = {"en": "the fair is over: ", "es": "la feria ya terminó: "}[lang]
    html = r.get_data(as_text=True)
    assert 'data-field="participants"' in html and kept in html
    agenda = client.get(f"/api/v1/fairs/{fid}/participants/{published['buyer']}/agenda", headers=organizer).get_json()
    assert next(m for m in agenda["meetings"] if m["id"] == mid)["status"] == "held"
