"""``flask --app matchmaker accounts purge-unverified``: remove sign-ups whose email was never verified
(``notify send`` runs it daily as a job, with the default age; by hand here, or with ``--job`` through
``matchmaker.jobs``)."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

accounts_cli = AppGroup("accounts", help="Self-service accounts.")


@accounts_cli.command("purge-unverified")
@click.option("--older-than-days", "days", type=int, default=14, show_default=True,
              help="Remove unverified sign-ups older than this many days.")
@click.option("--job", "as_job", is_flag=True, help="Run it as a background job (matchmaker.jobs) and wait.")
def purge_unverified_command(days: int, as_job: bool) -> None:
    """Remove each unverified sign-up (its user, and its firm when nothing else uses it), one at a time."""
    from .. import db, jobs
    from .purge import PURGE_JOB, min_days, purge_unverified

    if days < min_days():
        raise click.BadParameter(f"at least {min_days()} (the verification link's lifetime)",
                                 param_hint="--older-than-days")
    if as_job:
        job = jobs.wait(jobs.submit(PURGE_JOB, "matchmaker.accounts.purge:run_purge", {"older_than_days": days},
                                    subject="accounts:purge-unverified"), timeout=600)
        if job.status != "done":
            raise click.ClickException(f"the purge job {job.status}: {job.error or ''}")
        result = job.result
    else:
        result = purge_unverified(db.session(), days).as_dict()
    kept = f", kept {len(result['kept'])} in use" if result["kept"] else ""
    click.echo(f"removed {result['users']} unverified sign-ups and {result['firms']} unused firms{kept}")


def register_cli(app: Flask) -> None:
    from .. import daily
    from .purge import PURGE_JOB

    app.cli.add_command(accounts_cli)
    daily.register_daily(PURGE_JOB, "matchmaker.accounts.purge:run_daily_purge", "accounts:purge-unverified")
