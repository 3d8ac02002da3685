"""The organizations and associations API: who creates associations, paging of the organization list."""
from __future__ import annotations


def test_only_admins_create_associations(client, factory):
    admin = factory.token(factory.user("platform_admin"))
    staff = factory.token(factory.user("association_staff"))
    body = {"name": "Asociación de Ropa Infantil", "slug": "infantil-gdl"}
    assert client.post("/api/v1/associations", json=body, headers=staff).status_code == 403
    created = client.post("/api/v1/associations", json=body, headers=admin)
    assert created.status_code == 201
    assert client.post("/api/v1/associations", json=body, headers=admin).status_code == 409
    listed = client.get("/api/v1/associations", headers=staff).json
    assert [a["slug"] for a in listed["items"]] == ["infantil-gdl"]


def test_pagination_is_stable_and_bounded(client, factory):
    headers = factory.token(factory.user("platform_admin"))
    ids = [factory.org("buyer", f"Buyer {i:02d}", country="US") for i in range(7)]
    pages = [client.get(f"/api/v1/organizations?kind=buyer&per_page=3&page={p}", headers=headers).json
             for p in (1, 2, 3, 4)]
    assert [o["id"] for page in pages for o in page["items"]] == ids
    assert pages[0]["total"] == 7 and pages[0]["pages"] == 3 and pages[3]["items"] == []
    assert client.get("/api/v1/organizations?per_page=1000", headers=headers).status_code == 400
