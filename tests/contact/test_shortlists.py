"""Shortlists: a buyer keeps one per requirement, adds makers from the ranked list, search or a profile,
and compares them side by side; shortlisting is logged with the position and model version shown."""
from __future__ import annotations

import re

import pytest

from tests.contact.conftest import outcome_events
from tests.support.world import login_as, set_language, sync_search


def _add(client, world, maker, who="buyer", req=None, **extra):
    return client.post(f"/api/v1/requirements/{req or world.req}/shortlist",
                       json={"maker_id": maker, **extra}, headers=world.tokens[who])


def test_shortlisting_logs_the_position_and_model_that_showed_the_maker(app, client, world):
    r = _add(client, world, world.makers[1], source="ranking", rank=4, model_version="ranker-2026-11-30")
    assert r.status_code == 201, r.get_json()
    assert outcome_events(app, event="shortlisted") == [("shortlisted", world.makers[1], 4, "ranker-2026-11-30")]
    # from search or a profile there is no position
    assert _add(client, world, world.makers[2], source="search").status_code == 201
    assert outcome_events(app, event="shortlisted")[-1] == ("shortlisted", world.makers[2], None, None)


def test_the_same_maker_twice_is_a_conflict_and_logs_once(app, client, world):
    assert _add(client, world, world.makers[0]).status_code == 201
    r = _add(client, world, world.makers[0])
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "conflict"
    assert len(outcome_events(app, event="shortlisted")) == 1


def test_comparison_shows_the_facts_a_buyer_weighs(client, world):
    for m in world.makers:
        assert _add(client, world, m).status_code == 201
    rows = client.get(f"/api/v1/requirements/{world.req}/shortlist", headers=world.tokens["buyer"]).get_json()["items"]
    assert [r["maker_id"] for r in rows] == world.makers
    first, second, third = rows
    # the fixture gives the makers 20,000 / 15,000 / 10,000 units a month, MOQ 500 / 1,000 / 1,500, 21 / 28 / 35 days
    assert (first["monthly_capacity"], second["monthly_capacity"], third["monthly_capacity"]) == (20000, 15000, 10000)
    assert (first["min_order_qty"], third["min_order_qty"]) == (500, 1500)
    assert (first["order_lead_days"], third["order_lead_days"]) == (21, 35)
    assert first["processes"] == ["cutting", "laundry", "sewing"]
    assert first["service_tier"] == "full_package" and first["quality_tier"] == "standard"
    assert first["certificates"] == ["iso9001"]
    # Dallas to Guadalajara is about 1,500 km as the crow flies
    assert 1400 <= first["distance_km"] <= 1600
    # maker 0 delivered one of its two recorded orders on time; the others have no record
    assert first["track_record"]["orders"] == 2 and first["track_record"]["on_time_share"] == 0.5
    assert second["track_record"] == {"orders": 0, "repeat_orders": 0, "disputes": 0, "on_time_share": None}


def test_remove_and_list_shortlists(client, world):
    _add(client, world, world.makers[0])
    _add(client, world, world.makers[1])
    h = world.tokens["buyer"]
    assert client.delete(f"/api/v1/requirements/{world.req}/shortlist/{world.makers[0]}", headers=h).status_code == 204
    assert client.delete(f"/api/v1/requirements/{world.req}/shortlist/{world.makers[0]}", headers=h).status_code == 404
    listed = client.get("/api/v1/shortlists", headers=h).get_json()["items"]
    assert listed == [{"requirement_id": world.req, "requirement_title": "Western jeans for spring", "makers": 1}]


def test_another_buyers_shortlist_is_not_found_and_other_roles_are_refused(client, world):
    _add(client, world, world.makers[0])
    r = client.get(f"/api/v1/requirements/{world.req}/shortlist", headers=world.tokens["other_buyer"])
    assert r.status_code == 404
    assert _add(client, world, world.makers[1], who="other_buyer").status_code == 404
    for who in ("maker0", "staff", "admin"):
        r = client.get(f"/api/v1/requirements/{world.req}/shortlist", headers=world.tokens[who])
        assert r.status_code == 403, who
    assert client.get(f"/api/v1/requirements/{world.req}/shortlist").status_code == 401


