"""Searching makers and open requirements through the API, on the embedded index kept in sync."""
from __future__ import annotations

import pytest

from tests.support.api_bodies import MAKER, REQUIREMENT


@pytest.fixture
def cluster(client, factory):
    """Three makers written through the API, so the index is fed by the real outbox path."""
    admin = factory.token(factory.user("platform_admin"))
    makers = {}
    specs = [
        ("Lavandería Industrial Tonalá", "Jalisco", 20.62, -103.24,
         {"processes": ["laundry", "laser", "finishing"], "about": "Lavandería: stone wash, enzimático y láser.",
          "monthly_capacity": 20000, "min_order_qty": 500, "headcount": 80}),
        ("Confecciones Altos", "Jalisco", 20.69, -103.02,
         {"processes": ["cutting", "sewing", "laundry"], "about": "Pantalones de mezclilla stretch para dama, "
          "lotes pequeños.", "monthly_capacity": 4000, "min_order_qty": 200, "headcount": 12}),
        ("Uniformes del Bajío", "Guanajuato", 21.12, -101.68,
         {"processes": ["cutting", "sewing"], "about": "School uniforms and workwear, high volume basics.",
          "product_lines": ["workwear_uniforms"], "monthly_capacity": 50000, "min_order_qty": 5000,
          "headcount": 250, "certificates": []}),
    ]
    for name, state, lat, lon, extra in specs:
        org = factory.org("maker", name, state=state, lat=lat, lon=lon)
        r = client.post(f"/api/v1/organizations/{org}/maker-profile", json={**MAKER, **extra}, headers=admin)
        assert r.status_code == 201, r.json
        makers[name] = org
    buyer = factory.token(factory.user("buyer_user", factory.org("buyer", "Denim Co", country="US")))
    return makers, buyer, admin


def ids(response):
    assert response.status_code == 200, response.json
    return {item["organization_id"] for item in response.json["items"]}


def test_spanish_and_english_text_find_the_right_makers(client, cluster):
    makers, buyer, _ = cluster
    laundry = makers["Lavandería Industrial Tonalá"]
    assert laundry in ids(client.get("/api/v1/search/makers?q=lavanderia", headers=buyer))
    assert laundry in ids(client.get("/api/v1/search/makers?q=laundry laser wash", headers=buyer))
    pants = ids(client.get("/api/v1/search/makers?q=pantalón stretch mujer lotes pequeños", headers=buyer))
    assert makers["Confecciones Altos"] in pants
    uniforms = ids(client.get("/api/v1/search/makers?q=uniformes escolares", headers=buyer))
    assert makers["Uniformes del Bajío"] in uniforms


def test_hard_filters_and_facets(client, cluster):
    makers, buyer, _ = cluster
    r = client.get("/api/v1/search/makers?process=laundry&process=cutting", headers=buyer)
    assert ids(r) == {makers["Confecciones Altos"]}
    r = client.get("/api/v1/search/makers?quantity=1000&monthly_volume=3000", headers=buyer)
    assert ids(r) == {makers["Lavandería Industrial Tonalá"], makers["Confecciones Altos"]}
    r = client.get("/api/v1/search/makers?near=20.67,-103.35&radius_km=60", headers=buyer)
    assert ids(r) == {makers["Lavandería Industrial Tonalá"], makers["Confecciones Altos"]}
    r = client.get("/api/v1/search/makers?certificate=iso9001", headers=buyer)
    assert ids(r) == {makers["Lavandería Industrial Tonalá"], makers["Confecciones Altos"]}
    facets = client.get("/api/v1/search/makers?lang=es", headers=buyer).json["facets"]
    states = {f["value"]: f["count"] for f in facets["state"]}
    assert states == {"Jalisco": 2, "Guanajuato": 1}
    sewing = next(f for f in facets["processes"] if f["value"] == "sewing")
    assert sewing["count"] == 2 and sewing["label"].startswith("Costura")


