"""Long jobs outside web requests: one table, one way to submit, one way to report progress.

A job is a row of ``jobs`` (status ``queued`` → ``running`` → ``done`` | ``failed``, a progress
fraction with a message, a JSON result or an error). :func:`submit` stores the row and hands the
job id to an executor:

- by default a thread in this process (fine for one machine and for tests);
- with ``MATCHMAKER_JOBS_URL=redis://host:6379/0`` an RQ queue on Redis
  (``MATCHMAKER_JOBS_QUEUE``, default ``matchmaker``), drained by ``matchmaker jobs worker`` (or plain
  ``rq worker``) processes started beside gunicorn with the same environment; the queued function is
  :func:`matchmaker.worker.execute`, which builds the application in a worker that has none.

The job function is named by its import path (``"package.module:function"``) and called with
the stored keyword arguments inside an application context; it reports with
:func:`progress` (``current_job_id()`` tells it which job it runs) and returns a JSON-able
result. The database is the source of truth for status and progress in both executors.
"""
from __future__ import annotations

import contextvars
import importlib
import logging
import os
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

from flask import current_app, g, has_app_context
from sqlalchemy import JSON, DateTime, Float, Integer, String, Text, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from .catalog import N_
from .records import Base, utcnow

log = logging.getLogger(__name__)

STATUSES = ("queued", "running", "done", "failed")
_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("matchmaker_job", default=None)
WORKER_ENTRY = "matchmaker.worker.execute"  # named, not imported: the worker module builds the app
THREADS_KEY = "matchmaker.job_threads"  # app.extensions: the in-process job threads it started


class Job(Base):
    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    func_path: Mapped[str] = mapped_column(String(200))
    kwargs: Mapped[dict] = mapped_column(JSON, default=dict)
    subject: Mapped[str] = mapped_column(String(100), default="", index=True)  # e.g. "fair:12"
    # set by submit_once: at most one job holds a key (unique index; NULL for every other job)
    once_key: Mapped[str | None] = mapped_column(String(120), unique=True, index=True)
    status: Mapped[str] = mapped_column(String(12), default="queued")
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str] = mapped_column(String(300), default="")
    result: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class JobError(Exception):
    """A job function raises this (or any exception) to fail; ``str(exc)`` becomes the job's error
    (and ``exc.as_dict()``, when the exception has one, the job's result, for a translated message).
    Any other exception (a bug, a database error) is a failure the caller is told of as :data:`UNEXPECTED`:
    its text (SQL, parameters, paths) goes to the server log only, never to the API or a page."""


#: the error of a job that failed on something else than a ``JobError`` or a ``DomainError``
UNEXPECTED = N_("the job failed unexpectedly; the details are in the server log")


def _sessions():
    return current_app.extensions["matchmaker.sessionmaker"]


def _jobs_url() -> str:
    return (current_app.config.get("JOBS_URL") or os.environ.get("MATCHMAKER_JOBS_URL") or "thread").strip()


def _queue_name() -> str:
    return current_app.config.get("JOBS_QUEUE") or os.environ.get("MATCHMAKER_JOBS_QUEUE") or "matchmaker"


def backend() -> str:
    """``rq`` when a Redis URL is configured, else ``thread``."""
    return "rq" if _jobs_url().startswith(("redis://", "rediss://", "unix://")) else "thread"


def submit(name: str, func_path: str, kwargs: dict | None = None, *, subject: str = "",
           user_id: int | None = None, timeout: float = 3600) -> str:
    """Store a job and start it with the configured executor; returns the job id at once."""
    job_id = uuid.uuid4().hex
    with _sessions()() as s:
        s.add(Job(id=job_id, name=name, func_path=func_path, kwargs=dict(kwargs or {}), subject=subject,
                  status="queued", progress=0.0, message="", created_by_id=user_id))
        s.commit()
    _start(job_id, name, timeout)
    return job_id