def test_bad_input_names_the_field(client, world):
    r = _add(client, world, 999_999)
    assert r.status_code == 422 and r.get_json()["error"]["fields"][0]["field"] == "maker_id"
    r = _add(client, world, world.buyer)  # a buyer firm is not a maker
    assert r.status_code == 422 and r.get_json()["error"]["fields"][0]["field"] == "maker_id"
    r = _add(client, world, world.makers[0], rank=0)
    assert r.status_code == 422 and [f["field"] for f in r.get_json()["error"]["fields"]] == ["rank"]
    r = _add(client, world, world.makers[0], source="telepathy")
    assert r.status_code == 422 and r.get_json()["error"]["fields"][0]["field"] == "source"
    r = _add(client, world, "tres")
    assert r.status_code == 422 and r.get_json()["error"]["fields"][0]["field"] == "maker_id"
    r = client.post(f"/api/v1/requirements/{world.req}/shortlist", data="{not json",
                    headers={**world.tokens["buyer"], "Content-Type": "application/json"})
    assert r.status_code == 400


# -- pages ------------------------------------------------------------------------------------------

# a form of its own, or (inside the search page's GET form, where forms cannot nest) controls tied by their
# form attribute to an empty form after it
_FORM = re.compile(r'<form[^>]*data-testid="shortlist-add".*?</form>|<div[^>]*data-testid="shortlist-add".*?</div>', re.S)


def _hidden(form_html: str) -> dict:
    return dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', form_html))


def test_buyer_shortlists_from_the_ranked_list_with_its_position(app, client, factory, world):
    sync_search(app)
    login_as(client, factory, world.users["buyer"])
    page = client.get(f"/requirements/{world.req}").get_data(as_text=True)
    forms = _FORM.findall(page)
    assert len(forms) == page.count("<ul class=\"reasons\">") >= 2, "one button per ranked maker"
    shown = [int(m) for m in re.findall(r'data-testid="shortlist-add".*?name="maker_id" value="(\d+)"', page, re.S)]
    second = _hidden(forms[1])
    assert second["rank"] == "2" and second["source"] == "ranking" and second["model_version"] == "rule"
    r = client.post("/shortlist", data=second)
    assert r.status_code == 302 and r.headers["Location"].startswith(f"/requirements/{world.req}")
    assert outcome_events(app, event="shortlisted") == [("shortlisted", shown[1], 2, "rule")]
    page = client.get(f"/requirements/{world.req}/shortlist").get_data(as_text=True)
    assert 'data-testid="comparison"' in page and "Ranked list · #2" in page


def test_buyer_shortlists_from_search_and_a_profile_choosing_the_requirement(app, client, factory, world):
    sync_search(app)
    login_as(client, factory, world.users["buyer"])
    page = client.get("/search?q=jeans").get_data(as_text=True)
    form = _FORM.findall(page)[0]
    assert f'<option value="{world.req}">' in form and f'value="{world.other_req}"' not in form
    data = {**_hidden(form), "requirement_id": str(world.req)}
    assert data["source"] == "search"
    # the search form is a GET form: no shortlist form nests in it (a browser would fold the CSRF token into it)
    search_form = re.search(r'<form method="get"[^>]*id="search-form".*?</form>', page, re.S).group(0)
    assert "<form" not in search_form[5:] and 'name="csrf_token"' not in re.sub(r'<[^>]*form="shortlist-\d+"[^>]*>', "", search_form)
    assert f'<form id="shortlist-{data["maker_id"]}" method="post"' in page
    assert client.post("/shortlist", data=data).status_code == 302
    profile = client.get(f"/organizations/{world.makers[2]}").get_data(as_text=True)
    data = {**_hidden(_FORM.findall(profile)[0]), "requirement_id": str(world.req)}
    assert data["source"] == "profile"
    assert client.post("/shortlist", data=data).status_code == 302
    events = outcome_events(app, event="shortlisted")
    assert len(events) == 2 and events[1] == ("shortlisted", world.makers[2], None, None)
    # another buyer's requirement cannot be chosen: the message is beside the field, in Spanish
    set_language(client, "es")
    r = client.post("/shortlist", data={**data, "requirement_id": str(world.other_req)})
    body = r.get_data(as_text=True)
    assert r.status_code == 422
    assert re.search(r'data-field="requirement_id">Usted no tiene el requerimiento', body)


