"""A foreign buyer opens its account alone: sign up, the email arrives at a real SMTP server, the link
confirms it, then sign-in leads to the vetting application. Bad input, a taken email, a flood of
sign-ups and links that are tampered with, expired or used again are all answered clearly."""
from __future__ import annotations

import html
import time

from sqlalchemy import func, select

from matchmaker import db
from matchmaker.contact.records import EmailOutbox
from matchmaker.accounts.records import User
from matchmaker.buyers.records import BuyerProfile
from matchmaker.organizations.records import Association, Organization

from tests.accounts.conftest import SIGNUP, deliver, field_errors, post_page, sign_in
from tests.support.world import page_token, set_language


def _count(app, model) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(model))


def _association(app, name="Jeans makers of Guadalajara") -> int:
    with app.app_context():
        sess = db.session()
        assoc = Association(name=name, slug="jeans-gdl", sector="denim")
        sess.add(assoc)
        sess.commit()
        return assoc.id


def test_sign_up_verify_by_the_emailed_link_then_sign_in_and_reach_the_vetting_application(app, client, smtp):
    _association(app)
    assert 'href="/signup"' in client.get("/login").get_data(as_text=True)
    r = post_page(client, "/signup", SIGNUP)
    assert r.status_code == 302 and r.headers["Location"].endswith("/signup/sent")
    assert "jim@lonestar.example" in client.get("/signup/sent").get_data(as_text=True)
    with app.app_context():
        user = db.session().scalars(select(User).where(User.email == "jim@lonestar.example")).one()
        org = db.session().get(Organization, user.organization_id)
        assert (user.role, user.locale, user.active, user.name) == ("buyer_user", "en", False, "Jim Walker")
        assert (org.kind, org.name, org.country, org.city) == ("buyer", "Lone Star Denim", "US", "Dallas")
        assert db.session().get(BuyerProfile, org.id).buyer_type == "brand"
        assert user.password_hash != SIGNUP["password"]

    # before the email is confirmed the right password does not sign in (and says why), nor gets a token
    r = sign_in(client, SIGNUP["email"], SIGNUP["password"])
    assert r.status_code == 403 and "Confirm your email address first" in r.get_data(as_text=True)
    assert client.get("/home").status_code == 302
    r = client.post("/api/v1/tokens", json={"email": SIGNUP["email"], "password": SIGNUP["password"]})
    assert r.status_code == 401

    # nothing was sent inside the request: the worker delivers the queued email
    assert smtp.messages == []
    assert deliver(app, smtp) == "sent 1, failed 0"
    (mail,) = smtp.to("jim@lonestar.example")
    assert mail["subject"] == "Confirm your email address for Matchmaker"
    assert "Lone Star Denim" in mail["body"] and "48 hours" in mail["body"]
    link = smtp.link("jim@lonestar.example")

    r = client.get(link)
    assert r.status_code == 200 and "Email confirmed" in r.get_data(as_text=True)
    again = client.get(link)  # single use: the second visit says the address is confirmed already
    assert again.status_code == 410 and "used already" in again.get_data(as_text=True)

    r = sign_in(client, SIGNUP["email"], SIGNUP["password"], next_path="/vetting/status")
    assert r.status_code == 302 and r.headers["Location"] == "/vetting/status"
    page = client.get("/vetting/status", follow_redirects=True).get_data(as_text=True)
    assert "Lone Star Denim" in page and 'data-testid="apply-form"' in page
    assert deliver(app, smtp) == "sent 0, failed 0"  # and nothing is sent twice


def test_until_it_applies_a_signed_up_buyer_lands_on_the_vetting_application(app, client, smtp, factory):
    assoc = _association(app)
    post_page(client, "/signup", SIGNUP)
    deliver(app, smtp)
    client.get(smtp.link(SIGNUP["email"]))
    r = sign_in(client, SIGNUP["email"], SIGNUP["password"])  # from the plain sign-in page, no next
    assert r.headers["Location"] == "/vetting/status"
    r = post_page(client, "/vetting/apply", {"association_id": str(assoc)}, token_page="/home")
    assert r.status_code == 302
    client.post("/logout", data={"csrf_token": page_token(client, "/home")})
    assert sign_in(client, SIGNUP["email"], SIGNUP["password"]).headers["Location"] == "/home"  # it applied
    # a buyer account made by an admin is not sent there
    other = factory.user("buyer_user", factory.org("buyer"))
    assert sign_in(app.test_client(), factory.email(other), factory.PASSWORD).headers["Location"] == "/home"


