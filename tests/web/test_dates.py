"""Dates shown to users are written one way, the reader's locale's medium date (``Mar 5, 2024`` /
``5 mar 2024``), and moments add hours and minutes: never ISO, never a numeric short date that reads
differently in each language (``10/29/26`` / ``29/10/26``)."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import update

from matchmaker import db
from matchmaker.contact.records import Notification
from matchmaker.organizations.records import Membership

from tests.support.world import build_world, login_as, set_language


@pytest.fixture
def world(factory):
    return build_world(factory)


@pytest.mark.parametrize("lang, since, moment", [
    ("en", "Mar 5, 2024", "Oct 29, 2026, 3:04\u202fPM"),
    ("es", "5 mar 2024", "29 oct 2026, 3:04\u202fp.m."),
])
def test_home_members_and_notifications_write_dates_as_every_page_does(app, client, factory, world, lang, since,
                                                                        moment):
    with app.app_context():
        sess = db.session()
        sess.execute(update(Membership).where(Membership.association_id == world.association)
                     .values(since=date(2024, 3, 5)))
        sess.add(Notification(user_id=world.users["board_member"], kind="inquiry",
                              params={"buyer": "Lone Star Denim", "title": "Stretch jeans"}, link="/home",
                              created_at=datetime(2026, 10, 29, 15, 4, tzinfo=timezone.utc)))
        sess.commit()
    login_as(client, factory, world.users["board_member"])
    set_language(client, lang)
    html = client.get("/home").get_data(as_text=True)
    assert f"<td>{since}</td>" in html and "2024-03-05" not in html
    html = client.get("/notifications").get_data(as_text=True)
    assert moment in html and "10/29/26" not in html and "29/10/26" not in html