def test_makers_see_no_shortlist_button(client, factory, world):
    login_as(client, factory, world.users["maker1"])
    assert 'data-testid="shortlist-add"' not in client.get(f"/organizations/{world.makers[0]}").get_data(as_text=True)
    assert client.get("/shortlists").status_code == 403


@pytest.mark.parametrize("target, lands", [("/search?q=jeans", "/search?q=jeans"),
                                           ("/\\evil.example/x", "/requirements/{req}/shortlist"),
                                           ("/\t/evil.example/x", "/requirements/{req}/shortlist")])
def test_after_shortlisting_the_buyer_goes_back_only_to_a_page_of_this_site(client, factory, world, target, lands):
    login_as(client, factory, world.users["buyer"])
    profile = client.get(f"/organizations/{world.makers[1]}").get_data(as_text=True)
    data = {**_hidden(_FORM.findall(profile)[0]), "requirement_id": str(world.req), "next": target}
    r = client.post("/shortlist", data=data)
    assert r.status_code == 302
    assert r.headers["Location"] == lands.format(req=world.req)


def test_a_maker_already_shortlisted_shows_on_the_shortlist_instead_of_the_button(app, client, factory, world):
    """After "Add to shortlist" the page says where the maker is: on the ranked list (one requirement) a link
    "On the shortlist" replaces the button; where the buyer chooses the requirement (a profile, search), only
    the requirements whose shortlist lacks the maker are offered, and "On all your shortlists" once none is
    left; in the buyer's language."""
    sync_search(app)
    login_as(client, factory, world.users["buyer"])
    page = client.get(f"/requirements/{world.req}").get_data(as_text=True)
    second = _hidden(_FORM.findall(page)[1])
    assert client.post("/shortlist", data=second).status_code == 302
    page = client.get(f"/requirements/{world.req}").get_data(as_text=True)
    shown = [int(m) for m in re.findall(r'data-testid="shortlist-add".*?name="maker_id" value="(\d+)"', page, re.S)]
    assert int(second["maker_id"]) not in shown and len(shown) >= 1  # the others keep their button
    on = re.findall(r'<a href="([^"]+)" data-testid="on-shortlist">On the shortlist</a>', page)
    assert on == [f"/requirements/{world.req}/shortlist"]
    # a profile: the requirement whose shortlist holds the maker is no longer offered
    maker = world.makers[2]
    profile = client.get(f"/organizations/{maker}").get_data(as_text=True)
    offered = re.findall(r'<option value="(\d+)">', _FORM.findall(profile)[0])
    assert sorted(int(o) for o in offered) == sorted([world.req, world.draft_req])
    data = {**_hidden(_FORM.findall(profile)[0]), "requirement_id": str(world.req)}
    r = client.post("/shortlist", data=data, follow_redirects=True)
    profile = r.get_data(as_text=True)
    assert "Added to the shortlist of" in profile
    assert re.findall(r'<option value="(\d+)">', _FORM.findall(profile)[0]) == [str(world.draft_req)]
    assert client.post("/shortlist", data={**data, "requirement_id": str(world.draft_req)}).status_code == 302
    set_language(client, "es")
    profile = client.get(f"/organizations/{maker}").get_data(as_text=True)
    assert 'data-testid="shortlist-add"' not in profile
    assert re.search(r'data-testid="on-all-shortlists"[^>]*>En todas sus preselecciones</a>', profile)
    # search: the same rule for each maker listed
    page = client.get("/search?q=jeans").get_data(as_text=True)
    assert f'name="maker_id" value="{maker}"' not in page and "En todas sus preselecciones" in page
