"""A version beyond a 32-bit column on the coordinator's locks and send is a 422 naming it, not a 500
(PostgreSQL casts the bound value to INTEGER), and nothing is started or sent."""
from __future__ import annotations

from tests.consortia.test_consortia_api import _propose


def test_a_huge_version_is_a_422_naming_it(app, client, world):
    p = _propose(app, client, world)
    for method, path, body in (("put", "locks", {"locks": {}, "version": 2**40}),
                               ("post", "send", {"chosen": 0, "version": 2**40})):
        r = getattr(client, method)(f"/api/v1/consortia/proposals/{p['id']}/{path}", json=body,
                                    headers=world.h("coordinator"))
        assert r.status_code == 422, (path, r.json)
        assert [f["field"] for f in r.json["error"]["fields"]] == ["version"]
    again = client.get(f"/api/v1/consortia/proposals/{p['id']}", headers=world.h("coordinator")).json
    assert again["version"] == p["version"]
