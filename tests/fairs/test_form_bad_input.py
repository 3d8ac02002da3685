"""Bad input on the fair forms (new fair, register, a participant's settings, the marks): empty, far
too long, or the wrong type. Each is refused with a 4xx and a message on the page, never a 500
(issue 11: these forms now go through WTForms classes)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from matchmaker import db
from matchmaker.fairs.records import FairParticipant
from tests.fairs.test_fair_pages import _new_fair, _post
from tests.support.world import login_as

LONG = "9" * 20_000


def _variants(names) -> list[dict]:
    return [{k: "" for k in names}, {k: LONG for k in names}, {k: ["abc", "-1"] for k in names},
            {k: "²" for k in names}]


NEW = ("name", "venue", "association_id", "sessions", "breaks", "slot_minutes", "table_count", "table_labels",
       "default_min_meetings", "default_max_meetings", "request_deadline")


@pytest.mark.parametrize("which", range(4))
def test_bad_input_on_the_fair_forms_is_never_a_500(app, client, factory, cluster, which):
    login_as(client, factory, cluster.users["organizer"])
    r = _post(client, "/fairs/new", "/fairs/new", _variants(NEW)[which])
    assert r.status_code == 422 and "data-field=" in r.get_data(as_text=True)
    r = _new_fair(client)
    assert r.status_code == 302
    fair_path = r.headers["Location"]
    fair_id = int(fair_path.rsplit("/", 1)[1])
    bad = _variants(["organization_id"])[which]
    r = _post(client, fair_path, f"/fairs/{fair_id}/register", bad)
    assert 400 <= r.status_code < 500, r.status_code
    for org in (cluster.buyers[0], cluster.makers[0]):
        assert _post(client, fair_path, f"/fairs/{fair_id}/register", {"organization_id": str(org)}).status_code == 302
    with app.app_context():
        people = {p.organization_id: p.id for p in db.session().scalars(
            select(FairParticipant).where(FairParticipant.fair_id == fair_id))}
    settings = f"/fairs/{fair_id}/participants/{people[cluster.makers[0]]}"
    r = _post(client, settings, settings, _variants(["unavailable", "min_meetings", "max_meetings",
                                                     "fixed_table_id"])[which])
    assert r.status_code in (302, 422), r.status_code  # all empty is a valid "no constraints"
    maker = people[cluster.makers[0]]
    as_buyer = f"/fairs/{fair_id}/requests?as={people[cluster.buyers[0]]}"
    r = _post(client, as_buyer, as_buyer, _variants([f"mark-{maker}", f"expires-{maker}", "mark-99999999999",
                                                     "mark-x"])[which])
    assert r.status_code in (302, 422), r.status_code
