"""Every operation of the OpenAPI document, fuzzed for each role's token: never a server error.

Bounded in time (``MATCHMAKER_FUZZ_SECONDS``, default 56 s shared by the roles), seeded
(``MATCHMAKER_FUZZ_SEED``) so a failure replays. The world has a fair with a schedule, a vetting
case with an incident and an evidence file, so real ids reach deep into the views too.
"""
from __future__ import annotations

import io
import os

from sqlalchemy import select

from matchmaker import db
from matchmaker.requirements.records import Requirement
from tests.fairs.conftest import cluster, make_fair, register_all, wait_schedule  # noqa: F401  (fixtures)
from tests.security.openapi_fuzz import fuzz
from tests.vetting.conftest import _evidence_dir, incident, open_case, world  # noqa: F401  (fixtures)

SECONDS = float(os.environ.get("MATCHMAKER_FUZZ_SECONDS", "56"))
SEED = int(os.environ.get("MATCHMAKER_FUZZ_SEED", "20261201"))
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def _ids(app, client, cluster, world) -> dict[str, list[str]]:  # noqa: F811
    fair = make_fair(client, cluster)
    people = register_all(client, cluster, fair["id"])
    r = client.post(f"/api/v1/fairs/{fair['id']}/schedule", json={"time_limit": 2},
                    headers=cluster.tokens["organizer"])
    assert r.status_code == 202, r.json  # scheduling runs as a job
    meetings = [m["id"] for m in wait_schedule(client, cluster, r.get_json()["url"])["schedule"]["meetings"]]
    w = world
    inc = client.post("/api/v1/vetting/incidents", json=incident(w.buyer_org), headers=w.h[w.reporter]).json
    up = client.post(f"/api/v1/vetting/incidents/{inc['id']}/evidence", data={"evidence": (io.BytesIO(PDF), "a.pdf")},
                     headers=w.h[w.reporter], content_type="multipart/form-data")
    assert up.status_code == 201, up.json
    case_id = open_case(client, w)
    files = client.get(f"/api/v1/vetting/cases/{case_id}", headers=w.h[w.board_2]).json["incidents"][0]["evidence"]
    with app.app_context():
        requirements = list(db.session().scalars(select(Requirement.id)))
    orgs = [*cluster.makers, *cluster.buyers, w.buyer_org, w.reporter_org]
    return {"org_id": orgs, "req_id": requirements, "fair_id": [fair["id"]], "participant_id": list(people.values()),
            "meeting_id": meetings, "case_id": [case_id], "incident_id": [inc["id"]],
            "file_id": [f["id"] for f in files]}


def test_no_operation_gives_a_server_error_for_any_role(app, client, cluster, world):  # noqa: F811
    ids = _ids(app, client, cluster, world)
    document = client.get("/api/v1/openapi.json").json
    roles = {
        "anonymous": {},
        "buyer_user": cluster.tokens["buyer0"],
        "maker_user": cluster.tokens["maker0"],
        "association_staff": cluster.tokens["staff"],
        "board_member": world.h[world.board_2],
        "fair_organizer": cluster.tokens["organizer"],
        "platform_admin": cluster.tokens["admin"],
    }
    report, failures = [], []
    for i, (role, headers) in enumerate(roles.items()):
        tally = fuzz(client, document, headers, {k: [str(v) for v in vs] for k, vs in ids.items()},
                     seconds=SECONDS / len(roles), seed=SEED + i, skip_real_ids={"token_id"},
                     caps={"time_limit": 1})
        ok = sum(n for s, n in tally.statuses.items() if s < 400)
        report.append(f"{role}: {tally.requests} requests, {len(tally.server_errors)} server errors, "
                      f"{ok} accepted, statuses {dict(sorted(tally.statuses.items()))}")
        failures += [(role, *e) for e in tally.server_errors[:5]]
        failures += [(role, "error body", *e) for e in tally.bad_error_bodies[:5]]
        if headers:  # the fuzzed token must still work, or later requests proved nothing
            assert client.get("/api/v1/tokens", headers=headers).status_code == 200, role
    print("\nOpenAPI fuzz, " + str(len(document["paths"])) + " paths:\n  " + "\n  ".join(report))
    assert failures == [], "\n".join(map(repr, failures))
