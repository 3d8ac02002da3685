"""The daily digest inside the ``notify send`` worker: one round past the digest hour runs it (as a job) and
sends its emails to a real SMTP server on loopback; another round or another worker the same day does not;
the next day it runs again; before the hour nothing is sent. Several workers at once: one winner, in the
database (SQLite and PostgreSQL). The clock is handed to each round, nothing sleeps."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from matchmaker import db
from matchmaker.jobs import Job
from matchmaker.contact.records import DigestRun
from matchmaker.contact.worker import SendWorker, start_daily_digest
from matchmaker.requirements.schemas import RequirementIn
from matchmaker.requirements.services import create_requirement

from tests.contact.conftest import REQUIREMENT

DAY1 = datetime(2030, 1, 1, tzinfo=timezone.utc)
DAY2 = DAY1 + timedelta(days=1)
DIGEST = "Your Matchmaker digest"


def _only_maker0_wants_a_digest(client, world) -> None:
    for who, mode in (("maker0", "digest"), ("maker1", "immediate"), ("maker2", "immediate")):
        r = client.put("/api/v1/notifications/preferences", headers=world.tokens[who],
                       json={"preferences": {"inquiry": mode, "new_requirement": "off"}})
        assert r.status_code == 200


def _inquire(app, client, world, title: str | None = None) -> None:
    req = world.req
    if title:
        with app.app_context():
            sess = db.session()
            req = create_requirement(sess, world.buyer, world.users["buyer"],
                                     RequirementIn(**{**REQUIREMENT, "title": title})).id
    r = client.post("/api/v1/inquiries", json={"requirement_id": req, "maker_ids": [world.makers[0]]},
                    headers=world.tokens["buyer"])
    assert r.status_code == 201, r.get_json()


def _round(app, smtp, at: datetime, hour: int = 6) -> dict:
    with app.app_context():
        return SendWorker(smtp.url, "matchmaker@test.mx", digest_hour=hour).iteration(now=at)


def _digest_jobs(app) -> list[tuple]:
    with app.app_context():
        return [(j.once_key, j.status, j.progress, j.subject) for j in
                db.session().scalars(select(Job).where(Job.name == "notify-digest").order_by(Job.created_at))]


def test_one_round_past_the_hour_sends_the_digest_once_a_day_and_again_the_next_day(app, client, factory, world,
                                                                                     smtp):
    _only_maker0_wants_a_digest(client, world)
    _inquire(app, client, world)
    mine = factory.email(world.users["maker0"])

    early = _round(app, smtp, DAY1.replace(hour=5, minute=59))
    assert early["digest"] is None and smtp.to(mine) == [] and _digest_jobs(app) == []

    first = _round(app, smtp, DAY1.replace(hour=6))
    assert first["digest"].status == "done" and first["digest"].result["emails"] == 1
    (subject, body), = smtp.to(mine)  # queued by the job and sent in the same round
    assert subject.startswith(DIGEST) and "Western jeans for spring" in body
    assert _digest_jobs(app) == [("notify-digest:2030-01-01", "done", 1.0, "notify:digest")]

    # a new notice the same day; another worker (or this one restarted) later that day sends no digest
    _inquire(app, client, world, title="Second jeans")
    again = _round(app, smtp, DAY1.replace(hour=18))
    assert again["digest"] is None and len(smtp.to(mine)) == 1
    assert len(_digest_jobs(app)) == 1

    # next day, before the hour: still nothing; past it: the waiting notice, in one more digest
    assert _round(app, smtp, DAY2.replace(hour=5))["digest"] is None and len(smtp.to(mine)) == 1
    second = _round(app, smtp, DAY2.replace(hour=6, minute=30))
    assert second["digest"].status == "done"
    assert len(smtp.to(mine)) == 2 and "Second jeans" in smtp.to(mine)[1][1]
    assert "Second jeans" not in smtp.to(mine)[0][1]
    assert [k for k, *_ in _digest_jobs(app)] == ["notify-digest:2030-01-01", "notify-digest:2030-01-02"]
    assert smtp.duplicates() == {}


def test_a_later_digest_hour_waits_for_it_and_no_digest_worker_never_runs_it(app, client, factory, world, smtp):
    _only_maker0_wants_a_digest(client, world)
    _inquire(app, client, world)
    assert _round(app, smtp, DAY1.replace(hour=9), hour=10)["digest"] is None
    with app.app_context():
        assert SendWorker(smtp.url, "matchmaker@test.mx", digest_hour=None).iteration(
            now=DAY1.replace(hour=23))["digest"] is None
    assert smtp.to(factory.email(world.users["maker0"])) == [] and _digest_jobs(app) == []
    assert _round(app, smtp, DAY1.replace(hour=10), hour=10)["digest"].status == "done"
    assert len(smtp.to(factory.email(world.users["maker0"]))) == 1


def test_two_workers_at_once_past_the_hour_run_one_digest(app, client, factory, world, smtp):
    _only_maker0_wants_a_digest(client, world)
    _inquire(app, client, world)
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def worker(i: int) -> None:
        with app.app_context():
            w = SendWorker(smtp.url, "matchmaker@test.mx", digest_hour=6)
            barrier.wait()
            results[i] = w.iteration(now=DAY1.replace(hour=7))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert sorted(r["digest"] is None for r in results) == [False, True]  # one winner
    assert len(smtp.to(factory.email(world.users["maker0"]))) == 1 and smtp.duplicates() == {}
    assert len(_digest_jobs(app)) == 1
    with app.app_context():
        assert len(db.session().scalars(select(DigestRun)).all()) == 1


def test_two_concurrent_claims_of_the_same_day_have_one_winner(app, world):
    barrier = threading.Barrier(2)
    ids: list = [None, None]

    def claim(i: int) -> None:
        with app.app_context():
            barrier.wait()
            ids[i] = start_daily_digest(DAY1.replace(hour=8), 6)

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len([i for i in ids if i]) == 1, ids
    with app.app_context():
        assert start_daily_digest(DAY1.replace(hour=23), 6) is None  # a restart later that day
    assert len(_digest_jobs(app)) == 1


def test_a_digest_job_that_failed_is_tried_again_after_a_while_not_at_once(app, world):
    with app.app_context():
        sess = db.session()
        sess.add(Job(id="f" * 32, name="notify-digest", func_path="matchmaker.contact.digest:run_daily",
                     kwargs={"day": "2030-01-01"}, subject="notify:digest", once_key="notify-digest:2030-01-01",
                     status="failed", error="the SMTP server was away",
                     finished_at=datetime.now(timezone.utc) - timedelta(minutes=2)))
        sess.commit()
        assert start_daily_digest(DAY1.replace(hour=9), 6) is None  # failed two minutes ago: not yet
        sess.get(Job, "f" * 32).finished_at = datetime.now(timezone.utc) - timedelta(minutes=20)
        sess.commit()
        assert start_daily_digest(DAY1.replace(hour=9), 6) is not None
    keys = _digest_jobs(app)
    assert (None, "failed", 0.0, "notify:digest") in keys  # the failed run keeps its record
    assert [k for k, *_ in keys if k] == ["notify-digest:2030-01-01"]


def test_a_digest_job_left_running_by_a_dead_worker_is_tried_again_after_its_timeout(app, world):
    with app.app_context():
        sess = db.session()
        started = datetime.now(timezone.utc) - timedelta(minutes=30)
        sess.add(Job(id="r" * 32, name="notify-digest", func_path="matchmaker.contact.digest:run_daily",
                     kwargs={"day": "2030-01-01"}, subject="notify:digest", once_key="notify-digest:2030-01-01",
                     status="running", started_at=started))
        sess.commit()
        assert start_daily_digest(DAY1.replace(hour=9), 6) is None  # may still be running: leave it
        sess.get(Job, "r" * 32).started_at = datetime.now(timezone.utc) - timedelta(hours=2)
        sess.commit()
        assert start_daily_digest(DAY1.replace(hour=9), 6) is not None  # its worker died with it
    assert [k for k, *_ in _digest_jobs(app) if k] == ["notify-digest:2030-01-01"]


def test_the_worker_warns_once_without_a_base_url_and_refuses_a_bad_digest_hour(app, monkeypatch):
    monkeypatch.delenv("MATCHMAKER_BASE_URL", raising=False)
    monkeypatch.delenv("MATCHMAKER_DIGEST_HOUR", raising=False)
    app.config.pop("BASE_URL", None)
    app.config["SMTP_URL"] = "ftp://mail.example"  # refused on the first round: the loop ends after start-up
    runner = app.test_cli_runner()
    result = runner.invoke(args=["notify", "send", "--no-digest"])
    assert result.exit_code == 1
    assert result.output.count("warning: MATCHMAKER_BASE_URL is not set") == 1
    assert "http://localhost:8000" in result.output and "MATCHMAKER_SMTP_URL must look like" in result.output
    once = runner.invoke(args=["notify", "send", "--once"])  # a one-off run is not the worker: no warning
    assert once.exit_code == 1 and "warning" not in once.output
    app.config["BASE_URL"] = "https://matchmaker.example"
    result = runner.invoke(args=["notify", "send", "--no-digest"])
    assert result.exit_code == 1 and "warning" not in result.output
    app.config["DIGEST_HOUR"] = "25"
    result = runner.invoke(args=["notify", "send"])
    assert result.exit_code == 1 and "MATCHMAKER_DIGEST_HOUR must be a whole UTC hour from 0 to 23" in result.output
    result = runner.invoke(args=["notify", "send", "--digest-hour", "24"])
    assert result.exit_code == 2 and "--digest-hour" in result.output
