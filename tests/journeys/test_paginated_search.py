"""The buyer's search and the maker's open requirements work on pages 1, 2 and 3 of a long result.

A regression: the pager assigned to ``_``, which shadowed the translation function, so every search
spanning more than one page answered 500.
"""
from __future__ import annotations

import re

import pytest

from tests.journeys.crawl import Crawler


def _signed_in(app, cluster, role):
    client = app.test_client()
    login = cluster.login(role)
    crawler = Crawler(app)
    crawler.sign_in(client, login["email"], login["password"])
    crawler.switch_language(client, "en")  # some demo users sign in in Spanish
    return client


@pytest.mark.parametrize("role, path, query", [
    ("buyer_user", "/search", ""),
    ("buyer_user", "/search", "q=denim"),
    ("maker_user", "/requirements/open", ""),
    ("board_member", "/requirements/open", ""),
])
def test_pages_one_to_three(demo_app, demo_cluster, role, path, query):
    client = _signed_in(demo_app, demo_cluster, role)
    totals = set()
    for page in (1, 2, 3):
        r = client.get(f"{path}?{query}&page={page}")
        html = r.get_data(as_text=True)
        assert r.status_code == 200, html[-2000:]
        pager = re.search(r"Page (\d+) of (\d+)", html)
        assert pager, "a result this long shows a pager"
        assert int(pager.group(1)) == page
        totals.add(int(pager.group(2)))
        assert ('rel="next"' in html) and (('rel="prev"' in html) == (page > 1))
    assert len(totals) == 1 and totals.pop() >= 3


def test_the_pager_in_spanish(demo_app, demo_cluster):
    client = _signed_in(demo_app, demo_cluster, "buyer_user")
    Crawler(demo_app).switch_language(client, "es")
    r = client.get("/search?page=2")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert re.search(r"Página 2 de \d+", html), html[-1500:]
