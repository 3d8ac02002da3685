"""Fair meetings during and after the fair (issue 14.6) and the fill-minimums option (issue 13.5):
video meetings, QR check-in, follow-up ratings, the organizer's report, through the API and pages."""
from __future__ import annotations

import csv
import io
import threading
from urllib.parse import urlparse

import icalendar
import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from matchmaker import db
from matchmaker.fairs.records import FairFollowUp
from matchmaker.ranking.records import OutcomeEvent
from tests.fairs.conftest import (fair_ended_days_ago, make_fair, mark, meeting_started_minutes_ago, register,
                                  register_all, wait_schedule)
from tests.support.world import csrf_from, login_as, set_language
from tests.support.dates import FAIR_DAY


def _schedule(client, cluster, fid, time_limit=3):
    r = client.post(f"/api/v1/fairs/{fid}/schedule", json={"time_limit": time_limit},
                    headers=cluster.tokens["organizer"])
    assert r.status_code == 202, r.get_json()
    return wait_schedule(client, cluster, r.get_json()["url"])["schedule"]


@pytest.fixture
def published(client, cluster):
    """A published fair where buyer0 meets maker0 (both "must")."""
    data = make_fair(client, cluster)
    fid = data["id"]
    ids = register_all(client, cluster, fid, max_meetings=2)
    b0, m0 = ids[cluster.buyers[0]], ids[cluster.makers[0]]
    mark(client, cluster, fid, "buyer0", m0, "must")
    mark(client, cluster, fid, "maker0", b0, "must")
    body = _schedule(client, cluster, fid)
    meeting = next(m for m in body["meetings"] if (m["buyer_participant_id"], m["maker_participant_id"]) == (b0, m0))
    assert client.post(f"/api/v1/fairs/{fid}/publish", json={"level": "final"},
                       headers=cluster.tokens["organizer"]).status_code == 200
    return {"id": fid, "ids": ids, "buyer": b0, "maker": m0, "meeting": meeting["id"]}


# -- issue 13.5: fill minimum shortfalls -------------------------------------------------------------

def test_fill_minimums_relieves_a_shortfall_only_when_the_organizer_turns_it_on(client, cluster, factory):
    """A buyer and a maker nobody marked, with no profile to score them: each has a minimum of one.
    Off, nobody meets (the shortfall is reported); on, the unmarked eligible pair meets."""
    bare = factory.org("maker", name="Taller Sin Perfil", city="Guadalajara", state="Jalisco")
    results = {}
    for on in (False, True):
        fid = make_fair(client, cluster, default_min_meetings=1, fill_minimums=on)["id"]
        assert register(client, cluster, fid, cluster.buyers[0]).status_code == 201
        assert register(client, cluster, fid, bare).status_code == 201
        body = _schedule(client, cluster, fid)
        results[on] = body
    assert results[False]["meetings"] == []
    assert results[False]["run"]["metrics"]["below_min"] == 2
    assert len(results[True]["meetings"]) == 1
    assert results[True]["run"]["metrics"]["below_min"] == 0


def test_fill_minimums_is_a_fair_setting_of_the_api_and_the_page(client, cluster, factory):
    fid = make_fair(client, cluster)["id"]
    assert client.get(f"/api/v1/fairs/{fid}", headers=cluster.tokens["organizer"]).get_json()["fill_minimums"] is False
    r = client.patch(f"/api/v1/fairs/{fid}/settings", json={"fill_minimums": "maybe"},
                     headers=cluster.tokens["organizer"])
    assert r.status_code == 422 and r.get_json()["error"]["fields"][0]["field"] == "fill_minimums"
    r = client.patch(f"/api/v1/fairs/{fid}/settings", json={"fill_minimums": True},
                     headers=cluster.tokens["buyer0"])
    assert r.status_code == 403
    r = client.patch(f"/api/v1/fairs/{fid}/settings", json={"fill_minimums": True},
                     headers=cluster.tokens["organizer"])
    assert r.status_code == 200 and r.get_json()["fill_minimums"] is True
    login_as(client, factory, cluster.users["organizer"])
    set_language(client, "es")
    page = client.get(f"/fairs/{fid}").get_data(as_text=True)
    assert "Completar mínimos con parejas sin solicitud" in page and "checked" in page
    r = client.post(f"/fairs/{fid}/settings", data={"csrf_token": csrf_from(page)})  # unticked
    assert r.status_code == 302
    assert client.get(f"/api/v1/fairs/{fid}", headers=cluster.tokens["organizer"]).get_json()["fill_minimums"] is False


