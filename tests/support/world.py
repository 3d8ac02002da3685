"""A small cluster for the page tests: one association, two makers, two buyers, requirements, a user per role.

Also the helpers a browser would use: read the CSRF token from a page, sign in
through the login form, post a form with the page's token.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from matchmaker import db
from matchmaker.buyers.services import create_buyer_profile
from matchmaker.makers.services import create_maker_profile
from matchmaker.requirements.services import create_requirement
from matchmaker.buyers.schemas import BuyerProfileIn
from matchmaker.makers.schemas import MakerProfileIn
from matchmaker.requirements.schemas import RequirementIn
from matchmaker.organizations.records import Association, Membership
from matchmaker.ranking.records import OutcomeEvent
from tests.support.vetting import clear_buyer
from tests.support.dates import years_ahead

from tests.conftest import Factory

CERTIFICATE_VALID_UNTIL = years_ahead(5)  # the makers' ISO 9001, valid for years to come
MAKER_BODY = {
    "headcount": 40, "service_tier": "full_package", "monthly_capacity": 20000, "peak_spare_capacity": 3000,
    "min_order_qty": 500, "committed_share": 0.3, "sample_lead_days": 6, "order_lead_days": 21,
    "quality_tier": "standard", "reject_rate_pct": 2.5, "lab_tests": ["shrinkage"],
    "design_capability": True, "export_experience": True, "export_share_pct": 35, "languages": ["es", "en"],
    "processes": ["cutting", "sewing", "laundry"], "product_lines": ["jeans_western"],
    "niches": ["latino_market"], "unit_price_min": 7.5, "unit_price_max": 12,
    "certificates": [{"kind": "iso9001", "issuer": "IMNC", "number": "MX-9001-77",
                      "valid_until": CERTIFICATE_VALID_UNTIL.isoformat()}],
    "about": "Lavandería propia.",
}

BUYER_BODY = {"buyer_type": "brand", "annual_volume_units": 100000, "typical_order_qty": 3000,
              "segments": ["jeans_stretch_women"]}

REQUIREMENT_BODY = {
    "title": "Stretch jeans for spring", "product_line": "jeans_stretch_women", "quantity": 3000,
    "monthly_volume": 1500, "unit_price_min": 8, "unit_price_max": 11, "currency": "USD",
    "lead_time_days": 30, "min_quality_tier": "standard", "processes": ["sewing", "laundry"],
    "certificates": [], "niches": ["fashion_small_batch"], "style_text": "Mid-rise, dark wash.",
    "hard_constraints": ["processes", "lead_time"], "status": "open",
}

ORGANIZATION_BODY = {"kind": "maker", "name": "Nuevo Taller", "country": "MX", "state": "Jalisco"}
ASSOCIATION_BODY = {"name": "Children's wear makers", "slug": "ninos-gdl", "sector": "children's wear"}


@dataclass
class World:
    association: int
    maker_a: int
    maker_b: int
    maker_new: int  # a maker firm without a profile yet
    buyer_a: int
    buyer_b: int
    open_req: int
    draft_req: int
    users: dict[str, int] = field(default_factory=dict)  # role (and "maker_b_user", ...) -> user id
    vendor_a: int | None = None  # an input vendor firm (issue 15), its vendor_user in users


def build_world(factory: Factory) -> World:
    app = factory.app
    maker_a = factory.org("maker", name="Taller Azul", city="Guadalajara", state="Jalisco")
    maker_b = factory.org("maker", name="Mezclilla Norte", city="Aguascalientes", state="Aguascalientes")
    maker_new = factory.org("maker", name="Confecciones Nuevas", city="Zapotlanejo", state="Jalisco")
    buyer_a = factory.org("buyer", name="Lone Star Denim", country="US", city="Dallas", state="TX")
    buyer_b = factory.org("buyer", name="Pacific Boutique", country="US", city="Los Angeles", state="CA")
    with app.app_context():
        sess = db.session()
        assoc = Association(name="Jeans makers of Guadalajara", slug="jeans-gdl", sector="denim",
                            city="Guadalajara", state="Jalisco")
        sess.add(assoc)
        sess.flush()
        sess.add_all([Membership(association_id=assoc.id, organization_id=maker_a, role="board"),
                      Membership(association_id=assoc.id, organization_id=maker_b)])
        sess.commit()
        association = assoc.id
        from matchmaker.organizations.records import Organization
        for org_id in (maker_a, maker_b):
            create_maker_profile(sess, sess.get(Organization, org_id), MakerProfileIn(**MAKER_BODY))
        for org_id in (buyer_a, buyer_b):
            create_buyer_profile(sess, sess.get(Organization, org_id), BuyerProfileIn(**BUYER_BODY))
    users = {
        "buyer_user": factory.user("buyer_user", buyer_a),
        "buyer_b_user": factory.user("buyer_user", buyer_b),
        "maker_user": factory.user("maker_user", maker_a),
        "maker_b_user": factory.user("maker_user", maker_b),
        "maker_new_user": factory.user("maker_user", maker_new),
        "association_staff": factory.user("association_staff", association_id=association),
        "board_member": factory.user("board_member", association_id=association),
        "fair_organizer": factory.user("fair_organizer", association_id=association),
        "platform_admin": factory.user("platform_admin"),
    }
    vendor_a = factory.org("input_vendor", name="Hilos y Telas del Bajío", city="León", state="Guanajuato")
    users["vendor_user"] = factory.user("vendor_user", vendor_a)
    with app.app_context():
        sess = db.session()
        open_req = create_requirement(sess, buyer_a, users["buyer_user"],
                                      RequirementIn(**REQUIREMENT_BODY)).id
        draft_req = create_requirement(
            sess, buyer_a, users["buyer_user"],
            RequirementIn(**{**REQUIREMENT_BODY, "title": "Secret capsule collection", "status": "draft"})).id
        sess.add(OutcomeEvent(buyer_id=buyer_b, maker_id=maker_a, event="order_placed", requirement_id=None))
        sess.commit()
        clear_buyer(sess, buyer_a, association)  # the board approved buyer A: makers see its open requests
    sync_search(app)
    return World(association, maker_a, maker_b, maker_new, buyer_a, buyer_b, open_req, draft_req, users, vendor_a)


def sync_search(app) -> None:
    """Feed the records written above into the search index, as the app's own sync step would."""
    from matchmaker.search.sync import backend, drain

    with app.app_context():
        drain(db.session(), backend(app), app)


