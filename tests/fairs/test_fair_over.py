"""Once a fair is over its schedule is what was held: the organizer can no longer recompute it (a new
run would replace the held meetings and their outcomes with an unpublished draft). The page says so in
the reader's language instead of offering the button; the page's form and the API refuse with a 409."""
from __future__ import annotations

import io

import pytest

from tests.fairs.conftest import fair_ended_days_ago, make_fair, mark, register, register_all
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

    # nor is its publication changed: withdrawing it would hide the agendas of what was held
    r = client.post(f"/api/v1/fairs/{fid}/publish", json={"level": "draft"}, headers=organizer)
    assert r.status_code == 409 and r.get_json()["error"]["fields"][0]["field"] == "level", r.get_json()
    grid = client.get(f"/fairs/{fid}/grid").get_data(as_text=True)
    assert 'data-testid="publication-over"' in grid and over in grid
    assert 'data-testid="publish-draft"' not in grid and 'data-testid="publish-final"' not in grid
    r = client.post(f"/fairs/{fid}/publish", data={"csrf_token": csrf_from(grid), "level": "draft"})
    kept = {"en": "the fair is over", "es": "la feria ya terminó"}[lang]
    assert r.status_code == 409 and kept in r.get_data(as_text=True)
    agenda = client.get(f"/api/v1/fairs/{fid}/participants/{published['buyer']}/agenda", headers=organizer).get_json()
    assert agenda["publication"] == "final"


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


def _ended_fair(app, client, cluster) -> dict:
    """A fair that ended yesterday with buyer0 and maker0 registered (nobody else)."""
    fid = make_fair(client, cluster)["id"]
    ids = {org: register(client, cluster, fid, org).get_json()["id"] for org in (cluster.buyers[0], cluster.makers[0])}
    fair_ended_days_ago(app, fid, 1)
    return {"id": fid, "buyer": ids[cluster.buyers[0]], "maker": ids[cluster.makers[0]]}


def _conflict(r, field: str) -> None:
    assert r.status_code == 409, r.get_json()
    error = r.get_json()["error"]
    assert [f["field"] for f in error["fields"]] == [field], error
    assert "the fair is over: " in str(error), error


def _registered(app, fid: int) -> set[int]:
    from sqlalchemy import select

    from matchmaker import db
    from matchmaker.fairs.records import FairParticipant
    with app.app_context():
        return set(db.session().scalars(select(FairParticipant.organization_id)
                                        .where(FairParticipant.fair_id == fid)))


def test_the_api_refuses_registering_and_settings_once_the_fair_is_over(app, client, cluster):
    fair = _ended_fair(app, client, cluster)
    fid = fair["id"]
    before = _registered(app, fid)
    _conflict(register(client, cluster, fid, cluster.makers[1]), "participants")  # by the organizer
    _conflict(register(client, cluster, fid, cluster.buyers[1], who="buyer1"), "participants")  # its own firm
    assert _registered(app, fid) == before
    _conflict(client.patch(f"/api/v1/fairs/{fid}/settings", json={"fill_minimums": True},
                           headers=cluster.tokens["organizer"]), "settings")
    assert client.get(f"/api/v1/fairs/{fid}", headers=cluster.tokens["organizer"]).get_json()["fill_minimums"] is False
    _conflict(client.patch(f"/api/v1/fairs/{fid}/participants/{fair['buyer']}", json={"unavailable": []},
                           headers=cluster.tokens["buyer0"]), "settings")  # the participant's own slots
    _conflict(client.patch(f"/api/v1/fairs/{fid}/participants/{fair['maker']}", json={"max_meetings": 3},
                           headers=cluster.tokens["organizer"]), "settings")


