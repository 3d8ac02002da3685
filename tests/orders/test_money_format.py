"""One money format on the order and quote pages: every price and amount is written by the ``money`` filter
(``i18n.format_currency``) in the reader's locale: ``$7.85`` in English, ``USD 7.85`` (a no-break space, as
CLDR spaces a currency code from its digits) in Mexican Spanish; never ``7.85 USD`` or ``USD7.85``."""
from __future__ import annotations

import re

import pytest

from matchmaker import i18n
from tests.orders.conftest import maker_order, quoted_inquiry
from tests.support.world import login_as, set_language

NBSP = "\xa0"


def test_the_money_format_spaces_a_currency_code_but_not_a_symbol():
    assert i18n.format_currency(7.85, "USD", lang="en") == "$7.85"
    assert i18n.format_currency(7.85, "USD", lang="es") == f"USD{NBSP}7.85"
    assert i18n.format_currency(-7.85, "USD", lang="es") == f"-USD{NBSP}7.85"
    assert i18n.format_currency(7.85, "MXN", lang="es") == "$7.85"
    assert i18n.format_currency(7.85, "MXN", lang="en") == "MX$7.85"


def _no_other_money_format(html: str) -> None:
    assert not re.search(r"\d USD|USD\d|\d\.\d\d</td><td>USD", html), "a price written another way"


@pytest.mark.parametrize("lang, price, amount, paid", [
    ("en", "$7.85", "$1,000.00", "$400.00"),
    ("es", f"USD{NBSP}7.85", f"USD{NBSP}1,000.00", f"USD{NBSP}400.00"),
])
def test_the_order_page_writes_every_amount_one_way(client, factory, world, lang, price, amount, paid):
    oid = maker_order(client, world, "maker1", buyer=world.buyer, unit_price=7.85)["id"]
    inv = client.post(f"/api/v1/orders/{oid}/invoices", json={"number": "F-1", "issued_on": "2026-01-10",
                                                              "amount": 1000}, headers=world.tokens["maker1"])
    assert inv.status_code == 201, inv.get_json()
    p = client.post(f"/api/v1/orders/{oid}/invoices/{inv.get_json()['id']}/payments",
                    json={"paid_on": "2026-01-20", "amount": 400}, headers=world.tokens["buyer"])
    assert p.status_code == 201, p.get_json()
    login_as(client, factory, world.users["buyer"])
    set_language(client, lang)
    html = client.get(f"/orders/{oid}").get_data(as_text=True)
    assert f'data-testid="term-unit_price">{price}</dd>' in html
    invoice = html[html.index('data-testid="invoice-'):]
    invoice = invoice[:invoice.index("</article>")]
    assert f"<p>{amount} ·" in invoice and f" {paid} · " in invoice  # the amount and what is paid
    assert f'<td class="num">{paid}</td>' in invoice  # the payment's row
    assert "400.00</td>" in invoice and ">400.00<" not in invoice
    _no_other_money_format(html)


@pytest.mark.parametrize("lang, price", [("en", "$8.50"), ("es", f"USD{NBSP}8.50")])
def test_the_quote_tables_write_the_price_with_its_currency_the_same_way(client, factory, world, lang, price):
    inq, (quote,) = quoted_inquiry(client, world)
    login_as(client, factory, world.users["buyer"])
    set_language(client, lang)
    html = client.get(f"/inquiries/{inq}").get_data(as_text=True)
    assert f'data-testid="quote-price-{quote}">{price}</td>' in html
    _no_other_money_format(html)
    html = client.get(f"/requirements/{world.req}/quotes").get_data(as_text=True)
    assert f'data-testid="quote-price">{price}</td>' in html
    _no_other_money_format(html)