def test_profile_updates_show_up_in_search_at_once(client, cluster):
    makers, buyer, admin = cluster
    org = makers["Uniformes del Bajío"]
    assert org not in ids(client.get("/api/v1/search/makers?process=laundry", headers=buyer))
    profile = client.get(f"/api/v1/makers/{org}", headers=admin).json
    body = {k: profile[k] for k in MAKER if k in profile} | {"processes": ["cutting", "sewing", "laundry"],
                                                              "version": profile["version"]}
    body["certificates"] = []
    assert client.put(f"/api/v1/makers/{org}", json=body, headers=admin).status_code == 200
    assert org in ids(client.get("/api/v1/search/makers?process=laundry", headers=buyer))
    assert client.get("/health").json["search"]["pending_changes"] == 0


@pytest.mark.parametrize("q", ['pantalón" OR 1=1 (', ": ( ) \" * ? \\ / [ ] { } ~ ^ AND OR NOT", "x" * 10_000])
def test_query_syntax_is_plain_text(client, cluster, q):
    _, buyer, _ = cluster
    r = client.get("/api/v1/search/makers", query_string={"q": q}, headers=buyer)
    assert r.status_code == 200


@pytest.mark.parametrize("params, field", [
    ("process=teleport", "process"), ("radius_km=-5&near=20,-103", "radius_km"), ("near=abc", "near"),
    ("quantity=lots", "quantity"), ("page=0", "page"), ("colour=blue", "colour"), ("sort=random", "sort"),
])
def test_bad_search_parameters_are_named(client, cluster, params, field):
    _, buyer, _ = cluster
    r = client.get(f"/api/v1/search/makers?{params}", headers=buyer)
    assert r.status_code == 400, r.json
    assert r.json["error"]["fields"][0]["field"] == field
    # the shared handler's headline: the field's problem, worded from the catalogue (the field is in ``fields``)
    assert r.json["error"]["message"] == r.json["error"]["fields"][0]["problem"]


def test_a_page_past_the_end_is_empty(client, cluster):
    _, buyer, _ = cluster
    r = client.get("/api/v1/search/makers?page=50", headers=buyer)
    assert r.status_code == 200 and r.json["items"] == [] and r.json["total"] == 3
    # past the search window the API refuses, naming the field (the HTML page redirects to its last page)
    r = client.get("/api/v1/search/makers?page=999", headers=buyer)
    assert r.status_code == 400, r.json
    assert r.json["error"]["fields"][0]["field"] == "page"


def test_makers_see_open_requirements_they_could_serve(app, client, factory, cluster):
    makers, buyer, _ = cluster
    with app.app_context():  # only requirements of buyers the association cleared are shown to makers
        from matchmaker import db
        from tests.support.vetting import clear_buyer
        clear_buyer(db.session(), _buyer_id(client, buyer))
    small = client.post("/api/v1/requirements", headers=buyer,
                        json={**REQUIREMENT, "quantity": 800, "product_line": "jeans_stretch_women"}).json
    client.post("/api/v1/requirements", headers=buyer, json={**REQUIREMENT, "status": "draft"})
    big = client.post("/api/v1/requirements", headers=buyer,
                      json={**REQUIREMENT, "quantity": 100, "product_line": "workwear_uniforms"}).json
    maker_user = factory.token(factory.user("maker_user", makers["Confecciones Altos"]))
    every = client.get("/api/v1/search/requirements", headers=maker_user).json
    assert {r["id"] for r in every["items"]} == {small["id"], big["id"]}  # drafts never shown
    fit = client.get("/api/v1/search/requirements?fits_me=1", headers=maker_user).json
    assert {r["id"] for r in fit["items"]} == {small["id"]}
    assert client.get("/api/v1/search/requirements", headers=buyer).status_code == 403


def _buyer_id(client, headers) -> int:
    return client.get("/api/v1/organizations?kind=buyer", headers=headers).json["items"][0]["id"]


