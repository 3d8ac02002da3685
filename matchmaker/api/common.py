"""Helpers every API view uses: body parsing, query parameters, pagination, reading and saving rows, errors."""
from __future__ import annotations

import re
from typing import TypeVar

from flask import Blueprint, jsonify, request
from flask.sansio.blueprints import BlueprintSetupState
from pydantic import BaseModel

from .. import db
from ..db import count
from ..errors import Conflict
from ..security import INT64_MAX
from ..catalog import N_
from ..errors import DomainError

M = TypeVar("M", bound=BaseModel)

MAX_PER_PAGE = 100
MAX_JSON_DEPTH = 32  # the deepest schema nests 3 levels; anything far deeper is hostile
INT64_MIN = -INT64_MAX - 1  # what every supported database stores in an integer column
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(rb"[\[\]{}]")


class ApiRoutes(Blueprint):
    """One concern's API routes: a child blueprint of ``api`` (``create_app`` nests it there, under
    ``/api/v1``) whose endpoints keep the parent's names, ``api.<view>``, so the role checks, ``url_for``
    and the bearer-token check (``request.blueprint == "api"``) see one API whatever module a view is in."""

    def make_setup_state(self, app, options, first_registration=False) -> BlueprintSetupState:
        state = super().make_setup_state(app, options, first_registration)
        state.name, state.name_prefix = state.name_prefix or state.name, ""
        return state


def parse_body(schema: type[M]) -> M:
    """Validate the JSON body against ``schema``; malformed JSON is a 400, invalid fields a 422."""
    if not request.is_json:
        raise DomainError("unsupported_media_type", "send the body as application/json", status=415)
    if json_depth(request.get_data(cache=True)) > MAX_JSON_DEPTH:
        raise DomainError("malformed_json", "the body nests deeper than {limit} levels",
                          status=400, params={"limit": MAX_JSON_DEPTH})
    body = request.get_json(silent=True)
    if body is None:
        raise DomainError("malformed_json", "the body is not valid JSON", status=400)
    if not isinstance(body, dict):
        raise DomainError("invalid", "the body must be a JSON object", status=422,
                          fields=[{"field": "body", "problem": "not an object"}])
    if problems := list(_unstorable(body, "")):
        raise DomainError("invalid", "the request has invalid fields", status=422,
                          fields=[{"field": path, "problem": problem} for path, problem in problems])
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
        raise DomainError("invalid_parameter", "{name} must be a whole number", status=400, params={"name": name},
                          fields=[{"field": name, "problem": "not a whole number"}]) from None
    if not minimum <= value <= maximum:
        raise DomainError("invalid_parameter", "{name} must be between {minimum} and {maximum}",
                          status=400, params={"name": name, "minimum": minimum, "maximum": maximum},
                          fields=[{"field": name, "problem": "out of range {minimum}..{maximum}",
                                   "params": {"minimum": minimum, "maximum": maximum}}])
    return value


def code_arg(name: str, vocab) -> str | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if raw not in vocab:
        raise DomainError("invalid_parameter", "unknown {name} code {code}", status=400,
                          params={"name": name, "code": repr(raw)},
                          fields=[{"field": name, "problem": "unknown code; allowed: {allowed}",
                                   "params": {"allowed": ", ".join(vocab.codes)}}])
    return raw


def reject_unknown_args(allowed: set[str]) -> None:
    unknown = sorted(set(request.args) - allowed - {"page", "per_page"})
    if unknown:
        raise DomainError("unknown_parameter", "unknown query parameter(s): {names}",
                          status=400, params={"names": ", ".join(unknown)},
                          fields=[{"field": name, "problem": "unknown parameter"} for name in unknown])


def page_args() -> tuple[int, int]:
    return int_arg("page", 1, 1, 100_000), int_arg("per_page", 20, 1, MAX_PER_PAGE)


def page_envelope(items: list, total: int, page: int, per_page: int) -> dict:
    return {"items": items, "total": total, "page": page, "per_page": per_page,
            "pages": (total + per_page - 1) // per_page}


def paged(stmt, to_dict=None, hydrate=None):
    """One page of ``stmt`` as the JSON page envelope: rows turned into dicts one by one (``to_dict``), or
    ``hydrate(session, ids)`` for many at once."""
    page, per_page = page_args()
    sess = db.session()
    total = count(sess, stmt)
    rows = sess.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    if hydrate is not None:
        found = hydrate(sess, rows)
        items = [found[i] for i in rows if i in found]
    else:
        items = [to_dict(r) for r in rows]
    return jsonify(page_envelope(items, total, page, per_page))


def get_or_404(model, ident, what):
    """The row of ``model`` with primary key ``ident``, or a 404 naming ``what``."""
    row = db.session().get(model, ident)
    if row is None:
        raise not_found(what, ident)
    return row


def saved(fn, *args):
    """Run the service write ``fn(session, *args)``, a lost race or taken unique value answering 409."""
    try:
        return fn(db.session(), *args)
    except Conflict as exc:
        raise conflict(exc) from None


def conflict(exc: Conflict) -> DomainError:
    """The API's 409 for a lost race: the Conflict's own message id and params (so it is worded in the
    reader's language), without the field it may name for a page."""
    return DomainError("conflict", exc.message_id, status=409, params=exc.params, headers=exc.headers)


NOT_FOUND = {
    "buyer profile": N_("no buyer profile {id}"), "case": N_("no case {id}"),
    "evidence file": N_("no evidence file {id}"), "fair": N_("no fair {id}"), "incident": N_("no incident {id}"),
    "job": N_("no job {id}"), "maker profile": N_("no maker profile {id}"), "meeting": N_("no meeting {id}"),
    "organization": N_("no organization {id}"), "participant": N_("no participant {id}"),
    "requirement": N_("no requirement {id}"),
}


def not_found(what: str, ident) -> DomainError:
    """A 404 naming the missing record, one sentence per kind so the reader's language has it whole."""
    if what in NOT_FOUND:
        return DomainError("not_found", NOT_FOUND[what], status=404, params={"id": ident})
    return DomainError("not_found", "no {what} {id}", status=404, params={"what": what, "id": ident})


def forbidden(message: str) -> DomainError:
    return DomainError("forbidden", message, status=403)
