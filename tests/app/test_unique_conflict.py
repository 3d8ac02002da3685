"""A unique constraint that holds against a request the code did not expect is a 409, never a 500.

A probe route (added to this test's app, open to anyone by its ``@allow``) writes a row whose unique value is
taken, the way a request that lost a race does; the real database refuses it.
"""
from __future__ import annotations

import pytest

from matchmaker import db
from matchmaker.access import PUBLIC, allow
from matchmaker.organizations.records import Association


@pytest.fixture
def probe(app):
    def taken_slug():
        sess = db.session()
        sess.add(Association(name="Jeans GDL", slug="jeans-gdl"))
        sess.commit()
        sess.add(Association(name="Jeans GDL again", slug="jeans-gdl"))
        sess.flush()  # not caught: the app-wide handler answers
        return "unreachable"

    def missing_name():
        sess = db.session()
        sess.add(Association(name=None, slug="no-name"))
        sess.flush()
        return "unreachable"

    for path, fn in (("/api/v1/probe/unique", taken_slug), ("/probe/unique", taken_slug),
                     ("/api/v1/probe/not-null", missing_name)):
        endpoint = "probe" + path.replace("/", "_").replace("-", "_")
        app.add_url_rule(path, endpoint, allow(PUBLIC)(fn), methods=["POST"])
    app.config["WTF_CSRF_ENABLED"] = False
    return app.test_client()


def test_a_unique_violation_on_the_api_is_a_409_json_error(probe):
    r = probe.post("/api/v1/probe/unique")
    assert r.status_code == 409
    assert r.json["error"]["code"] == "conflict"
    assert "reload and try again" in r.json["error"]["message"]


def test_a_unique_violation_on_a_page_is_a_409_in_the_readers_language(probe):
    r = probe.post("/probe/unique", headers={"Accept-Language": "es"})
    assert r.status_code == 409
    assert "recargue e intente de nuevo" in r.get_data(as_text=True)


def test_nothing_of_the_refused_request_is_written(app, probe):
    probe.post("/api/v1/probe/unique")
    with app.app_context():
        names = [a.name for a in db.session().query(Association).filter_by(slug="jeans-gdl")]
    assert names == ["Jeans GDL"]


def test_other_integrity_errors_stay_server_errors(probe):
    r = probe.post("/api/v1/probe/not-null")
    assert r.status_code == 500
    assert r.json["error"]["code"] == "internal"
