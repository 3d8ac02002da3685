"""Helpers every API view uses: body parsing, query parameters, pagination, errors."""
from __future__ import annotations

import re
from functools import wraps
from typing import Callable, TypeVar

from flask import Blueprint, request
from flask.sansio.blueprints import BlueprintSetupState
from pydantic import BaseModel

from .. import db
from ..errors import ApiError
from ..security import INT64_MAX
from ..services import Conflict
from ..catalog import N_

M = TypeVar("M", bound=BaseModel)

MAX_PER_PAGE = 100
MAX_JSON_DEPTH = 32  # the deepest schema nests 3 levels; anything far deeper is hostile
INT64_MIN = -INT64_MAX - 1  # what every supported database stores in an integer column
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(rb"[\[\]{}]")


class ApiRoutes(Blueprint):
    """One concern's API routes: a child blueprint of ``api`` (``create_app`` nests it there, under
    ``/api/v1``) whose endpoints keep the parent's names, ``api.<view>``, so the role table, ``url_for``
    and the bearer-token check (``request.blueprint == "api"``) see one API whatever module a view is in."""

    def make_setup_state(self, app, options, first_registration=False) -> BlueprintSetupState:
        state = super().make_setup_state(app, options, first_registration)
        state.name, state.name_prefix = state.name_prefix or state.name, ""
        return state


def parse_body(schema: type[M]) -> M:
    """Validate the JSON body against ``schema``; malformed JSON is a 400, invalid fields a 422."""
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "send the body as application/json")
    if json_depth(request.get_data(cache=True)) > MAX_JSON_DEPTH:
        raise ApiError(400, "malformed_json", f"the body nests deeper than {MAX_JSON_DEPTH} levels")
    body = request.get_json(silent=True)
    if body is None:
        raise ApiError(400, "malformed_json", "the body is not valid JSON")
    if not isinstance(body, dict):
        raise ApiError(422, "invalid", "the body must be a JSON object",
                       [{"field": "body", "problem": "not an object"}])
    if problems := list(_unstorable(body, "")):
        raise ApiError(422, "invalid", "the request has invalid fields",
                       [{"field": path, "problem": problem} for path, problem in problems])
    return schema.model_validate(body)


def json_depth(raw: bytes) -> int:
    """How deeply ``raw`` nests arrays and objects, counted without parsing (so without recursion)."""
    depth = deepest = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub(b'""', raw)):
        if match.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _unstorable(value, path: str):
    """(dotted path, problem) of values no database column can hold: integers beyond 64 bits, strings
    with a NUL character (PostgreSQL refuses them). The depth is already bounded."""
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        if not INT64_MIN <= value <= INT64_MAX:
            yield path or "body", f"out of range {INT64_MIN}..{INT64_MAX}"
    elif isinstance(value, str):
        if "\x00" in value:
            yield path or "body", "contains a NUL character"
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _unstorable(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _unstorable(item, f"{path}.{i}" if path else str(i))


def int_arg(name: str, default: int | None = None, minimum: int = 0, maximum: int = 10**9) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, "invalid_parameter", f"{name} must be a whole number",
                       [{"field": name, "problem": "not a whole number"}]) from None
    if not minimum <= value <= maximum:
        raise ApiError(400, "invalid_parameter", f"{name} must be between {minimum} and {maximum}",
                       [{"field": name, "problem": f"out of range {minimum}..{maximum}"}])
    return value


def code_arg(name: str, vocab) -> str | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if raw not in vocab:
        raise ApiError(400, "invalid_parameter", f"unknown {name} code {raw!r}",
                       [{"field": name, "problem": f"unknown code; allowed: {', '.join(vocab.codes)}"}])
    return raw


def reject_unknown_args(allowed: set[str]) -> None:
    unknown = sorted(set(request.args) - allowed - {"page", "per_page"})
    if unknown:
        raise ApiError(400, "unknown_parameter", f"unknown query parameter(s): {', '.join(unknown)}",
                       [{"field": name, "problem": N_("unknown parameter")} for name in unknown])


def page_args() -> tuple[int, int]:
    return int_arg("page", 1, 1, 100_000), int_arg("per_page", 20, 1, MAX_PER_PAGE)


def page_envelope(items: list, total: int, page: int, per_page: int) -> dict:
    return {"items": items, "total": total, "page": page, "per_page": per_page,
            "pages": (total + per_page - 1) // per_page}


def conflict(exc: Conflict) -> ApiError:
    return ApiError(409, "conflict", str(exc))


def domain_errors(*errors: type[Exception], also: dict[type[Exception], Callable[[Exception], ApiError]] | None = None):
    """Decorator for a concern's API views: its domain errors (``status``, ``code``, ``field``, ``message``)
    become the API's JSON error naming the field, a lost optimistic-lock race (``Conflict``) a 409, and each
    type in ``also`` the ApiError its function builds. The request's session is rolled back first, so the
    failed write leaves nothing behind."""
    also = also or {}

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            try:
                return view(*args, **kwargs)
            except errors as exc:
                db.session().rollback()
                fields = [{"field": exc.field, "problem": exc.message}] if exc.field else []
                raise ApiError(exc.status, exc.code, exc.message, fields) from None
            except Conflict as exc:
                db.session().rollback()
                raise conflict(exc) from None
            except tuple(also) as exc:
                db.session().rollback()
                raise next(build for kind, build in also.items() if isinstance(exc, kind))(exc) from None
        return wrapper
    return decorate


def not_found(what: str, ident) -> ApiError:
    return ApiError(404, "not_found", f"no {what} {ident}")


def forbidden(message: str) -> ApiError:
    return ApiError(403, "forbidden", message)
