"""A quote's validity date: today or later by the UTC date (the date accepting the quote checks it
against, whatever the server's own time zone), and no later than the last day any of our dates may be
(``validation.LAST_DAY``, the orders' bound too). Refused beside the field on the page, naming it on the API."""
from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest

from matchmaker.records import utcnow
from matchmaker.validation import LAST_DAY
from tests.contact.test_inquiries import _quote, _sent
from tests.support.world import login_as, post_form, set_language


def _fields(r) -> list[str]:
    return [f["field"] for f in r.get_json()["error"]["fields"]]


def test_a_validity_after_the_last_day_is_refused_naming_valid_until(client, world):
    inq = _sent(client, world, world.makers[:1])[0]
    h = world.tokens["maker0"]
    for day in ((LAST_DAY + timedelta(days=1)).isoformat(), "9999-12-31"):
        r = client.post(f"/api/v1/inquiries/{inq}/quotes", json=_quote(valid_until=day), headers=h)
        assert r.status_code == 422, day
        assert _fields(r) == ["valid_until"], day
        assert "2100-12-31" in str(r.get_json()["error"]), day
    r = client.post(f"/api/v1/inquiries/{inq}/quotes", json=_quote(valid_until=LAST_DAY.isoformat()), headers=h)
    assert r.status_code == 201, r.get_json()


@pytest.mark.parametrize("lang, expected", [("en", "The validity date must be on or before 2100-12-31."),
                                            ("es", "La fecha de vigencia debe ser como máximo el 2100-12-31.")])
def test_the_quote_page_says_the_last_day_beside_the_field(app, factory, world, lang, expected):
    client = app.test_client()
    inq = _sent(client, world, world.makers[:1])[0]
    login_as(client, factory, world.users["maker0"])
    set_language(client, lang)
    path = f"/inquiries/{inq}"
    r = post_form(client, f"{path}/quote", {"unit_price": "9.80", "lead_time_days": "25", "moq": "800",
                                            "valid_until": "2101-01-01", "currency": "USD"}, token_page=path)
    assert r.status_code == 422
    match = re.search(r'data-field="valid_until">([^<]*)<', r.get_data(as_text=True))
    assert match and match.group(1) == expected


@pytest.fixture
def server_zone_off_utc(monkeypatch):
    """The server's local zone set so that its date is not the UTC date right now (a day behind before
    noon UTC, a day ahead after)."""
    zone = "Etc/GMT+12" if utcnow().hour < 12 else "Etc/GMT-14"
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_not_in_the_past_goes_by_the_utc_date_not_the_servers(client, world, server_zone_off_utc):
    from datetime import date
    today = utcnow().date()
    assert date.today() != today  # the fixture did make the server's date differ
    inq = _sent(client, world, world.makers[:1])[0]
    h = world.tokens["maker0"]
    r = client.post(f"/api/v1/inquiries/{inq}/quotes", json=_quote(valid_until=(today - timedelta(days=1)).isoformat()),
                    headers=h)
    assert r.status_code == 422 and _fields(r) == ["valid_until"]
    r = client.post(f"/api/v1/inquiries/{inq}/quotes", json=_quote(valid_until=today.isoformat()), headers=h)
    assert r.status_code == 201, r.get_json()
