"""Each role's main task, end to end in Chromium, on the demo cluster served by a real gunicorn.

The links are found the way a user finds them (the top bar, a result, a row), by their targets,
so a demo user who signs in in Spanish follows the same path.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import require_chromium, signed_in_pages
from tests.support.live_server import gunicorn

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_server(demo_cluster):
    require_chromium()
    with gunicorn(demo_cluster.database_url, workers=1, threads=1, root=demo_cluster.root) as base:
        yield base


@pytest.fixture(scope="module")
def chromium(demo_server, chromium_browser):
    return chromium_browser


@pytest.fixture
def as_role(chromium, demo_server, demo_cluster):
    def credentials(role: str) -> tuple[str, str]:
        login = demo_cluster.login(role)
        return login["email"], login["password"]

    with signed_in_pages(chromium, demo_server, credentials, timeout_ms=15_000) as sign_in:
        yield sign_in


def nav(page, path: str):
    page.locator(f"header nav a[href='{path}']").click()


def test_buyer_searches_opens_a_maker_then_a_requirements_ranked_list(as_role):
    page = as_role("buyer_user")
    nav(page, "/search")
    page.locator("input[name=q]").fill("denim")
    page.locator("input[name=q]").press("Enter")
    expect(page.get_by_test_id("total")).to_contain_text(re.compile(r"\d"))
    first = page.locator("article.result h2 a").first
    name = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    expect(page.get_by_test_id("capability-profile")).to_be_visible()

    nav(page, "/requirements")
    page.locator("main table a[href^='/requirements/']").first.click()
    ranking = page.locator("#ranking")
    expect(ranking).to_be_visible()
    expect(ranking).to_contain_text("Ranked by the learned model")  # the demo trained and promoted one
    expect(ranking.locator("ol.ranking > li").first).to_be_visible()
    expect(ranking.locator("ol.ranking > li").first.locator("ul.reasons li").first).to_be_visible()


def test_maker_opens_page_two_of_open_requirements(as_role):
    page = as_role("maker_user")
    nav(page, "/requirements/open")
    expect(page.get_by_test_id("total")).to_be_visible()
    page.locator("nav.pager a[rel=next]").click()
    expect(page.locator("nav.pager span")).to_have_text(re.compile(r"(Page|Página) 2 (of|de) \d+"))
    page.locator("main a[href^='/requirements/']:not([href*='open'])").first.click()
    expect(page).to_have_url(re.compile(r"/requirements/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_board_member_opens_a_case(as_role):
    page = as_role("board_member")
    nav(page, "/vetting/queue")
    page.get_by_test_id("case-queue").locator("a[href^='/vetting/cases/']").first.click()
    expect(page).to_have_url(re.compile(r"/vetting/cases/\d+$"))
    expect(page.get_by_test_id("board")).to_be_visible()
    expect(page.get_by_test_id("payments")).to_be_visible()


def test_organizer_opens_a_fairs_schedule(as_role):
    page = as_role("fair_organizer")
    nav(page, "/fairs")
    expect(page.locator("main table tbody tr")).to_have_count(3)
    page.locator("main table a", has_text="Semana del Denim").click()
    page.locator("a[href$='/grid']").click()
    expect(page.get_by_test_id("publication")).to_have_text(re.compile("Final"))
    expect(page.get_by_test_id("grid")).to_contain_text("Mesa 1")
    assert page.get_by_test_id("grid").locator("[data-meeting]").count() > 10


@pytest.mark.parametrize("role, expected", [("association_staff", "Asociación de Fabricantes de Jeans"),
                                            ("platform_admin", "1400")])
def test_staff_and_admin_homes(as_role, role, expected):
    page = as_role(role)
    expect(page.locator("main")).to_contain_text(expected)
    expect(page.locator("main table tbody tr").first).to_be_visible()
