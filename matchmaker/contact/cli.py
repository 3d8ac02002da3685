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
def send_command(once: bool, interval: float, batch: int) -> None:
    """Send queued emails to ``MATCHMAKER_SMTP_URL``; failed ones stay queued with their error and retry time."""
    from .. import db
    from .mailer import RETRY_SECONDS, send_pending

    url, sender = smtp_settings()
    if not url:
        raise click.ClickException("set MATCHMAKER_SMTP_URL, e.g. smtp://127.0.0.1:25")
    retry = float(current_app.config.get("NOTIFY_RETRY_SECONDS", os.environ.get("MATCHMAKER_NOTIFY_RETRY_SECONDS",
                                                                                RETRY_SECONDS)))
    while True:
        total_sent = total_failed = 0
        try:
            while True:  # drain what is due, round after round
                sent, failed = send_pending(db.session(), url, sender, batch, retry_seconds=retry)
                total_sent, total_failed = total_sent + sent, total_failed + failed
                if sent + failed < batch or failed:
                    break
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
        finally:
            db.session().close()
        if total_sent or total_failed or once:
            click.echo(f"sent {total_sent}, failed {total_failed}")
        if once:
            return
        time.sleep(interval)


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
    app.cli.add_command(notify_cli)
