"""The organizer's registration search: a query too short to search says so beside the field, in the
reader's language, instead of claiming that no firm matches it."""
from __future__ import annotations

import pytest

from tests.fairs.conftest import make_fair
from tests.support.world import login_as, set_language


@pytest.mark.parametrize("lang, short, none", [
    ("en", "Type at least 2 characters of the firm's name.", "No firm to register matches"),
    ("es", "Escriba al menos 2 caracteres del nombre de la empresa.", "Ninguna empresa"),
])
def test_a_one_letter_search_asks_for_two_characters_beside_the_field(client, factory, cluster, lang, short, none):
    fair = make_fair(client, cluster)
    login_as(client, factory, cluster.users["organizer"])
    set_language(client, lang)
    path = f"/fairs/{fair['id']}"
    short = short.replace("'", "&#39;")  # as the page escapes it
    for query in ("a", "  a  "):
        html = client.get(path, query_string={"q": query}).get_data(as_text=True)
        assert f'id="q-error" data-field="q" data-testid="register-search-short">{short}</span>' in html
        assert 'aria-describedby="q-error"' in html and none not in html
    html = client.get(path, query_string={"q": "al"}).get_data(as_text=True)  # "Taller A" … two letters search
    assert 'data-testid="candidates"' in html and "Taller A" in html and short not in html
    html = client.get(path, query_string={"q": "zz"}).get_data(as_text=True)
    assert none in html and short not in html
