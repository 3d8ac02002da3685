"""Configuration from environment variables, with defaults that run on one machine.

``MATCHMAKER_DATABASE_URL``  SQLAlchemy URL; default a SQLite file under ``instance/``.
``MATCHMAKER_SECRET_KEY``    signs sessions and CSRF tokens; required unless demo mode.
``MATCHMAKER_DEMO``          ``1`` allows a generated secret key and shows demo logins.
``MATCHMAKER_SEARCH_URL``    ``embedded`` (default, files beside the database) or an
                             Elasticsearch URL such as ``http://127.0.0.1:9200``.
``MATCHMAKER_SEARCH_PATH``   where the embedded index lives; default ``instance/search``.
``MATCHMAKER_SEARCH_PREFIX`` prefix of index names, for deployments sharing one cluster.
``MATCHMAKER_SEARCH_SYNC``   how queued index changes reach the index: ``background`` (default with the
                             embedded index: a drainer thread per process, off the request path),
                             ``worker`` (default with Elasticsearch: a separate ``flask index sync``) or
                             ``inline`` (after each writing request, which then waits on the index).
``MATCHMAKER_SEARCH_REBUILD_WORKERS`` worker processes that build a rebuild's documents for the embedded
                             index; default one per usable core (none on one core); 0 builds them in
                             the rebuilding process.
``MATCHMAKER_SEARCH_REBUILD_PARALLEL_MIN`` smallest table (rows) whose rebuild uses those workers;
                             default 20000 (below, starting them costs more than they save).
``MATCHMAKER_MODEL_DIR``     where versioned model artifacts live; default ``instance/models``.
``MATCHMAKER_MAX_BODY_BYTES`` largest accepted request body; default 1 MiB.
``MATCHMAKER_SESSION_COOKIE_SECURE`` send the session cookie over HTTPS only; default on
                             outside demo and testing mode.
``MATCHMAKER_TRUSTED_PROXIES`` how many reverse proxies in front set ``X-Forwarded-*``
                             (their ``X-Forwarded-Proto: https`` then turns on HSTS); default 0.
``MATCHMAKER_RATE_LIMIT_URL`` where sign-in attempts are counted: ``memory`` (default, one
                             process) or ``redis://host:6379/0`` (shared by every worker).
``MATCHMAKER_TOKEN_CACHE``   where workers learn that users or API tokens changed, so they may cache bearer
                             checks: ``database`` (default, one primary-key read per API request),
                             ``redis://host:6379/0`` (no database read) or ``off``.
``MATCHMAKER_TOKEN_CACHE_SECONDS`` longest a cached bearer check is used; default 30.
``MATCHMAKER_CSRF_HOURS``    lifetime of a page form's CSRF token; default 8.
``MATCHMAKER_RANKING_SWAP_SHARE`` share of rankings served with one adjacent pair in random order
                             (position-bias estimation); default 0.05, 0 in testing mode.
``MATCHMAKER_RANKING_INTERLEAVE_SHARE`` share of rankings that team-draft interleave the learned
                             model with ``MATCHMAKER_RANKING_INTERLEAVE_AGAINST`` (``rule``, default,
                             or ``previous``: the model promoted before); default 0.05, 0 in testing mode.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path


class ConfigError(RuntimeError):
    """The environment does not describe a safe configuration."""


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _int_or_none(value: str | None) -> int | None:
    return int(value) if (value or "").strip() else None


def load_config(instance_path: str, overrides: dict | None = None) -> dict:
    env = os.environ
    overrides = overrides or {}
    instance = Path(instance_path)
    demo = overrides.get("DEMO", _flag(env.get("MATCHMAKER_DEMO")))
    testing = overrides.get("TESTING", False)
    secret = overrides.get("SECRET_KEY") or env.get("MATCHMAKER_SECRET_KEY")
    if not secret:
        if not (demo or testing):
            raise ConfigError("MATCHMAKER_SECRET_KEY must be set (or MATCHMAKER_DEMO=1 for a demo)")
        secret_file = instance / "demo-secret-key"
        instance.mkdir(parents=True, exist_ok=True)
        if not secret_file.exists():
            secret_file.write_text(secrets.token_hex(32))
        secret = secret_file.read_text().strip()
    # HTTPS-only session cookie unless demo/testing mode (plain HTTP on one machine) or set explicitly
    secure_cookie = _flag(env.get("MATCHMAKER_SESSION_COOKIE_SECURE", "0" if (demo or testing) else "1"))
    config = {
        "SECRET_KEY": secret,
        "DEMO": demo,
        "DATABASE_URL": env.get("MATCHMAKER_DATABASE_URL") or f"sqlite:///{instance / 'matchmaker.db'}",
        "SEARCH_URL": env.get("MATCHMAKER_SEARCH_URL") or "embedded",
        "SEARCH_PREFIX": env.get("MATCHMAKER_SEARCH_PREFIX", ""),
        "SEARCH_PATH": env.get("MATCHMAKER_SEARCH_PATH") or str(instance / "search"),
        "SEARCH_SYNC": env.get("MATCHMAKER_SEARCH_SYNC") or None,  # None: by backend, see search.sync.mode
        # None: one per usable core, see search.rebuilding.workers
        "SEARCH_REBUILD_WORKERS": _int_or_none(env.get("MATCHMAKER_SEARCH_REBUILD_WORKERS")),
        "SEARCH_REBUILD_PARALLEL_MIN": int(env.get("MATCHMAKER_SEARCH_REBUILD_PARALLEL_MIN") or 20_000),
        "MODEL_DIR": env.get("MATCHMAKER_MODEL_DIR") or str(instance / "models"),
        "MAX_CONTENT_LENGTH": int(env.get("MATCHMAKER_MAX_BODY_BYTES") or 1024 * 1024),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure_cookie,
        "REMEMBER_COOKIE_SECURE": secure_cookie,
        "TRUSTED_PROXIES": int(env.get("MATCHMAKER_TRUSTED_PROXIES") or 0),
        "RATE_LIMIT_URL": env.get("MATCHMAKER_RATE_LIMIT_URL") or "memory",
        "TOKEN_CACHE": env.get("MATCHMAKER_TOKEN_CACHE") or "database",
        "TOKEN_CACHE_SECONDS": float(env.get("MATCHMAKER_TOKEN_CACHE_SECONDS") or 30),
        "WTF_CSRF_TIME_LIMIT": int(float(env.get("MATCHMAKER_CSRF_HOURS") or 8) * 3600),
        "JSON_SORT_KEYS": False,
        # a fair's video meeting link; {fair}, {meeting} and {token} (unguessable, per pair) are filled in
        "FAIR_VIDEO_URL_TEMPLATE": env.get("MATCHMAKER_FAIR_VIDEO_URL_TEMPLATE")
        or "https://meet.jit.si/matchmaker-{fair}-{meeting}-{token}",
        "RANKING_SWAP_SHARE": float(env.get("MATCHMAKER_RANKING_SWAP_SHARE") or (0 if testing else 0.05)),
        "RANKING_INTERLEAVE_SHARE": float(env.get("MATCHMAKER_RANKING_INTERLEAVE_SHARE") or (0 if testing else 0.05)),
        "RANKING_INTERLEAVE_AGAINST": env.get("MATCHMAKER_RANKING_INTERLEAVE_AGAINST") or "rule",
    }
    config.update(overrides)
    return config
