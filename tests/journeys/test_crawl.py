"""Every demo login follows every link it can reach from its home page, in English then in Spanish.

No page answers 5xx and none logs an error (a traceback) while serving; no page offers a link that
answers 4xx to the one who sees it (a link the role may not follow). Bounded per URL shape
(see ``crawl.py``); pages 1–3 of every paginated list are visited.
"""
from __future__ import annotations

import pytest

from tests.journeys.crawl import Crawler

ROLES = ["platform_admin", "association_staff", "board_member", "fair_organizer", "maker_user", "buyer_user",
         "vendor_user"]
PER_SHAPE = 2


@pytest.mark.parametrize("role", ROLES)
def test_every_reachable_page_works_in_both_languages(demo_app, demo_cluster, role):
    login = demo_cluster.login(role)
    report = Crawler(demo_app, per_shape=PER_SHAPE).journey(role, login["email"], login["password"])
    assert report.failures() == [], report.describe_failures()
    broken = report.broken_links()
    assert broken == [], report.describe_failures(broken)
    # the crawl did walk: both languages, the role's main pages, and page 2 and 3 of some list
    langs = {v.lang for v in report.visits}
    assert langs == {"en", "es"}
    urls = {v.url for v in report.visits}
    assert any("page=3" in u for u in urls), sorted(urls)
    assert len(report.visits) > 20


def test_the_second_association_staff_login_works_too(demo_app, demo_cluster):
    """The demo lists two staff logins (jeans and children's wear); the second association is smaller."""
    staff = [entry for entry in demo_cluster.logins if entry["role"] == "association_staff"]
    assert len(staff) == 2
    report = Crawler(demo_app, per_shape=1).journey("association_staff 2", staff[1]["email"], staff[1]["password"],
                                                    languages=("es",))
    assert report.failures() == [], report.describe_failures()