def test_trade_words_a_buyer_types_find_makers_described_otherwise(client, factory):
    """Words the demo walk found nothing for: children's wear asked as "niños", embroidery asked for a maker
    listing embellishment ("aplicaciones"), and a stone-wash laundry asked by that name."""
    admin = factory.token(factory.user("platform_admin"))
    specs = [("Moda Infantil Tlaquepaque", {"product_lines": ["childrenswear"], "processes": ["sewing"],
                                            "about": "Conjuntos y vestidos."}),
             ("Avíos y Parches Zapopan", {"processes": ["embellishment"], "about": "Parches y lentejuela."}),
             ("Deslavados Tonalá", {"processes": ["laundry"], "about": "Procesos de lavado industrial."})]
    orgs = {}
    for name, extra in specs:
        org = factory.org("maker", name, state="Jalisco", lat=20.6, lon=-103.3)
        r = client.post(f"/api/v1/organizations/{org}/maker-profile", json={**MAKER, **extra}, headers=admin)
        assert r.status_code == 201, r.json
        orgs[name] = org
    buyer = factory.token(factory.user("buyer_user", factory.org("buyer", "Kids Co", country="US")))
    assert ids(client.get("/api/v1/search/makers?q=niños", headers=buyer)) == {orgs["Moda Infantil Tlaquepaque"]}
    assert ids(client.get("/api/v1/search/makers?q=kids", headers=buyer)) == {orgs["Moda Infantil Tlaquepaque"]}
    for q in ("bordado", "embroidery"):
        assert ids(client.get(f"/api/v1/search/makers?q={q}", headers=buyer)) == {orgs["Avíos y Parches Zapopan"]}
    for q in ("stone wash", "stonewash"):
        assert orgs["Deslavados Tonalá"] in ids(client.get(f"/api/v1/search/makers?q={q}", headers=buyer))


def test_garments_of_a_makers_product_lines_find_it(client, factory):
    """A maker is found by the garments its product lines make, in either language, though neither its
    about text nor its lines' labels in that language name them (Western jeans read "Pantalón vaquero")."""
    admin = factory.token(factory.user("platform_admin"))
    specs = [("Vaqueros Lagos", ["jeans_western"]), ("Tejidos Moroleón", ["knitwear"]),
             ("Ropones Guadalupe", ["ceremonial"])]
    orgs = {}
    for name, lines in specs:
        org = factory.org("maker", name, state="Jalisco", lat=20.6, lon=-103.3)
        body = {**MAKER, "product_lines": lines, "niches": [], "about": "Taller familiar."}
        r = client.post(f"/api/v1/organizations/{org}/maker-profile", json=body, headers=admin)
        assert r.status_code == 201, r.json
        orgs[name] = org
    buyer = factory.token(factory.user("buyer_user", factory.org("buyer", "Garments Co", country="US")))
    for q, maker in (("jeans", "Vaqueros Lagos"), ("pantalón de mezclilla", "Vaqueros Lagos"),
                     ("sweaters", "Tejidos Moroleón"), ("suéteres", "Tejidos Moroleón"),
                     ("sudaderas", "Tejidos Moroleón"), ("ropones", "Ropones Guadalupe"),
                     ("communion dresses", "Ropones Guadalupe")):
        assert ids(client.get(f"/api/v1/search/makers?q={q}", headers=buyer)) == {orgs[maker]}, q


def test_a_control_character_in_q_is_named_like_any_bad_parameter(client, cluster):
    """The search API names ``q`` (400 invalid_parameter, as its other parameters) instead of the
    request-wide "bad request" that names no field."""
    _, buyer, _ = cluster
    for q in ("a%00b", "%1b"):
        r = client.get(f"/api/v1/search/makers?q={q}", headers=buyer)
        assert r.status_code == 400, r.json
        assert r.json["error"]["code"] == "invalid_parameter"
        assert r.json["error"]["fields"] == [{"field": "q", "problem": "contains a character that cannot be searched"}]
    r = client.get("/api/v1/search/makers?q=%00", headers={**buyer, "Accept-Language": "es"})
    assert r.json["error"]["fields"][0]["problem"] == "contiene un carácter que no se puede buscar"


def test_the_api_names_every_refused_parameter_in_fields(client, cluster):
    _, buyer, _ = cluster
    r = client.get("/api/v1/search/makers?q=denim&quantity=-5&lead_time_days=9999&near=abc&radius_km=-3",
                   headers=buyer)
    assert r.status_code == 400, r.json
    assert [f["field"] for f in r.json["error"]["fields"]] == ["quantity", "lead_time_days", "near", "radius_km"]
    assert r.json["error"]["message"] == r.json["error"]["fields"][0]["problem"]
