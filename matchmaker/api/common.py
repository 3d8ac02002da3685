"""Helpers every API view uses: body parsing, query parameters, pagination, errors."""
from __future__ import annotations

from typing import TypeVar

from flask import request
from pydantic import BaseModel

from ..errors import ApiError
from ..services import Conflict

M = TypeVar("M", bound=BaseModel)

MAX_PER_PAGE = 100


def parse_body(schema: type[M]) -> M:
    """Validate the JSON body against ``schema``; malformed JSON is a 400, invalid fields a 422."""
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "send the body as application/json")
    body = request.get_json(silent=True)
    if body is None:
        raise ApiError(400, "malformed_json", "the body is not valid JSON")
    if not isinstance(body, dict):
        raise ApiError(422, "invalid", "the body must be a JSON object", [{"field": "body", "problem": "not an object"}])
    return schema.model_validate(body)


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
                       [{"field": name, "problem": "unknown parameter"} for name in unknown])


def page_args() -> tuple[int, int]:
    return int_arg("page", 1, 1, 100_000), int_arg("per_page", 20, 1, MAX_PER_PAGE)


def page_envelope(items: list, total: int, page: int, per_page: int) -> dict:
    return {"items": items, "total": total, "page": page, "per_page": per_page,
            "pages": (total + per_page - 1) // per_page}


def conflict(exc: Conflict) -> ApiError:
    return ApiError(409, "conflict", str(exc))


def not_found(what: str, ident) -> ApiError:
    return ApiError(404, "not_found", f"no {what} {ident}")


def forbidden(message: str) -> ApiError:
    return ApiError(403, "forbidden", message)
