"""A maker's cached vector (numbers, process/line/niche masks) is re-read when its profile is edited: the
next ranking's process coverage is the edited profile's."""
from __future__ import annotations

from datetime import datetime, timezone

from matchmaker import db
from matchmaker.ranking.data import load_makers_cached
from matchmaker.ranking.features import FEATURE_NAMES, ClusterPriors, TrackRecord, feature_rows

from tests.support.api_bodies import MAKER

REQ = {"text": "", "processes": ["cutting", "laundry", "sewing"], "product_line": None, "quantity": 500,
       "monthly_volume": None, "lead_time_days": 30, "unit_price_min": None, "unit_price_max": None,
       "min_quality_tier": "basic", "certificates": [], "niches": [], "created_at": datetime.now(timezone.utc),
       "buyer_lat": None, "buyer_lon": None, "buyer_type": None}


def _coverage(app, org: int) -> float:
    with app.app_context():
        maker = load_makers_cached(db.session(), [org])[org]
        X = feature_rows(REQ, [maker], [TrackRecord()], ClusterPriors())
        return X[0, FEATURE_NAMES.index("process_coverage")]


def test_an_edited_profile_reaches_the_next_rankings_features(app, client, factory):
    org = factory.org("maker", "Taller Editado")
    headers = factory.token(factory.user("maker_user", org))
    assert client.post(f"/api/v1/organizations/{org}/maker-profile", json=MAKER, headers=headers).status_code == 201
    assert _coverage(app, org) == 1.0                      # cutting, laundry, sewing: all three
    assert _coverage(app, org) == 1.0                      # from the cache
    edited = client.put(f"/api/v1/makers/{org}", headers=headers, json={**MAKER, "processes": ["sewing"], "version": 1})
    assert edited.status_code == 200, edited.json
    assert _coverage(app, org) == 1 / 3
