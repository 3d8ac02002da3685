"""Matchmaker: buyer–supplier matchmaking for clusters of small manufacturers.

``create_app`` builds the Flask application: configuration from the environment,
one database session per request, each view's declared roles checked before it runs, and
one blueprint per concern.
"""
from __future__ import annotations

import logging

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_wtf.csrf import CSRFProtect

from . import db, errors, i18n, ratelimit, security
from .auth import current_actor, is_api_request, login_manager
from .config import load_config
from .i18n import gettext, locale, ngettext, pgettext
from .access import endpoint_rule, rule_allows
from .all_tables import import_all_tables
from .tokens import cache as token_cache
from .errors import DomainError

csrf = CSRFProtect()


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(load_config(app.instance_path, overrides))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    import_all_tables()
    security.install_converters(app)
    db.init_app(app)
    i18n.init_app(app)
    token_cache.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    ratelimit.init_app(app)
    login_manager.init_app(app)
    csrf.init_app(app)

    from .accounts import api as accounts_api
    from .accounts import api_tokens as tokens_api
    from .api import create_blueprint, openapi
    from .buyers import api as buyers_api
    from .consortia import api as consortia_api
    from .contact import api as contact_api
    from .fairs import api as fairs_api
    from .fairs import api_meetings as fair_meetings_api
    from .makers import api as makers_api
    from .monitoring import api as monitoring_api
    from .orders import api as orders_api
    from .organizations import api as organizations_api
    from .ranking import api as ranking_api
    from .ratings import api as ratings_api
    from .requirements import api as requirements_api
    from .search import api as search_api
    from .vendors import api as vendors_api
    from .vetting import api as vetting_api

    api_bp = create_blueprint(module.bp for module in (
        tokens_api, organizations_api, makers_api, buyers_api, requirements_api, search_api, ranking_api,
        vetting_api, fairs_api, fair_meetings_api, contact_api, accounts_api, consortia_api, orders_api, ratings_api,
        monitoring_api, vendors_api, openapi))
    csrf.exempt(api_bp)  # the API authenticates by bearer token, never by cookie
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    _register_pages(app)

    app.before_request(_enforce_route_rules)
    from .paging import page_url
    app.jinja_env.globals.update(_=gettext, ngettext=ngettext, pgettext=pgettext, locale=locale,
                                  current_actor=current_actor, page_url=page_url)

    from .search import sync
    sync.init_app(app)

    from .cli import register_cli
    register_cli(app)
    return app


def _register_pages(app: Flask) -> None:
    """The server-rendered pages: one blueprint per concern (sign-in and home first)."""
    from .accounts import pages as accounts_pages
    from .accounts import pages_account, pages_signin
    from .admin import bp as admin
    from .consortia import pages as consortia_pages
    from .contact import pages as contact_pages
    from .contact import pages_inquiries, pages_notifications  # noqa: F401  (their routes join contact.bp)
    from .fairs import pages as fairs_pages
    from .fairs import pages_agendas, pages_meetings, pages_schedule  # noqa: F401  (their routes join fairs.bp)
    from .home import pages as home_pages
    from .makers import pages as makers_pages
    from .monitoring import pages as monitoring_pages
    from .orders import pages as orders_pages
    from .orders import pages_figures  # noqa: F401  (its routes join orders.bp)
    from .organizations import pages as organizations_pages
    from .ratings import pages as ratings_pages
    from .requirements import pages as requirements_pages
    from .search import pages as search_pages
    from .vendors import pages as vendors_pages
    from .vetting import pages as vetting_pages
    from .vetting import pages_board, pages_members, pages_status  # noqa: F401  (their routes join vetting.bp)

    for module in (pages_signin, pages_account, home_pages, organizations_pages, makers_pages, requirements_pages,
                   search_pages, vetting_pages, fairs_pages, contact_pages, consortia_pages, orders_pages,
                   monitoring_pages, vendors_pages, accounts_pages):
        app.register_blueprint(module.bp)
    app.register_blueprint(admin)
    app.register_blueprint(ratings_pages.bp)


def _enforce_route_rules():
    """Refuse the request before any view runs unless the view's ``@allow`` declaration admits the user;
    a view that declares nothing is refused (``access.rule_allows``)."""
    if request.endpoint is None:
        return None  # no such route: let it become a 404
    status = rule_allows(endpoint_rule(current_app, request.endpoint), current_actor())
    if status is None:
        return None
    if not is_api_request():
        if status == 401:
            return redirect(url_for("auth.login", next=request.full_path))
        abort(403)
    if status == 401:
        raise DomainError("unauthenticated", "a valid bearer token is required", status=401)
    raise DomainError("forbidden", "the role {role} may not call {endpoint}", status=403,
                      params={"role": current_actor().role, "endpoint": request.endpoint})
