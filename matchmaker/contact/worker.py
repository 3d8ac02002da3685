"""The ``notify send`` worker: drain the outbox and, once per UTC day at or after the digest hour, run the daily
tasks (the digest, the vetting reviews due, the slip check, the purge of unverified sign-ups: every task a concern
registered with :func:`matchmaker.daily.register_daily`), so no cron line is needed.

One :meth:`SendWorker.iteration` is one round of the loop, called with the time it takes as "now" (tests give
their own clock; the loop gives the real one and sleeps between rounds). Each daily task is a job of
``matchmaker.jobs`` (progress and result in the ``jobs`` table, as ``notify digest --job``) submitted with
:func:`matchmaker.jobs.submit_once` and the key ``<task>:<day>`` (the digest's: ``notify-digest:<day>``): the
unique index on ``jobs.once_key`` lets one of several workers, or a worker restarted the same day, start the
day's task, and no other. One hour serves every task: ``MATCHMAKER_DIGEST_HOUR`` (``--digest-hour``).
Under it, :func:`matchmaker.contact.digest.send_digests` still writes one ``DigestRun`` per user and day, so
even a digest run by hand the same day (``notify digest``) never emails a user twice.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone

from flask import current_app

import time

from .. import daily, jobs
from ..records import utcnow
from .digest import DIGEST_JOB
from .mailer import RETRY_SECONDS, send_pending

DEFAULT_DIGEST_HOUR = 6
RETRY_FAILED_DIGEST_SECONDS = daily.RETRY_FAILED_SECONDS  # a failed digest job is tried again this long after
DIGEST_WAIT_SECONDS = 600  # the round waits this long for its daily jobs, then sends what they queued
DIGEST_FUNC = "matchmaker.contact.digest:run_daily"


def digest_key(day: str) -> str:
    return f"notify-digest:{day}"


def configured_digest_hour() -> int:
    """``DIGEST_HOUR`` / ``MATCHMAKER_DIGEST_HOUR`` (a UTC hour, 0-23), default 6; ValueError naming the setting."""
    raw = current_app.config.get("DIGEST_HOUR", os.environ.get("MATCHMAKER_DIGEST_HOUR", DEFAULT_DIGEST_HOUR))
    try:
        hour = int(str(raw).strip())
    except ValueError:
        hour = -1
    if not 0 <= hour <= 23:
        raise ValueError(f"MATCHMAKER_DIGEST_HOUR must be a whole UTC hour from 0 to 23, not {raw!r}")
    return hour


def base_url_configured() -> bool:
    return bool(current_app.config.get("BASE_URL") or os.environ.get("MATCHMAKER_BASE_URL"))


def register_daily_digest() -> None:
    """The digest is one of the daily tasks (contact registers it with its commands)."""
    daily.register_daily(DIGEST_JOB, DIGEST_FUNC, "notify:digest")


def start_daily_digest(now: datetime, hour: int) -> str | None:
    """Submit the digest of ``now``'s UTC day when ``now`` is at or after ``hour`` and no process did yet
    (or the one that did failed a while ago); the job's id, else None."""
    register_daily_digest()  # (registered already by the app's commands; this keeps the function standalone)
    return daily.submit_task(DIGEST_JOB, now, hour)


@dataclass
class SendWorker:
    smtp_url: str
    sender: str
    batch: int = 100
    retry_seconds: float = RETRY_SECONDS
    digest_hour: int | None = DEFAULT_DIGEST_HOUR   # the hour of every daily task; None: it runs none of them
    digest_wait: float = DIGEST_WAIT_SECONDS

    def iteration(self, now: datetime | None = None) -> dict:
        """One round: the day's daily tasks that are due here (waiting for them, so the emails they queue go in
        this round), then every due email. ``{"sent", "failed", "digest", "daily"}``: ``daily`` the jobs of the
        daily tasks this round started (finished, or still running after ``digest_wait`` seconds), ``digest``
        the digest's among them, or None."""
        from .. import db

        started = []
        if self.digest_hour is not None:
            now = now or utcnow()
            if now.tzinfo is not None:
                now = now.astimezone(timezone.utc)
            deadline = time.monotonic() + self.digest_wait
            started = [jobs.wait(job_id, timeout=max(0.0, deadline - time.monotonic()))
                       for job_id in daily.submit_due(now, self.digest_hour)]
        digest = next((job for job in started if job.name == DIGEST_JOB), None)
        sent = failed = 0
        try:
            while True:  # drain what is due, round after round
                s, f = send_pending(db.session(), self.smtp_url, self.sender, self.batch,
                                    retry_seconds=self.retry_seconds)
                sent, failed = sent + s, failed + f
                if s + f < self.batch or f:
                    break
        finally:
            db.session().close()
        return {"sent": sent, "failed": failed, "digest": digest, "daily": started}