def submit_once(once_key: str, name: str, func_path: str, kwargs: dict | None = None, *, subject: str = "",
                retry_failed_after: float | None = None, timeout: float = 3600) -> str | None:
    """Like :func:`submit`, for a job that runs once per ``once_key`` (e.g. the digest of one day) however
    many processes ask at once: the unique index on ``jobs.once_key`` lets one insert win; the others (and
    every later call) get ``None``. A job holding the key that failed at least ``retry_failed_after``
    seconds ago gives it up (keeping its row, status and error), so the work is tried again; so does one
    still queued or running ``timeout`` + ``retry_failed_after`` seconds after it was started (its process
    died with it: nothing else would ever finish it)."""
    job_id = uuid.uuid4().hex
    with _sessions()() as s:
        holder = s.scalar(select(Job).where(Job.once_key == once_key))
        if holder is not None:
            if retry_failed_after is None or not _given_up(holder, retry_failed_after, timeout):
                return None
            # compare and swap: of several callers releasing the same failed job, one changes the row
            released = s.execute(update(Job).where(Job.id == holder.id, Job.once_key == once_key)
                                 .values(once_key=None))
            if released.rowcount != 1:
                s.rollback()
                return None
        s.add(Job(id=job_id, name=name, func_path=func_path, kwargs=dict(kwargs or {}), subject=subject,
                  once_key=once_key, status="queued", progress=0.0, message=""))
        try:
            s.commit()
        except IntegrityError:  # another process inserted the key first
            s.rollback()
            return None
    _start(job_id, name, timeout)
    return job_id


def _given_up(job: Job, seconds: float, timeout: float) -> bool:
    """Failed ``seconds`` ago, or never finished ``timeout`` + ``seconds`` after it started."""
    if job.status == "failed":
        since, wait = job.finished_at or job.created_at, seconds
    elif job.status in ("queued", "running"):
        since, wait = job.started_at or job.created_at, timeout + seconds
    else:
        return False
    if since.tzinfo is None:  # SQLite hands the stored UTC time back without its zone
        since = since.replace(tzinfo=timezone.utc)
    return since <= utcnow() - timedelta(seconds=wait)


def _start(job_id: str, name: str, timeout: float) -> None:
    if backend() == "rq":
        from redis import Redis
        from rq import Queue

        queue = Queue(_queue_name(), connection=Redis.from_url(_jobs_url()))
        queue.enqueue(WORKER_ENTRY, job_id, job_id=f"mm-{job_id}", job_timeout=int(timeout) + 60)
    else:
        app = current_app._get_current_object()
        thread = threading.Thread(target=execute, args=(job_id, app), name=f"job-{name}", daemon=True)
        threads = app.extensions.setdefault(THREADS_KEY, [])
        threads[:] = [t for t in threads if t.is_alive()]
        threads.append(thread)
        thread.start()


def join_all(app, timeout: float = 60.0) -> None:
    """Wait for the in-process jobs ``app`` started (an app being shut down, a test's teardown): a job
    still reading in its own transaction would otherwise hold locks that the next user of the database
    (emptying tables, dropping a schema) waits on."""
    for thread in list(app.extensions.get(THREADS_KEY, ())):
        thread.join(timeout)


def execute(job_id: str, app=None) -> None:
    """Run one stored job in a fresh context of ``app`` (default: the active one), so the job's session
    is its own. RQ calls :func:`matchmaker.worker.execute`, which finds or builds the application first.

    Jobs queued in Redis before that entry existed name this function itself; a plain ``rq worker`` runs
    them with no application, so then this hands over to the worker entry (looked up by name, as the
    queue does: importing it would close a cycle through ``create_app``), which builds one."""
    if app is None and not has_app_context():
        module, _, name = WORKER_ENTRY.rpartition(".")
        getattr(importlib.import_module(module), name)(job_id)
        return
    with (app or current_app).app_context():
        _execute(job_id)


def _update(job_id: str, **values) -> None:
    with _sessions()() as s:
        job = s.get(Job, job_id)
        if job is None:
            return
        for key, value in values.items():
            setattr(job, key, value)
        s.commit()