# -- video meetings ---------------------------------------------------------------------------------

def test_a_buyer_asks_for_a_video_meeting_and_only_the_two_sides_see_the_link(app, client, cluster, published):
    fid, mid = published["id"], published["meeting"]
    url = f"/api/v1/fairs/{fid}/meetings/{mid}/virtual"
    assert client.put(url, json={"virtual": True}, headers=cluster.tokens["maker0"]).status_code == 403
    assert client.put(url, json={"virtual": True}, headers=cluster.tokens["buyer1"]).status_code == 404
    r = client.put(url, json={"virtual": "perhaps"}, headers=cluster.tokens["buyer0"])
    assert r.status_code == 422 and r.get_json()["error"]["fields"][0]["field"] == "virtual"
    r = client.put(url, json={"virtual": True}, headers=cluster.tokens["buyer0"])
    assert r.status_code == 200, r.get_json()
    link = r.get_json()["video_url"]
    parts = urlparse(link)
    assert parts.scheme == "https" and f"-{fid}-" in parts.path
    token = link.split(f"-{fid}-", 1)[1].split("-", 1)[1]
    assert len(token) >= 20, "the link carries an unguessable token"
    video = f"/api/v1/fairs/{fid}/meetings/{mid}/video"
    assert client.get(video, headers=cluster.tokens["maker0"]).get_json()["video_url"] == link
    organizer = client.get(video, headers=cluster.tokens["organizer"]).get_json()
    assert organizer["virtual"] is True and "video_url" not in organizer
    assert client.get(video, headers=cluster.tokens["maker1"]).status_code == 404
    # agendas: the two sides' ICS carry the link as LOCATION and URL; the organizer's copy does not
    ics = client.get(f"/api/v1/fairs/{fid}/participants/{published['maker']}/agenda.ics",
                     headers=cluster.tokens["maker0"])
    uid = f"p{published['buyer']}-p{published['maker']}@fair{fid}.matchmaker"
    event = next(e for e in icalendar.Calendar.from_ical(ics.data).walk("VEVENT") if str(e["uid"]) == uid)
    assert str(event["location"]) == link and str(event["url"]) == link and link in str(event["description"])
    assert event["sequence"] >= 1, "the changed location makes calendars replace the event"
    agenda = client.get(f"/api/v1/fairs/{fid}/participants/{published['buyer']}/agenda",
                        headers=cluster.tokens["organizer"]).get_json()
    item = next(m for m in agenda["meetings"] if m["id"] == mid)
    assert item["virtual"] is True and item["video_url"] is None
    ics = client.get(f"/api/v1/fairs/{fid}/participants/{published['buyer']}/agenda.ics",
                     headers=cluster.tokens["organizer"])
    assert link.encode() not in ics.data
    # the organizer's choice stands: the buyer may not undo it
    client.put(url, json={"virtual": True}, headers=cluster.tokens["organizer"])
    r = client.put(url, json={"virtual": False}, headers=cluster.tokens["buyer0"])
    assert r.status_code == 403 and r.get_json()["error"]["fields"][0]["field"] == "virtual"


def test_the_video_link_follows_the_configured_template(app, client, cluster, published):
    app.config["FAIR_VIDEO_URL_TEMPLATE"] = "https://video.example.test/room/{fair}/{meeting}?k={token}"
    r = client.put(f"/api/v1/fairs/{published['id']}/meetings/{published['meeting']}/virtual",
                   json={"virtual": True}, headers=cluster.tokens["buyer0"])
    link = r.get_json()["video_url"]
    assert link.startswith(f"https://video.example.test/room/{published['id']}/") and "?k=" in link


