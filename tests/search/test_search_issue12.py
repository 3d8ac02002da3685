"""Issue 12, app side: autocomplete, did-you-mean, lists served by the index, cached bearer tokens."""
from __future__ import annotations

from tests.search.test_search_api import cluster, ids  # noqa: F401  (fixture)
from tests.support.world import login_as, set_language


def test_complete_offers_terms_in_both_languages_and_maker_names(client, cluster):  # noqa: F811
    makers, buyer, _ = cluster
    r = client.get("/api/v1/search/complete?q=lavand", headers=buyer)
    assert r.status_code == 200, r.json
    items = r.json["items"]
    assert {"kind": "process", "value": "laundry", "text": "Laundry / wash", "param": "process"} in items
    assert any(i["kind"] == "maker" and i["text"] == "Lavandería Industrial Tonalá" for i in items)
    es = client.get("/api/v1/search/complete?q=laundry&lang=es", headers=buyer).json["items"]
    assert {"kind": "process", "value": "laundry", "text": "Lavandería / lavado", "param": "process"} in es
    names = [i["text"] for i in client.get("/api/v1/search/complete?q=confecciones al", headers=buyer).json["items"]
             if i["kind"] == "maker"]
    assert names == ["Confecciones Altos"]
    assert client.get("/api/v1/search/complete?q=", headers=buyer).json["items"] == []


def test_complete_input_and_role_rules(client, cluster):  # noqa: F811
    _, buyer, _ = cluster
    assert client.get("/api/v1/search/complete?q=lav").status_code == 401
    r = client.get("/api/v1/search/complete?q=lav&colour=red", headers=buyer)
    assert r.status_code == 400 and r.json["error"]["fields"][0]["field"] == "colour"
    r = client.get("/api/v1/search/complete?q=lav&scope=planets", headers=buyer)
    assert r.status_code == 400 and r.json["error"]["fields"][0]["field"] == "scope"
    # requirement titles only for those who may search requirements
    assert client.get("/api/v1/search/complete?q=lav&scope=requirements", headers=buyer).status_code == 403
    assert client.get("/api/v1/search/complete?q=" + "x" * 5000, headers=buyer).status_code == 200


def test_the_search_page_gets_suggestions_with_its_session(client, factory, cluster):  # noqa: F811
    login_as(client, factory, factory.user("buyer_user", factory.org("buyer", "Jeans Inc", country="US")))
    r = client.get("/search/complete?q=unif")
    assert r.status_code == 200
    assert "Uniformes del Bajío" in [i["text"] for i in r.json["items"]]
    page = client.get("/search").get_data(as_text=True)
    assert 'data-complete="/search/complete"' in page and "complete.js" in page


def test_did_you_mean_in_the_api_and_on_the_page(client, factory, cluster):  # noqa: F811
    _, buyer, _ = cluster
    r = client.get("/api/v1/search/makers?q=uniformez escolares", headers=buyer).json
    assert r["total"] >= 1 and r["suggestion"] is None
    assert r["corrected"] is None
    # two edits in a five-letter word: beyond the search's one typo, within the suggester's reach;
    # as typed (the "search instead" link), only the suggestion
    r = client.get("/api/v1/search/makers?q=bahjo&state=Guanajuato&as_typed=1", headers=buyer).json
    assert r["total"] == 0 and r["suggestion"] == "bajio" and r["corrected"] is None
    login_as(client, factory, factory.user("buyer_user", factory.org("buyer", "Jeans Inc", country="US")))
    page = client.get("/search?q=bahjo&state=Guanajuato&as_typed=1").get_data(as_text=True)
    assert 'data-testid="suggestion"' in page and "q=bajio" in page and "state=Guanajuato" in page
    assert 'data-testid="corrected"' not in page and "as_typed" not in page.split('data-testid="suggestion"')[1]


