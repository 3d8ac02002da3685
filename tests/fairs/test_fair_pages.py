"""The organizer runs a fair from the browser pages; participants see only their own agenda."""
from __future__ import annotations

import re
import time

from sqlalchemy import select

from matchmaker import db
from matchmaker.fairs.records import Fair, FairMeeting, FairParticipant
from tests.support.world import csrf_from, login_as, set_language
from tests.support.dates import FAIR_DAY


def _post(client, page: str, path: str, data: dict):
    token = csrf_from(client.get(page).get_data(as_text=True))
    return client.post(path, data={**data, "csrf_token": token})


def _new_fair(client, **changes):
    form = {"name": "Feria de primavera", "venue": "Expo Guadalajara", "slot_minutes": "30", "table_count": "2",
            "sessions": f"{FAIR_DAY} 09:00-11:00 Mañana", "breaks": "", "default_min_meetings": "1"}
    form.update(changes)
    return _post(client, "/fairs/new", "/fairs/new", form)


def _run_schedule(client, fair_path: str, fair_id: int, time_limit: str) -> str:
    """Press "Compute": the page that follows shows the job's progress; poll it as jobs.js does."""
    r = _post(client, fair_path, f"/fairs/{fair_id}/schedule", {"time_limit": time_limit})
    assert r.status_code == 302 and f"/fairs/{fair_id}/schedule/jobs/" in r.headers["Location"], r.status_code
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "<progress" in page and "jobs.js" in page and "data-job-status-url" in page
    assert "<script>" not in page  # the only script is the vendored file
    status_url = re.search(r'data-job-status-url="([^"]+)"', page).group(1)
    deadline = time.monotonic() + 60
    while True:
        job = client.get(status_url).get_json()
        assert 0 <= job["progress"] <= 1 and job["message"]
        if job["status"] in ("done", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert job["status"] == "done", job
    return job["done_url"]


def test_organizer_runs_a_fair_in_the_browser(app, client, factory, cluster):
    login_as(client, factory, cluster.users["organizer"])
    r = _new_fair(client)
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    fair_path = r.headers["Location"]
    fair_id = int(fair_path.rsplit("/", 1)[1])
    page = client.get(fair_path).get_data(as_text=True)
    assert "Feria de primavera" in page and "4 slots" in page
    # register every buyer and member maker through the form
    for org in [*cluster.buyers, *cluster.makers]:
        assert _post(client, fair_path, f"/fairs/{fair_id}/register", {"organization_id": str(org)}).status_code == 302
    # a non-member maker, found by name
    page = client.get(fair_path + "?q=fuera").get_data(as_text=True)
    assert f'data-testid="register-{cluster.outsider_maker}"' in page and "not a member" in page
    _post(client, fair_path, f"/fairs/{fair_id}/register", {"organization_id": str(cluster.outsider_maker)})
    with app.app_context():
        people = {p.organization_id: p.id for p in db.session().scalars(
            select(FairParticipant).where(FairParticipant.fair_id == fair_id))}
    assert len(people) == 8
    page = client.get(fair_path).get_data(as_text=True)
    assert "Taller Fuera" in page
    # participant settings: an unavailable slot and a fixed table
    settings = f"/fairs/{fair_id}/participants/{people[cluster.makers[0]]}"
    page = client.get(settings).get_data(as_text=True)
    first_slot = re.search(r'name="unavailable" value="(\d{8}T\d{4})"', page).group(1)
    with app.app_context():
        table_id = db.session().get(Fair, fair_id).tables[0].id
    r = _post(client, settings, settings, {"min_meetings": "1", "max_meetings": "3", "unavailable": first_slot,
                                           "fixed_table_id": str(table_id)})
    assert r.status_code == 302
    # an impossible setting shows a message beside the field
    r = _post(client, settings, settings, {"min_meetings": "1", "max_meetings": "3", "unavailable": [
        m for m in re.findall(r'name="unavailable" value="(\d{8}T\d{4})"', page)]})
    assert r.status_code == 422 and "no available slot" in r.get_data(as_text=True)
    # the organizer enters marks on a buyer's behalf
    as_buyer = f"/fairs/{fair_id}/requests?as={people[cluster.buyers[0]]}"
    page = client.get(as_buyer).get_data(as_text=True)
    assert "Product line fit" in page  # reasons shown
    r = _post(client, as_buyer, as_buyer, {f"mark-{people[cluster.makers[1]]}": "must",
                                           f"mark-{people[cluster.makers[0]]}": "no"})
    assert r.status_code == 302
    # schedule, figures, publish
    assert _run_schedule(client, fair_path, fair_id, "3").endswith(f"/fairs/{fair_id}/grid")
    grid = client.get(f"/fairs/{fair_id}/grid").get_data(as_text=True)
    for word in ("Bound", "Gap", "Round-robin baseline", "Requests fulfilled", "Must-meets fulfilled",
                 "Participants below minimum"):
        assert word in grid
    assert _post(client, f"/fairs/{fair_id}/grid", f"/fairs/{fair_id}/publish", {"level": "final"}).status_code == 302
    assert 'data-testid="publication">Final' in client.get(f"/fairs/{fair_id}/grid").get_data(as_text=True)
    with app.app_context():
        meetings = db.session().scalars(select(FairMeeting).where(FairMeeting.fair_id == fair_id)).all()
        pairs = {(m.buyer_participant_id, m.maker_participant_id): m.id for m in meetings}
        fixed = [m for m in meetings if m.maker_participant_id == people[cluster.makers[0]]]
    assert (people[cluster.buyers[0]], people[cluster.makers[0]]) not in pairs
    assert all(m.table_id == table_id and m.slot_id != first_slot for m in fixed)
    target = pairs[people[cluster.buyers[0]], people[cluster.makers[1]]]
    # lock, then cancel another meeting (repair), then mark outcomes
    grid_path = f"/fairs/{fair_id}/grid"
    assert _post(client, grid_path, f"/fairs/{fair_id}/meetings/{target}", {"action": "lock"}).status_code == 302
    victim = next(mid for pair, mid in pairs.items() if mid != target)
    r = _post(client, grid_path, f"/fairs/{fair_id}/meetings/{victim}", {"action": "cancel"})
    assert r.status_code == 302
    grid = client.get(grid_path).get_data(as_text=True)
    assert "Cancellation:" in grid and "Cancelled and missed meetings" in grid
    csv_text = client.get(f"/fairs/{fair_id}/schedule.csv").get_data(as_text=True)
    assert csv_text.startswith("slot,start,end")
    # the agenda page of the buyer, as the organizer sees it
    agenda = client.get(f"/fairs/{fair_id}/agenda/{people[cluster.buyers[0]]}").get_data(as_text=True)
    assert "Taller B" in agenda


def test_participants_see_only_their_own_agenda_pages(app, client, factory, cluster):
    login_as(client, factory, cluster.users["organizer"])
    fair_path = _new_fair(client).headers["Location"]
    fair_id = int(fair_path.rsplit("/", 1)[1])
    for org in [*cluster.buyers, *cluster.makers]:
        _post(client, fair_path, f"/fairs/{fair_id}/register", {"organization_id": str(org)})
    _run_schedule(client, fair_path, fair_id, "2")
    with app.app_context():
        people = {p.organization_id: p.id for p in db.session().scalars(
            select(FairParticipant).where(FairParticipant.fair_id == fair_id))}
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/home").get_data(as_text=True))})

    login_as(client, factory, cluster.users["maker0"])
    mine = f"/fairs/{fair_id}/agenda/{people[cluster.makers[0]]}"
    page = client.get(mine).get_data(as_text=True)
    assert "not been published" in page
    assert client.get(mine + ".pdf").status_code == 404  # not published yet
    assert client.get(f"/fairs/{fair_id}/agenda/{people[cluster.makers[1]]}").status_code == 404
    assert client.get(f"/fairs/{fair_id}/agenda/{people[cluster.makers[1]]}.ics").status_code == 404
    assert client.get(f"/fairs/{fair_id}/grid").status_code == 403
    assert client.post(f"/fairs/{fair_id}/schedule", data={
        "csrf_token": csrf_from(client.get(mine).get_data(as_text=True))}).status_code == 403
    assert client.get(f"/fairs/{fair_id}/requests?as={people[cluster.makers[1]]}").status_code == 404
    # the maker marks a buyer from its own requests page
    page_path = f"/fairs/{fair_id}/requests"
    page = client.get(page_path).get_data(as_text=True)
    assert "Buyer X" in page and "Taller B" not in page
    assert _post(client, page_path, page_path, {f"mark-{people[cluster.buyers[0]]}": "must"}).status_code == 302
    assert 'value="must" selected' in client.get(page_path).get_data(as_text=True)


def test_fair_form_errors_and_spanish(client, factory, cluster):
    login_as(client, factory, cluster.users["organizer"])
    r = _new_fair(client, sessions=f"{FAIR_DAY} 09:00-11:00\n{FAIR_DAY} 10:00-12:00")
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert 'data-field="sessions"' in html and "overlap" in html
    r = _new_fair(client, table_count="0")
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and 'data-field="table_count"' in html and "at least 1" in html
    r = _new_fair(client, sessions="tomorrow morning")
    assert r.status_code == 422 and "Sessions, line 1: " in r.get_data(as_text=True)
    r = _new_fair(client, slot_minutes="150")
    assert r.status_code == 422 and "longer than the session" in r.get_data(as_text=True)
    set_language(client, "es")
    assert "Nueva feria" in client.get("/fairs/new").get_data(as_text=True)
    assert "Ferias comerciales" in client.get("/fairs").get_data(as_text=True)


def test_closed_requests_refuse_a_direct_post_without_saying_saved(client, factory, cluster):
    """After the deadline the fields are disabled; a POST sent anyway is refused, and nothing flashes "Saved."."""
    from tests.fairs.conftest import make_fair, register_all
    fair = make_fair(client, cluster, request_deadline="2000-01-01T00:00")
    ids = register_all(client, cluster, fair["id"])
    login_as(client, factory, cluster.users["buyer0"])
    path = f"/fairs/{fair['id']}/requests"
    page = client.get(path).get_data(as_text=True)
    assert 'class="mark-select"' in page and "requests are closed" in page
    for data in ({}, {f"mark-{ids[cluster.makers[0]]}": "must"}):
        r = client.post(path, data={**data, "csrf_token": csrf_from(page)})
        html = r.get_data(as_text=True)
        assert r.status_code == 409 and "Saved." not in html and "2000-01-01" in html
        follow = client.get(path).get_data(as_text=True)
        assert "Saved." not in follow and 'value="must" selected' not in follow
