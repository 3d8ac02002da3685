"""At the fair, on a phone: the maker opens the check-in code on the buyer's agenda and marks the
meeting held with one tap (390 px wide Chromium against gunicorn); the buyer sees its video link."""
from __future__ import annotations

import time
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, USERS
from tests.browser.test_fair_flow import ORGANIZER, SHOTS, _seed_fair_world, _sign_in
from tests.support.live_server import call
from tests.support.dates import FAIR_DAY

pytestmark = pytest.mark.browser


def _token(base: str, email: str) -> dict:
    status, body = call(base, "POST", "/api/v1/tokens", {"email": email, "password": PASSWORD, "name": "check-in"})
    assert status == 201, body
    return {"Authorization": f"Bearer {body['token']}"}


def _under_way(live_server, fair_id: int, meeting_id: int) -> None:
    from sqlalchemy.orm import Session

    from matchmaker.db import make_engine
    from tests.fairs.conftest import start_meeting

    engine = make_engine(f"sqlite:///{live_server['log'].parent / 'matchmaker.db'}")
    with Session(engine) as sess:
        start_meeting(sess, fair_id, meeting_id)
    engine.dispose()


def test_the_maker_checks_the_meeting_in_from_a_phone(browser, live_server):
    _seed_fair_world(live_server)
    base, ids = live_server["url"], live_server["ids"]
    organizer = _token(base, ORGANIZER)
    status, fair = call(base, "POST", "/api/v1/fairs", {
        "name": "Check-in show", "venue": "Expo", "sessions": [
            {"label": "Morning", "start": f"{FAIR_DAY}T09:00", "end": f"{FAIR_DAY}T10:00"}],
        "tables": [{"label": "Mesa 1"}]}, organizer)
    assert status == 201, fair
    fid = fair["id"]
    people = {}
    for org in (ids["buyer"], ids["maker"]):
        status, body = call(base, "POST", f"/api/v1/fairs/{fid}/participants", {"organization_id": org}, organizer)
        assert status == 201, body
        people[org] = body["id"]
    call(base, "PUT", f"/api/v1/fairs/{fid}/requests", {"to_participant_id": people[ids["maker"]], "mark": "must",
                                                         "from_participant_id": people[ids["buyer"]]}, organizer)
    status, job = call(base, "POST", f"/api/v1/fairs/{fid}/schedule", {"time_limit": 2}, organizer)
    assert status == 202, job
    deadline = time.monotonic() + 90
    while job["status"] not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.3)
        job = call(base, "GET", urlparse(job["url"]).path, None, organizer)[1]
    assert job["status"] == "done", job
    assert call(base, "POST", f"/api/v1/fairs/{fid}/publish", {"level": "final"}, organizer)[0] == 200
    meeting = job["schedule"]["meetings"][0]["id"]
    _under_way(live_server, fid, meeting)  # the code is scanned at the meeting, not before

    buyer = browser.new_context(base_url=base, locale="en-US", viewport={"width": 390, "height": 844})
    buyer.set_default_timeout(20_000)
    page = buyer.new_page()
    _sign_in(page, USERS["buyer"])
    page.goto(f"/fairs/{fid}/agenda/{people[ids['buyer']]}")
    page.get_by_test_id(f"toggle-virtual-{meeting}").click()
    link = page.get_by_test_id(f"video-link-{meeting}")
    expect(link).to_be_visible()
    assert f"-{fid}-" in link.get_attribute("href")
    code = page.get_by_test_id(f"check-in-code-{meeting}")
    code.locator("summary").click()
    expect(code.locator("svg")).to_be_visible()
    url = code.get_attribute("data-check-in-url")
    page.screenshot(path=f"{SHOTS}/matchmaker-agenda-phone.png", full_page=True)
    buyer.close()

    maker = browser.new_context(base_url=base, locale="en-US", viewport={"width": 390, "height": 844},
                                is_mobile=True, has_touch=True)
    maker.set_default_timeout(20_000)
    page = maker.new_page()
    _sign_in(page, USERS["maker"])
    page.goto(urlparse(url).path)
    held = page.get_by_test_id("mark-held")
    expect(held).to_be_visible()
    box = held.bounding_box()
    assert box["width"] >= 300 and box["height"] >= 48, "a thumb-sized button on a 390 px screen"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling"
    page.screenshot(path=f"{SHOTS}/matchmaker-check-in-phone.png", full_page=True)
    held.tap()
    expect(page.get_by_test_id("check-in-done")).to_be_visible()
    expect(page.get_by_test_id("check-in-status")).not_to_have_text("Scheduled")
    assert page.get_by_test_id("mark-held").count() == 0
    maker.close()
    status, body = call(base, "GET", f"/api/v1/fairs/{fid}/schedule", None, organizer)
    assert next(m for m in body["meetings"] if m["id"] == meeting)["status"] == "held"
