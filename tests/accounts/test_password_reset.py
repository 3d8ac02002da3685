"""Password reset by an emailed, signed, time-limited, single-use link: the forgot-password page
answers the same whether or not the email has an account; the new password ends every other session."""
from __future__ import annotations

import re
import time

from sqlalchemy import func, select

from matchmaker import db
from matchmaker.contact.records import EmailOutbox
from matchmaker.accounts.records import User

from tests.accounts.conftest import deliver, field_errors, post_page, sign_in
from tests.conftest import Factory
from tests.support.world import login_as

NEW = "a brand new passphrase"


def _answer(response) -> str:
    """The page without its per-request CSRF token."""
    return re.sub(r'value="[^"]{40,}"', "", response.get_data(as_text=True))


def _outbox(app) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(EmailOutbox))


def test_reset_by_the_emailed_link_ends_other_sessions_and_works_once(app, client, factory, smtp):
    uid = factory.user("buyer_user", factory.org("buyer"), email="jim@lonestar.example")
    elsewhere = login_as(app.test_client(), factory, uid)  # another browser, signed in before
    assert elsewhere.get("/home").status_code == 200

    assert 'href="/password/forgot"' in client.get("/login").get_data(as_text=True)
    known = post_page(client, "/password/forgot", {"email": "Jim@LoneStar.example"})
    unknown = post_page(client, "/password/forgot", {"email": "nobody@nowhere.example"})
    assert known.status_code == unknown.status_code == 200
    assert _answer(known) == _answer(unknown)  # no account enumeration
    assert _outbox(app) == 1
    assert deliver(app, smtp) == "sent 1, failed 0"
    (mail,) = smtp.messages
    assert mail["to"] == ["jim@lonestar.example"] and mail["subject"] == "Reset your Matchmaker password"
    link = smtp.link("jim@lonestar.example")

    assert client.get(link).status_code == 200  # showing the form does not use the link
    r = post_page(client, link, {"new_password": "short"})
    assert r.status_code == 422 and field_errors(r.get_data(as_text=True))["new_password"] == \
        "Write at least 12 characters."
    r = post_page(client, link, {"new_password": NEW})
    assert r.status_code == 302 and r.headers["Location"].endswith("/login")

    assert elsewhere.get("/home").status_code == 302  # the other session ended
    assert sign_in(app.test_client(), "jim@lonestar.example", Factory.PASSWORD).status_code == 401
    assert sign_in(app.test_client(), "jim@lonestar.example", NEW).status_code == 302
    used = client.get(link)
    assert used.status_code == 410 and "used already" in used.get_data(as_text=True)
    assert post_page(client, link, {"new_password": "yet another passphrase"}, token_page="/login").status_code == 410


def test_a_password_changed_on_the_account_page_invalidates_the_link(app, client, factory, smtp):
    uid = factory.user("maker_user", factory.org("maker"), email="rosa@taller.example")
    post_page(client, "/password/forgot", {"email": "rosa@taller.example"})
    deliver(app, smtp)
    link = smtp.link("rosa@taller.example")
    browser = login_as(app.test_client(), factory, uid)
    r = post_page(browser, "/account/password", {"current_password": Factory.PASSWORD, "new_password": NEW},
                  token_page="/account")
    assert r.status_code == 302
    assert client.get(link).status_code == 410


def test_an_expired_or_tampered_reset_link_gives_a_clear_page(app, client, factory, smtp):
    factory.user("buyer_user", factory.org("buyer"), email="jim@lonestar.example")
    post_page(client, "/password/forgot", {"email": "jim@lonestar.example"})
    deliver(app, smtp)
    link = smtp.link("jim@lonestar.example")
    assert client.get(link[:-2] + "zz").status_code == 400
    app.config["PASSWORD_RESET_MINUTES"] = 0
    time.sleep(1.1)
    r = client.get(link)
    assert r.status_code == 410 and "This link has expired" in r.get_data(as_text=True)


def test_reset_requests_are_throttled_per_email(app, client, factory):
    factory.user("buyer_user", factory.org("buyer"), email="jim@lonestar.example")
    app.config["MAIL_ACCOUNT_LIMIT"] = 2
    for _ in range(2):
        assert post_page(client, "/password/forgot", {"email": "jim@lonestar.example"}).status_code == 200
    r = post_page(client, "/password/forgot", {"email": "jim@lonestar.example"})
    assert r.status_code == 429 and r.headers["Retry-After"]
    assert _outbox(app) == 2


def test_a_disabled_account_gets_no_link_and_the_answer_is_the_same(app, client, factory):
    uid = factory.user("buyer_user", factory.org("buyer"), email="off@lonestar.example")
    with app.app_context():
        db.session().get(User, uid).active = False
        db.session().commit()
    r = post_page(client, "/password/forgot", {"email": "off@lonestar.example"})
    assert r.status_code == 200 and 'data-testid="link-requested"' in r.get_data(as_text=True)
    assert _outbox(app) == 0


def test_the_owner_of_an_email_someone_else_signed_up_with_takes_the_account_over_by_reset(app, client, smtp):
    """Whoever signed up with another person's email never learns the password that person sets."""
    from tests.accounts.conftest import SIGNUP

    assert post_page(client, "/signup", SIGNUP).status_code == 302
    owner = app.test_client()
    r = post_page(owner, "/password/forgot", {"email": SIGNUP["email"]})
    assert r.status_code == 200
    deliver(app, smtp)
    reset = [m for m in smtp.to(SIGNUP["email"]) if m["subject"] == "Reset your Matchmaker password"]
    assert len(reset) == 1
    link = smtp.link(SIGNUP["email"])
    assert "/password/reset/" in link
    assert post_page(owner, link, {"new_password": NEW}).status_code == 302
    assert sign_in(app.test_client(), SIGNUP["email"], SIGNUP["password"]).status_code == 401
    assert sign_in(owner, SIGNUP["email"], NEW).status_code == 302
    assert owner.get("/home").status_code == 200
