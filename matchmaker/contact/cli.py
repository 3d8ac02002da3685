"""``flask --app matchmaker notify send`` (deliver the outbox over SMTP) and ``notify digest`` (the daily digest)."""
from __future__ import annotations

import os
import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup

notify_cli = AppGroup("notify", help="Notification emails.")


def smtp_settings() -> tuple[str | None, str]:
    url = current_app.config.get("SMTP_URL") or os.environ.get("MATCHMAKER_SMTP_URL")
    sender = (current_app.config.get("MAIL_FROM") or os.environ.get("MATCHMAKER_MAIL_FROM")
              or "matchmaker@localhost")
    return url, sender


@notify_cli.command("send")
@click.option("--once", is_flag=True, help="Send what is queued and stop (default: keep polling).")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between polls.")
@click.option("--batch", default=100, show_default=True, help="Emails claimed per round.")
@click.option("--digest-hour", type=click.IntRange(0, 23), default=None,
              help="UTC hour from which the daily tasks (the digest among them) run (default MATCHMAKER_DIGEST_HOUR, "
                   "else 6).")
@click.option("--no-digest", is_flag=True, help="Never run the daily tasks (the digest among them) in this worker.")
def send_command(once: bool, interval: float, batch: int, digest_hour: int | None, no_digest: bool) -> None:
    """Send queued emails to ``MATCHMAKER_SMTP_URL``; failed ones stay queued with their error and retry time.

    Polling (without ``--once``), it also runs the daily tasks (the digest, ``vetting reopen-due``, ``orders
    check-slips``, ``accounts purge-unverified``) once per UTC day at or after the digest hour, each as a job;
    several workers, or one restarted the same day, still run each once."""
    from .mailer import RETRY_SECONDS
    from .worker import SendWorker, base_url_configured, configured_digest_hour

    url, sender = smtp_settings()
    if not url:
        raise click.ClickException("set MATCHMAKER_SMTP_URL, e.g. smtp://127.0.0.1:25")
    retry = float(current_app.config.get("NOTIFY_RETRY_SECONDS", os.environ.get("MATCHMAKER_NOTIFY_RETRY_SECONDS",
                                                                                RETRY_SECONDS)))
    hour = None
    if not once and not no_digest:
        try:
            hour = configured_digest_hour() if digest_hour is None else digest_hour
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
    if not once and not base_url_configured():  # said once, when the worker starts
        click.echo("warning: MATCHMAKER_BASE_URL is not set: links in emails will point to "
                   "http://localhost:8000; set it to the site's address, e.g. https://matchmaker.example",
                   err=True)
    worker = SendWorker(url, sender, batch, retry, digest_hour=hour)
    while True:
        try:
            done = worker.iteration()
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
        for job in done["daily"]:
            _echo_daily(job)
        if done["sent"] or done["failed"] or once:
            click.echo(f"sent {done['sent']}, failed {done['failed']}")
        if once:
            return
        time.sleep(interval)


def _echo_daily(job) -> None:
    """One line per daily job the round started: its result, or its status and error on stderr."""
    from .digest import DIGEST_JOB

    day = (job.kwargs or {}).get("day")
    if job.status != "done":
        click.echo(f"{job.name} of {day}: job {job.id} {job.status} {job.error or ''}".rstrip(), err=True)
    elif job.name == DIGEST_JOB:
        r = job.result or {}
        click.echo(f"digest of {day}: announced {r.get('announced')}, digests {r.get('emails')} "
                   f"({r.get('items')} notices)")
    else:
        click.echo(f"{job.name} of {day}: {job.result}")


@notify_cli.command("digest")
@click.option("--day", default=None, help="The UTC day (YYYY-MM-DD) the digests count as; default today.")
@click.option("--job", "as_job", is_flag=True, help="Run it as a background job (matchmaker.jobs) and wait.")
def digest_command(day: str | None, as_job: bool) -> None:
    """Announce new requirements that fit makers and queue each user's daily digest (once a day)."""
    from .. import jobs
    from .digest import DIGEST_JOB, run_daily

    if as_job:
        job = jobs.wait(jobs.submit(DIGEST_JOB, "matchmaker.contact.digest:run_daily", {"day": day},
                                    subject="notify:digest"), timeout=600)
        if job.status != "done":
            raise click.ClickException(f"the digest job {job.status}: {job.error or ''}")
        result = job.result
    else:
        result = run_daily(day)
    click.echo(f"announced {result['announced']}, digests {result['emails']} ({result['items']} notices)")


def register_cli(app: Flask) -> None:
    from .worker import register_daily_digest

    app.cli.add_command(notify_cli)
    register_daily_digest()  # run by ``notify send`` once a day (matchmaker.daily)
