"""The demo cluster holds fairs in three states, so every role has a fair to look at."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from matchmaker import db
from matchmaker.fairs import services as svc
from matchmaker.fairs.records import Fair, FairMeeting
from matchmaker.ranking.records import OutcomeEvent
from tests.journeys.crawl import Crawler


def _fairs(app):
    with app.app_context():
        sess = db.session()
        out = []
        for fair in sess.scalars(select(Fair).order_by(Fair.id)):
            run = svc.current_run(sess, fair)
            meetings = svc.run_meetings(sess, run) if run else []
            out.append({"id": fair.id, "name": fair.name, "open": svc.requests_open(fair),
                        "starts": min(s.starts_at for s in fair.sessions),
                        "participants": len(svc.participants(sess, fair)),
                        "publication": run.publication if run else None,
                        "statuses": {m.status for m in meetings}, "meetings": len(meetings)})
        return out


def test_one_fair_open_one_scheduled_one_past(demo_app):
    fairs = _fairs(demo_app)
    now = datetime.now()
    assert len(fairs) == 3
    open_, scheduled, past = (sorted(fairs, key=lambda f: (f["open"], f["publication"] is not None))[-1],
                              next(f for f in fairs if f["starts"] > now and f["publication"] == "final"),
                              next(f for f in fairs if f["starts"] < now))
    assert open_["open"] and open_["starts"] > now and open_["publication"] is None and open_["participants"] > 10
    assert not scheduled["open"] and scheduled["meetings"] > 10 and scheduled["statuses"] == {"scheduled"}
    assert past["publication"] == "final" and "held" in past["statuses"] and "scheduled" not in past["statuses"]
    with demo_app.app_context():
        sess = db.session()
        follow_ups = sess.scalar(select(func.count()).select_from(FairMeeting).where(
            FairMeeting.fair_id == past["id"], FairMeeting.sample_requested.is_(True)))
        assert follow_ups > 0
        logged = sess.scalar(select(func.max(OutcomeEvent.occurred_at)).where(OutcomeEvent.source == "fair"))
        assert logged < now  # the outcomes happened at the fair, not when the demo was made


def test_the_organizer_sees_the_three_fairs_and_a_schedule(demo_app, demo_cluster):
    client = demo_app.test_client()
    login = demo_cluster.login("fair_organizer")
    Crawler(demo_app).sign_in(client, login["email"], login["password"])
    html = client.get("/fairs").get_data(as_text=True)
    assert "No fairs yet" not in html
    for fair in _fairs(demo_app):
        assert fair["name"] in html
        if fair["publication"]:
            grid = client.get(f"/fairs/{fair['id']}/grid")
            assert grid.status_code == 200 and "Mesa 1" in grid.get_data(as_text=True)


def test_the_demo_buyer_and_maker_attend_the_scheduled_fair(demo_app, demo_cluster):
    scheduled = next(f for f in _fairs(demo_app) if f["publication"] == "final" and f["starts"] > datetime.now())
    for role in ("buyer_user", "maker_user"):
        client = demo_app.test_client()
        login = demo_cluster.login(role)
        Crawler(demo_app).sign_in(client, login["email"], login["password"])
        page = client.get(f"/fairs/{scheduled['id']}")
        assert page.status_code == 200
        assert "/agenda" in page.get_data(as_text=True), f"{role} sees a link to its agenda"


def test_the_past_fair_has_video_check_ins_and_follow_ups_for_its_report(demo_app, demo_cluster):
    past = next(f for f in _fairs(demo_app) if f["starts"] < datetime.now())
    client = demo_app.test_client()
    login = demo_cluster.login("fair_organizer")
    Crawler(demo_app).sign_in(client, login["email"], login["password"])
    page = client.get(f"/fairs/{past['id']}/report")
    assert page.status_code == 200
    with demo_app.app_context():
        from matchmaker.fairs.report import fair_report
        report = fair_report(db.session(), db.session().get(Fair, past["id"]))["total"]
    assert report["held"] > 0 and report["no_show"] > 0 and report["virtual"] > 0
    assert report["follow_ups"] > 0 and report["mean_rating"] is not None and report["requests"] > 0
    assert client.get(f"/fairs/{past['id']}/report/funnel.png").data[:4] == b"\x89PNG"
    with demo_app.app_context():
        from matchmaker.fairs.records import FairPairSetting
        sess = db.session()
        checked = sess.scalar(select(func.count()).select_from(FairPairSetting).where(
            FairPairSetting.fair_id == past["id"], FairPairSetting.checked_in_by_id.is_not(None)))
        assert checked == past["meetings"], "every meeting was checked in"
        rated = sess.scalar(select(func.count()).select_from(OutcomeEvent).where(
            OutcomeEvent.source == "fair_follow_up"))
        assert rated == report["follow_ups"]
