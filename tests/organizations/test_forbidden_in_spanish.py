"""Refusals in the reader's language: the 403s of ``api.common.forbidden`` (their message is a msgid the
extraction reads) and the search API's 400/403, which go through the shared DomainError handler."""
from __future__ import annotations

import pytest

ES = {"Accept-Language": "es"}


@pytest.fixture
def firms(factory):
    maker, other_maker = factory.org("maker", "Taller Propio"), factory.org("maker", "Taller Ajeno")
    buyer, other_buyer = factory.org("buyer", "Own Buyer", country="US"), factory.org("buyer", "Other Buyer")
    return {"maker": factory.token(factory.user("maker_user", maker)),
            "buyer": factory.token(factory.user("buyer_user", buyer)),
            "other_maker": other_maker, "other_buyer": other_buyer}


@pytest.mark.parametrize("who, method, path, english, spanish", [
    ("maker", "patch", "/api/v1/organizations/{other_maker}", "you may edit only your own organization",
     "solo puede editar su propia organización"),
    ("maker", "post", "/api/v1/organizations/{other_maker}/maker-profile",
     "you may create only your own firm's maker profile",
     "solo puede crear el perfil de fabricante de su propia empresa"),
    ("buyer", "post", "/api/v1/organizations/{other_buyer}/buyer-profile",
     "you may create only your own firm's buyer profile",
     "solo puede crear el perfil de comprador de su propia empresa"),
])
def test_forbidden_reads_in_the_reader_s_language(client, firms, who, method, path, english, spanish):
    url = path.format(**firms)
    for headers, text in (({}, english), (ES, spanish)):
        r = getattr(client, method)(url, json={"version": 1}, headers={**firms[who], **headers})
        assert r.status_code == 403, r.get_json()
        assert r.get_json()["error"] == {"status": 403, "code": "forbidden", "message": text, "fields": []}


def test_search_refusals_are_the_shared_handler_s_in_both_languages(client, firms):
    buyer = firms["buyer"]
    r = client.get("/api/v1/search/complete?q=lav&scope=requirements", headers=buyer)
    assert r.status_code == 403
    assert r.get_json()["error"]["message"] == "requirement titles are for those who may search requirements"
    r = client.get("/api/v1/search/complete?q=lav&scope=requirements", headers={**buyer, **ES})
    assert r.status_code == 403
    assert r.get_json()["error"]["message"] == ("los títulos de los requerimientos son para quienes pueden "
                                                "buscar requerimientos")
    for headers, problem in (({}, "choose a value from the list"), (ES, "elija un valor de la lista")):
        r = client.get("/api/v1/search/makers?sort=bogus", headers={**buyer, **headers})
        assert r.status_code == 400, r.get_json()
        error = r.get_json()["error"]
        assert [f["field"] for f in error["fields"]] == ["sort"]
        assert error["fields"][0]["problem"].startswith(problem)
        assert error["message"] == error["fields"][0]["problem"]