def _execute(job_id: str) -> None:
    with _sessions()() as s:
        job = s.get(Job, job_id)
        if job is None or job.status not in ("queued",):
            return
        func_path, kwargs = job.func_path, dict(job.kwargs or {})
        job.status, job.started_at = "running", utcnow()
        s.commit()
    token = _current.set(job_id)
    try:
        module, _, attr = func_path.replace(":", ".").rpartition(".")
        func = getattr(importlib.import_module(module), attr)
        result = func(**kwargs)
    except Exception as exc:  # noqa: BLE001 - a failed job records why; the worker goes on
        log.exception("job %s (%s) failed", job_id, func_path)
        detail = exc.as_dict() if callable(getattr(exc, "as_dict", None)) else None  # e.g. a field and code
        told = isinstance(exc, JobError) or detail is not None  # worded for the caller
        _update(job_id, status="failed", error=(str(exc) or exc.__class__.__name__) if told else UNEXPECTED,
                result=detail, finished_at=utcnow())
    else:
        _update(job_id, status="done", progress=1.0, result=result if isinstance(result, dict) else
                {"value": result}, finished_at=utcnow())
    finally:
        _current.reset(token)
        sess = g.pop("db_session", None)  # what the job function opened with db.session()
        if sess is not None:
            sess.rollback()
            sess.close()


def current_job_id() -> str | None:
    """The id of the job this code runs in (None outside a job)."""
    return _current.get()


def progress(job_id: str | None, fraction: float, message: str = "") -> None:
    """Record how far a job is (0..1) and what it does now; a no-op outside a job."""
    if job_id is None:
        return
    _update(job_id, progress=max(0.0, min(1.0, float(fraction))), message=message[:300])


def get(job_id: str) -> Job | None:
    with _sessions()() as s:
        return s.get(Job, job_id)


def latest(subject: str, name: str | None = None) -> Job | None:
    with _sessions()() as s:
        stmt = select(Job).where(Job.subject == subject)
        if name:
            stmt = stmt.where(Job.name == name)
        return s.scalar(stmt.order_by(Job.created_at.desc()).limit(1))


def wait(job_id: str, timeout: float = 60.0, interval: float = 0.05) -> Job:
    """Block until the job has finished (for the command line and tests)."""
    deadline = time.monotonic() + timeout
    while True:
        job = get(job_id)
        if job is None:
            raise KeyError(job_id)
        if job.status in ("done", "failed") or time.monotonic() > deadline:
            return job
        time.sleep(interval)


def job_dict(job: Job) -> dict:
    return {"id": job.id, "name": job.name, "status": job.status, "progress": round(job.progress or 0.0, 3),
            "message": job.message or "", "result": job.result, "error": job.error,
            "created_at": job.created_at.isoformat() if job.created_at else None,
            "finished_at": job.finished_at.isoformat() if job.finished_at else None}


# -- command line: ``flask --app matchmaker jobs worker`` / ``jobs status`` ------------------------

def register_cli(app) -> None:
    import click
    from flask.cli import AppGroup

    group = AppGroup("jobs", help="Background jobs (thread by default, RQ with MATCHMAKER_JOBS_URL).")

    @group.command("worker")
    @click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
    def worker(burst: bool) -> None:
        """Drain the RQ queue (run beside gunicorn when MATCHMAKER_JOBS_URL is a Redis URL)."""
        if backend() != "rq":
            raise click.ClickException("MATCHMAKER_JOBS_URL is not a redis:// URL; jobs run in threads")
        from redis import Redis
        from rq import Queue, Worker

        conn = Redis.from_url(_jobs_url())
        Worker([Queue(_queue_name(), connection=conn)], connection=conn).work(burst=burst)

    @group.command("status")
    @click.argument("job_id")
    def status(job_id: str) -> None:
        """Print one job's status, progress and error."""
        job = get(job_id)
        if job is None:
            raise click.ClickException(f"no job {job_id}")
        click.echo(f"{job.name} {job.status} {job.progress:.0%} {job.message} {job.error or ''}".rstrip())

    app.cli.add_command(group)
