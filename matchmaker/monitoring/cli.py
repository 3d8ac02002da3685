"""``flask --app matchmaker orders check-slips``: find new slips and notify both sides once (``notify send`` runs it
daily, as the job ``orders-check-slips``; this runs it by hand)."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

orders_cli = AppGroup("orders", help="Orders: monitoring of targets against actuals.")


@orders_cli.command("check-slips")
@click.option("--day", default=None, help="The day (YYYY-MM-DD) slips are counted as of; default today.")
@click.option("--job", "as_job", is_flag=True, help="Run it as a background job (matchmaker.jobs) and wait.")
def check_slips_command(day: str | None, as_job: bool) -> None:
    """Store each new slip (a target missed) and notify the buyer's and the maker's users once per slip."""
    from datetime import date

    from .. import jobs
    from .slips import CHECK_JOB, run_check

    if day:
        try:
            date.fromisoformat(day)
        except ValueError:
            raise click.BadParameter("use YYYY-MM-DD", param_hint="--day") from None
    if as_job:
        job = jobs.wait(jobs.submit(CHECK_JOB, "matchmaker.monitoring.slips:run_check", {"day": day},
                                    subject="orders:check-slips"), timeout=600)
        if job.status != "done":
            raise click.ClickException(f"the slip check job {job.status}: {job.error or ''}")
        result = job.result
    else:
        result = run_check(day)
    detail = ", ".join(f"{kind} {n}" for kind, n in sorted(result["by_kind"].items()))
    click.echo(f"new slips {result['new']}" + (f" ({detail})" if detail else ""))


def register_cli(app: Flask) -> None:
    from .. import daily
    from .slips import CHECK_JOB

    daily.register_daily(CHECK_JOB, "matchmaker.monitoring.slips:run_check", "orders:check-slips")
    if "orders" in app.cli.commands:  # the orders concern's own group: join it
        app.cli.commands["orders"].add_command(check_slips_command)
    else:
        app.cli.add_command(orders_cli)
