"""The search pages: buyers find makers with facet counts; makers browse open requirements; bad input is named."""
from __future__ import annotations

import re

import pytest

from tests.support.world import build_world, login_as, set_language, sync_search


@pytest.fixture
def world(factory):
    return build_world(factory)


def test_buyer_finds_makers_with_facet_counts_in_spanish(client, factory, world):
    login_as(client, factory, world.users["buyer_user"])
    set_language(client, "es")
    page = client.get("/search?q=lavanderia+vaquero&state=Jalisco")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Taller Azul" in html and "Mezclilla Norte" not in html
    assert "Buscar fabricantes" in html and "Corte" in html  # Spanish interface and facet labels
    assert 'name="state" value="Jalisco" checked' in html


def test_bad_parameter_is_shown_beside_its_field(client, factory, world):
    login_as(client, factory, world.users["buyer_user"])
    page = client.get("/search?near=20.6,-103.3&radius_km=-1")
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert 'id="radius_km"' in html and "must be more than 0" in html
    assert client.get("/search?quantity=lots").status_code == 422
    assert client.get("/search?q=" + "(" * 3000).status_code == 200


def test_maker_sees_open_requirements_of_cleared_buyers_only(app, client, factory, world):
    login_as(client, factory, world.users["maker_user"])
    html = client.get("/requirements/open").get_data(as_text=True)
    assert f"/requirements/{world.open_req}" in html
    assert "Secret capsule collection" not in html  # drafts never
    with app.app_context():  # the board now rejects the buyer: its requirement disappears for makers
        from matchmaker import db
        from tests.support.vetting import clear_buyer
        clear_buyer(db.session(), world.buyer_a, world.association, outcome="rejected")
    sync_search(app)
    assert f"/requirements/{world.open_req}" not in client.get("/requirements/open").get_data(as_text=True)
    assert client.get(f"/requirements/{world.open_req}").status_code == 404


def test_buyers_cannot_browse_other_buyers_requirements(client, factory, world):
    login_as(client, factory, world.users["buyer_b_user"])
    assert client.get("/requirements/open").status_code == 403


def test_the_open_requirements_box_suggests_requirement_titles(client, factory, world):
    login_as(client, factory, world.users["maker_user"])
    html = client.get("/requirements/open").get_data(as_text=True)
    assert 'data-complete="/search/complete?scope=requirements"' in html and "complete.js" in html
    assert 'role="combobox"' in html and 'id="q-suggestions"' in html
    titles = [i["text"] for i in client.get("/search/complete?scope=requirements&q=stretch je").json["items"]]
    assert titles == ["Stretch jeans for spring"]
    assert client.get("/search/complete?scope=requirements&q=secret").json["items"] == []  # a draft
    set_language(client, "es")
    assert 'data-kind-requirement="Requerimiento"' in client.get("/requirements/open").get_data(as_text=True)


def test_a_search_without_results_says_what_to_try_in_the_readers_language(client, factory, world):
    """An empty result said only "No results." beside an empty facet box: it now suggests what to try and
    links to the search without its words and filters."""
    login_as(client, factory, world.users["buyer_user"])
    set_language(client, "es")
    html = client.get("/search?q=xyzzyq&state=Jalisco").get_data(as_text=True)
    assert "Ningún fabricante coincide con esta búsqueda." in html and "revise la ortografía" in html
    assert 'href="/search">Borrar la búsqueda y sus filtros</a>' in html
    assert '<aside class="card facets" hidden>' in html
    html = client.get("/search?q=lavanderia").get_data(as_text=True)
    assert '<aside class="card facets">' in html and "Ningún fabricante" not in html

    login_as(client, factory, world.users["maker_user"])
    set_language(client, "en")
    html = client.get("/requirements/open?q=xyzzyq").get_data(as_text=True)
    assert "No open requirement matches this search." in html
    assert 'href="/requirements/open">Clear the search and its filters</a>' in html


def test_a_page_past_the_last_shows_the_last_page_not_no_results(client, factory, world):
    login_as(client, factory, world.users["buyer_user"])
    page = client.get("/search?state=Jalisco&page=50")
    assert page.status_code == 302
    assert "page=1" in page.location and "state=Jalisco" in page.location
    html = client.get(page.location).get_data(as_text=True)
    assert "Taller Azul" in html and 'data-testid="no-results"' not in html
    login_as(client, factory, world.users["maker_user"])
    page = client.get("/requirements/open?page=9")
    assert page.status_code == 302 and "page=1" in page.location
    assert f"/requirements/{world.open_req}" in client.get(page.location).get_data(as_text=True)
    assert client.get("/search?q=xyzzyqq&page=3").status_code == 200  # nothing found: no loop, the empty page


def _three_more_makers(app, factory):
    from matchmaker import db
    from matchmaker.makers.schemas import MakerProfileIn
    from matchmaker.makers.services import create_maker_profile
    from matchmaker.organizations.records import Organization
    from tests.support.world import MAKER_BODY

    extra = [factory.org("maker", name=f"Taller Lejano {i}", state="Jalisco") for i in range(3)]
    with app.app_context():
        for org_id in extra:
            create_maker_profile(db.session(), db.session().get(Organization, org_id), MakerProfileIn(**MAKER_BODY))
    sync_search(app)


