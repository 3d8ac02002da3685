"""Email preferences per user and kind (immediately, daily digest, off), the daily digest (one email per
user and day, never the same notice twice), new open requirements that fit a maker (only those it may see),
and who reads which notices (a maker only its own; staff not the private threads; the outbox page: admin)."""
from __future__ import annotations

from sqlalchemy import func, select

from matchmaker import db
from matchmaker.requirements.services import create_requirement
from matchmaker.requirements.schemas import RequirementIn
from matchmaker.contact.records import DigestRun, EmailOutbox, Notification
from matchmaker.accounts.records import User

from tests.contact.conftest import REQUIREMENT, send_mail
from tests.support.world import login_as, post_form, set_language


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(model).where(*where))


def _inquiry(client, world, makers) -> list[int]:
    r = client.post("/api/v1/inquiries", json={"requirement_id": world.req, "maker_ids": makers},
                    headers=world.tokens["buyer"])
    assert r.status_code == 201, r.get_json()
    return [i["id"] for i in r.get_json()["items"]]


def _digest(app, day: str | None = None) -> str:
    args = ["notify", "digest"] + (["--day", day] if day else [])
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    return result.output.strip()


def _digests(app, day: str) -> str:
    """The "digests N (M notices)" part of a digest run."""
    return _digest(app, day).split(", ", 1)[1]


def test_preferences_api_lists_the_roles_kinds_and_refuses_what_it_cannot_set(client, world):
    h = world.tokens["maker0"]
    items = {i["kind"]: i for i in client.get("/api/v1/notifications/preferences", headers=h).get_json()["items"]}
    assert {"inquiry", "reply", "sample_requested", "new_requirement", "agenda_final"} <= set(items)
    assert "quote" not in items  # a maker never receives quotes
    assert items["inquiry"]["mode"] == "immediate" and items["new_requirement"]["mode"] == "digest"
    assert items["new_requirement"]["modes"] == ["digest", "off"]
    r = client.put("/api/v1/notifications/preferences", headers=h, json={"preferences": {"quote": "off"}})
    assert r.status_code == 422
    assert r.get_json()["error"]["fields"][0]["field"] == "preferences.quote"
    r = client.put("/api/v1/notifications/preferences", headers=h, json={"preferences": {"new_requirement": "immediate"}})
    assert r.status_code == 422 and r.get_json()["error"]["fields"][0]["field"] == "preferences.new_requirement"
    r = client.put("/api/v1/notifications/preferences", headers=h, json={"preferences": {"inquiry": "weekly"}})
    assert r.status_code == 422 and "preferences" in r.get_json()["error"]["fields"][0]["field"]
    r = client.put("/api/v1/notifications/preferences", headers=h, json={"preferences": {"inquiry": "digest"}})
    assert r.status_code == 200
    assert {i["kind"]: i["mode"] for i in r.get_json()["items"]}["inquiry"] == "digest"
    # another user's preferences are untouched
    other = client.get("/api/v1/notifications/preferences", headers=world.tokens["maker1"]).get_json()["items"]
    assert {i["kind"]: i["mode"] for i in other}["inquiry"] == "immediate"