# -- what a browser does -----------------------------------------------------------------------

_CSRF = re.compile(r'name="csrf_token"[^>]*\bvalue="([^"]+)"')


def csrf_from(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "the page carries no csrf_token"
    return match.group(1)


def page_token(client, path: str = "/login") -> str:
    return csrf_from(client.get(path).get_data(as_text=True))


def login(client, email: str, password: str = Factory.PASSWORD):
    token = page_token(client, "/login")
    return client.post("/login", data={"csrf_token": token, "email": email, "password": password})


def login_as(client, factory: Factory, user_id: int):
    response = login(client, factory.email(user_id))
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


def set_language(client, lang: str) -> None:
    token = page_token(client, "/login")
    client.post("/language", data={"csrf_token": token, "lang": lang, "next": "/"})


def post_form(client, path: str, data: dict, token_page: str | None = None):
    """POST ``data`` to ``path`` with the CSRF token of the page a browser would have shown."""
    token = page_token(client, token_page or path)
    return client.post(path, data={**data, "csrf_token": token})


def maker_form(body: dict, version: int | None = None, blank_rows: int = 3) -> dict:
    """A maker profile as the edit form posts it (checkbox lists, certificate rows, hidden version)."""
    data: dict = {}
    for key, value in body.items():
        if key == "certificates":
            for i, cert in enumerate(value):
                for attr, raw in cert.items():
                    data[f"certificates-{i}-{attr}"] = str(raw)
            for j in range(len(value), len(value) + blank_rows):
                for attr in ("kind", "issuer", "number", "valid_until"):
                    data[f"certificates-{j}-{attr}"] = ""
        elif key == "languages":
            data[key] = ", ".join(value)
        elif isinstance(value, bool):
            if value:
                data[key] = "y"
        elif isinstance(value, list):
            data[key] = list(value)
        else:
            data[key] = str(value)
    if version is not None:
        data["version"] = str(version)
    return data


def requirement_form(body: dict, version: int | None = None) -> dict:
    data = {k: (list(v) if isinstance(v, list) else str(v)) for k, v in body.items()}
    if version is not None:
        data["version"] = str(version)
    return data
