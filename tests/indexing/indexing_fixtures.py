"""A small, realistic set of maker profiles in Spanish and English."""

from __future__ import annotations

from indexing import Field, IndexSpec

SPEC = IndexSpec(
    name="makers",
    version=1,
    fields=(
        Field("name", "text", boost=3.0),
        Field("description", "text"),
        Field("processes", "keyword"),
        Field("certificates", "keyword"),
        Field("state", "keyword"),
        Field("headcount", "integer"),
        Field("monthly_capacity", "float"),
        Field("founded", "date"),
        Field("location", "geo_point"),
        Field("verified", "boolean"),
    ),
)

GDL = (20.67, -103.35)
AGS = (21.88, -102.29)
LEON = (21.12, -101.68)

DOCS = [
    {"id": "m1", "version": 1, "name": "Mezclilla Tapatía",
     "description": "Pantalones de mezclilla stretch para dama, lavado láser, lotes pequeños",
     "processes": ["cutting", "sewing", "finishing"], "certificates": ["WRAP"], "state": "Jalisco",
     "headcount": 45, "monthly_capacity": 12000.0, "founded": "2008-03-01", "location": GDL, "verified": True},
    {"id": "m2", "version": 1, "name": "Lavandería Industrial del Bajío",
     "description": "Lavandería industrial: stone wash, enzyme wash, desgaste y teñido de prendas",
     "processes": ["laundry", "finishing"], "certificates": ["ISO9001", "WRAP"], "state": "Aguascalientes",
     "headcount": 180, "monthly_capacity": 60000.0, "founded": "1995-07-15", "location": AGS, "verified": True},
    {"id": "m3", "version": 1, "name": "Denim Works León",
     "description": "We sew jeans and denim jackets; garment washes and laser finishing for export brands",
     "processes": ["sewing", "laundry", "finishing"], "certificates": ["OEKO-TEX"], "state": "Guanajuato",
     "headcount": 320, "monthly_capacity": 90000.0, "founded": "2001-01-10", "location": LEON, "verified": False},
    {"id": "m4", "version": 1, "name": "Corte y Confección Zapopan",
     "description": "Corte de tela y confección de pantalón de mezclilla, camisas y chamarras",
     "processes": ["cutting", "sewing"], "certificates": [], "state": "Jalisco",
     "headcount": 25, "monthly_capacity": 5000.0, "founded": "2015-09-01", "location": (20.72, -103.39),
     "verified": False},
    {"id": "m5", "version": 1, "name": "Acabados Textiles Tlaquepaque",
     "description": "Planchado, etiquetado y empaque; finishing and packing for small brands",
     "processes": ["finishing", "packing"], "certificates": ["WRAP"], "state": "Jalisco",
     "headcount": 60, "monthly_capacity": 20000.0, "founded": "2011-05-20", "location": (20.64, -103.31),
     "verified": True},
    {"id": "m6", "version": 1, "name": "Aguascalientes Denim Lab",
     "description": "Design and pattern making, sample jeans, small batches of denim",
     "processes": ["design", "cutting", "sewing"], "certificates": [], "state": "Aguascalientes",
     "headcount": 12, "monthly_capacity": 800.0, "founded": "2019-02-02", "location": (21.85, -102.30),
     "verified": False},
    {"id": "m7", "version": 1, "name": "Bordados y Estampados GDL",
     "description": "Bordado computarizado y serigrafía sobre prendas de mezclilla",
     "processes": ["embroidery", "printing"], "certificates": ["ISO9001"], "state": "Jalisco",
     "headcount": 38, "monthly_capacity": 15000.0, "founded": "2005-11-11", "location": (20.70, -103.30),
     "verified": True},
    {"id": "m8", "version": 1, "name": "Hilos del Norte",
     "description": "Venta de hilo y avíos para costura industrial",
     "processes": ["supplies"], "state": "Nuevo León", "headcount": 8, "founded": "2020-06-06",
     "location": (25.67, -100.31)},
]


def many_docs(n: int) -> list[dict]:
    """n synthetic docs for pagination tests (deterministic)."""
    states = ["Jalisco", "Aguascalientes", "Guanajuato"]
    procs = ["cutting", "sewing", "laundry", "finishing"]
    return [
        {"id": f"p{i:04d}", "version": 1, "name": f"Taller {i}",
         "description": "confección de pantalones de mezclilla" if i % 2 else "denim jeans sewing",
         "processes": [procs[i % 4], procs[(i * 7) % 4]], "state": states[i % 3],
         "headcount": (i * 37) % 50, "monthly_capacity": float(i % 5), "location": GDL}
        for i in range(n)
    ]
