"""An organizer runs a fair in Chromium (create, register, request, schedule, publish, repair) and the
buyer downloads its agenda. Uses the gunicorn ``live_server`` of ``tests/browser/conftest.py``."""
from __future__ import annotations


import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, USERS
from tests.support.dates import FAIR_DAY

pytestmark = pytest.mark.browser

ORGANIZER = "organizer@browser.test"
SHOTS = "/tmp"


def _seed_fair_world(live_server) -> dict:
    """Association with the maker as member, a fair organizer, and the buyer cleared by vetting (if present)."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from matchmaker.auth import hash_password
    from matchmaker.db import make_engine
    from matchmaker.accounts.records import User
    from matchmaker.organizations.records import Association, Membership, Organization
    from tests.support.vetting import clear_buyer

    url = f"sqlite:///{live_server['log'].parent / 'matchmaker.db'}"
    engine = make_engine(url)
    ids = live_server["ids"]
    with Session(engine, expire_on_commit=False) as sess:
        assoc = sess.scalar(select(Association).where(Association.slug == "fair-browser"))
        if assoc is None:
            assoc = Association(name="Jeans makers (fair test)", slug="fair-browser", sector="denim")
            sess.add(assoc)
            sess.flush()
            sess.add(Membership(association_id=assoc.id, organization_id=ids["maker"]))
            sess.add(User(email=ORGANIZER, name="Lucía Organiza", role="fair_organizer", association_id=assoc.id,
                          password_hash=hash_password(PASSWORD)))
            unvetted = Organization(kind="buyer", name="Unvetted Outfitters", country="US")
            sess.add(unvetted)
            sess.commit()
            clear_buyer(sess, ids["buyer"], assoc.id)
        unvetted_id = sess.scalar(select(Organization.id).where(Organization.name == "Unvetted Outfitters"))
    engine.dispose()
    return {"association": assoc.id, "unvetted": unvetted_id}


def _sign_in(page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/home")


def test_organizer_runs_a_fair_and_buyer_downloads_agenda(browser, live_server):
    seeded = _seed_fair_world(live_server)

    context = browser.new_context(base_url=live_server["url"], locale="en-US", viewport={"width": 1280, "height": 900},
                                  accept_downloads=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    _sign_in(page, ORGANIZER)
    page.goto("/fairs")
    page.get_by_test_id("new-fair").click()
    page.get_by_label("Name", exact=True).fill("Spring denim show")
    page.get_by_label("Venue", exact=True).fill("Expo Guadalajara")
    page.get_by_label("Sessions", exact=True).fill(f"{FAIR_DAY} 09:00-10:30 Morning")
    page.get_by_label("Number of tables", exact=True).fill("2")
    page.get_by_test_id("create-fair").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Spring denim show")
    fair_url = page.url

    # the vetting gate: an uncleared buyer is found but not offered, and the page says why
    page.get_by_test_id("register-search").fill("Unvetted")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id(f"refused-{seeded['unvetted']}")).to_have_text("not cleared: not yet vetted")
    for name, org in (("Lone Star", live_server["ids"]["buyer"]), ("Taller Azul", live_server["ids"]["maker"])):
        page.get_by_test_id("register-search").fill(name)
        page.get_by_role("button", name="Search").click()
        page.get_by_test_id(f"register-{org}").click()
        expect(page.locator(".flash.success")).to_contain_text("Registered")
    participants = page.get_by_test_id("participants")
    expect(participants).to_contain_text("Lone Star Denim")
    expect(participants).to_contain_text("Taller Azul")

    # the organizer enters the buyer's must-meet
    participants.locator("tr", has_text="Lone Star Denim").get_by_role("link", name="Requests").click()
    page.get_by_label("Your mark").select_option("must")
    page.get_by_test_id("save-requests").click()
    expect(page.locator(".flash.success")).to_have_text("Saved.")

    page.goto(fair_url)
    page.get_by_label("Time limit (seconds)").fill("3")
    page.get_by_test_id("run-schedule").click()
    page.wait_for_url("**/grid")  # the progress page (jobs.js) goes on to the grid when the job is done
    expect(page.get_by_test_id("figures")).to_contain_text("Round-robin baseline")
    expect(page.get_by_test_id("solver-figures")).to_contain_text("Bound")
    expect(page.get_by_test_id("gap")).to_have_text("0.00%")
    expect(page.get_by_test_id("grid")).to_contain_text("Lone Star Denim")
    page.get_by_test_id("publish-final").click()
    expect(page.get_by_test_id("publication")).to_have_text("Final")
    page.screenshot(path=f"{SHOTS}/matchmaker-fair-grid.png", full_page=True)

    # lock, then the buyer's agenda as published
    cell = page.get_by_test_id("grid").locator("[data-meeting]").first
    cell.get_by_label("Action").select_option("lock")
    cell.get_by_role("button", name="Apply").click()
    expect(page.get_by_test_id("grid")).to_contain_text("Locked")
    context.close()

    buyer_context = browser.new_context(base_url=live_server["url"], locale="en-US", accept_downloads=True)
    buyer_context.set_default_timeout(20_000)
    page = buyer_context.new_page()
    _sign_in(page, USERS["buyer"])
    page.goto(fair_url)
    page.get_by_test_id("my-agenda").click()
    expect(page.get_by_test_id("agenda")).to_contain_text("Taller Azul")
    with page.expect_download() as pdf:
        page.get_by_test_id("agenda-pdf").click()
    assert open(pdf.value.path(), "rb").read(4) == b"%PDF"
    with page.expect_download() as ics:
        page.get_by_test_id("agenda-ics").click()
    assert b"BEGIN:VCALENDAR" in open(ics.value.path(), "rb").read()
    page.screenshot(path=f"{SHOTS}/matchmaker-fair-agenda.png", full_page=True)
    buyer_context.close()
