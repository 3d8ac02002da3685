"""Errors as users see them: JSON bodies on the API, friendly pages elsewhere.

Every API error has the same shape::

    {"error": {"status": 422, "code": "invalid", "message": "...",
               "fields": [{"field": "monthly_capacity", "problem": "must be at least 0"}]}}
"""
from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from pydantic import ValidationError
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException
from .catalog import N_

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, fields: list[dict] | None = None,
                 headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or []
        self.headers = headers or {}  # e.g. Retry-After on a 429


def field_errors(exc: ValidationError) -> list[dict]:
    """Turn pydantic's errors into ``[{"field", "problem"}]`` with dotted field paths."""
    out = []
    for err in exc.errors(include_url=False):
        # a model-level rule (``validation.rule_error``) names the field it concerns in its ctx
        loc = ".".join(str(p) for p in err["loc"]) or str((err.get("ctx") or {}).get("field") or "body")
        problem = err["msg"]
        if err["type"] == "extra_forbidden":
            problem = "unknown field"
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
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        response, status = _json_error(exc.status, exc.code, exc.message, exc.fields)
        response.headers.update(exc.headers)
        return response, status

    @app.errorhandler(ValidationError)
    def _validation_error(exc: ValidationError):
        return _json_error(422, "invalid", "the request has invalid fields", field_errors(exc))

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if _wants_json():
            return _json_error(exc.code or 500, exc.name.lower().replace(" ", "_"), exc.description or exc.name)
        return render_template("error.html", status=exc.code, message=exc.description), exc.code

    @app.errorhandler(IntegrityError)
    def _integrity_error(exc: IntegrityError):
        # a unique constraint that held against a parallel request the code did not expect: the
        # request lost a race, which is a 409 (and the session is rolled back at teardown)
        if not is_unique_violation(exc):
            return _unexpected(exc)
        log.warning("unique constraint refused %s %s: %s", request.method, request.path, exc.orig)
        return _lost_race()

    @app.errorhandler(StaleDataError)
    def _stale_data(exc: StaleDataError):
        # a row this request changes as a side effect (e.g. a decision touching the buyer's
        # requirements) was changed by a parallel request first: its optimistic lock held
        log.warning("optimistic lock refused %s %s: %s", request.method, request.path, exc)
        return _lost_race()

    def _lost_race():
        message = N_("the change conflicts with a record saved at the same moment; reload and try again")
        if _wants_json():
            return _json_error(409, "conflict", message)
        from .i18n import gettext
        return render_template("error.html", status=409, message=gettext(message)), 409

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        if _wants_json():
            return _json_error(500, "internal", "an unexpected error occurred; it has been logged")
        return render_template("error.html", status=500, message="An unexpected error occurred."), 500
