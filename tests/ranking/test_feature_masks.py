"""Process, line, niche and certificate features read the maker's bit masks and certificate dates held in its
vector; the shares are those of the maker's sets (a code outside the taxonomy is still matched by name, a
repeated certificate counts again, an expired one does not)."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from matchmaker.ranking.features import FEATURE_NAMES, ClusterPriors, TrackRecord, feature_rows, maker_vector

NOW = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)


def _maker(processes, lines, niches, certs):
    return {"id": 1, "processes": set(processes), "product_lines": set(lines), "niches": set(niches),
            "certificates": certs, "available_capacity": 1000, "min_order_qty": 100, "order_lead_days": 20,
            "unit_price_min": None, "unit_price_max": None, "quality_rank": 1, "lat": None, "lon": None,
            "design_capability": False, "export_experience": False, "languages": (), "terms": frozenset()}


def _req(processes=(), line=None, niches=(), certs=()):
    return {"text": "", "processes": list(processes), "product_line": line, "quantity": 500, "monthly_volume": None,
            "lead_time_days": 30, "unit_price_min": None, "unit_price_max": None, "min_quality_tier": "basic",
            "certificates": list(certs), "niches": list(niches), "created_at": NOW, "buyer_lat": None,
            "buyer_lon": None, "buyer_type": None}


MAKERS = [
    _maker(["sewing", "laundry", "hand_stitching_x"], ["jeans_western"], ["latino_market"],
           {"iso9001": date(2026, 12, 31), "wrap": date(2026, 1, 1)}),
    _maker([], [], [], {}),
    _maker(["sewing", "cutting"], ["jeans_designer", "odd_line"], ["latino_market", "fashion_small_batch"],
           {"bsci": date(2026, 6, 1)}),
]


@pytest.mark.parametrize("req, column, expected", [
    (_req(processes=["sewing", "laundry", "cutting"]), "process_coverage", [2 / 3, 0.0, 2 / 3]),
    (_req(processes=["sewing", "hand_stitching_x"]), "process_coverage", [1.0, 0.0, 0.5]),
    (_req(line="jeans_designer"), "line_match", [0.0, 0.0, 1.0]),
    (_req(line="odd_line"), "line_match", [0.0, 0.0, 1.0]),
    (_req(niches=["latino_market", "fashion_small_batch"]), "niche_match", [0.5, 0.0, 1.0]),
    (_req(certs=["iso9001", "wrap", "iso9001"]), "certificates_covered", [2 / 3, 0.0, 0.0]),
    (_req(certs=["bsci"]), "certificates_covered", [0.0, 0.0, 1.0]),     # valid through the requirement's day
    (_req(certs=["bsci", "made_up_cert"]), "certificates_covered", [0.0, 0.0, 0.5]),
])
def test_shares_are_the_makers_sets(req, column, expected):
    for makers in (MAKERS, [dict(m, _vec=maker_vector(m)) for m in MAKERS]):   # computed or held vectors
        X = feature_rows(req, makers, [TrackRecord()] * len(makers), ClusterPriors())
        assert X[:, FEATURE_NAMES.index(column)].tolist() == expected
