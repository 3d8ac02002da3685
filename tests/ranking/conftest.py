"""A small cluster made through the API (so the embedded index is fed), and model helpers."""
from __future__ import annotations

import numpy as np
import pytest

from tests.support.api_bodies import MAKER

from matchmaker.ranking.features import FEATURE_NAMES, FEATURE_VERSION
from models.ranker import LambdaRanker
from models.registry import ModelRegistry

# name, overrides of the API's MAKER profile; all are near Guadalajara
MAKERS = [
    ("Lavandería Tonalá", {"processes": ["laundry", "laser", "finishing"], "monthly_capacity": 20000,
                           "min_order_qty": 500, "headcount": 80, "sample_lead_days": 5}),
    ("Confecciones Altos", {"processes": ["cutting", "sewing", "laundry"], "monthly_capacity": 4000,
                            "min_order_qty": 200, "headcount": 12}),
    ("Jeans Zapotlanejo", {"processes": ["cutting", "sewing", "laundry", "finishing"], "monthly_capacity": 9000,
                           "min_order_qty": 600, "headcount": 40, "export_experience": True,
                           "languages": ["es", "en"], "order_lead_days": 18}),
    ("Maquila Pequeña", {"processes": ["sewing", "laundry"], "monthly_capacity": 1500, "min_order_qty": 100,
                         "headcount": 6, "quality_tier": "basic", "certificates": []}),
    ("Denim Premium GDL", {"processes": ["design", "cutting", "sewing", "laundry", "laser", "finishing"],
                           "monthly_capacity": 30000, "min_order_qty": 2000, "headcount": 200,
                           "quality_tier": "premium", "design_capability": True, "order_lead_days": 28}),
    ("Costura Lenta", {"processes": ["sewing", "laundry"], "monthly_capacity": 6000, "min_order_qty": 300,
                       "headcount": 20, "order_lead_days": 45}),
    ("Uniformes del Bajío", {"processes": ["cutting", "sewing"], "monthly_capacity": 50000, "min_order_qty": 5000,
                             "headcount": 250, "product_lines": ["workwear_uniforms"], "certificates": []}),
]


@pytest.fixture
def cluster(client, factory):
    admin = factory.token(factory.user("platform_admin"))
    makers = {}
    for i, (name, extra) in enumerate(MAKERS):
        org = factory.org("maker", name, state="Jalisco", lat=20.6 + 0.02 * i, lon=-103.3 + 0.03 * i)
        r = client.post(f"/api/v1/organizations/{org}/maker-profile", json={**MAKER, **extra}, headers=admin)
        assert r.status_code == 201, r.json
        makers[name] = org
    b1 = factory.org("buyer", "Rival Brand Inc", country="US", lat=34.05, lon=-118.24)
    b2 = factory.org("buyer", "Denim Co", country="US", lat=32.78, lon=-96.8)
    return {"makers": makers, "admin": admin, "b1": b1, "b2": b2,
            "b1_headers": factory.token(factory.user("buyer_user", b1)),
            "b2_headers": factory.token(factory.user("buyer_user", b2))}


def synthetic_model(seed: int = 0, feature_version: str = FEATURE_VERSION, n_estimators: int = 20,
                    names=FEATURE_NAMES) -> LambdaRanker:
    """A small learned ranker on random data with the app's feature names (stands in for a trained one)."""
    rng = np.random.default_rng(seed)
    n_q, per = 80, 10
    X = rng.normal(size=(n_q * per, len(names)))
    y = np.clip(np.round(X[:, names.index("process_coverage")] + rng.normal(0, 1, n_q * per)), 0, 4).astype(int)
    return LambdaRanker(feature_names=list(names), feature_version=feature_version, n_estimators=n_estimators,
                        min_queries=10, n_jobs=1, random_state=seed).fit(X, y, np.repeat(np.arange(n_q), per))


def promote(app, model, metadata=None) -> str:
    registry = ModelRegistry(app.config["MODEL_DIR"])
    version = registry.save("ranker", model.to_files(), metadata or {"feature_version": FEATURE_VERSION})
    registry.promote("ranker", version)
    return version