def test_a_fair_still_to_come_takes_registrations_and_settings(client, cluster):
    """The same calls before the fair: the refusals above are the fair being over, nothing else."""
    fid = make_fair(client, cluster)["id"]
    assert register(client, cluster, fid, cluster.makers[1]).status_code == 201
    assert register(client, cluster, fid, cluster.buyers[1], who="buyer1").status_code == 201
    assert client.patch(f"/api/v1/fairs/{fid}/settings", json={"fill_minimums": True},
                        headers=cluster.tokens["organizer"]).status_code == 200


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_pages_of_a_fair_that_is_over_show_a_note_instead_of_registering_and_settings(
        app, client, cluster, factory, lang):
    fair = _ended_fair(app, client, cluster)
    fid = fair["id"]
    before = _registered(app, fid)
    notes = {"en": ("The fair is over: its participants stay as they attended it.",
                    "The fair is over: its settings stay as they were when it was held."),
             "es": ("La feria ya terminó: sus participantes quedan como asistieron.",
                    "La feria ya terminó: su configuración queda como estaba cuando se celebró.")}[lang]
    refusal = {"en": "the fair is over: ", "es": "la feria ya terminó: "}[lang]

    login_as(client, factory, cluster.users["organizer"])
    set_language(client, lang)
    page = client.get(f"/fairs/{fid}?q=Taller").get_data(as_text=True)
    assert notes[0] in page and notes[1] in page
    for control in ('data-testid="register-csv"', 'data-testid="register-search"', 'data-testid="save-settings"',
                    f'data-testid="register-{cluster.makers[1]}"'):
        assert control not in page, control
    token = csrf_from(page)
    r = client.post(f"/fairs/{fid}/register", data={"csrf_token": token, "organization_id": str(cluster.makers[1])})
    assert r.status_code == 409 and 'data-field="participants"' in r.get_data(as_text=True)
    assert refusal in r.get_data(as_text=True)
    r = client.post(f"/fairs/{fid}/register.csv", content_type="multipart/form-data",
                    data={"csrf_token": token, "csv": (io.BytesIO(f"organization_id\n{cluster.makers[1]}\n".encode()),
                                                       "people.csv")})
    assert r.status_code == 409 and refusal in r.get_data(as_text=True)
    r = client.post(f"/fairs/{fid}/settings", data={"csrf_token": token, "fill_minimums": "1"})
    assert r.status_code == 409 and 'data-field="settings"' in r.get_data(as_text=True)
    assert refusal in r.get_data(as_text=True)
    settings = client.get(f"/fairs/{fid}/participants/{fair['maker']}").get_data(as_text=True)
    assert notes[1] in settings and 'name="min_meetings"' not in settings
    r = client.post(f"/fairs/{fid}/participants/{fair['maker']}", data={"csrf_token": token, "min_meetings": "2"})
    assert r.status_code == 409 and refusal in r.get_data(as_text=True)
    assert _registered(app, fid) == before

    login_as(client, factory, cluster.users["buyer1"])  # a buyer of the cluster, not registered
    set_language(client, lang)
    page = client.get(f"/fairs/{fid}").get_data(as_text=True)
    assert notes[0] in page and 'data-testid="register-mine"' not in page
    r = client.post(f"/fairs/{fid}/register", data={"csrf_token": csrf_from(page)})
    assert r.status_code == 409 and refusal in r.get_data(as_text=True)
    assert _registered(app, fid) == before


def test_the_api_document_declares_each_fair_over_refusal(client):
    """A client reading the OpenAPI document learns that these calls may answer 409 once the fair is over."""
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for method, path in (("post", "/api/v1/fairs/{fair_id}/participants"),
                         ("delete", "/api/v1/fairs/{fair_id}/participants/{participant_id}"),
                         ("patch", "/api/v1/fairs/{fair_id}/participants/{participant_id}"),
                         ("patch", "/api/v1/fairs/{fair_id}/settings"),
                         ("post", "/api/v1/fairs/{fair_id}/schedule"),
                         ("put", "/api/v1/fairs/{fair_id}/requests")):
        assert "409" in paths[path][method]["responses"], (method, path)


MARKS_KEPT = {"en": "the fair is over: its meeting requests stay as they were when it was held",
              "es": "la feria ya terminó: sus solicitudes de reunión quedan como estaban cuando se celebró"}


def _marked_fair(client, cluster) -> dict:
    """A fair without a request deadline (marks are taken until it is over), everyone registered, buyer0
    marking maker0 a must."""
    fid = make_fair(client, cluster)["id"]
    assert client.get(f"/api/v1/fairs/{fid}", headers=cluster.tokens["organizer"]).get_json() \
        .get("request_deadline") is None
    ids = register_all(client, cluster, fid)
    buyer, maker, other = ids[cluster.buyers[0]], ids[cluster.makers[0]], ids[cluster.makers[1]]
    assert mark(client, cluster, fid, "buyer0", maker, "must").status_code == 200
    return {"id": fid, "buyer": buyer, "maker": maker, "other": other}


