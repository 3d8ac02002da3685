"""The contact pages end to end, in English and Spanish: a buyer sends its shortlist, a maker answers
and quotes, the buyer compares quotes; each refusal is shown beside its field with a 4xx status."""
from __future__ import annotations

import ast
import inspect
import re
from datetime import date, timedelta

from matchmaker.contact import conversations, inquiries, quotes, services, shortlists
from matchmaker.contact import pages as _pages  # noqa: F401  (registers the Spanish words)
from tests.support.catalog import spanish

from tests.contact.conftest import outcome_events
from tests.support.world import login_as, post_form, set_language


def _shortlist(client, world, makers):
    for m in makers:
        r = client.post(f"/api/v1/requirements/{world.req}/shortlist", json={"maker_id": m},
                        headers=world.tokens["buyer"])
        assert r.status_code == 201


def _field_error(html: str, field: str) -> str:
    match = re.search(rf'data-field="{field}">([^<]*)<', html)
    assert match, f"no message beside {field}"
    return match.group(1)


def test_buyer_sends_maker_answers_and_quotes_buyer_compares(app, client, factory, world):
    _shortlist(client, world, world.makers[:2])
    login_as(client, factory, world.users["buyer"])
    page_path = f"/requirements/{world.req}/shortlist"
    r = post_form(client, f"/requirements/{world.req}/inquiries", {"message": "Hola"}, token_page=page_path)
    assert r.status_code == 422 and _field_error(r.get_data(as_text=True), "maker_ids") == "Choose at least one maker."
    r = post_form(client, f"/requirements/{world.req}/inquiries",
                  {"maker_ids": [str(m) for m in world.makers[:2]], "message": "3,000 piezas"}, token_page=page_path)
    assert r.status_code == 302 and r.headers["Location"] == "/inquiries"
    assert len(outcome_events(app, event="contacted")) == 2
    sent = client.get("/inquiries").get_data(as_text=True)
    assert "Taller Azul" in sent and "Mezclilla Norte" in sent
    # maker 0, in Spanish: declining without a reason is refused beside the field
    client2 = app.test_client()
    login_as(client2, factory, world.users["maker0"])
    set_language(client2, "es")
    inbox = client2.get("/inquiries").get_data(as_text=True)
    assert "Bandeja de consultas" in inbox and "Lone Star Denim" in inbox and "Aprobado" in inbox
    inq0 = int(re.search(r'href="/inquiries/(\d+)"', inbox).group(1))
    path = f"/inquiries/{inq0}"
    r = post_form(client2, f"{path}/answer", {"decision": "decline", "version": "1"}, token_page=path)
    assert r.status_code == 422 and _field_error(r.get_data(as_text=True), "reason") == "Elija una razón para rechazar."
    r = post_form(client2, f"{path}/quote", {"unit_price": "-3", "lead_time_days": "20", "moq": "800",
                                             "valid_until": "2001-01-01", "currency": "USD"}, token_page=path)
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert _field_error(html, "unit_price").startswith("Debe ser")
    assert _field_error(html, "valid_until") == "La fecha de vigencia debe ser hoy o posterior."
    valid = (date.today() + timedelta(days=20)).isoformat()
    r = post_form(client2, f"{path}/quote", {"unit_price": "9.80", "lead_time_days": "25", "moq": "800",
                                             "valid_until": valid, "currency": "USD", "notes": "Incluye etiquetas"},
                  token_page=path)
    assert r.status_code == 302
    page = client2.get(path).get_data(as_text=True)
    assert 'data-testid="inquiry-status">Aceptada' in page and "9.80" in page
    # maker 1 declines with a reason from the list
    client3 = app.test_client()
    login_as(client3, factory, world.users["maker1"])
    inq1 = int(re.search(r'href="/inquiries/(\d+)"', client3.get("/inquiries").get_data(as_text=True)).group(1))
    r = post_form(client3, f"/inquiries/{inq1}/answer", {"decision": "decline", "reason": "lead_time", "version": "1"},
                  token_page=f"/inquiries/{inq1}")
    assert r.status_code == 302
    # answering again (a stale form) is a 409 with the inquiry as it is now
    r = post_form(client3, f"/inquiries/{inq1}/answer", {"decision": "accept", "version": "1"},
                  token_page=f"/inquiries/{inq1}")
    assert r.status_code == 409 and "Declined" in r.get_data(as_text=True)
    assert client3.get(f"/inquiries/{inq0}").status_code == 404  # another maker's inquiry
    # the buyer compares quotes and records progress
    quotes = client.get(f"/requirements/{world.req}/quotes").get_data(as_text=True)
    assert "Taller Azul" in quotes and "9.80" in quotes and "Mezclilla Norte" not in quotes
    detail = client.get(f"/inquiries/{inq1}").get_data(as_text=True)
    assert 'data-testid="decline-reason">Lead time too short' in detail
    r = post_form(client, f"/inquiries/{inq0}/events", {"event": "sample_requested"}, token_page=f"/inquiries/{inq0}")
    assert r.status_code == 302
    assert [e[0] for e in outcome_events(app, maker_id=world.makers[0], buyer_id=world.buyer)
            if e[0] != "shortlisted"] == ["contacted", "quoted", "sample_requested"]


def test_an_uncleared_buyer_sees_why_on_the_shortlist_page(app, client, factory, world):
    r = client.post(f"/api/v1/requirements/{world.other_req}/shortlist", json={"maker_id": world.makers[0]},
                    headers=world.tokens["other_buyer"])
    assert r.status_code == 201  # shortlisting is research; contacting needs clearance
    login_as(client, factory, world.users["other_buyer"])
    set_language(client, "es")
    path = f"/requirements/{world.other_req}/shortlist"
    page = client.get(path).get_data(as_text=True)
    assert 'data-testid="not-cleared"' in page and "solicite la evaluación" in page
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    r = client.post(f"/requirements/{world.other_req}/inquiries",
                    data={"csrf_token": token, "maker_ids": str(world.makers[0])})
    assert r.status_code == 403 and "solicite la evaluación" in r.get_data(as_text=True)
    assert outcome_events(app, event="contacted") == []
    assert client.get(f"/requirements/{world.req}/shortlist").status_code == 404  # another buyer's


def test_every_message_the_services_raise_has_spanish():
    """Walk the DomainError calls of the services: each English message id has a Spanish entry."""
    messages = []
    for module in (services, shortlists, inquiries, quotes, conversations):
        messages += _raised_messages(ast.parse(inspect.getsource(module)))
    assert len(messages) >= 12
    assert [m for m in messages if m not in spanish()] == []


def _raised_messages(tree: ast.AST) -> list[str]:
    messages = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "DomainError":
            arg = node.args[1]
            messages.append(ast.literal_eval(arg))
    return messages


def test_every_word_of_the_contact_pages_has_spanish():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "matchmaker"
    words = set()
    for path in (root / "templates" / "contact").glob("*.html"):
        words |= set(re.findall(r'_\("([^"]+)"', path.read_text()))
    words |= {"Shortlists", "Inquiries", "Notifications"}  # the nav links in base.html
    for table in (_pages.STATUS_LABELS, _pages.EVENT_LABELS, _pages.EVENT_ACTIONS, _pages.SOURCE_LABELS):
        words |= set(table.values())
    assert sorted(w for w in words if w not in spanish()) == []
