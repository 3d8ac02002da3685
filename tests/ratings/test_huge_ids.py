"""An id beyond what a 32-bit id column holds is a 4xx naming the field, never a 500 (PostgreSQL casts
the bound value to INTEGER and fails on 2**40)."""
from __future__ import annotations

from tests.ratings.conftest import all_scores

HUGE = 2**40


def test_eligibility_of_a_huge_basis_id_is_a_400_naming_it(client, w):
    r = client.get(f"/api/v1/ratings/eligibility?basis=order&basis_id={HUGE}", headers=w.h("m1"))
    assert r.status_code == 400
    assert "basis_id" in r.get_data(as_text=True)


def test_the_largest_id_a_column_holds_is_simply_not_found(client, w):
    r = client.get(f"/api/v1/ratings/eligibility?basis=order&basis_id={2**31 - 1}", headers=w.h("m1"))
    assert r.status_code == 404


def test_rating_a_huge_basis_id_is_a_422_naming_it(client, w):
    r = w.rate(client, "m1", "order", HUGE, all_scores(4))
    assert r.status_code == 422
    assert "basis_id" in r.get_data(as_text=True)