def test_the_search_pager_links_the_first_and_last_pages(app, client, factory, world):
    _three_more_makers(app, factory)
    login_as(client, factory, world.users["buyer_user"])
    first = client.get("/search?per_page=1").get_data(as_text=True)
    pages = int(re.search(r"Page 1 of (\d+)", first).group(1))
    assert pages == 5, pages  # the world's two makers and three more, one a page
    assert f'page={pages}&amp;per_page=1" data-testid="last-page">Last page »' in first
    assert 'data-testid="first-page"' not in first
    last = client.get(f"/search?per_page=1&page={pages}").get_data(as_text=True)
    assert 'page=1&amp;per_page=1" data-testid="first-page">« First page' in last
    assert 'data-testid="last-page"' not in last


@pytest.mark.parametrize("lang, page_of, heading", [("en", "Page 5 of 5", "Search makers"),
                                                     ("es", "Página 5 de 5", "Buscar fabricantes")])
def test_a_page_past_the_search_window_redirects_to_the_last_page_it_can_show(app, client, factory, world, lang,
                                                                              page_of, heading):
    """Only the first 10,000 results can be shown: page 10,001 at one a page (or 999 at twenty) used to answer
    422 with "narrow the search"; like every other list it now goes to the last page, the filters kept."""
    _three_more_makers(app, factory)
    login_as(client, factory, world.users["buyer_user"])
    set_language(client, lang)
    r = client.get("/search?per_page=1&page=10001&sort=name")
    assert r.status_code == 302
    assert r.location == "/search?per_page=1&page=5&sort=name"  # five makers, one a page
    last = client.get(r.location)
    html = last.get_data(as_text=True)
    assert last.status_code == 200 and page_of in html and heading in html
    assert html.count('<article class="card result">') == 1 and 'data-testid="no-results"' not in html
    r = client.get("/search?state=Jalisco&page=999")
    assert r.status_code == 302 and r.location == "/search?state=Jalisco&page=1"
    html = client.get(r.location).get_data(as_text=True)
    assert "Taller Azul" in html and "Taller Lejano 0" in html and 'data-testid="no-results"' not in html
    login_as(client, factory, world.users["maker_user"])
    set_language(client, lang)
    r = client.get("/requirements/open?page=600")
    assert r.status_code == 302 and r.location == "/requirements/open?page=1"
    assert f"/requirements/{world.open_req}" in client.get(r.location).get_data(as_text=True)


@pytest.mark.parametrize("lang, label, hint", [
    ("en", "Near (latitude, longitude)", "Decimal degrees, latitude first, separated by a comma: 20.67, -103.35"),
    ("es", "Cerca de (latitud, longitud)",
     "Grados decimales, primero la latitud, separados por una coma: 20.67, -103.35"),
])
def test_the_near_filter_names_its_format(app, client, factory, world, lang, label, hint):
    login_as(client, factory, world.users["buyer_user"])
    set_language(client, lang)
    html = client.get("/search").get_data(as_text=True)
    assert f'<label for="near">{label}</label>' in html
    assert 'aria-describedby="near-hint"' in html and f'data-testid="near-hint">{hint}</small>' in html
    bad = client.get("/search?near=north&radius_km=5")
    assert bad.status_code == 422  # the refusal sits beside the field, after its hint
    assert f'{hint}</small><span class="field-error" role="alert">' in bad.get_data(as_text=True)


@pytest.mark.parametrize("lang, problem", [("en", "contains a character that cannot be searched"),
                                           ("es", "contiene un carácter que no se puede buscar")])
def test_a_control_character_in_the_search_text_is_named_beside_the_box(client, factory, world, lang, problem):
    """``q=%00`` answered the request-wide 400 "The form was refused. Reload the page", which is not what
    happened; the box says what is wrong with its text, as the other fields do (422)."""
    login_as(client, factory, world.users["buyer_user"])
    set_language(client, lang)
    for url in ("/search?q=den%00im", "/search?q=%01"):
        page = client.get(url)
        html = page.get_data(as_text=True)
        assert page.status_code == 422, url
        assert f'</div>\n      <span class="field-error" role="alert">{problem}</span>' in html, url
        assert "\x00" not in html and "\x01" not in html
    login_as(client, factory, world.users["maker_user"])
    set_language(client, lang)
    page = client.get("/requirements/open?q=a%00b")
    assert page.status_code == 422 and problem in page.get_data(as_text=True)
    # elsewhere the request-wide guard still refuses a NUL, and on these pages a NUL in a parameter's name
    assert client.get("/organizations?q=%00").status_code == 400
    assert client.get("/requirements/open?q%00=a").status_code == 400


def test_every_refused_filter_is_named_beside_its_field_at_once(client, factory, world):
    """Four bad filters showed only the first one's message; the buyer fixed one, resubmitted, met the next."""
    login_as(client, factory, world.users["buyer_user"])
    page = client.get("/search?q=denim&quantity=-5&lead_time_days=9999&near=abc&radius_km=-3&sort=random")
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    for name, problem in (("quantity", "must be between 1 and 10,000,000"),
                          ("lead_time_days", "must be between 1 and 365"), ("near", "must be lat,lon in degrees"),
                          ("radius_km", "must be more than 0"), ("sort", "choose a value from the list")):
        box = re.search(rf'<(?:input|select)[^>]*id="{name}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in box, name
        assert problem in html.split(f'id="{name}"', 1)[1].split("</div>", 1)[0], name
    assert 'aria-invalid' not in re.search(r'<input[^>]*id="q"[^>]*>', html).group(0)
    assert 'aria-invalid' not in re.search(r'<input[^>]*id="monthly_volume"[^>]*>', html).group(0)
    login_as(client, factory, world.users["maker_user"])
    html = client.get("/requirements/open?min_quantity=x&max_quantity=0&sort=up").get_data(as_text=True)
    assert all(f'data-field="{name}"' in html for name in ("min_quantity", "max_quantity", "sort"))
