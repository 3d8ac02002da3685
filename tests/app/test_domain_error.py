"""One refusal type, shown two ways: the API's JSON body in the reader's language, and a page form's
field (or a flash message when the refusal names no field of the form)."""
from __future__ import annotations

from flask import get_flashed_messages
from flask_wtf import FlaskForm
from wtforms import StringField

from matchmaker.errors import Conflict, DomainError, show_on_form
from matchmaker.forms import Problems


class _QuantityForm(FlaskForm):
    class Meta:
        csrf = False

    quantity = StringField()


def _refusal():
    # a sentence of the catalogue with a placeholder (orders.services.require_open)
    return DomainError("order_not_open", "This order is {state}: it takes no more changes.", field="quantity",
                       status=409, params={"state": "closed"})


def test_the_api_body_names_the_field_and_speaks_the_readers_language(app):
    handler = app.error_handler_spec[None][None][DomainError]
    for lang, expected in (("en", "This order is closed: it takes no more changes."), ("es", "closed")):
        with app.test_request_context("/api/orders/1", headers={"Accept-Language": lang}):
            response, status = handler(_refusal())
            body = response.get_json()["error"]
        assert status == 409 and body["status"] == 409 and body["code"] == "order_not_open"
        assert body["fields"] == [{"field": "quantity", "problem": body["message"]}]
        if lang == "en":
            assert body["message"] == expected
        else:
            assert body["message"] != "This order is closed: it takes no more changes." and expected in body["message"]


def test_a_lost_race_is_a_409_without_fields(app):
    handler = app.error_handler_spec[None][None][DomainError]
    with app.test_request_context("/api/orders/1"):
        response, status = handler(Conflict())
    assert status == 409 and response.get_json()["error"]["code"] == "conflict"
    assert response.get_json()["error"]["fields"] == []


def test_a_page_shows_the_refusal_beside_its_field_or_as_a_flash(app):
    with app.test_request_context("/orders/new", method="POST", data={"quantity": "5"}):
        form = _QuantityForm()
        show_on_form(_refusal(), form)
        assert form.quantity.errors == ["This order is closed: it takes no more changes."]
        problems = Problems()
        show_on_form(_refusal(), form, problems)
        assert problems.fields == {"quantity": ["This order is closed: it takes no more changes."]}
        show_on_form(DomainError("forbidden", "you may not do this", status=403), form)
        assert get_flashed_messages(with_categories=True) == [("error", "you may not do this")]