def test_a_text_that_finds_nothing_shows_the_makers_of_its_correction(client, factory, cluster):  # noqa: F811
    makers, buyer, _ = cluster
    r = client.get("/api/v1/search/makers?q=bahjo&state=Guanajuato", headers=buyer).json
    assert r["corrected"] == r["suggestion"] == "bajio"
    assert r["total"] == 1 and [m["organization_id"] for m in r["items"]] == [makers["Uniformes del Bajío"]]
    assert [(f["value"], f["count"]) for f in r["facets"]["state"]] == [("Guanajuato", 1)]  # the corrected q's
    login_as(client, factory, factory.user("buyer_user", factory.org("buyer", "Jeans Inc", country="US")))
    page = client.get("/search?q=bahjo&state=Guanajuato").get_data(as_text=True)
    assert "Showing makers for “bajio”" in page and "Uniformes del Bajío" in page
    assert "Search instead for “bahjo”" in page and 'data-testid="suggestion"' not in page
    link = page.split('data-testid="as-typed"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    assert "q=bahjo" in link and "as_typed=1" in link and "state=Guanajuato" in link
    as_typed = client.get(link).get_data(as_text=True)
    assert 'data-testid="no-results"' in as_typed and 'data-testid="suggestion"' in as_typed
    # the user's text is shown escaped, never as markup
    r = client.get("/search?q=<b>bahjo</b>").get_data(as_text=True)
    assert "Showing makers for “bajio”" in r and "<b>bahjo</b>" not in r and "&lt;b&gt;bahjo&lt;/b&gt;" in r
    set_language(client, "es")
    es = client.get("/search?q=bahjo&state=Guanajuato").get_data(as_text=True)
    assert "Mostrando fabricantes para “bajio”" in es and "Buscar en cambio “bahjo”" in es


def test_maker_list_comes_from_the_index_with_exact_totals(client, cluster):  # noqa: F811
    makers, buyer, admin = cluster
    r = client.get("/api/v1/makers?per_page=2", headers=buyer).json
    assert r["total"] == 3 and r["pages"] == 2
    assert [m["organization_id"] for m in r["items"]] == sorted(makers.values())[:2]
    page2 = client.get("/api/v1/makers?per_page=2&page=2", headers=buyer).json["items"]
    assert [m["organization_id"] for m in page2] == sorted(makers.values())[2:]
    r = client.get("/api/v1/makers?process=cutting&process=sewing&min_capacity=5000", headers=buyer).json
    assert [m["name"] for m in r["items"]] == ["Uniformes del Bajío"] and r["total"] == 1
    r = client.get("/api/v1/makers?state=Jalisco&max_moq=300", headers=buyer).json
    assert [m["name"] for m in r["items"]] == ["Confecciones Altos"]
    item = r["items"][0]  # the same shape as before: the public profile hydrated from the database
    assert set(item) >= {"organization_id", "name", "processes", "certificates", "lat", "lon", "version"}
    # past the index's 10,000-result window the list is still answered (from the database)
    assert client.get("/api/v1/makers?page=101&per_page=100", headers=buyer).json["total"] == 3


def test_revoked_token_stops_working_at_once(client, factory):
    user = factory.user("buyer_user", factory.org("buyer", "Rev Co", country="US"))
    headers = factory.token(user)
    for _ in range(3):  # warm any cache
        assert client.get("/api/v1/tokens", headers=headers).status_code == 200
    token_id = client.get("/api/v1/tokens", headers=headers).json["items"][0]["id"]
    assert client.delete(f"/api/v1/tokens/{token_id}", headers=headers).status_code == 204
    assert client.get("/api/v1/tokens", headers=headers).status_code == 401
    assert client.get("/api/v1/makers", headers=headers).status_code == 401


def test_deactivated_user_and_revoked_token_from_another_process(app, client, factory):
    """A revocation written by another process (straight to the database) is seen on the next request."""
    from sqlalchemy import update

    from matchmaker import db
    from matchmaker.accounts.records import ApiToken, User
    user = factory.user("buyer_user", factory.org("buyer", "Other Co", country="US"))
    headers = factory.token(user)
    assert client.get("/api/v1/makers", headers=headers).status_code == 200
    with app.app_context():
        db.session().execute(update(User).where(User.id == user).values(active=False))
        db.session().commit()
    assert client.get("/api/v1/makers", headers=headers).status_code == 401
    second = factory.user("buyer_user", factory.org("buyer", "Third Co", country="US"))
    headers = factory.token(second)
    assert client.get("/api/v1/makers", headers=headers).status_code == 200
    with app.app_context():
        db.session().execute(update(ApiToken).where(ApiToken.user_id == second).values(revoked=True))
        db.session().commit()
    assert client.get("/api/v1/makers", headers=headers).status_code == 401


def test_open_requirements_of_a_corrected_text(app, client, factory, cluster):  # noqa: F811
    from tests.search.test_search_api import _buyer_id
    from tests.support.api_bodies import REQUIREMENT
    makers, buyer, _ = cluster
    with app.app_context():
        from matchmaker import db
        from tests.support.vetting import clear_buyer
        clear_buyer(db.session(), _buyer_id(client, buyer))
    req = client.post("/api/v1/requirements", headers=buyer,
                      json={**REQUIREMENT, "title": "Chamarras con bordado a mano"}).json
    maker_user = factory.user("maker_user", makers["Confecciones Altos"])
    r = client.get("/api/v1/search/requirements?q=brodadu", headers=factory.token(maker_user)).json
    assert r["corrected"] == "bordado" and [i["id"] for i in r["items"]] == [req["id"]]
    login_as(client, factory, maker_user)
    page = client.get("/requirements/open?q=brodadu").get_data(as_text=True)
    assert "Showing requirements for “bordado”" in page and "Search instead for “brodadu”" in page
    set_language(client, "es")
    page = client.get("/requirements/open?q=brodadu").get_data(as_text=True)
    assert "Mostrando requerimientos para “bordado”" in page and "Buscar en cambio “brodadu”" in page
