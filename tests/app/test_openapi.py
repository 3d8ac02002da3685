"""The OpenAPI document describes what the API really does: every route, its request, its parameters and,
for each status it answers, a body. Real calls are matched to their operation by the app's own URL map:
their status must be documented and their body must have exactly the keys of the documented model."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from pydantic import BaseModel

from matchmaker.api.openapi import RESPONSES
from matchmaker.api.schemas import Error
from tests.support.world import set_language
from tests.fairs.conftest import cluster, make_fair, register_all, wait_schedule  # noqa: F401  (fixtures)

UNDOCUMENTED = {"api.openapi", "api.docs"}  # the document itself and its page


@pytest.fixture
def doc(client):
    return client.get("/api/v1/openapi.json").get_json()


def operations(doc):
    return [(method, path, op) for path, item in doc["paths"].items() for method, op in item.items()]


def test_every_api_route_is_an_operation_of_the_document(app, doc):
    documented = {(method, path) for method, path, _ in operations(doc)}
    for rule in app.url_map.iter_rules():
        if not str(rule).startswith("/api/v1") or rule.endpoint in UNDOCUMENTED:
            continue
        path = str(rule).replace("<int:", "{").replace("<", "{").replace(">", "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (method.lower(), path) in documented, (method, path)


def test_every_operation_documents_a_body_for_each_answer(doc):
    schemas = doc["components"]["schemas"]
    for method, path, op in operations(doc):
        assert op["summary"] and op["operationId"], (method, path)
        answers = op["responses"]
        assert any(s.startswith("2") for s in answers), (method, path)
        for status, answer in answers.items():
            if status == "204":
                assert "content" not in answer
                continue
            (media, body), = answer["content"].items()
            ref = body["schema"].get("$ref")
            assert ref is None or ref.rsplit("/", 1)[1] in schemas, (method, path, status)
            if status.startswith(("4", "5")):
                assert ref == "#/components/schemas/Error", (method, path, status)
        if "requestBody" in op:
            assert {"400", "415", "422"} <= set(answers) or "multipart/form-data" in op["requestBody"]["content"]
        if op.get("security"):
            assert "401" in answers, (method, path)
        for param in op.get("parameters", []):
            if param["in"] == "path":
                assert param["required"] and param["schema"]["type"] in ("integer", "string")


def test_query_parameters_of_search_and_listings_are_documented(doc):
    def query(path, method="get"):
        return {p["name"] for p in doc["paths"][path][method]["parameters"] if p["in"] == "query"}

    assert {"q", "process", "certificate", "near", "radius_km", "quantity", "sort", "page", "per_page",
            "lang"} <= query("/api/v1/search/makers")
    assert "fits_me" in query("/api/v1/search/requirements")
    assert {"k", "lang"} <= query("/api/v1/requirements/{req_id}/ranking")
    assert {"kind", "state", "country", "q", "page", "per_page"} <= query("/api/v1/organizations")


def test_statuses_and_roles_are_the_real_ones(doc):
    paths = doc["paths"]
    assert set(paths["/api/v1/tokens"]["post"]["responses"]) >= {"201", "401", "422", "429"}
    assert "security" not in paths["/api/v1/tokens"]["post"]
    assert "201" in paths["/api/v1/requirements"]["post"]["responses"]
    assert "200" not in paths["/api/v1/requirements"]["post"]["responses"]
    assert "202" in paths["/api/v1/fairs/{fair_id}/schedule"]["post"]["responses"]
    assert "204" in paths["/api/v1/tokens/{token_id}"]["delete"]["responses"]
    assert "text/csv" in paths["/api/v1/fairs/{fair_id}/schedule.csv"]["get"]["responses"]["200"]["content"]
    assert "application/pdf" in paths["/api/v1/fairs/{fair_id}/participants/{participant_id}/agenda.pdf"][
        "get"]["responses"]["200"]["content"]
    send = paths["/api/v1/inquiries"]["post"]
    assert send["description"].startswith("Roles: buyer_user") and "403" in send["responses"]
    assert "403" not in paths["/api/v1/makers"]["get"]["responses"]  # any signed-in user
    evidence = paths["/api/v1/vetting/incidents/{incident_id}/evidence"]["post"]["requestBody"]["content"]
    assert list(evidence) == ["multipart/form-data"]


def _keys(model: type[BaseModel]) -> set[str]:
    return {f.alias or name for name, f in model.model_fields.items()}


def _check_body(name: str, status: int, body, model) -> None:
    """``body`` validates against ``model`` and has its keys: every required one, nothing undocumented."""
    if model is None:
        assert body in (None, b""), (name, status)
        return
    model.model_validate(body)
    required = {f.alias or n for n, f in model.model_fields.items() if f.is_required()}
    assert required <= set(body) <= _keys(model), (name, status, set(body) ^ _keys(model))
    for key, field in model.model_fields.items():  # one level down: lists of models and nested models
        inner = field.annotation
        args = getattr(inner, "__args__", ())
        item = next((a for a in (inner, *args) if isinstance(a, type) and issubclass(a, BaseModel)), None)
        value = body.get(field.alias or key)
        if item is not None and isinstance(value, list) and value and isinstance(value[0], dict):
            assert set(value[0]) <= _keys(item), (name, key, set(value[0]) - _keys(item))
        elif item is not None and isinstance(value, dict):
            assert set(value) <= _keys(item), (name, key, set(value) - _keys(item))


def test_real_answers_have_a_documented_status_and_exactly_the_documented_keys(app, client, cluster, doc):  # noqa: F811
    t = cluster.tokens
    adapter = app.url_map.bind("localhost")
    seen: dict[str, set[int]] = {}
    by_id = {op["operationId"]: op for _, _, op in operations(doc)}

    def call(method, url, who, body=None, **kw):
        r = client.open(url, method=method, json=body, headers=t[who] if who else {}, **kw)
        endpoint, _ = adapter.match(url.split("?")[0], method=method)
        name = endpoint.removeprefix("api.")
        answers = by_id[name]["responses"]
        assert str(r.status_code) in answers, (method, url, r.status_code, r.get_json(silent=True))
        if r.mimetype == "application/json" or r.status_code == 204:
            model = RESPONSES[name].get(r.status_code, Error)  # 401 and 403 come from the role table
            _check_body(name, r.status_code, r.get_json(silent=True), model)
        seen.setdefault(name, set()).add(r.status_code)
        return r

    buyer_org, maker_org = cluster.buyers[0], cluster.makers[0]
    call("GET", "/api/v1/tokens", "buyer0")
    call("GET", "/api/v1/organizations?kind=maker", "buyer0")
    call("GET", f"/api/v1/organizations/{maker_org}", "buyer0")
    call("GET", f"/api/v1/organizations/{maker_org}/outcomes", "maker0")
    call("GET", "/api/v1/associations", "buyer0")
    call("GET", "/api/v1/makers?process=sewing", "buyer0")
    call("GET", f"/api/v1/makers/{maker_org}", "buyer0")
    call("GET", "/api/v1/buyers", "maker0")
    call("GET", f"/api/v1/buyers/{buyer_org}", "maker0")
    reqs = call("GET", "/api/v1/requirements", "buyer0").get_json()["items"]
    req = reqs[0]["id"]
    call("GET", f"/api/v1/requirements/{req}", "buyer0")
    call("GET", "/api/v1/requirements?bogus=1", "buyer0")
    call("GET", "/api/v1/makers/999999", "buyer0")
    call("POST", "/api/v1/requirements", "buyer0", {"title": ""})
    call("POST", "/api/v1/associations", "buyer0", {"name": "x"})
    call("GET", "/api/v1/makers", None)
    call("GET", "/api/v1/search/makers?q=denim&process=sewing", "buyer0")
    call("GET", "/api/v1/search/requirements?fits_me=1", "maker0")
    call("GET", f"/api/v1/requirements/{req}/ranking?k=5", "buyer0")

    call("POST", f"/api/v1/requirements/{req}/shortlist", "buyer0", {"maker_id": maker_org, "source": "search"})
    call("GET", f"/api/v1/requirements/{req}/shortlist", "buyer0")
    call("GET", "/api/v1/shortlists", "buyer0")
    sent = call("POST", "/api/v1/inquiries", "buyer0", {"requirement_id": req, "maker_ids": [maker_org],
                                                          "message": "Hola"}).get_json()["items"][0]
    call("GET", "/api/v1/inquiries", "maker0")
    call("GET", f"/api/v1/inquiries/{sent['id']}", "buyer0")
    call("POST", f"/api/v1/inquiries/{sent['id']}/answer", "maker0", {"decision": "accept"})
    call("POST", f"/api/v1/inquiries/{sent['id']}/answer", "maker0", {"decision": "accept"})  # once: 409
    valid = (date.today() + timedelta(days=30)).isoformat()
    call("POST", f"/api/v1/inquiries/{sent['id']}/quotes", "maker0",
         {"unit_price": 9.5, "lead_time_days": 20, "moq": 300, "valid_until": valid})
    call("GET", f"/api/v1/requirements/{req}/quotes", "buyer0")
    call("POST", f"/api/v1/inquiries/{sent['id']}/messages", "buyer0", {"body": "¿Muestras?"})
    call("GET", f"/api/v1/inquiries/{sent['id']}/messages", "maker0")
    call("POST", f"/api/v1/inquiries/{sent['id']}/events", "buyer0", {"event": "sample_requested"})
    call("GET", "/api/v1/notifications", "maker0")
    call("GET", "/api/v1/notifications/unread", "maker0")
    call("POST", "/api/v1/notifications/read", "maker0")
    call("DELETE", f"/api/v1/requirements/{req}/shortlist/{maker_org}", "buyer0")

    call("GET", "/api/v1/vetting/subjects", "maker0")
    call("GET", f"/api/v1/vetting/subjects/{buyer_org}/status", "buyer0")
    call("GET", "/api/v1/vetting/cases", "staff")

    fair = make_fair(client, cluster)
    call("GET", "/api/v1/fairs", "buyer0")
    call("GET", f"/api/v1/fairs/{fair['id']}", "buyer0")
    people = register_all(client, cluster, fair["id"])
    call("GET", f"/api/v1/fairs/{fair['id']}/participants", "organizer")
    call("GET", f"/api/v1/fairs/{fair['id']}/participants", "buyer0")
    call("GET", f"/api/v1/fairs/{fair['id']}/registration-candidates?q=Taller", "organizer")
    call("GET", f"/api/v1/fairs/{fair['id']}/recommendations", "buyer0")
    call("PUT", f"/api/v1/fairs/{fair['id']}/requests", "buyer0",
         {"to_participant_id": people[maker_org], "mark": "must"})
    call("GET", f"/api/v1/fairs/{fair['id']}/requests", "buyer0")
    call("GET", f"/api/v1/fairs/{fair['id']}/requests", "organizer")
    job = call("POST", f"/api/v1/fairs/{fair['id']}/schedule", "organizer", {"time_limit": 2}).get_json()
    done = wait_schedule(client, cluster, job["url"])
    call("GET", job["url"], "organizer")
    meeting = done["schedule"]["meetings"][0]
    call("GET", f"/api/v1/fairs/{fair['id']}/schedule", "organizer")
    call("POST", f"/api/v1/fairs/{fair['id']}/publish", "organizer", {"level": "final"})
    call("PATCH", f"/api/v1/fairs/{fair['id']}/meetings/{meeting['id']}", "organizer", {"locked": True})
    call("GET", f"/api/v1/fairs/{fair['id']}/participants/{people[buyer_org]}/agenda", "buyer0")
    call("GET", f"/api/v1/fairs/{fair['id']}/participants/{people[buyer_org]}/agenda.ics", "buyer0")
    call("GET", f"/api/v1/fairs/{fair['id']}/schedule.csv", "organizer")

    statuses = set().union(*seen.values())
    assert {200, 201, 202, 204, 400, 401, 403, 404, 409, 422} <= statuses, statuses
    assert len(seen) >= 50, sorted(seen)


def test_the_docs_page_is_served_from_vendored_files_under_the_csp(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<script>" not in html and "style=" not in html and "http" not in html.split("<body>")[0]
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    for asset in ("vendor/swagger-ui/swagger-ui-bundle.js", "vendor/swagger-ui/swagger-ui.css", "api-docs.js"):
        assert asset in html
        assert client.get(f"/static/{asset}").status_code == 200


def test_the_docs_page_links_back_into_the_app_in_the_readers_language(client):
    html = client.get("/api/v1/docs").get_data(as_text=True)
    assert '<a href="/" data-testid="back-to-app">Back to Matchmaker</a>' in html
    assert html.index('data-testid="back-to-app"') < html.index('id="swagger-ui"')  # Swagger UI does not replace it
    set_language(client, "es")
    html = client.get("/api/v1/docs").get_data(as_text=True)
    assert '<a href="/" data-testid="back-to-app">Volver a Matchmaker</a>' in html


def test_no_two_api_models_share_a_name():
    """The document names each model by its class name: two models called alike would overwrite each
    other (a monitoring ``PageQuery`` once gave every paged route its ``as_of`` and broke the docs page)."""
    import importlib
    import pkgutil

    from pydantic import BaseModel

    import matchmaker

    seen: dict[str, str] = {}
    clashes = []
    modules = ["matchmaker.api.schemas"] + [f"matchmaker.{m.name}.schemas"
                                            for m in pkgutil.iter_modules(matchmaker.__path__) if m.ispkg]
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == module.__name__:
                if obj.__name__ in seen and seen[obj.__name__] != obj.__module__:
                    clashes.append((obj.__name__, seen[obj.__name__], obj.__module__))
                seen.setdefault(obj.__name__, obj.__module__)
    assert clashes == []
