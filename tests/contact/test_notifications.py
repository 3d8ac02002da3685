"""Notifications: a notice in the app and an email in the outbox, written with the inquiry, quote or
message they announce; ``flask notify send`` delivers them to a real SMTP server on loopback (aiosmtpd),
in the recipient's language, and keeps what could not be sent."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from matchmaker import db
from matchmaker.contact.records import EmailOutbox, Notification
from matchmaker.accounts.records import User
from matchmaker.records import utcnow

from tests.support.live_server import free_port
from tests.support.world import login_as, post_form, set_language


def _free_port() -> int:
    return free_port()


def _send_cli(app, url: str) -> str:
    app.config["SMTP_URL"] = url
    result = app.test_cli_runner().invoke(args=["notify", "send", "--once"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def _inquiry(client, world, makers) -> list[int]:
    r = client.post("/api/v1/inquiries", json={"requirement_id": world.req, "maker_ids": makers},
                    headers=world.tokens["buyer"])
    assert r.status_code == 201, r.get_json()
    return [i["id"] for i in r.get_json()["items"]]


def _count(app, model) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(model))


def test_new_inquiries_are_emailed_to_each_maker_in_its_language(app, client, factory, world, smtp):
    spanish = factory.user("maker_user", world.makers[1])
    with app.app_context():
        sess = db.session()
        sess.get(User, spanish).locale = "es"
        sess.commit()
    _inquiry(client, world, world.makers[:2])
    assert _send_cli(app, smtp.url) == "sent 3, failed 0"
    got = {tuple(to): (subject, body) for to, subject, body in smtp.messages}
    assert got[(factory.email(world.users["maker0"]),)][0] == "New inquiry from Lone Star Denim: Western jeans for spring"
    assert got[(factory.email(world.users["maker1"]),)][0].startswith("New inquiry from")
    subject, body = got[(factory.email(spanish),)]
    assert subject == "Nueva consulta de Lone Star Denim: Western jeans for spring"
    assert "/inquiries/" in body
    # nothing is sent twice
    assert _send_cli(app, smtp.url) == "sent 0, failed 0"
    assert len(smtp.messages) == 3


def test_an_smtp_outage_keeps_the_email_for_the_next_run(app, client, world, smtp):
    _inquiry(client, world, world.makers[:1])
    assert _send_cli(app, f"smtp://127.0.0.1:{_free_port()}") == "sent 0, failed 1"  # nobody listens there
    with app.app_context():
        row = db.session().scalars(select(EmailOutbox)).one()
        assert row.sent_at is None and row.attempts == 1 and row.last_error.startswith("connect")
        assert row.next_attempt_at.replace(tzinfo=None) > utcnow().replace(tzinfo=None)  # later, not in a loop
    assert _send_cli(app, smtp.url) == "sent 0, failed 0"  # not due yet
    with app.app_context():
        db.session().execute(update(EmailOutbox).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
        db.session().commit()
    assert _send_cli(app, smtp.url) == "sent 1, failed 0"
    assert len(smtp.messages) == 1


def test_a_refused_inquiry_writes_no_notice(app, client, world):
    app.config["INQUIRY_DAILY_LIMIT"] = 1
    r = client.post("/api/v1/inquiries", json={"requirement_id": world.req, "maker_ids": world.makers[:2]},
                    headers=world.tokens["buyer"])
    assert r.status_code == 429
    assert _count(app, Notification) == 0 and _count(app, EmailOutbox) == 0


def test_answers_quotes_and_replies_notify_the_other_side(client, world):
    inq = _inquiry(client, world, world.makers[:1])[0]
    hm, hb = world.tokens["maker0"], world.tokens["buyer"]
    assert client.get("/api/v1/notifications", headers=hb).get_json()["unread"] == 0
    client.post(f"/api/v1/inquiries/{inq}/quotes", headers=hm, json={
        "unit_price": 9.0, "lead_time_days": 25, "moq": 800, "valid_until": "2099-01-01"})
    client.post(f"/api/v1/inquiries/{inq}/messages", json={"body": "Va la cotización"}, headers=hm)
    got = client.get("/api/v1/notifications", headers=hb).get_json()
    assert got["unread"] == 2
    assert [n["kind"] for n in got["items"]] == ["reply", "quote"]
    assert got["items"][1]["text"] == "New quote from Taller Azul: Western jeans for spring"
    # the other maker and the other buyer got nothing
    assert client.get("/api/v1/notifications", headers=world.tokens["maker1"]).get_json()["items"] == []
    assert client.get("/api/v1/notifications", headers=world.tokens["other_buyer"]).get_json()["items"] == []
    assert client.post("/api/v1/notifications/read", headers=hb).get_json() == {"marked": 2}
    assert client.get("/api/v1/notifications/unread", headers=hb).get_json()["unread"] == 0


def test_the_nav_counts_unread_notices_and_the_list_is_in_spanish(client, factory, world):
    _inquiry(client, world, world.makers[:1])
    login_as(client, factory, world.users["maker0"])
    set_language(client, "es")
    page = client.get("/notifications").get_data(as_text=True)
    assert 'data-testid="unread-count">1<' in page
    assert "Nueva consulta de Lone Star Denim" in page
    r = post_form(client, "/notifications/read", {}, token_page="/notifications")
    assert r.status_code == 302
    assert 'data-testid="unread-count"' not in client.get("/notifications").get_data(as_text=True)
