"""Accepting a quote whose minimum order is above the requirement's quantity opens the order at the quote's
minimum, and the buyer is told so on the order page it lands on, in the buyer's language; a minimum within
the requirement's quantity says nothing of the kind."""
from __future__ import annotations

import pytest

from tests.orders.conftest import QUOTE
from tests.support.world import csrf_from, login_as, set_language

# Spanish pages write numbers as es_MX does (4,500), like the rest of the cluster
WORDS = {"en": "The order&#39;s quantity is the quote&#39;s minimum, 4,500, above the 3,000 your requirement "
               "asked for.",
         "es": "La cantidad del pedido es el mínimo de la cotización, 4,500, por encima de las 3,000 que pedía su "
               "requerimiento."}


def _quote(client, world, moq: int) -> tuple[int, int]:
    r = client.post("/api/v1/inquiries", json={"requirement_id": world.req, "maker_ids": [world.makers[0]]},
                    headers=world.tokens["buyer"])
    assert r.status_code == 201, r.get_json()
    inq = r.get_json()["items"][0]["id"]
    q = client.post(f"/api/v1/inquiries/{inq}/quotes", json=dict(QUOTE, moq=moq), headers=world.tokens["maker0"])
    assert q.status_code == 201, q.get_json()
    return inq, q.get_json()["id"]


def _accept(client, factory, world, lang, inq, quote) -> str:
    login_as(client, factory, world.users["buyer"])
    set_language(client, lang)
    token = csrf_from(client.get(f"/inquiries/{inq}").get_data(as_text=True))
    r = client.post(f"/inquiries/{inq}/quotes/{quote}/accept", data={"csrf_token": token})
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    return client.get(r.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_order_page_says_the_quantity_is_the_quotes_minimum(client, factory, world, lang):
    inq, quote = _quote(client, world, moq=4500)  # the requirement asks for 3,000
    html = _accept(client, factory, world, lang, inq, quote)
    assert WORDS[lang] in html, html[:3000]
    order = client.get("/api/v1/orders", headers=world.tokens["buyer"]).get_json()["items"][0]
    assert order["quantity"] == 4500


def test_a_minimum_within_the_requirement_says_nothing(client, factory, world):
    inq, quote = _quote(client, world, moq=1000)
    html = _accept(client, factory, world, "en", inq, quote)
    assert "the quote&#39;s minimum" not in html and "Quote accepted: the order is open." in html
