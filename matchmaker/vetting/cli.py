"""Commands: ``flask --app matchmaker train screener`` and ``flask --app matchmaker vetting reopen-due``."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

vetting_cli = AppGroup("vetting", help="Buyer vetting workflow.")


@click.command("screener")
@with_appcontext
@click.option("--horizon-days", default=365, show_default=True, help="Label window after each cutoff.")
@click.option("--step-days", default=61, show_default=True, help="Days between training cutoffs.")
def train_screener_command(horizon_days: int, step_days: int) -> None:
    """Train the buyer reputation screener on the database history (time split), promote if not worse."""
    from .. import db
    from .screening import registry, train_screener

    try:
        summary = train_screener(db.session(), registry(current_app), echo=click.echo,
                                 horizon_days=horizon_days, step_days=step_days)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"version {summary['version']} promoted={summary['promoted']}")


@vetting_cli.command("reopen-due")
def reopen_due_command() -> None:
    """Reopen every case whose review date has come (``notify send`` runs it daily; this runs it by hand)."""
    from .. import db
    from .cases import reopen_due

    click.echo(f"reopened {reopen_due(db.session())} cases")


def register_cli(app: Flask) -> None:
    """Add ``vetting`` and ``train screener`` (joining a ``train`` group another concern may have made), and the
    daily task ``notify send`` runs (``vetting reopen-due``)."""
    from .. import daily
    from .cases import REOPEN_JOB

    app.cli.add_command(vetting_cli)
    daily.register_daily(REOPEN_JOB, "matchmaker.vetting.cases:run_reopen_due", "vetting:reopen-due")
    train = app.cli.commands.get("train")
    if train is None:
        train = AppGroup("train", help="Train models from the database.")
        app.cli.add_command(train)
    train.add_command(train_screener_command)
