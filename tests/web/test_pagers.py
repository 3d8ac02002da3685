"""Every paged list shares one pager (``templates/_pager.html``, ``matchmaker.paging``): first / previous /
"Page X of Y" / next / last links in English and Spanish, a page past the last redirects to the last with
the other query arguments kept, and a typed ``page`` of 0, -1 or garbage is page 1, never a 500. Counts
above the lists read "1 organization" / "2 organizations" (Spanish too), with grouped thousands."""
from __future__ import annotations

import re

import pytest

from matchmaker.catalog import translate_plural
from matchmaker.security import local_path
from tests.support.world import login_as, set_language

PER_PAGE = 25  # admin.pages.PER_PAGE


@pytest.fixture
def admin_with_users(factory):
    """A platform admin and 55 makers' users besides: three pages of the user list (25, 25, 6)."""
    admin = factory.user("platform_admin")
    org = factory.org("maker", name="Taller Paginado")
    for i in range(55):
        factory.user("maker_user", org, email=f"paged{i:02d}@example.com")
    return admin


def _html(client, path: str) -> str:
    r = client.get(path)
    assert r.status_code == 200, (path, r.status_code, r.headers.get("Location"))
    return r.get_data(as_text=True)


def _pager(html: str) -> str:
    match = re.search(r'<nav class="pager".*?</nav>', html, re.S)
    assert match, "no pager on the page"
    return match.group(0)


def _href(pager: str, testid: str) -> str | None:
    match = re.search(r'href="([^"]+)" data-testid="' + testid + '"', pager)
    return match.group(1).replace("&amp;", "&") if match else None


@pytest.mark.parametrize("lang, page_of, first, last", [
    ("en", "Page {} of 3", "« First page", "Last page »"),
    ("es", "Página {} de 3", "« Primera página", "Última página »"),
])
def test_a_long_list_has_first_previous_next_and_last_links(client, factory, admin_with_users, lang, page_of,
                                                            first, last):
    login_as(client, factory, admin_with_users)
    set_language(client, lang)
    one = _pager(_html(client, "/admin/users?role=maker_user"))
    assert page_of.format(1) in one
    assert _href(one, "first-page") is None and _href(one, "previous-page") is None
    assert _href(one, "next-page") == "/admin/users?page=2&role=maker_user"
    assert _href(one, "last-page") == "/admin/users?page=3&role=maker_user" and last in one

    two = _pager(_html(client, "/admin/users?role=maker_user&page=2"))
    assert page_of.format(2) in two and first in two and last in two
    assert _href(two, "first-page") == "/admin/users?page=1&role=maker_user"
    assert _href(two, "previous-page") == "/admin/users?page=1&role=maker_user"
    assert _href(two, "next-page") == "/admin/users?page=3&role=maker_user"
    assert _href(two, "last-page") == "/admin/users?page=3&role=maker_user"

    three = _pager(_html(client, "/admin/users?role=maker_user&page=3"))
    assert page_of.format(3) in three
    assert _href(three, "next-page") is None and _href(three, "last-page") is None
    assert _href(three, "first-page") == "/admin/users?page=1&role=maker_user"


def test_one_page_shows_no_pager(client, factory):
    login_as(client, factory, factory.user("platform_admin"))
    assert 'class="pager"' not in _html(client, "/admin/users")


def test_a_page_past_the_last_redirects_to_the_last_keeping_the_filters(client, factory, admin_with_users):
    login_as(client, factory, admin_with_users)
    r = client.get("/admin/users?role=maker_user&q=paged&page=40")
    assert r.status_code == 302
    assert r.headers["Location"] == "/admin/users?role=maker_user&q=paged&page=3"
    html = _html(client, r.headers["Location"])
    assert "Page 3 of 3" in html and html.count("paged") >= 5


@pytest.mark.parametrize("page", ["0", "-1", "-999", "abc", "²", "1.5", "", "99999999999999999999", "1e3"])
def test_a_garbage_page_is_the_first_page(client, factory, admin_with_users, page):
    login_as(client, factory, admin_with_users)
    html = _html(client, f"/admin/users?role=maker_user&page={page}")
    assert "Page 1 of 3" in html


@pytest.mark.parametrize("path", ["/organizations", "/vetting/buyers", "/admin/users"])
@pytest.mark.parametrize("page", ["0", "-3", "x", "100001"])
def test_no_list_answers_500_to_a_bad_page(client, factory, path, page):
    login_as(client, factory, factory.user("platform_admin"))
    r = client.get(f"{path}?page={page}")
    assert r.status_code in (200, 302), (path, page, r.status_code)
    if r.status_code == 302:
        assert r.headers["Location"].endswith("page=1")


@pytest.mark.parametrize("path", ["/orders", "/inquiries", "/consortia/", "/monitoring/maker"])
@pytest.mark.parametrize("page", ["0", "-3", "x", "9999"])
def test_a_makers_lists_never_answer_500_to_a_bad_page(client, factory, path, page):
    login_as(client, factory, factory.user("maker_user", factory.org("maker")))
    r = client.get(f"{path}?page={page}")
    assert r.status_code in (200, 302), (path, page, r.status_code)
    if r.status_code == 302:  # 9999: past the one (empty) page
        assert r.headers["Location"] == f"{path}?page=1"
        assert client.get(r.headers["Location"]).status_code == 200


@pytest.mark.parametrize("lang, one, two", [("en", "1 organization", "2 organizations"),
                                             ("es", "1 organización", "2 organizaciones")])
def test_counts_use_the_plural_form_of_the_number(client, factory, lang, one, two):
    factory.org("input_vendor", name="Hilos del Norte")
    login_as(client, factory, factory.user("platform_admin"))
    set_language(client, lang)
    single = _html(client, "/organizations?kind=input_vendor&q=Hilos")
    assert f'<p class="muted">{one}</p>' in single
    factory.org("input_vendor", name="Hilos del Sur")
    assert f'<p class="muted">{two}</p>' in _html(client, "/organizations?kind=input_vendor&q=Hilos")


@pytest.mark.parametrize("lang, words", [("en", ("1 maker", "2 makers", "1,234 makers", "0 makers")),
                                         ("es", ("1 fabricante", "2 fabricantes", "1,234 fabricantes",
                                                 "0 fabricantes"))])
def test_plural_counts_group_thousands_in_both_languages(app, lang, words):
    with app.app_context():
        got = tuple(translate_plural("{n:,} maker", "{n:,} makers", n, lang) for n in (1, 2, 1234, 0))
    assert got == words


@pytest.mark.parametrize("target, expected", [
    ("/makers?", "/makers"),
    ("/makers?#top", "/makers#top"),
    ("/makers?q=denim", "/makers?q=denim"),
    ("/makers", "/makers"),
    ("/?", "/"),
    ("//evil.example?", "/home"),
    ("https://evil.example/?", "/home"),
    ("", "/home"),
])
def test_local_path_drops_an_empty_query_string(target, expected):
    assert local_path(target, "/home") == expected


def test_the_language_switch_back_to_a_page_with_an_empty_query(client, factory):
    login_as(client, factory, factory.user("platform_admin"))
    from tests.support.world import page_token
    r = client.post("/language", data={"csrf_token": page_token(client, "/login"), "lang": "es",
                                       "next": "/organizations?"})
    assert r.status_code == 302 and r.headers["Location"] == "/organizations"
