"""Demo input vendors (issue 15): six of the cluster's textile, trims and machinery suppliers, their
profiles, a vendor login, and two years of the jeans association's members' purchases from them.

Kept in its own module so the generator calls it with one line: :func:`add_demo_vendors` appends its
rows to the generator's bulk rows (organizations and users go with the generator's, the vendor
tables after them: it adds them to ``writer.TABLE_ORDER``, children after their parents). Each
vendor has a latent reliability, so the screener and the members' figures tell them apart.
``matchmaker.vendors.demo.vet_demo_vendors`` (run by ``demo-data`` after the vetting history) gives
four of them a board decision and leaves one application open.
"""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from matchmaker.demo import writer
from matchmaker.demo.community import DEMO_PASSWORD, JEANS

VENDOR_EMAIL = "vendor@demo.matchmaker"
TABLES = ("vendor_profiles", "vendor_purchases")
if not set(TABLES) <= set(writer.TABLE_ORDER):
    writer.TABLE_ORDER = writer.TABLE_ORDER + TABLES

# name, city, profile, (late probability, mean days late, major-deviation probability, warranty refusal probability)
VENDORS = [
    ("Denim Textil de León", "León", "Guanajuato",
     dict(supplies=["denim_fabric"], denim_oz_min=8.0, denim_oz_max=14.5, denim_finishes=["rigid", "stretch",
          "sanforized"], min_lot=500, min_lot_unit="metros", delivery_days=12, credit_terms_days=30,
          about="Mezclilla índigo y negra, rígida y stretch, de 8 a 14.5 oz."), (0.08, 3, 0.03, 0.0)),
    ("Avíos y Remaches Tonalá", "Tonalá", "Jalisco",
     dict(supplies=["trims"], trims=["rivets", "buttons", "zippers", "patches"], min_lot=5000,
          min_lot_unit="piezas", delivery_days=7, credit_terms_days=15,
          about="Botones, remaches y cierres para jeans; parches de jacron."), (0.25, 6, 0.08, 0.2)),
    ("Hilos del Occidente", "Guadalajara", "Jalisco",
     dict(supplies=["thread"], min_lot=100, min_lot_unit="conos", delivery_days=3, credit_terms_days=30,
          about="Hilo de poliéster y algodón para costura de mezclilla."), (0.05, 2, 0.02, 0.0)),
    ("Máquinas Industriales GDL", "Guadalajara", "Jalisco",
     dict(supplies=["sewing_machines", "machine_repair"], brands_serviced=["Juki", "Brother", "Siruba"],
          min_lot=1, min_lot_unit="máquinas", delivery_days=20, repair_response_days=2, credit_terms_days=60,
          about="Venta, refacciones y reparación de máquinas de coser industriales."), (0.45, 14, 0.1, 0.6)),
    ("Químicos para Lavandería del Bajío", "León", "Guanajuato",
     dict(supplies=["chemicals"], min_lot=200, min_lot_unit="kg", delivery_days=5, credit_terms_days=30,
          about="Enzimas, permanganato y suavizantes para lavandería de mezclilla."), (0.12, 4, 0.05, 0.1)),
    ("Tela Express", "Zapotlanejo", "Jalisco",
     dict(supplies=["denim_fabric", "twill_fabric"], denim_oz_min=6.0, denim_oz_max=12.0,
          denim_finishes=["stretch"], min_lot=300, min_lot_unit="metros", delivery_days=5, credit_terms_days=0,
          about="Mezclilla y gabardina de oportunidad, entrega inmediata."), (0.55, 18, 0.35, 0.5)),
]
LOTS = {"denim_fabric": "Mezclilla {oz} oz, {n} m", "twill_fabric": "Gabardina, {n} m", "trims": "Remaches y botones",
        "thread": "Hilo 40/2, {n} conos", "sewing_machines": "Máquina recta Juki", "machine_repair": "Reparación de "
        "overlock", "chemicals": "Enzima y permanganato, {n} kg"}


def _lot(rng: random.Random, supply: str) -> str:
    return LOTS.get(supply, supply).format(oz=rng.choice([10, 12, 13.5]), n=rng.randrange(2, 30) * 100)


def add_demo_vendors(seed: int, rows: dict, com: dict, today: date, stamp: datetime) -> None:
    """Append the vendors, their profiles and users, the vendor login and the purchases to ``rows``."""
    rng = random.Random(seed * 7727 + 15)
    next_org = max(o["id"] for o in rows["organizations"]) + 1
    users = rows["users"]
    first_hash = users[0]["password_hash"] if users else None
    members = sorted({m["organization_id"] for m in rows["memberships"] if m["association_id"] == JEANS["id"]})
    reporter = {u["organization_id"]: u["id"] for u in users if u["organization_id"] in set(members)}
    profiles, purchases = [], []
    for k, (name, city, state, profile, (p_late, days_late, p_major, p_refuse)) in enumerate(VENDORS):
        org_id = next_org + k
        rows["organizations"].append(dict(
            id=org_id, kind="input_vendor", name=name, description=profile["about"], city=city, state=state,
            country="MX", created_at=stamp - timedelta(days=900), version=1, updated_at=stamp))
        profiles.append({"organization_id": org_id, "denim_finishes": [], "trims": [], "brands_serviced": [],
                         "denim_oz_min": None, "denim_oz_max": None, "repair_response_days": None,
                         "version": 1, "updated_at": stamp, **profile})
        email = VENDOR_EMAIL if k == 0 else f"ventas{k}@proveedores.demo"
        users.append(dict(id=len(users) + 1, email=email, name=f"Ventas {name}", password_hash=first_hash,
                          role="vendor_user", organization_id=org_id, association_id=None, locale="es",
                          active=True, created_at=stamp))
        if k == 0:
            com["logins"].append(("vendor_user", email, DEMO_PASSWORD))
        buyers = rng.sample(members, min(len(members), rng.randrange(4, 9)))
        for _ in range(rng.randrange(12, 30)):
            firm = rng.choice(buyers)
            bought = today - timedelta(days=rng.randrange(10, 730))
            promised = bought + timedelta(days=profile["delivery_days"])
            late = rng.random() < p_late
            delivered = promised + timedelta(days=(max(1, int(rng.expovariate(1 / days_late))) if late
                                                   else -rng.randrange(0, 3)))
            if delivered > today:
                delivered = None
            claimed = delivered is not None and rng.random() < 0.15 + p_refuse / 3
            purchases.append(dict(
                id=len(purchases) + 1, vendor_id=org_id, member_org_id=firm, association_id=JEANS["id"],
                reported_by_id=reporter.get(firm), purchased_on=bought, lot=_lot(rng, profile["supplies"][0]),
                amount=float(rng.randrange(5, 200) * 1000), currency="MXN", promised_on=promised,
                delivered_on=delivered, quality_vs_sample=None if delivered is None else (
                    "major_deviation" if rng.random() < p_major
                    else rng.choice(["as_sample"] * 4 + ["minor_deviation"])),
                warranty_claimed=claimed, warranty_honoured=(rng.random() >= p_refuse) if claimed else None,
                note="", created_at=stamp))
    rows["vendor_profiles"], rows["vendor_purchases"] = profiles, purchases
