"""``flask --app matchmaker notify send``: deliver the queued notification emails over SMTP."""
from __future__ import annotations

import os
import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup

notify_cli = AppGroup("notify", help="Notification emails.")


@notify_cli.command("send")
@click.option("--once", is_flag=True, help="Send what is queued and stop (default: keep polling).")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between polls.")
def send_command(once: bool, interval: float) -> None:
    """Send queued emails to ``MATCHMAKER_SMTP_URL``; failed ones stay queued with their error."""
    from .. import db
    from .notify import send_pending

    url = current_app.config.get("SMTP_URL") or os.environ.get("MATCHMAKER_SMTP_URL")
    if not url:
        raise click.ClickException("set MATCHMAKER_SMTP_URL, e.g. smtp://127.0.0.1:25")
    sender = (current_app.config.get("MAIL_FROM") or os.environ.get("MATCHMAKER_MAIL_FROM")
              or "matchmaker@localhost")
    while True:
        try:
            sent, failed = send_pending(db.session(), url, sender)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
        finally:
            db.session().close()
        if sent or failed or once:
            click.echo(f"sent {sent}, failed {failed}")
        if once:
            return
        time.sleep(interval)


def register_cli(app: Flask) -> None:
    app.cli.add_command(notify_cli)
