"""Every page answering GET, for each role and signed out, with hostile query strings: never a 500."""
from __future__ import annotations

from matchmaker.auth import SESSION_VERSION_KEY

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


FORM_FIELDS = ["subject_id", "organization_id", "association_id", "participant_id", "to_participant_id", "lang",
               "next", "action", "status", "vote", "outcome", "time_limit", "level", "mark", "description",
               "amount", "invoice_date", "paid_date", "terms_days", "severity", "type", "occurred_on", "review_on",
               "rationale", "min_meetings", "max_meetings", "slot_minutes", "sessions", "tables", "table_count",
               "name", "email", "password", "monthly_capacity", "quantity", "processes", "kind", "note"]
FORM_VALUES = ["", str(2**31), str(2**64), "-1", "1e999", "nan", "abc", "2026-02-30", "x" * 6000, "=1+1",
               "<script>x</script>", "1", "approve", "final", "must", "held"]


def _session_version(app, user_id: int) -> int:
    from matchmaker import db
    from matchmaker.accounts.records import User

    with app.app_context():
        return db.session().get(User, user_id).session_version or 0


def test_no_page_form_gives_a_server_error(app, client, cluster):  # noqa: F811
    import random
    import re
    rng = random.Random(7)
    rules = [r for r in app.url_map.iter_rules() if "POST" in r.methods and not r.rule.startswith("/api/")
             and r.endpoint != "auth.logout"]
    bad, requests, statuses = [], 0, {}
    for who in ["admin", "organizer", "staff", "maker0", "buyer0"]:
        with client.session_transaction() as sess:
            sess.clear()
            sess["_user_id"] = str(cluster.users[who])
            # the admin's sweep may have reset this user's password, which ended its sessions until now
            sess[SESSION_VERSION_KEY] = _session_version(app, cluster.users[who])
        token = re.search(r'name="csrf_token"[^>]*\bvalue="([^"]+)"', client.get("/home").get_data(as_text=True))
        for rule in rules:
            url = rule.rule
            for arg in rule.arguments:
                url = url.replace(f"<int:{arg}>", "1")
            for _ in range(8):
                form = {name: rng.choice(FORM_VALUES) for name in rng.sample(FORM_FIELDS, 8)}
                form["csrf_token"] = token.group(1)
                requests += 1
                r = client.post(url, data=form)
                statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
                if r.status_code >= 500:
                    bad.append((who, url, form, r.status_code))
    print(f"\npage form sweep: {requests} requests, {len(bad)} server errors, statuses {sorted(statuses.items())}")
    assert statuses.get(400, 0) < requests / 2  # most forms got past the CSRF check to their views
    assert bad == [], bad[:5]
