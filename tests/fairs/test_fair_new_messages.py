"""The new-fair form refused: each empty required field says so beside it ("This field is required."),
and a badly written line of the breaks says which field and line it is, beside the breaks box."""
from __future__ import annotations

import re
from datetime import timedelta

from tests.fairs.test_fair_pages import _new_fair, _post
from tests.support.world import login_as, set_language
from tests.support.dates import FAIR_DAY

EMPTY = {k: "" for k in ("name", "venue", "sessions", "breaks", "slot_minutes", "table_count", "table_labels",
                         "default_min_meetings", "default_max_meetings", "request_deadline")}


def _beside(html: str, field: str) -> str | None:
    match = re.search(rf'data-field="{field}">([^<]*)<', html)
    return match.group(1) if match else None


def test_an_empty_new_fair_flags_every_required_field_as_required(client, factory, cluster):
    login_as(client, factory, cluster.users["organizer"])
    set_language(client, "es")
    r = _post(client, "/fairs/new", "/fairs/new", EMPTY)
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    for field in ("name", "sessions", "table_count"):
        assert _beside(html, field) == "Este campo es obligatorio.", (field, _beside(html, field))
    assert "carácter" not in html
    assert _beside(html, "breaks") is None and _beside(html, "venue") is None  # optional


def test_a_bad_break_line_names_the_breaks_beside_their_box(client, factory, cluster):
    login_as(client, factory, cluster.users["organizer"])
    set_language(client, "es")
    r = _new_fair(client, breaks="\nmañana a las once")
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert _beside(html, "breaks") == "Recesos, línea 2: escriba AAAA-MM-DD HH:MM-HH:MM y una etiqueta opcional."
    assert _beside(html, "sessions") is None
    r = _new_fair(client, sessions="12 de marzo")
    assert _beside(r.get_data(as_text=True), "sessions").startswith("Sesiones, línea 1: ")


def test_a_table_count_out_of_range_says_so_beside_it_without_claiming_zero_tables(client, factory, cluster):
    login_as(client, factory, cluster.users["organizer"])
    r = _new_fair(client, table_count="100000")
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert _beside(html, "table_count") == "Number of tables: enter a number of at most 2,000."
    assert _beside(html, "tables") is None and "zero tables" not in html
    assert _new_fair(client, table_count="0" * 5000 + "3").status_code == 302  # leading zeros: 3 tables
    set_language(client, "es")
    html = _new_fair(client, table_count="5000").get_data(as_text=True)
    assert _beside(html, "table_count") == "Número de mesas: escriba un número de como máximo 2,000."


def test_a_table_count_below_one_asks_for_at_least_one_beside_it_never_zero_tables(client, factory, cluster):
    login_as(client, factory, cluster.users["organizer"])
    for typed in ("0", "000", "-3"):
        r = _new_fair(client, table_count=typed)
        html = r.get_data(as_text=True)
        assert r.status_code == 422, typed
        assert _beside(html, "table_count") == "Number of tables: enter a number of at least 1.", typed
        assert _beside(html, "tables") is None and "zero tables" not in html, typed
    set_language(client, "es")
    html = _new_fair(client, table_count="-3").get_data(as_text=True)
    assert _beside(html, "table_count") == "Número de mesas: escriba un número de al menos 1."
    assert "se indicaron cero" not in html


def test_a_request_deadline_already_past_is_refused_beside_it(client, factory, cluster):
    login_as(client, factory, cluster.users["organizer"])
    set_language(client, "es")
    r = _new_fair(client, request_deadline="2020-01-01T10:00")
    assert r.status_code == 422
    assert _beside(r.get_data(as_text=True), "request_deadline") == (
        "Fecha límite de solicitudes: la fecha límite de solicitudes ya pasó; elija una hora posterior o déjela "
        "vacía para mantener abiertas las solicitudes.")
    assert _new_fair(client, request_deadline=f"{FAIR_DAY - timedelta(days=11)}T18:00").status_code == 302


def test_a_break_outside_every_session_is_refused_beside_the_breaks(client, factory, cluster):
    login_as(client, factory, cluster.users["organizer"])
    later = FAIR_DAY + timedelta(days=31)  # the session's day typed a month off
    for lang, words in (("en", "Breaks: this break is outside every session: {} 11:00–11:30."),
                        ("es", "Recesos: este receso está fuera de todas las sesiones: {} 11:00–11:30.")):
        set_language(client, lang)
        r = _new_fair(client, sessions=f"{FAIR_DAY} 09:00-13:00", breaks=f"{later} 11:00-11:30 Café")
        html = r.get_data(as_text=True)
        assert r.status_code == 422
        assert _beside(html, "breaks") == words.format(later), _beside(html, "breaks")
        assert _beside(html, "sessions") is None
    r = _new_fair(client, sessions=f"{FAIR_DAY} 09:00-13:00", breaks=f"{FAIR_DAY} 11:00-11:30 Café")
    assert r.status_code == 302  # the same break on the session's day is taken