def test_the_agenda_page_shows_the_link_to_its_own_side_and_the_buyer_can_ask(client, cluster, factory, published):
    fid = published["id"]
    login_as(client, factory, cluster.users["buyer0"])
    page = client.get(f"/fairs/{fid}/agenda/{published['buyer']}").get_data(as_text=True)
    assert f'data-testid="toggle-virtual-{published["meeting"]}"' in page and "<svg" in page
    r = client.post(f"/fairs/{fid}/meetings/{published['meeting']}",
                    data={"csrf_token": csrf_from(page), "action": "virtual", "back": "agenda"})
    assert r.status_code == 302
    page = client.get(f"/fairs/{fid}/agenda/{published['buyer']}").get_data(as_text=True)
    assert f'data-testid="video-link-{published["meeting"]}"' in page


# -- QR check-in ------------------------------------------------------------------------------------

def _check_in_url(client, cluster, published, who="buyer0", participant=None):
    participant = participant or published["buyer"]
    agenda = client.get(f"/api/v1/fairs/{published['id']}/participants/{participant}/agenda",
                        headers=cluster.tokens[who]).get_json()
    return next(m for m in agenda["meetings"] if m["id"] == published["meeting"])["check_in_url"]


def test_the_other_side_checks_the_meeting_in_once(app, client, cluster, published):
    meeting_started_minutes_ago(app, published["id"], published["meeting"])  # scanned at the meeting
    page_url = _check_in_url(client, cluster, published)
    token = urlparse(page_url).path.rsplit("/", 1)[1]
    api = f"/api/v1/fairs/check-in/{token}"
    # the buyer's own code: the buyer may not check itself in; another firm neither
    assert client.post(api, json={"status": "held"}, headers=cluster.tokens["buyer0"]).status_code == 403
    assert client.post(api, json={"status": "held"}, headers=cluster.tokens["maker1"]).status_code == 403
    assert client.post(api[:-3] + "abc", json={"status": "held"},
                       headers=cluster.tokens["maker0"]).status_code == 404
    r = client.post(api, json={"status": "present"}, headers=cluster.tokens["maker0"])
    assert r.status_code == 422 and r.get_json()["error"]["fields"][0]["field"] == "status"
    r = client.post(api, json={"status": "held"}, headers=cluster.tokens["maker0"])
    assert r.status_code == 200 and r.get_json()["changed"] is True and r.get_json()["status"] == "held"
    r = client.post(api, json={"status": "held"}, headers=cluster.tokens["organizer"])
    assert r.status_code == 200 and r.get_json()["changed"] is False, "the same mark again is idempotent"
    r = client.post(api, json={"status": "no_show"}, headers=cluster.tokens["organizer"])
    assert r.status_code == 409 and r.get_json()["error"]["fields"][0]["field"] == "status"
    with app.app_context():
        held = db.session().scalar(select(func.count()).select_from(OutcomeEvent)
                                   .where(OutcomeEvent.event == "meeting_held"))
    assert held == 1


def test_the_agenda_pdf_carries_a_check_in_code_per_meeting(client, cluster, published):
    pdf = client.get(f"/api/v1/fairs/{published['id']}/participants/{published['buyer']}/agenda.pdf",
                     headers=cluster.tokens["buyer0"])
    assert pdf.status_code == 200
    reader = PdfReader(io.BytesIO(pdf.data))
    images = sum(len(page.images) for page in reader.pages)
    agenda = client.get(f"/api/v1/fairs/{published['id']}/participants/{published['buyer']}/agenda",
                        headers=cluster.tokens["buyer0"]).get_json()
    assert images == len([m for m in agenda["meetings"] if m["status"] == "scheduled"]) >= 1


