"""The one job mechanism: a stored job runs outside the request, reports progress, keeps its result
or its error — in a thread by default, and through RQ on the real Redis of this machine."""
from __future__ import annotations

import uuid

import pytest

from matchmaker import jobs


def test_a_thread_job_runs_with_progress_and_result(app, factory):
    factory.org("maker")
    factory.org("maker")
    with app.app_context():
        assert jobs.backend() == "thread"
        job_id = jobs.submit("count", "tests.jobs.sample_jobs:count_kind", {"kind": "maker", "steps": 2},
                             subject="test:1")
        job = jobs.wait(job_id, timeout=30)
        assert job.status == "done", job.error
        assert job.result == {"kind": "maker", "count": 2}
        assert job.progress == 1.0 and job.message == "step 2 of 2"
        assert job.started_at is not None and job.finished_at is not None
        assert jobs.latest("test:1").id == job_id


def test_a_failing_job_keeps_its_reason(app):
    with app.app_context():
        job = jobs.wait(jobs.submit("boom", "tests.jobs.sample_jobs:explode", {"reason": "no tables"}))
        assert job.status == "failed" and job.error == "cannot go on: no tables"
        assert jobs.job_dict(job)["error"] == "cannot go on: no tables"


def test_an_unexpected_failure_is_told_without_its_internals(app, caplog):
    with app.app_context():
        job = jobs.wait(jobs.submit("crash", "tests.jobs.sample_jobs:crash", {"secret": "buyer-price-9.10"}))
        assert job.status == "failed"
        shown = jobs.job_dict(job)
        assert "buyer-price" not in str(shown) and "UPDATE" not in str(shown)
        assert shown["error"] == jobs.UNEXPECTED
    assert "buyer-price-9.10" in caplog.text  # the operator still reads it in the server log


def test_progress_outside_a_job_is_harmless(app):
    with app.app_context():
        jobs.progress(None, 0.5, "nothing")  # no job: nothing to record, no error
        assert jobs.current_job_id() is None


def _redis_or_skip():
    import redis  # pinned in requirements.txt, like rq: a missing one is a broken setup, not a skip
    import rq  # noqa: F401

    conn = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    try:
        conn.ping()
    except redis.exceptions.ConnectionError:
        pytest.fail("no Redis on 127.0.0.1:6379: the RQ job tests need the machine's Redis", pytrace=False)
    return conn


def test_an_rq_job_goes_through_redis_and_a_worker(app, factory):
    conn = _redis_or_skip()
    from rq import Queue, SimpleWorker

    factory.org("buyer")
    queue_name = f"mm-test-{uuid.uuid4().hex[:8]}"  # our own queue: other workers never take it
    app.config.update(JOBS_URL="redis://127.0.0.1:6379/0", JOBS_QUEUE=queue_name)
    queue = Queue(queue_name, connection=conn)
    try:
        with app.app_context():
            assert jobs.backend() == "rq"
            job_id = jobs.submit("count", "tests.jobs.sample_jobs:count_kind", {"kind": "buyer", "steps": 1})
            assert jobs.get(job_id).status == "queued" and len(queue) == 1  # nothing ran in the request
            SimpleWorker([queue], connection=conn).work(burst=True)
            job = jobs.get(job_id)
            assert job.status == "done", job.error
            assert job.result == {"kind": "buyer", "count": 1} and job.message == "step 1 of 1"
    finally:
        queue.delete(delete_jobs=True)


def test_a_plain_rq_worker_builds_the_app_from_the_environment(tmp_path, monkeypatch):
    """``rq worker`` started on its own has no Flask app: the queued entry builds one from the same
    environment as gunicorn and runs the stored job in it."""
    from matchmaker import worker

    _queue_in_a_new_database(tmp_path, monkeypatch, "w1")
    assert jobs.WORKER_ENTRY == "matchmaker.worker.execute"
    worker.execute("w1")  # no application context here, as in a work horse
    _assert_counted_by_the_workers_app("w1")


def test_a_job_queued_under_the_old_entry_runs_on_a_plain_rq_worker(tmp_path, monkeypatch):
    """Jobs queued before ``WORKER_ENTRY`` existed name ``matchmaker.jobs.execute``: a real RQ worker with
    no Flask application still runs them (the entry builds the app from the environment, as the new one)."""
    conn = _redis_or_skip()
    from rq import Queue, SimpleWorker

    _queue_in_a_new_database(tmp_path, monkeypatch, "old1")
    queue = Queue(f"mm-test-{uuid.uuid4().hex[:8]}", connection=conn)
    try:
        rq_job = queue.enqueue("matchmaker.jobs.execute", "old1")   # as the previous release queued it
        SimpleWorker([queue], connection=conn).work(burst=True)      # no application context here
        assert rq_job.get_status(refresh=True) == "finished", rq_job.latest_result()
        _assert_counted_by_the_workers_app("old1")
    finally:
        queue.delete(delete_jobs=True)


def _queue_in_a_new_database(tmp_path, monkeypatch, job_id: str) -> None:
    """A new migrated database named by the environment (as a worker's), holding one queued counting job;
    the worker builds its app afresh from that environment."""
    from matchmaker import create_app, worker
    from matchmaker.cli import upgrade_database

    url = f"sqlite:///{tmp_path / f'{job_id}.db'}"
    monkeypatch.setenv("MATCHMAKER_DATABASE_URL", url)
    monkeypatch.setenv("MATCHMAKER_SECRET_KEY", "worker-test")
    monkeypatch.setattr(worker, "_app", None)
    upgrade_database(url)
    with create_app().app_context():
        with jobs._sessions()() as s:
            s.add(jobs.Job(id=job_id, name="count", func_path="tests.jobs.sample_jobs:count_kind",
                           kwargs={"kind": "maker", "steps": 1}, status="queued"))
            s.commit()


def _assert_counted_by_the_workers_app(job_id: str) -> None:
    from matchmaker import worker

    with worker._app.app_context():
        job = jobs.get(job_id)
        assert job.status == "done", job.error
        assert job.result == {"kind": "maker", "count": 0}  # the new database has no organizations