def test_off_and_digest_keep_the_notice_in_the_app_and_the_digest_goes_once_a_day(app, client, factory, world, smtp):
    for who, mode in (("maker0", "digest"), ("maker1", "off"), ("maker2", "immediate")):
        r = client.put("/api/v1/notifications/preferences", headers=world.tokens[who],
                       json={"preferences": {"inquiry": mode, "new_requirement": "off"}})
        assert r.status_code == 200
    with app.app_context():
        db.session().get(User, world.users["maker0"]).locale = "es"
        db.session().commit()
    _inquiry(client, world, world.makers[:3])
    for who in ("maker0", "maker1", "maker2"):
        assert client.get("/api/v1/notifications/unread", headers=world.tokens[who]).get_json()["unread"] == 1
    assert send_mail(app, smtp.url) == "sent 1, failed 0"  # only maker2 wanted it at once
    assert [to for to, _s, _b in smtp.messages] == [[factory.email(world.users["maker2"])]]
    assert _digests(app, "2030-01-01") == "digests 1 (1 notices)"
    assert _digests(app, "2030-01-01") == "digests 0 (0 notices)"  # repeated: nothing new
    assert send_mail(app, smtp.url) == "sent 1, failed 0"
    (subject, body), = smtp.to(factory.email(world.users["maker0"]))
    assert subject == "Su resumen de Matchmaker: 1 notificaciones"
    assert "Nueva consulta de Lone Star Denim: Western jeans for spring" in body and "/inquiries/" in body
    assert smtp.to(factory.email(world.users["maker1"])) == []  # off: never emailed
    # a second inquiry the same day waits for tomorrow's digest, and is in it once
    r = client.post("/api/v1/inquiries", headers=world.tokens["buyer"],
                    json={"requirement_id": _open_req(app, world), "maker_ids": [world.makers[0]]})
    assert r.status_code == 201
    assert _digests(app, "2030-01-01") == "digests 0 (0 notices)"
    assert _digests(app, "2030-01-02") == "digests 1 (1 notices)"
    assert _digests(app, "2030-01-03") == "digests 0 (0 notices)"
    assert _count(app, DigestRun) == 2


def _open_req(app, world) -> int:
    with app.app_context():
        sess = db.session()
        return create_requirement(sess, world.buyer, world.users["buyer"],
                                  RequirementIn(**{**REQUIREMENT, "title": "Second jeans"})).id


def test_new_requirements_that_fit_a_maker_come_in_its_digest_and_only_those_it_may_see(app, client, factory, world,
                                                                                         smtp):
    with app.app_context():
        sess = db.session()
        buyer, other = world.users["buyer"], world.users["other_buyer"]
        knit = create_requirement(sess, world.buyer, buyer, RequirementIn(**{
            **REQUIREMENT, "title": "Knit polos", "product_line": "knitwear", "processes": ["embellishment"]}))
        tiny = create_requirement(sess, world.buyer, buyer, RequirementIn(**{
            **REQUIREMENT, "title": "Tiny run", "quantity": 100}))
        create_requirement(sess, world.other_buyer, other, RequirementIn(**{
            **REQUIREMENT, "title": "Uncleared buyer's jeans"}))
        knit, tiny = knit.id, tiny.id
    assert _digest(app) .startswith("announced ")
    with app.app_context():
        rows = db.session().execute(select(Notification.user_id, Notification.params)
                                    .where(Notification.kind == "new_requirement")).all()
    titles = {}
    for user_id, params in rows:
        titles.setdefault(user_id, set()).add(params["title"])
    # maker 0 (MOQ 500) fits the cleared buyer's open jeans; maker 2 (MOQ 1500) too; none gets the knitwear,
    # the draft, the 100-piece run below every MOQ, or the uncleared buyer's requirement
    assert titles[world.users["maker0"]] == {"Western jeans for spring"}
    assert all("Uncleared buyer's jeans" not in t and "Knit polos" not in t and "Tiny run" not in t
               for t in titles.values())
    assert _digest(app).startswith("announced 0")  # announced once per requirement and user
    assert send_mail(app, smtp.url).startswith("sent ")
    (subject, body), = smtp.to(factory.email(world.users["maker0"]))
    assert "New open requirement that fits your firm: Western jeans for spring" in body
    assert f"/requirements/{world.req}" in body and "/notifications/preferences" in body