def test_the_phone_page_marks_the_meeting_in_one_tap(app, client, cluster, factory, published):
    meeting_started_minutes_ago(app, published["id"], published["meeting"])
    page_url = _check_in_url(client, cluster, published)
    path = urlparse(page_url).path
    login_as(client, factory, cluster.users["buyer0"])
    assert client.get(path).status_code == 403, "the holder of the code does not check itself in"
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/home").get_data(as_text=True))})
    login_as(client, factory, cluster.users["maker0"])
    set_language(client, "es")
    page = client.get(path).get_data(as_text=True)
    assert 'data-testid="mark-held"' in page and "Reunión realizada" in page
    assert client.post(path, data={"status": "held"}).status_code == 400, "no CSRF token, no mark"
    r = client.post(path, data={"status": "held", "csrf_token": csrf_from(page)})
    assert r.status_code == 200 and 'data-testid="check-in-done"' in r.get_data(as_text=True)
    r = client.post(path, data={"status": "no_show", "csrf_token": csrf_from(page)})
    assert r.status_code == 409 and 'data-testid="check-in-refused"' in r.get_data(as_text=True)


def test_two_different_check_ins_at_once_have_one_winner(app, client, cluster, published):
    meeting_started_minutes_ago(app, published["id"], published["meeting"])
    token = urlparse(_check_in_url(client, cluster, published)).path.rsplit("/", 1)[1]
    marks, headers = ["held", "no_show"], [cluster.tokens["maker0"], cluster.tokens["organizer"]]
    barrier, results = threading.Barrier(2), [None, None]

    def run(i):
        c = app.test_client()
        barrier.wait()
        results[i] = c.post(f"/api/v1/fairs/check-in/{token}", json={"status": marks[i]},
                            headers=headers[i]).status_code

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results) == [200, 409]


# -- follow-ups and the report ----------------------------------------------------------------------

def test_both_sides_rate_the_meeting_once_per_wave_and_the_outcome_log_gets_it(app, client, cluster, published):
    fid, mid = published["id"], published["meeting"]
    answer = f"/api/v1/fairs/{fid}/meetings/{mid}/follow-up-answers"
    body = {"wave": "week", "rating": 5, "next_step": "order"}
    r = client.post(answer, json=body, headers=cluster.tokens["buyer0"])
    assert r.status_code == 409 and r.get_json()["error"]["fields"][0]["field"] == "wave", "not due before the fair"
    fair_ended_days_ago(app, fid, 10)  # the week wave is due, the quarter not
    due = client.get(f"/api/v1/fairs/{fid}/follow-ups", headers=cluster.tokens["buyer0"]).get_json()["due"]
    assert {(d["meeting_id"], d["wave"]) for d in due} >= {(mid, "week")}
    assert not any(d["wave"] == "quarter" for d in due)
    r = client.post(answer, json={**body, "rating": 6}, headers=cluster.tokens["buyer0"])
    assert r.status_code == 422 and r.get_json()["error"]["fields"][0]["field"] == "rating"
    assert client.post(answer, json=body, headers=cluster.tokens["buyer1"]).status_code == 404
    assert client.post(answer, json=body, headers=cluster.tokens["buyer0"]).status_code == 201
    assert client.post(answer, json=body, headers=cluster.tokens["buyer0"]).status_code == 409
    r = client.post(answer, json={**body, "wave": "quarter"}, headers=cluster.tokens["buyer0"])
    assert r.status_code == 409 and "from" in r.get_json()["error"]["message"]
    assert client.post(answer, json={**body, "rating": 4}, headers=cluster.tokens["maker0"]).status_code == 201
    due = client.get(f"/api/v1/fairs/{fid}/follow-ups", headers=cluster.tokens["buyer0"]).get_json()["due"]
    assert (mid, "week") not in {(d["meeting_id"], d["wave"]) for d in due}
    with app.app_context():
        sess = db.session()
        events = sess.execute(select(OutcomeEvent.event, OutcomeEvent.source).where(
            OutcomeEvent.source == "fair_follow_up").order_by(OutcomeEvent.id)).all()
        rows = sess.scalars(select(FairFollowUp).order_by(FairFollowUp.id)).all()
    # one order, named by both sides, is one order in the log; the second answer is a rating
    assert [e for e, _ in events] == ["order_placed", "meeting_rated"]
    assert [(r.side, r.wave, r.rating, r.next_step) for r in rows] == [("buyer", "week", 5, "order"),
                                                                       ("maker", "week", 4, "order")]
    assert all(r.outcome_event_id for r in rows)
    report = client.get(f"/api/v1/fairs/{fid}/report", headers=cluster.tokens["organizer"]).get_json()
    total = report["total"]
    assert total["follow_ups"] == 2 and total["mean_rating"] == 4.5 and total["next_steps"]["order"] == 1
    assert total["held"] == 1 and total["requests"] >= 1 and 0 < total["acceptance"] <= 1
    assert client.get(f"/api/v1/fairs/{fid}/report", headers=cluster.tokens["buyer0"]).status_code == 403


