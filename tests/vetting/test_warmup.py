"""A gunicorn worker started through ``scripts/gunicorn_conf.py`` has the screener loaded and the buyers'
directory scored before it serves its first request (``matchmaker.vetting.warmup``), a real gunicorn."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pandas as pd

from models.registry import ModelRegistry
from tests.support.live_server import REPO, call, gunicorn

from .conftest import payment


def _fitted_files():
    from models.reputation import ReputationScreener
    from models.reputation_features import build_training_set
    from models.reputation_synth import make_history

    h = make_history(n_buyers=300, n_firms=12, seed=3)
    cut = [h["end"] - pd.Timedelta(days=365 + 120 * k) for k in range(2)]
    X, y, _ = build_training_set(h["payments"], h["incidents"], h["references"], h["buyers"], h["fx"], cut,
                                 data_end=h["end"])
    return ReputationScreener(cv=3, calibration="sigmoid").fit(X, y).to_files()


def test_a_worker_started_through_the_config_is_warm_before_its_first_request(client, world, database_url,
                                                                              tmp_path):
    w = world
    for who, late in ((w.reporter, 0), (w.reporter, 40), (w.member, 75), (w.member, 5)):  # enough history
        inv = date.today() - timedelta(days=200)
        r = client.post("/api/v1/vetting/payments", headers=w.h[who], json=payment(
            w.buyer_org, invoice_date=inv.isoformat(), paid_date=(inv + timedelta(days=30 + late)).isoformat()))
        assert r.status_code == 201, r.get_json()
    reg = ModelRegistry(tmp_path / "models")  # the served worker's MODEL_DIR (``root/models``)
    version = reg.save("reputation", _fitted_files(), {"test": True})
    reg.promote("reputation", version)
    config = str(REPO / "scripts" / "gunicorn_conf.py")
    with gunicorn(database_url, workers=1, threads=1, root=tmp_path, args=("-c", config)) as base:
        # gunicorn answered /health: the worker ran post_worker_init before accepting that first request
        log = (tmp_path / "gunicorn.log").read_text()
        warm = re.findall(r"screener warm-up: model (\S+), (\d+) scores for (\d+) views", log)
        # the promoted model, and the directory's first page (the two buyers) scored for both views: the
        # platform-wide one and the association's
        assert warm == [(version, "4", "2")], log[-2000:]
        status, _ = call(base, "GET", "/health")
        assert status == 200
