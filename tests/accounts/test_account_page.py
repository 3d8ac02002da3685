"""The account page leads to the API documentation its tokens are for (nothing in the app linked to it)."""
from __future__ import annotations

from tests.support.world import login_as, set_language


def test_the_account_page_links_the_api_documentation_in_the_readers_language(client, factory):
    buyer = factory.org("buyer", name="Lone Star Denim")
    login_as(client, factory, factory.user("buyer_user", organization_id=buyer))
    set_language(client, "es")
    html = client.get("/account").get_data(as_text=True)
    assert 'href="/api/v1/docs" data-testid="api-docs">Documentación de la API</a>' in html
    assert "Un token permite que un programa use la API de Matchmaker a su nombre." in html
    assert client.get("/api/v1/docs").status_code == 200
