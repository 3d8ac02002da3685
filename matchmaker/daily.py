"""Daily tasks: work that runs once per UTC day, started by the ``notify send`` worker (no cron line needed).

A concern registers its task where it registers its commands (its own ``register_cli``), naming the job
function by its import path, so this core module never imports a concern::

    register_daily("orders-check-slips", "matchmaker.monitoring.slips:run_check", "orders:check-slips")

The job function is called inside a job of :mod:`matchmaker.jobs` with one keyword argument, ``day`` (the UTC
day, ``YYYY-MM-DD``). :func:`submit_due` submits every registered task whose hour has come with
:func:`matchmaker.jobs.submit_once` and the key ``<name>:<day>``: the unique ``jobs.once_key`` lets one of several
workers, or a worker restarted the same day, start each day's task, and no other. One hour serves every task:
the worker's digest hour (``MATCHMAKER_DIGEST_HOUR``, ``notify send --digest-hour``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from . import jobs

RETRY_FAILED_SECONDS = 900  # a failed daily job is tried again this long after it failed


@dataclass(frozen=True)
class DailyTask:
    name: str        # the job's name, and the prefix of its once key
    func_path: str   # "package.module:function", called with day="YYYY-MM-DD"
    subject: str


_TASKS: dict[str, DailyTask] = {}


def register_daily(name: str, func_path: str, subject: str) -> None:
    """Add (or replace, for an application built again) the daily task ``name``."""
    _TASKS[name] = DailyTask(name, func_path, subject)


def tasks() -> list[DailyTask]:
    return list(_TASKS.values())


def once_key(name: str, day: str) -> str:
    return f"{name}:{day}"


def submit_task(name: str, now: datetime, hour: int) -> str | None:
    """Submit the task ``name`` for ``now``'s UTC day (``now`` in UTC) when ``now`` is at or after ``hour`` and no
    process did yet (or the one that did failed a while ago); the job's id, else None. KeyError: not registered."""
    task = _TASKS[name]
    if now.hour < hour:
        return None
    day = now.date().isoformat()
    return jobs.submit_once(once_key(task.name, day), task.name, task.func_path, {"day": day},
                            subject=task.subject, retry_failed_after=RETRY_FAILED_SECONDS)


def submit_due(now: datetime, hour: int) -> list[str]:
    """Submit every registered task due at ``now`` (UTC); the ids of the jobs this call started."""
    started = (submit_task(name, now, hour) for name in list(_TASKS))
    return [job_id for job_id in started if job_id is not None]
