"""The roles × routes matrix: every route of the app (pages and API) against every role and anonymous.

The expected outcome is this suite's own table (``tests/web/route_roles.py``), never the app's rules:

* anonymous on a protected page → redirect to the login page; on the API → 401 JSON;
* a signed-in role the table does not list → 403;
* a listed role → neither 401 nor 403 (nor a server error): path arguments name the
  role's own records, and POST/PUT bodies are valid, so neither object rules nor
  validation mask the route rule.

Object rules (records of other firms) are asserted separately below.
"""
from __future__ import annotations

import pytest
from werkzeug.routing import Rule
from werkzeug.routing.converters import NumberConverter

from matchmaker import db
from matchmaker import taxonomy as tx
from matchmaker.access import allow, endpoint_rule
from matchmaker.buyers.records import BuyerProfile
from matchmaker.makers.records import MakerProfile
from matchmaker.organizations.records import Organization
from matchmaker.requirements.records import Requirement

from tests.web.route_roles import PUBLIC, ROLES_BY_ENDPOINT, SIGNED_IN
from tests.support.world import (
    ASSOCIATION_BODY, BUYER_BODY, MAKER_BODY, ORGANIZATION_BODY, REQUIREMENT_BODY, World, build_world, csrf_from,
    login_as, maker_form, requirement_form,
)

ANONYMOUS = "anonymous"
PLACEHOLDER = 999_999
ROLES = [*tx.ROLES.codes, ANONYMOUS]


@pytest.fixture
def world(factory) -> World:
    return build_world(factory)


