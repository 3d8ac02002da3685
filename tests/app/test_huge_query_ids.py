"""Query ids and pages beyond a 32-bit column are a 400 naming the parameter on every route family
that takes one (PostgreSQL would fail casting 2**40 to INTEGER: a 500)."""
from __future__ import annotations

import uuid

import pytest

from matchmaker import db
from matchmaker.organizations.records import Association

HUGE = 2**40


@pytest.fixture
def staff(app, factory) -> dict:
    with app.app_context():
        a = Association(name=f"Jeans {uuid.uuid4().hex[:4]}", slug=f"j-{uuid.uuid4().hex[:6]}")
        db.session().add(a)
        db.session().commit()
        assoc = a.id
    return factory.token(factory.user("association_staff", None, assoc))


@pytest.mark.parametrize("path, name", [
    (f"/api/v1/vetting/cases?association_id={HUGE}", "association_id"),
    (f"/api/v1/fairs?association_id={HUGE}", "association_id"),
    (f"/api/v1/monitoring/association/buyers?page={HUGE}", "page"),
    (f"/api/v1/vendors?page={HUGE}", "page"),
])
def test_a_huge_query_number_is_a_400_naming_it(client, staff, path, name):
    r = client.get(path, headers=staff)
    assert r.status_code == 400, r.get_data(as_text=True)[:300]
    assert name in r.get_data(as_text=True)