def test_the_follow_up_task_is_on_the_participants_fair_page(app, client, cluster, factory, published):
    fid, mid = published["id"], published["meeting"]
    fair_ended_days_ago(app, fid, 100)  # both waves due
    login_as(client, factory, cluster.users["maker0"])
    page = client.get(f"/fairs/{fid}").get_data(as_text=True)
    assert f'data-testid="follow-up-{mid}-week"' in page and f'data-testid="follow-up-{mid}-quarter"' in page
    r = client.post(f"/fairs/{fid}/meetings/{mid}/follow-up-answer",
                    data={"csrf_token": csrf_from(page), "wave": "quarter", "rating": "3", "next_step": "sample"})
    assert r.status_code == 302
    page = client.get(f"/fairs/{fid}").get_data(as_text=True)
    assert f'data-testid="follow-up-{mid}-quarter"' not in page and f'data-testid="follow-up-{mid}-week"' in page


def test_the_organizer_report_page_charts_and_csv_in_both_languages(app, client, cluster, factory, published):
    fid = published["id"]
    fair_ended_days_ago(app, fid, 1)  # one no-show, for the report to show
    assert client.patch(f"/api/v1/fairs/{fid}/meetings/{published['meeting']}", json={"status": "no_show"},
                        headers=cluster.tokens["organizer"]).status_code == 200
    login_as(client, factory, cluster.users["organizer"])
    page = client.get(f"/fairs/{fid}/report").get_data(as_text=True)
    assert 'data-testid="chart-funnel"' in page and 'data-band="total"' in page and "No-shows" in page
    png = client.get(f"/fairs/{fid}/report/funnel.png")
    assert png.status_code == 200 and png.mimetype == "image/png" and png.data[:4] == b"\x89PNG"
    assert client.get(f"/fairs/{fid}/report/follow-ups.png").data[:4] == b"\x89PNG"
    assert client.get(f"/fairs/{fid}/report/other.png").status_code == 404
    rows = list(csv.DictReader(io.StringIO(client.get(f"/fairs/{fid}/report.csv").get_data(as_text=True))))
    assert rows[-1]["band"] == "total" and rows[-1]["no_show"] == "1"
    set_language(client, "es")
    page = client.get(f"/fairs/{fid}/report").get_data(as_text=True)
    assert "Informe de la feria" in page and "Inasistencias" in page
    api_csv = client.get(f"/api/v1/fairs/{fid}/report.csv", headers=cluster.tokens["organizer"])
    assert api_csv.status_code == 200 and api_csv.data.startswith(b"band,makers,requests")