def _routes(app) -> list[tuple[Rule, str]]:
    """Every (rule, method) of the app; sign-in and sign-out last since they change the session."""
    pairs = [(rule, method) for rule in app.url_map.iter_rules()
             for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    last = {"auth.login": 1, "auth.logout": 2}
    return sorted(pairs, key=lambda p: (last.get(p[0].endpoint, 0), p[0].rule, p[1]))


def test_every_route_declares_its_roles(app):
    """A view without ``@allow`` is refused to everyone: each route of the app must say who calls it."""
    undeclared = sorted(rule.endpoint for rule in app.url_map.iter_rules() if endpoint_rule(app, rule.endpoint) is None)
    assert undeclared == [], "routes without @allow (refused to everyone: fail closed)"


def test_every_route_is_in_the_expectations(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(endpoints - set(ROLES_BY_ENDPOINT)) == [], "routes missing from tests/web/route_roles.py"
    assert sorted(set(ROLES_BY_ENDPOINT) - endpoints) == [], "route_roles.py lists endpoints that do not exist"


def test_each_route_declares_the_expected_roles(app):
    """The quick view of the matrix below: which declarations differ from this suite's table."""
    wrong = {endpoint: (endpoint_rule(app, endpoint), expected) for endpoint, expected in ROLES_BY_ENDPOINT.items()
             if endpoint in app.view_functions and endpoint_rule(app, endpoint) != expected}
    assert wrong == {}, "endpoint: (declared, expected)"


def test_an_undeclared_view_is_refused(app, factory, world):
    """Fail closed: a view that declares no roles never runs, for anyone, on a page or on the API; the
    same view with a declaration answers."""
    ran = []

    def undeclared():
        ran.append(True)
        return {"ran": True}

    def declared():
        return {"ran": True}

    app.add_url_rule("/probe/undeclared", "probe.undeclared", undeclared, methods=["GET"])
    app.add_url_rule("/api/v1/probe/undeclared", "api.probe_undeclared", undeclared, methods=["GET"])
    app.add_url_rule("/probe/declared", "probe.declared", allow(SIGNED_IN)(declared), methods=["GET"])
    client = app.test_client()
    page = client.get("/probe/undeclared")
    assert page.status_code == 302 and page.headers["Location"].startswith("/login")
    api = client.get("/api/v1/probe/undeclared")
    assert api.status_code == 401 and api.get_json()["error"]["code"] == "unauthenticated"
    headers = factory.token(world.users["platform_admin"])
    api = client.get("/api/v1/probe/undeclared", headers=headers)
    assert api.status_code == 403 and api.get_json()["error"]["code"] == "forbidden"
    login_as(client, factory, world.users["platform_admin"])
    assert client.get("/probe/undeclared").status_code == 403
    assert ran == []
    assert client.get("/probe/declared").get_json() == {"ran": True}


def _expected(endpoint: str, role: str) -> str:
    rule = ROLES_BY_ENDPOINT[endpoint]
    if rule == PUBLIC:
        return "allowed"
    if role == ANONYMOUS:
        return "unauthenticated"
    return "allowed" if rule == SIGNED_IN or role in rule else "forbidden"


def _own_org(world: World, role: str) -> int | None:
    return {"maker_user": world.maker_a, "buyer_user": world.buyer_a, "vendor_user": world.vendor_a}.get(role)


def _path_args(rule: Rule, role: str, world: World) -> dict:
    args: dict = {}
    endpoint = rule.endpoint
    for name in rule.arguments:
        if name == "filename":
            args[name] = "app.css"
        elif name == "req_id":
            args[name] = world.open_req
        elif name == "org_id":
            if endpoint in {"makers.edit", "api.get_maker", "api.update_maker"}:
                args[name] = world.maker_a
            elif endpoint == "api.create_maker":
                args[name] = world.maker_a if role == "maker_user" else world.maker_new
            elif endpoint in {"api.get_buyer", "api.update_buyer", "api.create_buyer"}:
                args[name] = world.buyer_a
            elif endpoint.startswith(("vendors.", "api.vendors_")):
                args[name] = world.vendor_a
            else:
                args[name] = _own_org(world, role) or world.maker_a
        else:
            # a record this matrix does not build (another concern's route): a nonexistent id, so an
            # allowed role must get past the role table and then a 404, never 401/403
            args[name] = PLACEHOLDER if isinstance(rule._converters[name], NumberConverter) else "none"
    return args


def _version(app, model, ident) -> int:
    with app.app_context():
        row = db.session().get(model, ident)
        return row.version if row is not None else 1


def _json_body(app, endpoint: str, args: dict, factory, world: World) -> dict | None:
    org_id, req_id = args.get("org_id"), args.get("req_id")
    return {
        "api.create_token": lambda: {"email": factory.email(world.users["maker_user"]), "password": factory.PASSWORD},
        "api.create_organization": lambda: ORGANIZATION_BODY,
        "api.update_organization": lambda: {"version": _version(app, Organization, org_id),
                                            "description": "Updated by the matrix test."},
        "api.create_association": lambda: ASSOCIATION_BODY,
        "api.create_maker": lambda: MAKER_BODY,
        "api.update_maker": lambda: {**MAKER_BODY, "version": _version(app, MakerProfile, org_id)},
        "api.create_buyer": lambda: BUYER_BODY,
        "api.update_buyer": lambda: {**BUYER_BODY, "version": _version(app, BuyerProfile, org_id)},
        "api.create_requirement": lambda: REQUIREMENT_BODY,
        "api.update_requirement": lambda: {**REQUIREMENT_BODY, "version": _version(app, Requirement, req_id)},
        "api.vendors_put_profile": lambda: {"supplies": ["denim_fabric"], "denim_oz_min": 10, "denim_oz_max": 14},
        "api.vendors_record_purchase": lambda: {"vendor_id": world.vendor_a, "purchased_on": "2026-01-05",
                                                "promised_on": "2026-01-20", "lot": "Denim 12 oz, 800 m"},
    }.get(endpoint, lambda: None)()


def _form_body(app, endpoint: str, args: dict, role: str, factory, world: World) -> dict:
    return {
        # anonymous posts an empty form (shown again, no sign-in); a role signs in again as itself
        "auth.login": lambda: ({"email": "", "password": ""} if role == ANONYMOUS
                               else {"email": factory.email(world.users[role]), "password": factory.PASSWORD}),
        "main.set_language": lambda: {"lang": "en", "next": "/"},
        "makers.edit": lambda: maker_form(MAKER_BODY, _version(app, MakerProfile, args["org_id"])),
        "requirements.new": lambda: requirement_form(REQUIREMENT_BODY),
        "requirements.edit": lambda: requirement_form(REQUIREMENT_BODY, _version(app, Requirement, args["req_id"])),
        "vendors.edit": lambda: {"supplies": "thread"},
        "vendors.record_purchase": lambda: {"vendor_id": str(world.vendor_a), "lot": "Thread", "currency": "MXN",
                                            "purchased_on": "2026-01-05", "promised_on": "2026-01-20"},
    }.get(endpoint, dict)()


# Refusals by an object rule that a listed role meets on the records this matrix can build,
# each with its reason; anything else that answers 401/403 to a listed role is a failure.
OBJECT_REFUSALS: dict[tuple[str, str], str] = {
    ("platform_admin", "api.vetting_list_cases"):
        "cases are listed per association; the admin names one with ?association_id=",
    **{("maker_user", endpoint): "only a maker user of a coordinator firm builds consortia"
       for endpoint in ("consortia.propose", "consortia.proposal", "consortia.lock", "consortia.send",
                        "consortia.share", "api.consortia_requirements", "api.consortia_propose",
                        "api.consortia_proposal", "api.consortia_job", "api.consortia_locks", "api.consortia_send")},
    **{("board_member", endpoint): "a purchase comes from a member firm; this board member's account has none"
       for endpoint in ("api.vendors_record_purchase", "vendors.record_purchase")},
}


def _outcome_problem(endpoint: str, role: str, is_api: bool, response) -> str | None:
    """What is wrong with ``response`` for ``role`` on ``endpoint`` (None when it matches the role table)."""
    expected, status = _expected(endpoint, role), response.status_code
    location = response.headers.get("Location", "")
    if expected == "unauthenticated" and is_api:
        if status != 401 or (response.get_json() or {}).get("error", {}).get("code") != "unauthenticated":
            return "expected 401 JSON (unauthenticated)"
    elif expected == "unauthenticated":
        if status != 302 or not location.startswith("/login"):
            return "expected a redirect to the login page"
    elif expected == "forbidden":
        if status != 403 or (is_api and (response.get_json() or {}).get("error", {}).get("code") != "forbidden"):
            return "expected 403 (role not in the table)"
    else:
        if status >= 500:
            return "server error"
        if status in {401, 403} and (role, endpoint) not in OBJECT_REFUSALS:
            return "a listed role was refused"
        if (not is_api and status == 302 and ROLES_BY_ENDPOINT[endpoint] != PUBLIC
                and location.startswith("/login") and endpoint != "auth.logout"):
            return "a listed role was sent to the login page"
    return None


@pytest.mark.parametrize("role", ROLES)
def test_roles_by_routes(app, client, factory, world, role):
    from flask import url_for

    headers = {}
    if role != ANONYMOUS:
        login_as(client, factory, world.users[role])
        headers = factory.token(world.users[role])
    problems, checked = [], 0
    for rule, method in _routes(app):
        endpoint = rule.endpoint
        args = _path_args(rule, role, world)
        with app.test_request_context():
            path = url_for(endpoint, **args)
        is_api = endpoint.startswith("api.")
        if is_api:
            body = _json_body(app, endpoint, args, factory, world) if method in {"POST", "PUT", "PATCH"} else None
            response = client.open(path, method=method, headers=headers, json=body)
        elif method == "GET":
            response = client.get(path)
        else:  # a form post carries the token of the page the browser showed (signing in renews it)
            csrf = csrf_from(client.get("/login").get_data(as_text=True))
            response = client.open(path, method=method,
                                   data={**_form_body(app, endpoint, args, role, factory, world), "csrf_token": csrf})
        problem = _outcome_problem(endpoint, role, is_api, response)
        if problem:
            problems.append(f"{role} {method} {path} ({endpoint}): {problem}, got {response.status_code}")
        checked += 1
    assert problems == []
    assert checked >= len(ROLES_BY_ENDPOINT)


# -- object rules: records of other firms ----------------------------------------------------------

def test_maker_cannot_replace_another_makers_profile(app, client, factory, world):
    headers = factory.token(world.users["maker_user"])
    version = _version(app, MakerProfile, world.maker_b)
    response = client.put(f"/api/v1/makers/{world.maker_b}", headers=headers, json={**MAKER_BODY, "version": version})
    assert response.status_code == 403
    assert client.post(f"/api/v1/organizations/{world.maker_b}/maker-profile", headers=headers,
                       json=MAKER_BODY).status_code == 403
    assert client.patch(f"/api/v1/organizations/{world.maker_b}", headers=headers,
                        json={"version": _version(app, Organization, world.maker_b), "name": "Hijacked"}
                        ).status_code == 403
    assert _version(app, MakerProfile, world.maker_b) == version
    # the same rule on the page
    login_as(client, factory, world.users["maker_user"])
    token = csrf_from(client.get("/home").get_data(as_text=True))
    response = client.post(f"/makers/{world.maker_b}/edit",
                           data={**maker_form(MAKER_BODY, version), "csrf_token": token})
    assert response.status_code == 403
    assert _version(app, MakerProfile, world.maker_b) == version


def test_buyer_cannot_touch_another_buyers_requirement(app, client, factory, world):
    headers = factory.token(world.users["buyer_b_user"])
    for req_id in (world.draft_req, world.open_req):
        version = _version(app, Requirement, req_id)
        assert client.get(f"/api/v1/requirements/{req_id}", headers=headers).status_code == 404
        response = client.put(f"/api/v1/requirements/{req_id}", headers=headers,
                              json={**REQUIREMENT_BODY, "version": version})
        assert response.status_code in {403, 404}
        assert _version(app, Requirement, req_id) == version
    listed = client.get("/api/v1/requirements", headers=headers).get_json()["items"]
    assert listed == []
    assert client.put(f"/api/v1/buyers/{world.buyer_a}", headers=headers,
                      json={**BUYER_BODY, "version": _version(app, BuyerProfile, world.buyer_a)}).status_code == 403
    login_as(client, factory, world.users["buyer_b_user"])
    assert client.get(f"/requirements/{world.draft_req}").status_code == 404
    assert client.get(f"/requirements/{world.draft_req}/edit").status_code == 404


def test_maker_sees_open_requirement_but_not_draft(client, factory, world):
    headers = factory.token(world.users["maker_b_user"])
    assert client.get(f"/api/v1/requirements/{world.open_req}", headers=headers).status_code == 200
    assert client.get(f"/api/v1/requirements/{world.draft_req}", headers=headers).status_code == 404
    login_as(client, factory, world.users["maker_b_user"])
    assert client.get(f"/requirements/{world.open_req}").status_code == 200
    assert client.get(f"/requirements/{world.draft_req}").status_code == 404


OUTCOME_LOG_READERS = {
    "maker_user": 200,          # maker A itself
    "platform_admin": 200,
    "maker_b_user": 404,        # another maker: answered as for a firm that does not exist
    "buyer_user": 404,          # a buyer
    "buyer_b_user": 404,        # even the buyer named in maker A's log
    "vendor_user": 403,         # an input vendor
    "association_staff": 403,
    "board_member": 403,
    "fair_organizer": 403,
    ANONYMOUS: 401,
}


def test_only_the_firm_reads_its_outcome_log(client, factory, world):
    for who, status in OUTCOME_LOG_READERS.items():
        headers = factory.token(world.users[who]) if who != ANONYMOUS else {}
        response = client.get(f"/api/v1/organizations/{world.maker_a}/outcomes", headers=headers)
        assert response.status_code == status, who
        if status == 200:
            assert [e["event"] for e in response.get_json()["items"]] == ["order_placed"]
