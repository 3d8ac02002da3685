"""Conversations: a thread per inquiry with read receipts and the buyer's vetting badge beside every
message; a buyer whose clearance is withdrawn cannot send and the thread says why; nobody else reads it."""
from __future__ import annotations

import re

from matchmaker import db
from tests.support.vetting import clear_buyer

from tests.support.world import login_as, post_form, set_language


def _inquiry(client, world) -> int:
    r = client.post("/api/v1/inquiries", json={"requirement_id": world.req, "maker_ids": world.makers[:1]},
                    headers=world.tokens["buyer"])
    assert r.status_code == 201, r.get_json()
    return r.get_json()["items"][0]["id"]


def _say(client, world, inq, who, text):
    return client.post(f"/api/v1/inquiries/{inq}/messages", json={"body": text}, headers=world.tokens[who])


def test_messages_and_read_receipts(client, world):
    inq = _inquiry(client, world)
    assert _say(client, world, inq, "buyer", "¿Tienen lavado láser?").status_code == 201
    # the buyer reading its own thread does not mark its message read
    mine = client.get(f"/api/v1/inquiries/{inq}/messages", headers=world.tokens["buyer"]).get_json()
    assert mine["items"][0]["read_at"] is None and mine["can_send"] is True
    assert client.get("/api/v1/notifications/unread", headers=world.tokens["maker0"]).get_json()["unread"] == 2
    theirs = client.get(f"/api/v1/inquiries/{inq}/messages", headers=world.tokens["maker0"]).get_json()
    assert [m["body"] for m in theirs["items"]] == ["¿Tienen lavado láser?"]
    assert _say(client, world, inq, "maker0", "Sí, y a la piedra.").status_code == 201
    mine = client.get(f"/api/v1/inquiries/{inq}/messages", headers=world.tokens["buyer"]).get_json()["items"]
    assert mine[0]["read_at"] is not None, "the maker opened the thread"
    assert [m["side"] for m in mine] == ["buyer", "maker"]
    # opening the thread read each side's notifications of it
    assert client.get("/api/v1/notifications/unread", headers=world.tokens["buyer"]).get_json()["unread"] == 0
    assert client.get("/api/v1/notifications/unread", headers=world.tokens["maker0"]).get_json()["unread"] == 0


def test_nobody_else_reads_or_writes_the_thread(client, world):
    inq = _inquiry(client, world)
    _say(client, world, inq, "buyer", "Privado")
    for who in ("maker1", "other_buyer"):
        assert client.get(f"/api/v1/inquiries/{inq}/messages", headers=world.tokens[who]).status_code == 404
        assert _say(client, world, inq, who, "hola").status_code == 404
    for who in ("staff", "admin"):  # association staff and the platform admin do not read private threads
        assert client.get(f"/api/v1/inquiries/{inq}/messages", headers=world.tokens[who]).status_code == 403
    assert _say(client, world, inq, "buyer", "   ").status_code == 422
    r = _say(client, world, inq, "buyer", "x" * 4001)
    assert r.status_code == 422 and r.get_json()["error"]["fields"][0]["field"] == "body"


def test_withdrawn_clearance_stops_the_buyer_and_the_thread_says_why(app, client, factory, world):
    inq = _inquiry(client, world)
    with app.app_context():
        clear_buyer(db.session(), world.buyer, world.association, outcome="watchlist")  # the board withdrew it
    r = _say(client, world, inq, "buyer", "¿Siguen interesados?")
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "not_cleared"
    assert "Watchlist" in r.get_json()["error"]["message"]
    got = client.get(f"/api/v1/inquiries/{inq}/messages", headers=world.tokens["buyer"]).get_json()
    assert got["can_send"] is False and "Watchlist" in got["cannot_send_reason"] and got["items"] == []
    # the maker may still answer
    assert _say(client, world, inq, "maker0", "Esperamos la decisión del consejo.").status_code == 201
    login_as(client, factory, world.users["buyer"])
    set_language(client, "es")
    page = client.get(f"/inquiries/{inq}").get_data(as_text=True)
    assert 'data-testid="cannot-send"' in page and "En observación" in page
    assert 'name="body"' not in page
    r = post_form(client, f"/inquiries/{inq}/messages", {"body": "hola"}, token_page=f"/inquiries/{inq}")
    assert r.status_code == 403 and "solo los compradores aprobados" in r.get_data(as_text=True)


def test_the_page_shows_the_badge_beside_every_buyer_message_and_receipts(client, factory, world):
    inq = _inquiry(client, world)
    _say(client, world, inq, "buyer", "Primero")
    _say(client, world, inq, "buyer", "Segundo")
    login_as(client, factory, world.users["maker0"])
    page = client.get(f"/inquiries/{inq}").get_data(as_text=True)
    messages = re.findall(r'<article class="message buyer".*?</article>', page, re.S)
    assert len(messages) == 2 and all("Approved" in m for m in messages)
    assert 'data-testid="unread-count"' not in page  # opening the inquiry read its notifications
    r = post_form(client, f"/inquiries/{inq}/messages", {"body": "Recibido"}, token_page=f"/inquiries/{inq}")
    assert r.status_code == 302
    r = post_form(client, f"/inquiries/{inq}/messages", {"body": ""}, token_page=f"/inquiries/{inq}")
    assert r.status_code == 422 and re.search(r'data-field="body">This field is required', r.get_data(as_text=True))
    client.post("/logout", data={})
    login_as(client, factory, world.users["buyer"])
    page = client.get(f"/inquiries/{inq}").get_data(as_text=True)
    assert page.count('data-testid="receipt">Read<') == 2


def test_the_inbox_shows_each_buyers_current_standing(app, client, factory, world):
    _inquiry(client, world)
    login_as(client, factory, world.users["maker0"])
    assert "Approved" in client.get("/inquiries").get_data(as_text=True)
    with app.app_context():
        clear_buyer(db.session(), world.buyer, world.association, outcome="watchlist")
    inbox = client.get("/inquiries").get_data(as_text=True)
    assert "Watchlist" in inbox and "Approved" not in inbox


def test_a_page_past_the_last_shows_the_last_page(client, factory, world):
    """``/inquiries?page=999`` shows the last page's inquiries, never "1 inquiry" over "No inquiries yet"."""
    _inquiry(client, world)
    login_as(client, factory, world.users["buyer"])
    assert client.get("/inquiries?page=999").headers["Location"] == "/inquiries?page=1"
    html = client.get("/inquiries?page=999", follow_redirects=True).get_data(as_text=True)
    assert "1 inquiry" in html and "No inquiries yet" not in html
    assert 'href="/inquiries/' in html
