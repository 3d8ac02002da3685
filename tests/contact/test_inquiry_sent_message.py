"""The buyer is told how many makers got the inquiry, in a sentence that reads right for one maker."""
from __future__ import annotations

from tests.contact.conftest import send_from_shortlist


def test_one_maker_is_one_maker_in_both_languages(app, client, factory, world):
    assert send_from_shortlist(client, factory, world, world.makers[:1]).status_code == 302
    page = client.get("/inquiries").get_data(as_text=True)
    assert "Inquiry sent to 1 maker." in page and "1 makers" not in page


def test_the_spanish_page_says_one_fabricante(app, client, factory, world):
    assert send_from_shortlist(client, factory, world, world.makers[:2], lang="es").status_code == 302
    page = client.get("/inquiries").get_data(as_text=True)
    assert "Consulta enviada a 2 fabricantes." in page
