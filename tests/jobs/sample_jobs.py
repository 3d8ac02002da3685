"""Job functions for the jobs tests (imported by path, like real ones)."""
from __future__ import annotations

from matchmaker import db, jobs
from matchmaker.organizations.records import Organization


def count_kind(kind: str, steps: int = 3) -> dict:
    me = jobs.current_job_id()
    for i in range(steps):
        jobs.progress(me, (i + 1) / (steps + 1), f"step {i + 1} of {steps}")
    n = db.session().query(Organization).filter(Organization.kind == kind).count()
    return {"kind": kind, "count": n}


def explode(reason: str) -> dict:
    raise jobs.JobError(f"cannot go on: {reason}")


def crash(secret: str) -> dict:
    """A bug or a database error: its text (SQL, parameters, paths) is for the server log only."""
    raise RuntimeError(f"(psycopg.OperationalError) UPDATE orders SET note=%(note)s [parameters: {secret!r}]")
