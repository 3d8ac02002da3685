"""A mark and its expiry are one pair whatever the spelling of the participant id: ``mark-007`` with
``expires-007`` is participant 7's mark and expiry (before, the expiry field was read as ``expires-7``
and the typed date was lost)."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from matchmaker import db
from matchmaker.fairs.records import FairParticipant, FairRequest
from tests.fairs.test_fair_pages import _new_fair, _post
from tests.support.world import login_as
from tests.support.dates import FAIR_DAY

EXPIRES = FAIR_DAY - timedelta(days=11)  # before the fair day (the 1st of March when it is the 12th)


def test_an_id_with_leading_zeros_keeps_its_expiry(app, client, factory, cluster):
    login_as(client, factory, cluster.users["organizer"])
    r = _new_fair(client)
    assert r.status_code == 302
    fair_path = r.headers["Location"]
    fair_id = int(fair_path.rsplit("/", 1)[1])
    for org in (cluster.buyers[0], cluster.makers[0]):
        assert _post(client, fair_path, f"/fairs/{fair_id}/register", {"organization_id": str(org)}).status_code == 302
    with app.app_context():
        people = {p.organization_id: p.id for p in db.session().scalars(
            select(FairParticipant).where(FairParticipant.fair_id == fair_id))}
    buyer, maker = people[cluster.buyers[0]], people[cluster.makers[0]]
    as_buyer = f"/fairs/{fair_id}/requests?as={buyer}"
    r = _post(client, as_buyer, as_buyer, {f"mark-00{maker}": "must", f"expires-00{maker}": EXPIRES.isoformat()})
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    with app.app_context():
        row = db.session().scalars(select(FairRequest).where(FairRequest.fair_id == fair_id,
                                                             FairRequest.from_participant_id == buyer)).one()
        assert (row.to_participant_id, row.mark) == (maker, "must")
        assert row.expires_at == datetime.combine(EXPIRES, time(23, 59))
