"""Issue 14's "done when", in Chromium against a real multi-worker gunicorn, a real ``flask notify send``
worker and a real SMTP server on loopback (aiosmtpd):

a cleared buyer shortlists three makers from a requirement's ranked list and sends them an inquiry; two
makers quote and one declines; the buyer compares the quotes and asks one maker for a sample. Every step
reaches the other side twice: as an in-app notification (the nav's unread count and the notification
centre) and as an email in the recipient's language at the SMTP server. A buyer no association cleared is
refused with the reason. The outcome log then holds every event with the ranking position and model version
of the list that showed the maker.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.contact.conftest import MAKER, REQUIREMENT
from tests.contact.smtp_sink import SmtpSink
from tests.support.browser import require_chromium, signed_in_pages
from tests.support.journey import add_users, migrated_engine, seed_cluster
from tests.support.live_server import REPO, gunicorn

pytestmark = pytest.mark.browser
PASSWORD = "journey-test-password"
MAKERS = ("Taller Azul", "Mezclilla Norte", "Lavados Altos")


def _seed(url: str) -> dict:
    from matchmaker.makers.services import create_maker_profile
    from matchmaker.requirements.services import create_requirement
    from matchmaker.makers.schemas import MakerProfileIn
    from matchmaker.requirements.schemas import RequirementIn

    engine = migrated_engine(url)
    with Session(engine, expire_on_commit=False) as sess:
        cluster = seed_cluster(sess, MAKERS)
        makers, buyer, uncleared = cluster.makers, cluster.buyer, cluster.other_buyer
        for i, m in enumerate(makers):
            create_maker_profile(sess, m, MakerProfileIn(**dict(
                MAKER, monthly_capacity=20000 - 4000 * i, min_order_qty=500 * (i + 1))))
        users = add_users(sess, {
            "buyer": ("buyer_user", buyer.id, None, "en"), "uncleared": ("buyer_user", uncleared.id, None, "en"),
            "maker0": ("maker_user", makers[0].id, None, "es"), "maker1": ("maker_user", makers[1].id, None, "en"),
            "maker2": ("maker_user", makers[2].id, None, "en")}, "journey.test", PASSWORD)
        req = create_requirement(sess, buyer.id, users["buyer"], RequirementIn(**REQUIREMENT))
        other = create_requirement(sess, uncleared.id, users["uncleared"], RequirementIn(**REQUIREMENT))
        ids = {"req": req.id, "other_req": other.id, "makers": [m.id for m in makers], "buyer": buyer.id}
    engine.dispose()
    return ids


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """gunicorn (2 workers) + the outbox worker + aiosmtpd, on one SQLite database."""
    require_chromium()
    root = tmp_path_factory.mktemp("journey")
    url = f"sqlite:///{root / 'matchmaker.db'}"
    ids = _seed(url)
    sink = SmtpSink().start()
    env = {**os.environ, "MATCHMAKER_DATABASE_URL": url, "MATCHMAKER_SMTP_URL": sink.url,
           "MATCHMAKER_SEARCH_PATH": str(root / "search"), "MATCHMAKER_MODEL_DIR": str(root / "models"),
           "MATCHMAKER_SECRET_KEY": "race-test-secret-key", "MATCHMAKER_NOTIFY_RETRY_SECONDS": "0.5"}
    env.pop("MATCHMAKER_DEMO", None)
    log = open(root / "worker.log", "w+b")
    # --no-digest: the journey counts its own emails, and the digest hour would be the wall clock's
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "matchmaker", "notify", "send",
                               "--interval", "0.2", "--no-digest"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        with gunicorn(url, workers=2, threads=2, root=root) as base:
            yield {"base": base, "url": url, "ids": ids, "smtp": sink}
    finally:
        worker.terminate()
        worker.wait(timeout=20)
        log.close()
        sink.stop()


@pytest.fixture
def as_user(chromium_browser, stack):
    with signed_in_pages(chromium_browser, stack["base"], lambda name: (f"{name}@journey.test", PASSWORD),
                         timeout_ms=20_000) as sign_in:
        yield sign_in


def _mail(stack, name: str, pattern: str, timeout: float = 30.0) -> tuple[str, str]:
    """The first email to ``name`` whose subject matches ``pattern``, waiting for the worker to send it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for subject, body in stack["smtp"].to(f"{name}@journey.test"):
            if re.search(pattern, subject):
                return subject, body
        time.sleep(0.1)
    raise AssertionError(f"no email to {name} matching {pattern!r}: {stack['smtp'].to(f'{name}@journey.test')}")


def _notified(page, text: str) -> None:
    """The nav shows unread notices and the centre lists ``text`` with a link to its subject."""
    page.goto("/home")
    expect(page.get_by_test_id("unread-count")).to_be_visible()
    page.get_by_test_id("nav-notifications").click()
    expect(page.get_by_test_id("notifications").locator("li.unread", has_text=text).first).to_be_visible()


def _open_first_notice(page) -> None:
    page.goto("/notifications")
    page.get_by_test_id("notifications").locator("li a").first.click()


