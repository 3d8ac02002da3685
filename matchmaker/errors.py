"""Errors as users see them: JSON bodies on the API, friendly pages elsewhere.

One domain error, :class:`DomainError`, says why the app refuses a request: a stable ``code``, a
gettext msgid with ``{name}`` placeholders (filled from ``params``), the ``field`` it concerns and the
HTTP ``status``. It is worded when shown, in the reader's language (the API's reader chooses with
``Accept-Language``; English is the msgid itself). It is mapped in one place: :func:`init_app`'s
handler for the API (and a plain error page elsewhere), :func:`show_on_form` beside a page form's
field. :class:`Conflict` is the one subclass: a lost race (409) that pages answer with "reload".

Every API error has the same shape::

    {"error": {"status": 422, "code": "invalid", "message": "...",
               "fields": [{"field": "monthly_capacity", "problem": "must be at least 0"}]}}
"""
from __future__ import annotations

from .catalog import N_

import logging

from flask import Flask, flash, g, jsonify, render_template, request
from pydantic import ValidationError
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

LOST_RACE = N_("the change conflicts with a record saved at the same moment; reload and try again")


def _fill(message: str, params: dict) -> str:
    try:
        return message.format(**params) if params else message
    except (KeyError, IndexError, ValueError):
        return message


class DomainError(Exception):
    """A refused request: ``code`` (stable, for clients), ``message_id`` (an English gettext msgid with
    ``{name}`` placeholders), the ``field`` it concerns, the HTTP ``status`` and ``params``.

    ``fields`` lists the API's ``[{"field", "problem"}]`` when they differ from the one ``field``
    (problems are msgids too); ``headers`` go on the API response (e.g. ``Retry-After``).
    """

    def __init__(self, code: str, message_id: str, *, field: str | None = None, status: int = 422,
                 params: dict | None = None, fields: list[dict] | None = None, headers: dict | None = None,
                 problem: str | None = None):
        self.code, self.message_id, self.field, self.status = code, message_id, field, status
        self.params = dict(params or {})
        self.problem = problem  # the field's problem when it is worded apart from the message
        self.explicit_fields = list(fields or [])
        self.headers = dict(headers or {})
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The English sentence (the msgid with its placeholders filled): logs, ``str(exc)``."""
        return _fill(self.message_id, {k: str(v) for k, v in self.params.items()})

    template = property(lambda self: self.message_id)

    @property
    def fields(self) -> list[dict]:
        """The API's ``[{"field", "problem"}]``, worded in the reader's language."""
        return self.problems()

    def text(self, lang: str | None = None) -> str:
        """The message in ``lang`` (default: the reader's language)."""
        return _word(self.message_id, self.params, lang)

    def problems(self, lang: str | None = None) -> list[dict]:
        """The API's ``fields``: the listed ones, else the named field with its problem."""
        if self.explicit_fields:
            return [{"field": f["field"], "problem": _word(f["problem"], f.get("params") or {}, lang)}
                    for f in self.explicit_fields]
        if not self.field:
            return []
        return [{"field": self.field, "problem": _word(self.problem or self.message_id, self.params, lang)}]

    def reworded(self, message_id: str, *, code: str | None = None, status: int | None = None,
                 **params) -> DomainError:
        """The same refusal under another headline (e.g. the API names the field in its message);
        the field keeps its own problem."""
        return DomainError(code or self.code, message_id, field=self.field, status=status or self.status,
                           params={**self.params, **params}, fields=self.explicit_fields,
                           headers=self.headers, problem=self.problem or self.message_id)

    def as_dict(self) -> dict:
        """A job's result when it fails this way: enough to word it later in the reader's language."""
        return {"field": self.field, "code": self.code, "template": self.message_id,
                "params": {k: str(v) for k, v in self.params.items()}}


class Conflict(DomainError):
    """The record changed since the client read it, or a parallel request won a race: 409."""

    def __init__(self, message_id: str = LOST_RACE, **kwargs):
        kwargs.setdefault("status", 409)
        super().__init__("conflict", message_id, **kwargs)


def _word(message_id: str, params: dict, lang: str | None) -> str:
    from .i18n import locale, translate
    shown = {k: str(v) for k, v in params.items()}  # lazy values (labels) are worded now, in the reader's language
    try:
        return translate(message_id, lang or locale(), **shown)
    except (KeyError, IndexError, ValueError):
        return _fill(message_id, shown)


def show_on_form(exc: DomainError, form=None, problems=None) -> None:
    """Show a refusal on a page: beside the field it names when ``form`` (WTForms) has that field, else
    at the top. With ``problems`` (:class:`forms.Problems`, which the page's template renders) it goes
    there; otherwise into the form field's errors, or a flash message when it names no field of the form."""
    text = exc.text()
    named = bool(exc.field) and form is not None and exc.field in form
    if problems is not None:
        if named:
            problems.add(exc.field, text)
        else:
            problems.top.append(text)
    elif named:
        form[exc.field].errors = [*form[exc.field].errors, text]
    else:
        flash(text, "error")


def field_errors(exc: ValidationError) -> list[dict]:
    """Turn pydantic's errors into ``[{"field", "problem"}]`` with dotted field paths (by error type:
    an unknown field is ``unknown field``; other problems are pydantic's English sentence)."""
    out = []
    for err in exc.errors(include_url=False):
        # a model-level rule (``validation.rule_error``) names the field it concerns in its ctx
        loc = ".".join(str(p) for p in err["loc"]) or str((err.get("ctx") or {}).get("field") or "body")
        problem = "unknown field" if err["type"] == "extra_forbidden" else err["msg"]
        out.append({"field": loc, "problem": problem})
    return out


def is_unique_violation(exc: IntegrityError) -> bool:
    """A unique (or primary key) constraint refused the row, on PostgreSQL or SQLite."""
    orig = exc.orig
    if getattr(orig, "sqlstate", None) == "23505":
        return True
    return "UNIQUE constraint failed" in str(orig)


def _json_error(status: int, code: str, message: str, fields=None):
    body = {"error": {"status": status, "code": code, "message": message, "fields": fields or []}}
    return jsonify(body), status


def _wants_json() -> bool:
    return request.blueprint == "api" or request.path.startswith("/api/")


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain_error(exc: DomainError):
        # the one place a refusal becomes a response: the API's JSON body (pages catch theirs and show
        # it beside the form's field; one they do not catch gets the error page)
        if not _wants_json():
            _discard_failed_transaction()
            return render_template("error.html", status=exc.status, message=exc.text()), exc.status
        response, status = _json_error(exc.status, exc.code, exc.text(), exc.problems())
        response.headers.update(exc.headers)
        return response, status

    @app.errorhandler(ValidationError)
    def _validation_error(exc: ValidationError):
        return _json_error(422, "invalid", "the request has invalid fields", field_errors(exc))

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if _wants_json():
            return _json_error(exc.code or 500, exc.name.lower().replace(" ", "_"), exc.description or exc.name)
        _discard_failed_transaction()
        return render_template("error.html", status=exc.code, message=exc.description), exc.code

    @app.errorhandler(IntegrityError)
    def _integrity_error(exc: IntegrityError):
        # a unique constraint that held against a parallel request the code did not expect: the
        # request lost a race, which is a 409 (and the session is rolled back at teardown)
        if not is_unique_violation(exc):
            return _unexpected(exc)
        log.warning("unique constraint refused %s %s: %s", request.method, request.path, exc.orig)
        return _domain_error(Conflict())

    @app.errorhandler(StaleDataError)
    def _stale_data(exc: StaleDataError):
        # a row this request changes as a side effect (e.g. a decision touching the buyer's
        # requirements) was changed by a parallel request first: its optimistic lock held
        log.warning("optimistic lock refused %s %s: %s", request.method, request.path, exc)
        return _domain_error(Conflict())

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        _discard_failed_transaction()
        if _wants_json():
            return _json_error(500, "internal", "an unexpected error occurred; it has been logged")
        return render_template("error.html", status=500, message="An unexpected error occurred."), 500


def _discard_failed_transaction() -> None:
    """Roll the request's session back before an error page, so it can read the signed-in user again: after
    a failed flush (a lock, a lost race's unique key or stale version) every attribute read raises
    ``PendingRollbackError``, which turned the 500 and 409 pages into blank ones. The request failed, so
    nothing of it is to be kept; a connection that is gone still gets its page."""
    sess = g.get("db_session")
    if sess is not None:
        try:
            sess.rollback()
        except Exception:  # noqa: BLE001 - the page matters more than a dead connection's rollback
            log.warning("rollback before the error page failed", exc_info=True)
