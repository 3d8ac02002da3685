"""The ``notify send`` worker: drain the outbox and, once per UTC day at or after the digest hour, run the daily
digest, so no cron line is needed.

One :meth:`SendWorker.iteration` is one round of the loop, called with the time it takes as "now" (tests give
their own clock; the loop gives the real one and sleeps between rounds). The digest is a job of
``matchmaker.jobs`` (progress and result in the ``jobs`` table, as ``notify digest --job``) submitted with
:func:`matchmaker.jobs.submit_once` and the key ``notify-digest:<day>``: the unique index on ``jobs.once_key``
lets one of several workers, or a worker restarted the same day, start the day's digest, and no other.
Under it, :func:`matchmaker.contact.digest.send_digests` still writes one ``DigestRun`` per user and day, so
even a digest run by hand the same day (``notify digest``) never emails a user twice.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone

from flask import current_app

from .. import jobs
from ..records import utcnow
from .digest import DIGEST_JOB
from .mailer import RETRY_SECONDS, send_pending

DEFAULT_DIGEST_HOUR = 6
RETRY_FAILED_DIGEST_SECONDS = 900  # a failed digest job is tried again this long after it failed
DIGEST_WAIT_SECONDS = 600          # the round waits this long for the digest, then sends what it queued


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


def start_daily_digest(now: datetime, hour: int) -> str | None:
    """Submit the digest of ``now``'s UTC day when ``now`` is at or after ``hour`` and no process did yet
    (or the one that did failed a while ago); the job's id, else None."""
    if now.hour < hour:
        return None
    day = now.date().isoformat()
    return jobs.submit_once(digest_key(day), DIGEST_JOB, "matchmaker.contact.digest:run_daily", {"day": day},
                            subject="notify:digest", retry_failed_after=RETRY_FAILED_DIGEST_SECONDS)


@dataclass
class SendWorker:
    smtp_url: str
    sender: str
    batch: int = 100
    retry_seconds: float = RETRY_SECONDS
    digest_hour: int | None = DEFAULT_DIGEST_HOUR   # None: this worker never runs the digest
    digest_wait: float = DIGEST_WAIT_SECONDS

    def iteration(self, now: datetime | None = None) -> dict:
        """One round: the day's digest if it is due here (waiting for it, so its emails go in this round),
        then every due email. ``{"sent", "failed", "digest"}``; ``digest`` is the finished job, or None."""
        from .. import db

        digest = None
        if self.digest_hour is not None:
            now = now or utcnow()
            if now.tzinfo is not None:
                now = now.astimezone(timezone.utc)
            job_id = start_daily_digest(now, self.digest_hour)
            if job_id is not None:
                digest = jobs.wait(job_id, timeout=self.digest_wait)
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
        return {"sent": sent, "failed": failed, "digest": digest}