def test_a_follow_up_answer_tells_the_other_side_in_its_language(app, client, cluster, published):
    """The buyer names an order a week after the fair: the maker's users get a notice (and an email in
    Spanish, the maker user's language) leading to recording the order; the maker's answer tells the buyer,
    in English, leading to the fair page. Nobody is told of its own answer, and a refused answer tells nobody."""
    from matchmaker.contact.records import EmailOutbox, Notification
    from matchmaker.accounts.records import User

    fid, mid = published["id"], published["meeting"]
    with app.app_context():
        sess = db.session()
        sess.get(User, cluster.users["maker0"]).locale = "es"
        sess.commit()
    fair_ended_days_ago(app, fid, 10)
    answer = f"/api/v1/fairs/{fid}/meetings/{mid}/follow-up-answers"
    body = {"wave": "week", "rating": 5, "next_step": "order"}
    assert client.post(answer, json=body, headers=cluster.tokens["buyer0"]).status_code == 201
    assert client.post(answer, json=body, headers=cluster.tokens["buyer0"]).status_code == 409
    assert client.post(answer, json={**body, "next_step": "sample"}, headers=cluster.tokens["maker0"]).status_code \
        == 201

    def told(who):
        with app.app_context():
            sess = db.session()
            notes = sess.scalars(select(Notification).where(Notification.kind == "fair_follow_up",
                                                            Notification.user_id == cluster.users[who])).all()
            mails = sess.scalars(select(EmailOutbox.subject).where(EmailOutbox.kind == "fair_follow_up",
                                                                   EmailOutbox.user_id == cluster.users[who])).all()
            return [n.link for n in notes], mails

    maker_links, maker_mails = told("maker0")
    assert maker_links == [f"/orders/new?fair_meeting_id={mid}"]
    assert len(maker_mails) == 1 and "dio seguimiento a su reunión en Spring denim show: Pedido" in maker_mails[0]
    buyer_links, buyer_mails = told("buyer0")
    assert buyer_links == [f"/fairs/{fid}"]
    assert len(buyer_mails) == 1 and buyer_mails[0].endswith("followed up your meeting at Spring denim show: Sample")
    assert told("buyer1") == ([], []) and told("maker1") == ([], [])
    # the notice page words it in the reader's language
    notes = client.get("/api/v1/notifications", headers=cluster.tokens["buyer0"]).get_json()
    items = notes["items"] if isinstance(notes, dict) else notes
    assert any(i["kind"] == "fair_follow_up" and "Sample" in i["text"] for i in items)


# -- outcomes wait for the meeting's slot -------------------------------------------------------------

def _outcome_calls(client, cluster, published):
    """Every way to say a meeting was held, missed or led somewhere, with the field its refusal names."""
    fid, mid = published["id"], published["meeting"]
    token = urlparse(_check_in_url(client, cluster, published)).path.rsplit("/", 1)[1]
    meeting, check_in = f"/api/v1/fairs/{fid}/meetings/{mid}", f"/api/v1/fairs/check-in/{token}"
    return [("patch", meeting, {"status": "held"}, "organizer", "status"),
            ("patch", meeting, {"status": "no_show"}, "organizer", "status"),
            ("patch", meeting, {"locked": True, "status": "held"}, "organizer", "status"),
            ("post", f"{meeting}/follow-ups", {"event": "sample_requested"}, "buyer0", "event"),
            ("post", f"{meeting}/follow-ups", {"event": "order_placed"}, "maker0", "event"),
            ("post", f"{meeting}/disruption", {"kind": "no_show"}, "organizer", "kind"),
            ("post", check_in, {"status": "held"}, "maker0", "status"),
            ("post", check_in, {"status": "no_show"}, "organizer", "status")]


