"""Entry point of RQ work horses: the function :func:`matchmaker.jobs.submit` enqueues on Redis.

An ``rq worker`` started on its own (not ``matchmaker jobs worker``, which runs inside the app) has no
Flask application, so this module builds one, once per process, and runs the stored job in it. It is
to the job queue what ``wsgi.py`` is to gunicorn: the only place outside the command line that calls
``create_app``, and nothing that ``create_app`` builds imports it (the queue names it by string), so
the app factory closes no import cycle.
"""
from __future__ import annotations

from flask import Flask, current_app, has_app_context

from . import create_app, jobs

_app: Flask | None = None  # the application this worker process builds once


def execute(job_id: str) -> None:
    """Run one stored job: in the active application when there is one (``matchmaker jobs worker``,
    tests), else in this process's own application."""
    global _app
    if has_app_context():
        jobs.execute(job_id, current_app._get_current_object())
        return
    if _app is None:
        _app = create_app()
    jobs.execute(job_id, _app)
