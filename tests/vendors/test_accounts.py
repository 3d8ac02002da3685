"""An input vendor opens its own account (page and API) and gets the vendor_user role; the vendors
who signed in as buyer users before are moved to vendor_user by migration 0020 (and back on downgrade)."""
from __future__ import annotations

from sqlalchemy import create_engine, select, text

from matchmaker import db
from matchmaker.cli import upgrade_database
from matchmaker.accounts.records import User
from matchmaker.buyers.records import BuyerProfile
from matchmaker.organizations.records import Association, Organization

from tests.accounts.conftest import SIGNUP, deliver, field_errors, post_page, sign_in
from tests.accounts.conftest import smtp  # noqa: F401  (the fixture)

VENDOR = {**SIGNUP, "kind": "input_vendor", "firm_name": "Telas del Bajío", "country": "MX", "buyer_type": "",
          "email": "ventas@telas-bajio.mx", "website": ""}


def test_a_vendor_signs_up_confirms_and_lands_on_its_vetting_application(app, client, smtp):  # noqa: F811
    with app.app_context():
        db.session().add(Association(name="Jeans makers of Guadalajara", slug="jeans-gdl", sector="denim"))
        db.session().commit()
    r = post_page(client, "/signup", VENDOR)
    assert r.status_code == 302, field_errors(r.get_data(as_text=True))
    with app.app_context():
        user = db.session().scalars(select(User).where(User.email == VENDOR["email"])).one()
        org = db.session().get(Organization, user.organization_id)
        assert (user.role, org.kind, org.name) == ("vendor_user", "input_vendor", "Telas del Bajío")
        assert db.session().get(BuyerProfile, org.id) is None
    deliver(app, smtp)
    client.get(smtp.link(VENDOR["email"]))
    r = sign_in(client, VENDOR["email"], VENDOR["password"])
    assert r.headers["Location"] == "/vetting/status"
    page = client.get("/vetting/status", follow_redirects=True).get_data(as_text=True)
    assert "Telas del Bajío" in page and 'data-testid="apply-form"' in page
    home = client.get("/home").get_data(as_text=True)
    assert 'data-testid="vendor-home"' in home and f"/vendors/{org.id}/profile" in home


def test_a_buying_firm_still_needs_its_buyer_type_and_a_vendor_does_not(client):
    r = post_page(client, "/signup", {**VENDOR, "kind": "buyer"})
    assert r.status_code == 422 and "buyer_type" in field_errors(r.get_data(as_text=True))
    r = client.post("/api/v1/signup", json={k: v for k, v in VENDOR.items() if k not in ("buyer_type", "website")})
    assert r.status_code == 201, r.get_json()
    r = client.post("/api/v1/signup", json={**SIGNUP, "kind": "coordinator"})
    assert r.status_code == 422 and r.get_json()["error"]["fields"][0]["field"] == "kind"


def test_migration_0020_moves_vendor_buyer_users_to_vendor_user_and_back(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade_database(url, "0016")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for i, kind in ((1, "input_vendor"), (2, "buyer")):
                conn.execute(text("INSERT INTO organizations (id, kind, name, description, country, version, "
                                  "updated_at, created_at) VALUES (:i, :k, :n, '', 'MX', 1, '2026-01-01', "
                                  "'2026-01-01')"), {"i": i, "k": kind, "n": f"firm {i}"})
                conn.execute(text("INSERT INTO users (id, email, name, role, organization_id, password_hash, "
                                  "active, locale, session_version, created_at) VALUES (:i, :e, 'x', 'buyer_user', "
                                  ":i, 'h', 1, 'es', 1, '2026-01-01')"), {"i": i, "e": f"u{i}@x.mx"})
        upgrade_database(url, "0020")
        with engine.connect() as conn:
            roles = dict(conn.execute(text("SELECT id, role FROM users ORDER BY id")).all())
        assert roles == {1: "vendor_user", 2: "buyer_user"}
        from alembic import command

        from matchmaker.cli import alembic_config
        command.downgrade(alembic_config(url), "0016")
        with engine.connect() as conn:
            roles = dict(conn.execute(text("SELECT id, role FROM users ORDER BY id")).all())
        assert roles == {1: "buyer_user", 2: "buyer_user"}
    finally:
        engine.dispose()
