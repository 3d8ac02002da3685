"""The organizer's participant settings form, refused, shows again what the organizer typed (the numbers,
the fixed table, the ticked slots) beside the reason, instead of the stored values it could not save."""
from __future__ import annotations

import re

import pytest

from tests.fairs.conftest import make_fair, register
from tests.support.world import csrf_from, login_as, set_language


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_refused_participant_form_keeps_what_was_typed(client, cluster, factory, lang):
    fair = make_fair(client, cluster)
    r = register(client, cluster, fair["id"], cluster.makers[0])
    assert r.status_code == 201, r.get_json()
    pid = r.get_json()["id"]
    path = f"/fairs/{fair['id']}/participants/{pid}"
    login_as(client, factory, cluster.users["organizer"])
    set_language(client, lang)
    page = client.get(path).get_data(as_text=True)
    slot = re.findall(r'name="unavailable" value="([^"]+)"', page)[1]
    table = re.findall(r'<option value="(\d+)"', page)[-1]
    r = client.post(path, data={"csrf_token": csrf_from(page), "min_meetings": "5", "max_meetings": "2",
                                "fixed_table_id": table, "unavailable": [slot]})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert 'name="min_meetings" value="5"' in html and 'name="max_meetings" value="2"' in html
    assert f'name="unavailable" value="{slot}" checked' in html
    assert f'<option value="{table}" selected>' in html
    reason = {"en": "must not exceed", "es": "no debe superar"}[lang]
    error = re.search(r'data-field="min_meetings"[^>]*>(.*?)</', html, re.S)
    assert error and reason in error.group(1), error
    page = client.get(path).get_data(as_text=True)  # nothing was saved
    assert 'name="min_meetings" value="5"' not in page and " checked" not in page