def _marks(client, cluster, fid: int) -> list[tuple]:
    items = client.get(f"/api/v1/fairs/{fid}/requests", headers=cluster.tokens["organizer"]).get_json()["items"]
    return sorted((i["from_participant_id"], i["to_participant_id"], i["mark"], i["expires_at"]) for i in items)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_api_keeps_the_meeting_requests_of_a_fair_that_is_over(app, client, cluster, lang):
    """With no request deadline marks are taken up to the fair's end; after it, nobody changes them (the
    organizer neither): the schedule and the report were made of them."""
    fair = _marked_fair(client, cluster)
    fid, buyer, maker, other = fair["id"], fair["buyer"], fair["maker"], fair["other"]
    before = _marks(client, cluster, fid)
    fair_ended_days_ago(app, fid, 1)

    url = f"/api/v1/fairs/{fid}/requests"
    as_buyer = {**cluster.tokens["buyer0"], "Accept-Language": lang}
    as_organizer = {**cluster.tokens["organizer"], "Accept-Language": lang}
    for body, headers in (({"to_participant_id": maker, "mark": "no"}, as_buyer),  # changing a mark
                          ({"to_participant_id": maker, "mark": None}, as_buyer),  # withdrawing it
                          ({"to_participant_id": other, "mark": "would_like"}, as_buyer),  # a new one
                          ({"from_participant_id": buyer, "to_participant_id": maker, "mark": "no"}, as_organizer),
                          ({"from_participant_id": buyer, "to_participant_id": other, "mark": "must"}, as_organizer)):
        r = client.put(url, json=body, headers=headers)
        assert r.status_code == 409, (body, r.get_json())
        error = r.get_json()["error"]
        assert [f["field"] for f in error["fields"]] == ["mark"], error
        assert MARKS_KEPT[lang] in error["fields"][0]["problem"], error
    assert _marks(client, cluster, fid) == before


def test_a_fair_that_is_over_recommends_nobody(app, client, cluster):
    """Nothing more can be marked after the fair, so there is nobody left to recommend marking."""
    fair = _marked_fair(client, cluster)
    recs = f"/api/v1/fairs/{fair['id']}/recommendations"
    mine = f"/api/v1/fairs/{fair['id']}/requests"
    before = client.get(recs, headers=cluster.tokens["buyer0"]).get_json()
    assert before["items"] and before["requests_open"] is True  # before: someone to mark
    assert client.get(mine, headers=cluster.tokens["buyer0"]).get_json()["requests_open"] is True
    fair_ended_days_ago(app, fair["id"], 1)
    r = client.get(recs, headers=cluster.tokens["buyer0"])
    assert r.status_code == 200 and r.get_json()["items"] == []
    # and both say requests are closed, although this fair has no request deadline
    assert r.get_json()["requests_open"] is False
    assert client.get(mine, headers=cluster.tokens["buyer0"]).get_json()["requests_open"] is False


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_requests_page_of_a_fair_that_is_over_shows_the_marks_and_a_note(app, client, cluster, factory, lang):
    fair = _marked_fair(client, cluster)
    fid, buyer, maker, other = fair["id"], fair["buyer"], fair["maker"], fair["other"]
    before = _marks(client, cluster, fid)
    fair_ended_days_ago(app, fid, 1)
    note = {"en": "The fair is over: its meeting requests stay as they were when it was held.",
            "es": "La feria ya terminó: sus solicitudes de reunión quedan como estaban cuando se celebró."}[lang]
    must = {"en": "Must meet", "es": "Debe reunirse"}[lang]

    for who, path in (("organizer", f"/fairs/{fid}/requests?as={buyer}"), ("buyer0", f"/fairs/{fid}/requests")):
        login_as(client, factory, cluster.users[who])
        set_language(client, lang)
        page = client.get(path).get_data(as_text=True)
        assert note in page, who
        assert 'data-testid="save-requests"' not in page and "<select" not in page, who
        assert f'data-testid="mark-{maker}">{must}</td>' in page, who  # the mark as it was, as text
        r = client.post(path, data={"csrf_token": csrf_from(page), f"mark-{maker}": "no",
                                    f"mark-{other}": "would_like"})
        assert r.status_code == 409, who
        assert MARKS_KEPT[lang] in r.get_data(as_text=True), who
        assert _marks(client, cluster, fid) == before