def test_no_outcome_is_recorded_before_the_meeting_starts_and_each_is_once_it_is_under_way(
        app, client, cluster, published):
    from matchmaker.fairs.records import FairMeeting, FairPairSetting, FairScheduleRun

    fid, mid = published["id"], published["meeting"]
    schedule = client.get(f"/api/v1/fairs/{fid}/schedule", headers=cluster.tokens["organizer"]).get_json()
    start = next(m for m in schedule["meetings"] if m["id"] == mid)["start"].replace("T", " ")[:16]
    for method, url, body, who, field in _outcome_calls(client, cluster, published):
        r = getattr(client, method)(url, json=body, headers=cluster.tokens[who])
        assert "error" in r.get_json(), (url, body, r.status_code, r.get_json())
        error = r.get_json()["error"]
        assert (r.status_code, error["code"]) == (409, "not_started"), (url, body, error)
        assert [f["field"] for f in error["fields"]] == [field], (url, body)
        assert error["message"].startswith(f"the meeting starts at {start}; "), error["message"]
    r = client.patch(f"/api/v1/fairs/{fid}/meetings/{mid}", json={"status": "held"},
                     headers={**cluster.tokens["organizer"], "Accept-Language": "es"})
    assert r.status_code == 409 and r.get_json()["error"]["message"] == (
        f"la reunión empieza el {start}; se puede marcar como realizada o como ausencia cuando haya empezado")
    with app.app_context():  # nothing of the refused calls was written
        sess = db.session()
        m = sess.get(FairMeeting, mid)
        assert (m.status, m.locked, m.sample_requested, m.order_placed) == ("scheduled", False, False, False)
        assert sess.scalar(select(func.count()).select_from(OutcomeEvent)) == 0
        assert sess.scalar(select(func.count()).select_from(FairScheduleRun)
                           .where(FairScheduleRun.fair_id == fid)) == 1, "no repair ran"
        assert sess.scalar(select(func.count()).select_from(FairPairSetting)
                           .where(FairPairSetting.checked_in_at.is_not(None))) == 0
    meeting_started_minutes_ago(app, fid, mid)
    token = urlparse(_check_in_url(client, cluster, published)).path.rsplit("/", 1)[1]
    r = client.post(f"/api/v1/fairs/check-in/{token}", json={"status": "held"}, headers=cluster.tokens["maker0"])
    assert r.status_code == 200 and r.get_json()["changed"] is True
    r = client.post(f"/api/v1/fairs/{fid}/meetings/{mid}/follow-ups", json={"event": "sample_requested"},
                    headers=cluster.tokens["buyer0"])
    assert r.status_code == 201 and r.get_json()["sample_requested"] is True
    r = client.patch(f"/api/v1/fairs/{fid}/meetings/{mid}", json={"status": "no_show"},
                     headers=cluster.tokens["organizer"])
    assert r.status_code == 200 and r.get_json()["status"] == "no_show", "the organizer corrects the mark"
    with app.app_context():
        events = sorted(db.session().scalars(select(OutcomeEvent.event)))
    assert events == ["meeting_held", "sample_requested"]


def _select_of(page: str, mid: int) -> str:
    import re

    return re.search(rf'<select id="action-{mid}" name="action">(.*?)</select>', page, re.S).group(1)


