"""The buyer is told how many makers got the inquiry, in a sentence that reads right for one maker."""
from __future__ import annotations

from tests.support.world import login_as, post_form


def test_one_maker_is_one_maker_in_both_languages(app, client, factory, world):
    r = client.post(f"/api/v1/requirements/{world.req}/shortlist", json={"maker_id": world.makers[0]},
                    headers=world.tokens["buyer"])
    assert r.status_code == 201
    login_as(client, factory, world.users["buyer"])
    r = post_form(client, f"/requirements/{world.req}/inquiries", {"maker_ids": [str(world.makers[0])],
                                                                    "message": "Hola"},
                  token_page=f"/requirements/{world.req}/shortlist")
    assert r.status_code == 302
    page = client.get("/inquiries").get_data(as_text=True)
    assert "Inquiry sent to 1 maker." in page and "1 makers" not in page


def test_the_spanish_page_says_one_fabricante(app, client, factory, world):
    for maker in world.makers[:2]:
        client.post(f"/api/v1/requirements/{world.req}/shortlist", json={"maker_id": maker},
                    headers=world.tokens["buyer"])
    login_as(client, factory, world.users["buyer"])
    assert post_form(client, "/language", {"lang": "es", "next": "/inquiries"}, token_page="/inquiries").status_code == 302
    r = post_form(client, f"/requirements/{world.req}/inquiries",
                  {"maker_ids": [str(m) for m in world.makers[:2]], "message": "Hola"},
                  token_page=f"/requirements/{world.req}/shortlist")
    assert r.status_code == 302
    page = client.get("/inquiries").get_data(as_text=True)
    assert "Consulta enviada a 2 fabricantes." in page
