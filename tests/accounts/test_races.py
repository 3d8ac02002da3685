"""Account races against a real multi-worker gunicorn: the same email signed up at once makes one
account (the rest 409); a link used at once works once (the rest 410), never a 500."""
from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from matchmaker import db
from matchmaker.contact.records import EmailOutbox
from matchmaker.accounts.records import User
from matchmaker.organizations.records import Organization

from tests.accounts.conftest import LINK, SIGNUP
from tests.support.live_server import call, gunicorn, race

THREADS = 8


@pytest.fixture(scope="module")
def server(database_url, tmp_path_factory):
    with gunicorn(database_url, workers=3, threads=2, root=tmp_path_factory.mktemp("accounts-race")) as base:
        yield base


def _latest_token(app, address: str) -> str:
    """The token of the newest link queued for ``address`` (signed by the server's own key)."""
    with app.app_context():
        body = db.session().scalars(select(EmailOutbox.body).where(EmailOutbox.to_address == address)
                                    .order_by(EmailOutbox.id.desc())).first()
    return LINK.search(body).group(0).rsplit("/", 1)[1]


def test_one_email_signed_up_at_once_makes_one_account(app, server):
    body = {**SIGNUP, "email": "race@lonestar.example"}
    results = race([(server, "POST", "/api/v1/signup", {**body, "firm_name": f"Firm {i}"}, None)
                    for i in range(THREADS)])
    assert Counter(status for status, _ in results) == {201: 1, 409: THREADS - 1}, results
    with app.app_context():
        sess = db.session()
        assert len(sess.scalars(select(User).where(User.email == "race@lonestar.example")).all()) == 1
        assert len(sess.scalars(select(Organization)).all()) == 1  # the losers left no firm behind
        assert len(sess.scalars(select(EmailOutbox)).all()) == 1


def test_a_link_used_at_once_works_once(app, server):
    address = "once@lonestar.example"
    status, body = call(server, "POST", "/api/v1/signup", {**SIGNUP, "email": address})
    assert status == 201, body
    token = _latest_token(app, address)
    results = race([(server, "POST", "/api/v1/signup/verify", {"token": token}, None) for _ in range(THREADS)])
    assert Counter(status for status, _ in results) == {200: 1, 410: THREADS - 1}, results

    status, _ = call(server, "POST", "/api/v1/password/forgot", {"email": address})
    assert status == 202
    token = _latest_token(app, address)
    passwords = [f"new passphrase number {i}" for i in range(THREADS)]
    results = race([(server, "POST", "/api/v1/password/reset", {"token": token, "new_password": pw}, None)
                    for pw in passwords])
    assert Counter(status for status, _ in results) == {204: 1, 410: THREADS - 1}, results
    winner = passwords[[status for status, _ in results].index(204)]
    assert call(server, "POST", "/api/v1/tokens", {"email": address, "password": winner})[0] == 201
    losers = [pw for pw in passwords if pw != winner][:2]  # a few: failed sign-ins are throttled
    assert [call(server, "POST", "/api/v1/tokens", {"email": address, "password": pw})[0] for pw in losers] == \
        [401, 401]
