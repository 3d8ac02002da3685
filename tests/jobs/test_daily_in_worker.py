"""The daily tasks inside the ``notify send`` worker (``matchmaker.daily``): one round past the hour runs each
registered task once, as a job, with its real effect (a vetting case due for review reopened, an old unverified
sign-up purged, an order's slip found and its email sent in the same round, the digest run); another round the
same day starts nothing; before the hour, or in a worker without daily tasks, nothing runs. The clock is handed
to each round (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select

from matchmaker import db
from matchmaker.accounts.records import User
from matchmaker.contact.worker import SendWorker
from matchmaker.jobs import Job
from matchmaker.monitoring.records import MonitoringSlip
from matchmaker.vetting.records import VettingCase

from tests.accounts.conftest import smtp  # noqa: F401  (a real SMTP server on loopback)
from tests.accounts.test_purge_unverified import _sign_up
from tests.monitoring.conftest import add_order, mworld  # noqa: F401  (orders of a buyer and member makers)
from tests.vetting.conftest import approve, open_case, world  # noqa: F401  (an association with its board)

# the day a case approved today comes up for review (its review date is a year ahead)
DAY = datetime.combine(date.today() + timedelta(days=400), time(0), tzinfo=timezone.utc)
TASKS = {"notify-digest", "vetting-reopen-due", "orders-check-slips", "accounts-purge-unverified"}


def _round(app, smtp, at: datetime, hour: int | None = 6) -> dict:  # noqa: F811
    with app.app_context():
        return SendWorker(smtp.url, "matchmaker@test.mx", digest_hour=hour).iteration(now=at)


def _daily_jobs(app) -> list[tuple]:
    with app.app_context():
        return sorted((j.once_key, j.status) for j in db.session().scalars(select(Job).where(Job.name.in_(TASKS))))


def _state(app, user_id: int, order_id: int) -> dict:
    with app.app_context():
        sess = db.session()
        return {"review_cases": list(sess.scalars(select(VettingCase.subject_id).where(
                    VettingCase.status == "open", VettingCase.origin == "review_due"))),
                "sign_up_kept": sess.get(User, user_id) is not None,
                "slips": sorted(sess.scalars(select(MonitoringSlip.kind).where(MonitoringSlip.order_id == order_id)))}


def _prepare(app, client, world, mworld):  # noqa: F811
    approve(client, world, open_case(client, world))  # the buyer's standing: review date a year ahead
    stale_user, _firm = _sign_up(app, "stale@buyer.example", "Stale Imports", 20)
    order = add_order(app, mworld.buyer, mworld.makers[0], delivery_date=DAY.date() + timedelta(days=400),
                      reference="PO-88", invoices=[(date(2026, 4, 30), 1000.0, [(date(2026, 5, 12), 1000.0)])])
    with app.app_context():
        maker_mail = db.session().get(User, mworld.users["maker"]).email
    return stale_user, order, maker_mail


def test_one_round_past_the_hour_runs_every_daily_task_once_and_another_round_that_day_none(
        app, client, world, mworld, smtp):  # noqa: F811
    stale_user, order, maker_mail = _prepare(app, client, world, mworld)

    early = _round(app, smtp, DAY.replace(hour=5, minute=59))
    assert early["daily"] == [] and _daily_jobs(app) == []
    assert _state(app, stale_user, order) == {"review_cases": [], "sign_up_kept": True, "slips": []}

    first = _round(app, smtp, DAY.replace(hour=6))
    assert sorted((j.name, j.status) for j in first["daily"]) == sorted((name, "done") for name in TASKS)
    day = DAY.date().isoformat()
    assert _daily_jobs(app) == sorted((f"{name}:{day}", "done") for name in TASKS)
    assert _state(app, stale_user, order) == {"review_cases": [world.buyer_org], "sign_up_kept": False,
                                              "slips": ["payment_late"]}
    slip_mails = [m for m in smtp.to(maker_mail) if m["subject"].startswith("Order PO-88")]
    assert len(slip_mails) == 1  # queued by the slip job and sent in the same round
    assert first["digest"] is not None and first["digest"].name == "notify-digest"

    # later the same day (this worker again, or another one): nothing new starts, nothing runs twice
    again = _round(app, smtp, DAY.replace(hour=18))
    assert again["daily"] == [] and again["digest"] is None
    assert _daily_jobs(app) == sorted((f"{name}:{day}", "done") for name in TASKS)
    assert len([m for m in smtp.to(maker_mail) if m["subject"].startswith("Order PO-88")]) == 1


def test_before_the_hour_or_without_daily_tasks_nothing_runs(app, client, world, mworld, smtp):  # noqa: F811
    stale_user, order, _mail = _prepare(app, client, world, mworld)
    assert _round(app, smtp, DAY.replace(hour=9), hour=10)["daily"] == []
    assert _round(app, smtp, DAY.replace(hour=23), hour=None)["daily"] == []  # notify send --no-digest
    assert _daily_jobs(app) == []
    assert _state(app, stale_user, order) == {"review_cases": [], "sign_up_kept": True, "slips": []}
    assert len(_round(app, smtp, DAY.replace(hour=10), hour=10)["daily"]) == len(TASKS)
    assert _state(app, stale_user, order)["review_cases"] == [world.buyer_org]