def test_a_spanish_sign_up_gets_its_email_and_pages_in_spanish(app, client, smtp):
    set_language(client, "es")
    page = client.get("/signup").get_data(as_text=True)
    assert "Abrir una cuenta de comprador" in page and "Estados Unidos" in page
    r = post_page(client, "/signup", {**SIGNUP, "email": "ana@tienda.example", "language": "es"})
    assert r.status_code == 302
    assert "Revise su correo" in client.get("/signup/sent").get_data(as_text=True)
    deliver(app, smtp)
    (mail,) = smtp.to("ana@tienda.example")
    assert mail["subject"] == "Confirme su correo electrónico para Matchmaker"
    assert "durante 48 horas" in mail["body"]
    r = client.get(smtp.link("ana@tienda.example"))
    assert "Correo confirmado" in r.get_data(as_text=True)


def test_bad_input_in_every_field_is_shown_beside_it_in_both_languages(app, client):
    bad = {"firm_name": " ", "country": "XX", "city": "c" * 201, "website": "lonestar.example",
           "buyer_type": "pirate", "name": "", "email": "jim at lonestar", "password": "short", "language": "fr"}
    r = post_page(client, "/signup", bad)
    assert r.status_code == 422
    errors = field_errors(r.get_data(as_text=True))
    assert set(errors) == set(bad), errors
    assert html.unescape(errors["email"]) == "Enter an email address such as name@firm.com."
    assert errors["password"] == "Write at least 12 characters."
    assert errors["firm_name"] == "This field is required."
    assert _count(app, User) == 0 and _count(app, Organization) == 0 and _count(app, EmailOutbox) == 0

    set_language(client, "es")
    errors = field_errors(post_page(client, "/signup", bad).get_data(as_text=True))
    assert errors["password"] == "Escriba al menos 12 caracteres."
    assert html.unescape(errors["email"]) == "Escriba un correo electrónico como nombre@empresa.com."


def test_a_taken_email_is_refused_beside_the_field_and_with_409_on_the_api(app, client, factory):
    factory.user("maker_user", factory.org("maker"), email="jim@lonestar.example")
    r = post_page(client, "/signup", {**SIGNUP, "email": " Jim@LoneStar.example "})
    assert r.status_code == 409
    assert "An account with this email exists already" in field_errors(r.get_data(as_text=True))["email"]
    r = client.post("/api/v1/signup", json=SIGNUP)
    assert r.status_code == 409
    assert r.get_json()["error"]["fields"][0]["field"] == "email"
    assert _count(app, Organization) == 1 and _count(app, EmailOutbox) == 0  # only the maker's firm


def test_sign_ups_are_throttled_per_address(app, client):
    app.config["SIGNUP_ADDRESS_LIMIT"] = 2
    for i in range(2):
        assert post_page(client, "/signup", {**SIGNUP, "email": f"buyer{i}@x.example"}).status_code == 302
        client.get("/signup/sent")
    r = post_page(client, "/signup", {**SIGNUP, "email": "buyer9@x.example"})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    assert "Too many attempts" in r.get_data(as_text=True)
    r = client.post("/api/v1/signup", json={**SIGNUP, "email": "buyer8@x.example"})
    assert r.status_code == 429 and r.get_json()["error"]["code"] == "too_many_attempts"
    assert _count(app, User) == 2


def test_tampered_and_expired_links_give_a_clear_page(app, client, smtp):
    post_page(client, "/signup", SIGNUP)
    deliver(app, smtp)
    link = smtp.link(SIGNUP["email"])
    for bad in (link[:-3] + "xyz", "/verify/not-a-token", link.replace("/verify/", "/password/reset/")):
        r = client.get(bad)
        assert r.status_code == 400, bad
        assert "This link is not valid" in r.get_data(as_text=True)
    app.config["ACCOUNT_VERIFY_HOURS"] = 0
    time.sleep(1.1)  # itsdangerous counts whole seconds
    r = client.get(link)
    assert r.status_code == 410 and "This link has expired" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session().scalars(select(User)).one().active is False

    # the verification link again, from the resend page
    app.config["ACCOUNT_VERIFY_HOURS"] = 48
    r = post_page(client, "/signup/resend", {"email": SIGNUP["email"]})
    assert r.status_code == 200 and 'data-testid="link-requested"' in r.get_data(as_text=True)
    deliver(app, smtp)
    assert client.get(smtp.link(SIGNUP["email"])).status_code == 200
    assert sign_in(client, SIGNUP["email"], SIGNUP["password"]).status_code == 302