def test_pages_offer_outcomes_only_once_the_meeting_has_started_in_both_languages(app, cluster, factory,
                                                                                  published):
    from matchmaker.fairs.records import FairMeeting

    fid, mid = published["id"], published["meeting"]
    people = {}
    for who in ("organizer", "buyer0", "maker0"):
        people[who] = app.test_client()
        login_as(people[who], factory, cluster.users[who])
    organizer, buyer, maker = people["organizer"], people["buyer0"], people["maker0"]
    agenda_path = f"/fairs/{fid}/agenda/{published['buyer']}"
    check_in_path = urlparse(next(m for m in buyer.get(f"/api/v1/fairs/{fid}/participants/{published['buyer']}/agenda",
                                                      headers=cluster.tokens["buyer0"]).get_json()["meetings"]
                                  if m["id"] == mid)["check_in_url"]).path

    grid = organizer.get(f"/fairs/{fid}/grid").get_data(as_text=True)
    options = _select_of(grid, mid)
    assert 'value="lock"' in options and 'value="cancel"' in options
    assert not any(f'value="{a}"' in options for a in ("held", "not_held", "no_show", "sample_requested",
                                                         "order_placed"))
    assert 'data-testid="outcomes-later"' in grid and "sample and order are offered once a meeting" in grid
    agenda = buyer.get(agenda_path).get_data(as_text=True)
    assert f'data-testid="follow-up-later-{mid}"' in agenda and 'value="sample_requested"' not in agenda
    assert "Sample or order: once the meeting has started." in agenda
    page = maker.get(check_in_path).get_data(as_text=True)
    assert 'data-testid="check-in-later"' in page and 'data-testid="mark-held"' not in page
    assert "The meeting starts at " in page
    r = maker.post(check_in_path, data={"status": "held", "csrf_token": csrf_from(page)})
    refused = r.get_data(as_text=True)
    assert r.status_code == 409 and 'data-testid="check-in-refused"' in refused
    assert "Status: the meeting starts at " in refused and "it can be marked held or no-show" in refused

    for client in people.values():
        set_language(client, "es")
    grid = organizer.get(f"/fairs/{fid}/grid").get_data(as_text=True)
    assert "Realizada, ausencia, muestra y pedido se ofrecen cuando el horario de la reunión haya empezado." in grid
    r = organizer.post(f"/fairs/{fid}/meetings/{mid}", data={"action": "held", "csrf_token": csrf_from(grid)},
                       follow_redirects=True)  # a stale page's button
    assert r.status_code == 200 and "Estado: la reunión empieza el " in r.get_data(as_text=True)
    agenda = buyer.get(agenda_path).get_data(as_text=True)
    assert "Muestra o pedido: cuando la reunión haya empezado." in agenda
    r = buyer.post(f"/fairs/{fid}/meetings/{mid}", data={"action": "order_placed", "back": "agenda",
                                                          "csrf_token": csrf_from(agenda)}, follow_redirects=True)
    assert r.status_code == 200 and "Seguimiento: la reunión empieza el " in r.get_data(as_text=True)
    page = maker.get(check_in_path).get_data(as_text=True)
    assert "La reunión empieza el " in page and "márquela como realizada o como ausencia" in page
    r = maker.post(check_in_path, data={"status": "no_show", "csrf_token": csrf_from(page)})
    assert r.status_code == 409 and "Estado: la reunión empieza el " in r.get_data(as_text=True)
    with app.app_context():
        m = db.session().get(FairMeeting, mid)
        assert (m.status, m.order_placed) == ("scheduled", False)

    meeting_started_minutes_ago(app, fid, mid)  # now the meeting is under way
    grid = organizer.get(f"/fairs/{fid}/grid").get_data(as_text=True)
    assert 'value="held"' in _select_of(grid, mid)
    agenda = buyer.get(agenda_path).get_data(as_text=True)
    assert 'value="sample_requested"' in agenda and f'data-testid="follow-up-later-{mid}"' not in agenda
    page = maker.get(check_in_path).get_data(as_text=True)
    assert 'data-testid="mark-held"' in page and 'data-testid="check-in-later"' not in page
    r = maker.post(check_in_path, data={"status": "held", "csrf_token": csrf_from(page)})
    assert r.status_code == 200 and 'data-testid="check-in-done"' in r.get_data(as_text=True)


def test_a_slot_has_started_on_the_venues_clock_whether_now_carries_a_zone_or_not():
    from datetime import datetime, timezone

    from matchmaker.fairs.core import has_started
    from matchmaker.fairs.records import Fair

    fair = Fair(timezone="America/Mexico_City")  # UTC-6 all year
    day = (FAIR_DAY.year, FAIR_DAY.month, FAIR_DAY.day)
    nine = datetime(*day, 9, 0)
    assert has_started(fair, nine, now=datetime(*day, 15, 0, tzinfo=timezone.utc))
    assert not has_started(fair, nine, now=datetime(*day, 14, 59, tzinfo=timezone.utc))
    assert has_started(fair, nine, now=datetime(*day, 9, 0)) and not has_started(
        fair, nine, now=datetime(*day, 8, 59))
    nine_utc = nine.replace(tzinfo=timezone.utc)  # 03:00 at the venue
    assert has_started(fair, nine_utc, now=datetime(*day, 3, 0)) and not has_started(
        fair, nine_utc, now=datetime(*day, 2, 59))
    assert has_started(fair, datetime(2020, 1, 1, 9, 0)) and not has_started(fair, datetime(2100, 1, 1, 9, 0))
