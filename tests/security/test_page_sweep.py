"""Every page answering GET, for each role and signed out, with hostile query strings: never a 500."""
from __future__ import annotations

from tests.fairs.conftest import cluster  # noqa: F401  (fixture)

HUGE = str(2**64)
QUERIES = ["", f"?page={HUGE}", f"?association_id={HUGE}", f"?subject_id={HUGE}", "?q=%00%25_\\",
           f"?min_capacity={HUGE}", "?near=1e999,1e999&radius_km=1e999", "?near=nan,nan&radius_km=nan",
           "?sort=zzz&status=zz&kind=zz&lang=zz", "?next=//evil.example", "?process=a&process=" + "b" * 500]


def test_no_page_gives_a_server_error(app, client, cluster):  # noqa: F811
    rules = [r for r in app.url_map.iter_rules()
             if "GET" in r.methods and not r.rule.startswith(("/api/", "/static"))]
    bad, requests = [], 0
    for who in [None, "admin", "organizer", "staff", "maker0", "buyer0"]:
        with client.session_transaction() as sess:
            sess.clear()
            if who:
                sess["_user_id"] = str(cluster.users[who])
        for rule in rules:
            url = rule.rule
            for arg in rule.arguments:
                url = url.replace(f"<int:{arg}>", "1").replace(f"<{arg}>", "x")
            for query in QUERIES:
                requests += 1
                r = client.get(url + query)
                if r.status_code >= 500:
                    bad.append((who, url + query, r.status_code))
    print(f"\npage sweep: {requests} requests, {len(bad)} server errors")
    assert bad == []
