"""Bad input on every contact form, the notification preferences and the language switch: empty,
far too long, or the wrong type. Each is refused with a 4xx (or handled as a redirect), never a 500,
and the page still renders (issue 11: these forms now go through WTForms classes)."""
from __future__ import annotations

import re

import pytest

from tests.contact.conftest import send_from_shortlist
from tests.support.world import login_as, post_form

LONG = "x" * 20_000


def _variants(fields: dict) -> list[dict]:
    """The fields empty, far too long, and of the wrong type (letters for numbers, a list for one value)."""
    return [{k: "" for k in fields}, {k: LONG for k in fields},
            {k: ["abc", "-1", "1e309"] for k in fields}, {k: "²" for k in fields}]


def _inquiry(client, factory, world) -> int:
    assert send_from_shortlist(client, factory, world, world.makers[:1]).status_code == 302
    return int(re.search(r'href="/inquiries/(\d+)"', client.get("/inquiries").get_data(as_text=True)).group(1))


@pytest.mark.parametrize("which", range(4))
def test_bad_input_on_the_contact_forms_is_never_a_500(app, client, factory, world, which):
    inq = _inquiry(client, factory, world)
    buyer_posts = {
        "/shortlist": ("requirement_id", "maker_id", "rank", "model_version", "source", "next"),
        f"/requirements/{world.req}/inquiries": ("maker_ids", "message"),
        f"/inquiries/{inq}/events": ("event",),
        f"/inquiries/{inq}/messages": ("body",),
        f"/inquiries/{inq}/quotes/1/accept": ("x",),
        "/notifications/preferences": ("mode_inquiry_answered", "mode_message_received"),
        "/language": ("lang", "next"),
    }
    for path, names in buyer_posts.items():
        r = post_form(client, path, _variants(dict.fromkeys(names))[which], token_page="/inquiries")
        assert r.status_code < 500 and r.status_code != 200, (path, r.status_code)
    maker = app.test_client()
    login_as(maker, factory, world.users["maker0"])
    for path, names in {f"/inquiries/{inq}/answer": ("decision", "reason", "note", "version"),
                        f"/inquiries/{inq}/quote": ("unit_price", "currency", "lead_time_days", "moq",
                                                    "valid_until", "notes")}.items():
        r = post_form(maker, path, _variants(dict.fromkeys(names))[which], token_page=f"/inquiries/{inq}")
        assert 400 <= r.status_code < 500, (path, r.status_code)
        assert 'class="problems"' in r.get_data(as_text=True) or "data-field=" in r.get_data(as_text=True)
