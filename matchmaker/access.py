"""Who may call a route: the role constants, the ``@allow`` declaration every view carries, and the check
run before every request.

Each view names its roles on the line beside its route decorator::

    @bp.get("/makers/<int:org_id>/edit")
    @allow(MAKERS | ADMIN)
    def edit(org_id): ...

A ``before_request`` hook (``create_app``) reads the declaration from the view the request reached
(``app.view_functions[request.endpoint]``) and refuses the request before the view runs: anonymous
→ 401 (the login page for a page), a role the view does not name → 403. A view that declares nothing
is refused to everyone (fail closed); Flask's own endpoints (``static``) are listed here, since they
are not ours to decorate. Tests check that every route declares its roles and walk the whole
roles × routes matrix against their own table.

Object rules (which record: a firm's own profile, an association's own cases) are not here: each
concern keeps its own (``vetting/access.py``, ``fairs/access.py``, ``orders/access.py``, ...), the core
records theirs in ``permissions.py``. Views call them after loading the record.
"""
from __future__ import annotations

from typing import Callable, TypeVar

from .taxonomy import ROLES

PUBLIC = "public"            # anyone, signed in or not
SIGNED_IN = "signed_in"      # any signed-in user, whatever the role

ALL_ROLES = frozenset(ROLES.codes)
ADMIN = frozenset({"platform_admin"})
MAKERS = frozenset({"maker_user"})
BUYERS = frozenset({"buyer_user"})
VENDORS = frozenset({"vendor_user"})   # input vendors (issue 15): vetted like buyers, see matchmaker/vendors
SUBJECTS = BUYERS | VENDORS           # the firms the association vets: status, application, right of reply
ASSOCIATION = frozenset({"association_staff", "board_member", "fair_organizer"})
STAFF = frozenset({"association_staff", "platform_admin"})
BOARD = frozenset({"board_member"})
ASSOC_STAFF = frozenset({"association_staff"})
REVIEWERS = BOARD | ASSOC_STAFF | ADMIN          # vetting: case details and reporters (own association)
FAIR_RUNNERS = frozenset({"fair_organizer"}) | ADMIN
FAIR_PEOPLE = FAIR_RUNNERS | BUYERS | MAKERS      # runners, plus participants acting for their own firm
TALKERS = BUYERS | MAKERS                         # private threads and orders: never staff or the admin
MONITORING_ASSOCIATION = frozenset({"association_staff", "board_member"})  # the anonymised view of buyers
VENDOR_READERS = MAKERS | ASSOCIATION | ADMIN | VENDORS
PURCHASERS = MAKERS | BOARD                       # who records a purchase from an input vendor

Rule = str | frozenset
V = TypeVar("V", bound=Callable)

# Flask's own endpoints, which no view of ours declares: the static files are anyone's.
FRAMEWORK_ENDPOINTS: dict[str, Rule] = {"static": PUBLIC}

_ATTRIBUTE = "access_rule"


def allow(rule: Rule) -> Callable[[V], V]:
    """Declare who may call the view below: ``PUBLIC``, ``SIGNED_IN`` or a set of role codes.

    The view itself is returned (with the rule as an attribute), so the declaration may sit above or
    below the route decorator and wrappers made with ``functools.wraps`` keep it.
    """
    if rule not in (PUBLIC, SIGNED_IN):
        if not isinstance(rule, frozenset) or not rule or not rule <= ALL_ROLES:
            raise ValueError(f"allow() takes PUBLIC, SIGNED_IN or a non-empty set of role codes, not {rule!r}")

    def declare(view: V) -> V:
        earlier = getattr(view, _ATTRIBUTE, None)
        if earlier is not None and earlier != rule:
            raise ValueError(f"{view.__qualname__} declares two different rules: {earlier!r} and {rule!r}")
        setattr(view, _ATTRIBUTE, rule)
        return view
    return declare


def rule_of(view) -> Rule | None:
    """The rule ``view`` declares, or ``None`` when it declares none."""
    return getattr(view, _ATTRIBUTE, None)


def endpoint_rule(app, endpoint: str | None) -> Rule | None:
    """The rule of ``app``'s ``endpoint``: its view's declaration, or the framework's; ``None`` if neither."""
    if endpoint in FRAMEWORK_ENDPOINTS:
        return FRAMEWORK_ENDPOINTS[endpoint]
    return rule_of(app.view_functions.get(endpoint or ""))


def rule_allows(rule: Rule | None, user) -> int | None:
    """``None`` when ``user`` (``None``: anonymous) passes ``rule``; else the HTTP status to answer (401 or
    403). No rule refuses everyone: 401 before signing in, 403 after."""
    if rule is None:
        return 403 if user is not None else 401
    if rule == PUBLIC:
        return None
    if user is None:
        return 401
    if rule == SIGNED_IN or user.role in rule:
        return None
    return 403


def is_admin(user) -> bool:
    return user is not None and user.role == "platform_admin"


def acts_for(user, organization_id: int | None) -> bool:
    """The user works for this firm (its own maker or buyer account)."""
    return user is not None and organization_id is not None and user.organization_id == organization_id


def side_of(user, record) -> str | None:
    """``buyer`` or ``maker`` when ``user`` acts for that firm of ``record`` (an inquiry, an order: anything
    with ``buyer_id`` and ``maker_id``), as a buyer or maker account; else None."""
    if user is None or user.organization_id is None:
        return None
    if user.role == "buyer_user" and user.organization_id == record.buyer_id:
        return "buyer"
    if user.role == "maker_user" and user.organization_id == record.maker_id:
        return "maker"
    return None


def may_call(endpoint: str, user) -> bool:
    """Whether ``user`` may call ``endpoint`` of the current application: a page links only where it may go."""
    from flask import current_app
    return rule_allows(endpoint_rule(current_app, endpoint), user) is None