def test_the_digest_runs_as_a_background_job(app, world):
    result = app.test_cli_runner().invoke(args=["notify", "digest", "--job"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("announced ")


def test_preferences_page_in_spanish_with_the_message_beside_the_field(client, factory, world):
    login_as(client, factory, world.users["buyer"])
    set_language(client, "es")
    page = client.get("/notifications/preferences").get_data(as_text=True)
    assert "Preferencias de correo" in page and "Nueva cotización" in page and "Resumen diario por correo" in page
    r = post_form(client, "/notifications/preferences", {"mode_quote": "weekly"}, token_page="/notifications/preferences")
    assert r.status_code == 422
    assert 'data-field="mode_quote">Elija cómo recibir el correo.<' in r.get_data(as_text=True)
    form = {f"mode_{k}": "immediate" for k in ("accepted", "declined", "quote", "reply", "vetting_decision",
                                                 "agenda_preliminary", "agenda_final", "schedule_changed",
                                                 "order_created", "order_terms", "order_figure", "order_disputed",
                                                 "order_answered", "order_closed", "order_slip", "fair_follow_up")}
    r = post_form(client, "/notifications/preferences", {**form, "mode_quote": "off"},
                  token_page="/notifications/preferences")
    assert r.status_code == 302
    page = client.get("/notifications/preferences").get_data(as_text=True)
    assert '<option value="off" selected>' in page


def test_each_user_reads_and_marks_only_its_own_notices(app, client, world):
    _inquiry(client, world, world.makers[:2])
    mine = client.get("/api/v1/notifications", headers=world.tokens["maker0"]).get_json()["items"]
    theirs = client.get("/api/v1/notifications", headers=world.tokens["maker1"]).get_json()["items"]
    assert len(mine) == len(theirs) == 1 and mine[0]["id"] != theirs[0]["id"]
    r = client.post("/api/v1/notifications/read", headers=world.tokens["maker0"], json={"ids": [theirs[0]["id"]]})
    assert r.status_code == 200 and r.get_json() == {"marked": 0}
    assert client.get("/api/v1/notifications/unread", headers=world.tokens["maker1"]).get_json()["unread"] == 1
    r = client.post("/api/v1/notifications/read", headers=world.tokens["maker0"], json={"ids": ["x"]})
    assert r.status_code == 422 and r.get_json()["error"]["fields"][0]["field"].startswith("ids")
    # staff and the admin have a notification centre, but private threads stay closed to them
    inquiry = mine[0]["subject"]["id"]
    for who in ("staff", "admin"):
        assert client.get("/api/v1/notifications", headers=world.tokens[who]).get_json()["items"] == []
        assert client.get(f"/api/v1/inquiries/{inquiry}/messages", headers=world.tokens[who]).status_code == 403
    assert client.get(f"/api/v1/inquiries/{inquiry}", headers=world.tokens["maker1"]).status_code == 404


def test_the_sent_mail_page_is_for_the_platform_admin(app, client, factory, world, smtp):
    _inquiry(client, world, world.makers[:1])
    send_mail(app, smtp.url)
    for who, status in (("buyer", 403), ("maker0", 403), ("staff", 403)):
        login_as(client, factory, world.users[who])
        assert client.get("/notifications/outbox").status_code == status
    login_as(client, factory, world.users["admin"])
    page = client.get("/notifications/outbox").get_data(as_text=True)
    assert 'data-status="sent"' in page and "New inquiry from Lone Star Denim" in page
    with app.app_context():
        mid = db.session().scalar(select(EmailOutbox.message_id))
    assert mid in page.replace("&lt;", "<").replace("&gt;", ">") and mid in smtp.message_ids


def test_the_sent_mail_page_names_each_kind_in_the_readers_language(app, client, factory, world):
    """The Kind column reads "New inquiry" / "Nueva consulta", not the code; an unknown code shows as is."""
    from matchmaker.contact.notify import queue_email
    _inquiry(client, world, world.makers[:1])
    with app.app_context():
        sess = db.session()
        queue_email(sess, "a@example.com", "Digest", "…", kind="digest")
        queue_email(sess, "b@example.com", "Old", "…", kind="retired_kind")
        sess.commit()
    login_as(client, factory, world.users["admin"])
    page = client.get("/notifications/outbox").get_data(as_text=True)
    assert 'data-kind="inquiry">New inquiry<' in page and 'data-kind="digest">Daily digest<' in page
    assert 'data-kind="retired_kind">retired_kind<' in page
    set_language(client, "es")
    page = client.get("/notifications/outbox").get_data(as_text=True)
    assert 'data-kind="inquiry">Nueva consulta<' in page and 'data-kind="digest">Resumen diario<' in page
