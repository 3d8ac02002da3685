"""The demo's hand-entered payment experiences are recorded when a member would have entered them, in the
past, so the screener (which dates them by their recording) trains on the demo history."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from demo_helpers import fresh_sqlite
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.demo import generate
from matchmaker.vetting.demo import generate_vetting_history
from matchmaker.vetting.records import PaymentExperience
from matchmaker.vetting.screening import train_screener
from models.registry import ModelRegistry


@pytest.fixture(scope="module")
def vetted(tmp_path_factory):
    engine = fresh_sqlite(tmp_path_factory.mktemp("demo-vetting") / "demo.db")
    summary = generate(engine, makers=300, buyers=150, seed=7)
    with Session(engine) as session:
        generate_vetting_history(session, seed=7, today=summary.today)
    yield engine, summary.today
    engine.dispose()


def _day(moment: datetime):
    return (moment.astimezone(timezone.utc) if moment.tzinfo else moment).date()


def test_experiences_are_recorded_after_their_payment_and_never_after_today(vetted):
    engine, today = vetted
    with Session(engine) as session:
        rows = session.scalars(select(PaymentExperience)).all()
    assert len(rows) > 300
    recorded = [_day(r.created_at) for r in rows]
    assert all(r.invoice_date <= day <= today for r, day in zip(rows, recorded))
    assert all(day > r.paid_date for r, day in zip(rows, recorded) if r.paid_date and r.paid_date < today)
    # unpaid ones are entered after chasing them past their due date (unless that day is still to come)
    assert all(day > r.due_date or day == today for r, day in zip(rows, recorded) if r.paid_date is None)
    # spread over the history, not all entered on the day the demo was generated
    assert sum(day < today - timedelta(days=365) for day in recorded) > len(rows) // 4


def test_the_screener_trains_on_the_demo_history(vetted, tmp_path):
    engine, _ = vetted
    app = Flask("demo-vetting")
    app.config["MODEL_DIR"] = str(tmp_path / "models")
    lines = []
    with Session(engine) as session, app.app_context():
        out = train_screener(session, ModelRegistry(app.config["MODEL_DIR"]), echo=lines.append)
    assert out["promoted"] and out["metrics"]["n"] > 0
    assert any(line.startswith("auc") for line in "\n".join(lines).splitlines())   # beside the baseline
    assert 0.0 <= out["metrics"]["model"]["brier"] < out["metrics"]["brier_base_rate"]