def test_shortlist_inquire_quote_decline_compare_and_sample_by_notification_and_email(as_user, stack):
    ids, req = stack["ids"], stack["ids"]["req"]
    buyer = as_user("buyer")
    # 1. three makers from the ranked list of the requirement
    buyer.goto(f"/requirements/{req}")
    ranked = buyer.locator("#ranking ol.ranking > li")
    expect(ranked).to_have_count(3)
    shown = ranked.locator("input[name=maker_id]").evaluate_all("els => els.map(e => e.value)")
    for maker in shown:  # by maker, not by place: each click waits for its own page (the last one's flash
        # is still on screen until the next page replaces it)
        item = buyer.locator(f"#ranking ol.ranking > li:has(input[name=maker_id][value='{maker}'])")
        with buyer.expect_navigation(url=re.compile(rf"/requirements/{req}$")):
            item.get_by_role("button", name="Add to shortlist").click()
        expect(buyer.locator(".flash.success")).to_contain_text("Added to the shortlist")
    # 2. one inquiry to all three
    buyer.goto(f"/requirements/{req}/shortlist")
    for m in ids["makers"]:
        buyer.locator(f"input[name=maker_ids][value='{m}']").check()
    buyer.locator("#message").fill("3,000 piezas para marzo; ¿pueden cotizar?")
    buyer.get_by_role("button", name="Send inquiry").click()
    expect(buyer).to_have_url(re.compile(r"/inquiries$"))
    # each maker is told in the app and by email (maker 0 reads Spanish)
    makers = [as_user(f"maker{i}") for i in range(3)]
    _notified(makers[0], "Nueva consulta de Lone Star Denim")
    _notified(makers[1], "New inquiry from Lone Star Denim")
    _mail(stack, "maker0", r"^Nueva consulta de Lone Star Denim: Western jeans for spring$")
    _mail(stack, "maker1", r"^New inquiry from Lone Star Denim")
    _, body = _mail(stack, "maker2", r"^New inquiry from Lone Star Denim")
    assert re.search(r"http://127\.0\.0\.1:\d+/inquiries/\d+", body)
    # 3. makers 0 and 1 quote from the notice's link; maker 2 declines with a reason
    valid = (date.today() + timedelta(days=30)).isoformat()
    for page, price in ((makers[0], "8.40"), (makers[1], "7.95")):
        _open_first_notice(page)
        expect(page).to_have_url(re.compile(r"/inquiries/\d+$"))
        page.locator("#unit_price").fill(price)
        page.locator("#lead_time_days").fill("25")
        page.locator("#moq").fill("1000")
        page.locator("#valid_until").fill(valid)
        page.locator("form[action$='/quote'] button[type=submit]").click()
        expect(page.locator(".flash.success")).to_contain_text(re.compile("Quote sent|Cotización enviada"))
    _notified(makers[2], "New inquiry from Lone Star Denim")
    _open_first_notice(makers[2])
    makers[2].locator("#reason").select_option("no_capacity")
    makers[2].get_by_role("button", name="Decline").click()
    expect(makers[2].get_by_test_id("inquiry-status")).to_have_text("Declined")
    # the buyer is told of both quotes and the decline, in the app and by email
    _notified(buyer, "Mezclilla Norte")
    centre = buyer.get_by_test_id("notifications")
    expect(centre).to_contain_text("New quote from Taller Azul: Western jeans for spring")
    expect(centre).to_contain_text("New quote from Mezclilla Norte: Western jeans for spring")
    expect(centre).to_contain_text("Lavados Altos declined your inquiry: Western jeans for spring")
    _mail(stack, "buyer", r"^New quote from Taller Azul")
    _mail(stack, "buyer", r"^New quote from Mezclilla Norte")
    _mail(stack, "buyer", r"^Lavados Altos declined your inquiry")
    # 4. the buyer compares the quotes side by side and asks the cheaper maker for a sample
    buyer.goto(f"/requirements/{req}/quotes")
    rows = buyer.get_by_test_id("quotes").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Mezclilla Norte")
    expect(rows.first).to_contain_text("7.95")
    rows.first.locator("a").first.click()
    buyer.get_by_role("button", name="Request a sample").click()
    expect(buyer.locator(".flash.success")).to_contain_text("Sample requested")
    _notified(makers[1], "Lone Star Denim asked you for a sample: Western jeans for spring")
    _mail(stack, "maker1", r"^Lone Star Denim asked you for a sample")
    assert stack["smtp"].duplicates() == {}

    # the outcome log: every step, each with the position and model version of the ranked list
    from matchmaker.db import make_engine
    from matchmaker.ranking.records import OutcomeEvent

    engine = make_engine(stack["url"])
    with Session(engine) as sess:
        log = [(e.event, e.maker_id, e.rank, e.model_version) for e in sess.scalars(
            select(OutcomeEvent).where(OutcomeEvent.buyer_id == ids["buyer"], OutcomeEvent.source == "contact")
            .order_by(OutcomeEvent.id))]
    engine.dispose()
    events = [e for e, *_ in log]
    assert sorted(events) == sorted(["shortlisted"] * 3 + ["contacted"] * 3 + ["quoted"] * 2 + ["declined",
                                                                                             "sample_requested"])
    assert all(rank is not None and version for _e, _m, rank, version in log), log
    positions = {m: rank for e, m, rank, _v in log if e == "shortlisted"}
    assert sorted(positions.values()) == [1, 2, 3]
    assert all(rank == positions[m] for _e, m, rank, _v in log)  # each event carries the maker's own position


def test_an_uncleared_buyer_is_refused_with_the_reason(as_user, stack):
    page = as_user("uncleared")
    other = stack["ids"]["other_req"]
    page.goto(f"/requirements/{other}")
    page.locator("#ranking ol.ranking > li").first.get_by_role("button", name="Add to shortlist").click()
    page.goto(f"/requirements/{other}/shortlist")
    refusal = page.get_by_test_id("not-cleared")
    expect(refusal).to_contain_text("Your firm has not been vetted by an association yet: apply for vetting "
                                    "before contacting makers.")
    expect(page.get_by_role("button", name="Send inquiry")).to_have_count(0)
