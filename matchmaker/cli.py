"""Command line: ``flask --app matchmaker <command>`` or the ``matchmaker`` script.

``db upgrade``       create or migrate every table (Alembic)
``demo-data``        fill an empty database with a realistic demo cluster
``create-user``      add a user with a role
``serve``            run the production server (gunicorn) on this machine
"""
from __future__ import annotations

import os
import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from .errors import Conflict

db_cli = AppGroup("db", help="Database schema.")


def alembic_config(url: str):
    from alembic.config import Config

    here = os.path.dirname(__file__)
    cfg = Config()
    cfg.set_main_option("script_location", os.path.join(here, "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade_database(url: str, revision: str = "heads") -> None:
    from alembic import command

    command.upgrade(alembic_config(url), revision)


@db_cli.command("upgrade")
@click.option("--revision", default="heads", show_default=True)
def db_upgrade(revision: str) -> None:
    """Create or migrate the schema to the latest revision."""
    upgrade_database(current_app.config["DATABASE_URL"], revision)
    click.echo(f"database at {revision}")


def _progress(phase: str, done: int, total: int) -> None:
    """A bar redrawn in place on a terminal; in a log (not a TTY) one line per step, never a carriage return."""
    width = 30
    filled = int(width * done / total) if total else width
    line = f"{phase:<24} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
    if sys.stdout.isatty():
        click.echo(f"\r{line}", nl=done >= total)
    else:
        click.echo(line)


@click.command("demo-data")
@click.option("--makers", default=1400, show_default=True)
@click.option("--buyers", default=300, show_default=True)
@click.option("--seed", default=7, show_default=True)
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has organizations.")
def demo_data(makers: int, buyers: int, seed: int, if_empty: bool) -> None:
    """Generate a deterministic demo cluster (docs/domain.md's figures) into the database."""
    from sqlalchemy import func, select

    from . import db
    from .demo import generate
    from .organizations.records import Organization

    session = db.session()
    if session.scalar(select(func.count()).select_from(Organization)):
        if if_empty:
            click.echo("database already has data; demo data skipped")
            return
        raise click.ClickException("the database is not empty; demo data goes into an empty database")
    summary = generate(session, makers=makers, buyers=buyers, seed=seed, progress=_progress)
    click.echo(summary.describe())
    from .vetting.demo import generate_vetting_history

    counts = generate_vetting_history(session, seed=seed, today=summary.today)
    click.echo("vetting history: " + ", ".join(f"{n:,} {name}" for name, n in counts.items()))
    from .demo.fairs import generate_demo_fairs

    counts = generate_demo_fairs(session, seed=seed, today=summary.today)
    click.echo("fairs (open for requests, scheduled and published, past): "
               + ", ".join(f"{n:,} {name}" for name, n in counts.items()))
    from .demo.consortia import generate_demo_consortia

    counts, logins = generate_demo_consortia(session, seed=seed)
    click.echo("consortia: " + ", ".join(f"{n:,} {name}" for name, n in counts.items()))
    from .vendors.demo import vet_demo_vendors

    click.echo("input vendors: " + ", ".join(f"{n:,} {name}" for name, n in vet_demo_vendors(
        session, today=summary.today).items()))
    _remember_demo_logins(list(summary.logins) + logins)
    from .setup_steps import after_demo_data
    after_demo_data(current_app, progress=_progress)


def demo_logins_path() -> str:
    return os.path.join(current_app.instance_path, "demo-logins.json")


def _remember_demo_logins(logins) -> None:
    """The sign-in page of a demo lists these; they exist only in demo mode."""
    import json

    os.makedirs(current_app.instance_path, exist_ok=True)
    with open(demo_logins_path(), "w") as fh:
        json.dump([{"role": r, "email": e, "password": p} for r, e, p in logins], fh, indent=2)


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True)
@click.option("--organization-id", type=int)
@click.option("--association-id", type=int)
@click.password_option()
def create_user(email, name, role, organization_id, association_id, password) -> None:
    """Add a user; the password is hashed, never stored."""
    from . import db
    from .auth import hash_password
    from .accounts.records import User
    from .taxonomy import ROLES

    if role not in ROLES:
        raise click.BadParameter(f"unknown role; choose from {', '.join(ROLES.codes)}", param_hint="--role")
    session = db.session()
    session.add(User(email=email.strip().lower(), name=name, role=role, password_hash=hash_password(password),
                     organization_id=organization_id, association_id=association_id))
    from .db import commit
    try:
        commit(session)
    except Conflict as exc:
        raise click.ClickException(f"could not create user: {exc}") from None
    click.echo(f"created {role} {email}")


@click.command("serve")
@click.option("--bind", default="127.0.0.1:8000", show_default=True)
@click.option("--workers", default=2, show_default=True)
@click.option("--threads", default=4, show_default=True)
def serve(bind: str, workers: int, threads: int) -> None:
    """Serve through gunicorn (never Flask's development server)."""
    os.execvp(sys.executable, [sys.executable, "-m", "gunicorn", "--bind", bind, "--workers", str(workers),
                               "--threads", str(threads), "--access-logfile", "-", "-c",
                               os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts",
                                            "gunicorn_conf.py"), "wsgi:app"])


train_cli = AppGroup("train", help="Learned models.")
evaluate_cli = AppGroup("evaluate", help="Model reports.")


def _registry():
    from models.registry import ModelRegistry

    return ModelRegistry(current_app.config["MODEL_DIR"])


@train_cli.command("ranker")
@click.option("--min-queries", default=50, show_default=True, help="Minimum evidence: requirements with an outcome.")
def train_ranker_cmd(min_queries: int) -> None:
    """Train the supplier ranker on the outcome log (time split), compare with baselines, promote if not worse."""
    from models.ranker import InsufficientData

    from . import db
    from .ranking.training import train_ranker

    try:
        report = train_ranker(db.session(), _registry(), echo=click.echo, progress=_progress, min_queries=min_queries)
    except InsufficientData as exc:
        raise click.ClickException(f"{exc}; ranking stays on the rule score") from None
    click.echo(f"metrics chart: {_registry().root / 'ranker' / report['version'] / 'metrics.png'}")


@evaluate_cli.command("ranker")
@click.option("--online", is_flag=True, help="Also report the interleaving win rate (with its 95 % CI) and the "
                                            "position bias from the randomised pairs served to buyers.")
def evaluate_ranker_cmd(online: bool) -> None:
    """Print the promoted ranker's held-out metrics and the top-10 exposure share by size band."""
    registry = _registry()
    version = registry.promoted("ranker")
    if version is None:
        raise click.ClickException("no promoted ranker; run `train ranker` first")
    meta = registry.load("ranker", version).metadata
    click.echo(f"ranker {version}, trained on {meta['training_window'][0]} .. {meta['training_window'][1]}, "
               f"tested on {meta['n_test_queries']} later requirements")
    for title, key in (("all outcomes", "metrics"), ("business outcomes (contacted or better)", "metrics_business")):
        if key not in meta:
            continue
        click.echo(f"held-out {title}:")
        click.echo(f"  {'':<16}{'NDCG@5':>9}{'NDCG@10':>9}{'MRR':>9}")
        for name, row in meta[key].items():
            click.echo(f"  {name:<16}{row['NDCG@5']:>9.4f}{row['NDCG@10']:>9.4f}{row['MRR']:>9.4f}")
    for title, key in (("learned ranker", "exposure"), ("rule score", "exposure_rule")):
        if key not in meta:
            continue
        click.echo(f"top-10 exposure by size band vs. share among qualified candidates ({title}):")
        click.echo(f"  {'band':<10}{'candidates':>12}{'top-10':>9}{'exposure':>10}{'ratio':>8}")
        for band, row in meta[key].items():
            click.echo(f"  {band:<10}{row['candidate_share']:>12.3f}{row['topk_share']:>9.3f}"
                       f"{row['exposure_share']:>10.3f}{row['exposure_ratio']:>8.2f}")
    if online:
        from . import db
        from .ranking.online_report import online_report

        for line in online_report(db.session()):
            click.echo(line)


index_cli = AppGroup("index", help="Search index.")


@index_cli.command("rebuild")
def index_rebuild() -> None:
    """Rebuild every index from the database into new versioned indices, then swap."""
    from .search.rebuilding import RebuildFailed
    from .search.rebuild import rebuild_all

    try:
        done = rebuild_all(current_app, progress=_progress)
    except RebuildFailed as exc:
        raise click.ClickException(f"{exc}; the previous index is still served") from exc
    for name, physical in done.items():
        click.echo(f"{name} -> {physical}")


@index_cli.command("sync")
@click.option("--once", is_flag=True, help="Drain the queue once and exit.")
@click.option("--interval", default=1.0, show_default=True, help="Seconds between polls.")
def index_sync(once: bool, interval: float) -> None:
    """Drain queued changes into the index (run this worker beside gunicorn with Elasticsearch)."""
    from . import db
    from .search.sync import backend, drain, run_worker

    if once:
        click.echo(f"synced {drain(db.session(), backend(), current_app)} changes")
        return
    run_worker(current_app, interval=interval, echo=click.echo)


@index_cli.command("status")
def index_status() -> None:
    """Backend, pending changes, last sync time, and whether the built indexes are outdated."""
    import json

    from .search.health import search_health

    health = search_health(current_app)
    click.echo(json.dumps(health, indent=2))
    outdated = [name for name, i in health["indices"].items() if i.get("rebuild_needed")]
    if outdated:
        click.echo(f"rebuild needed ({', '.join(outdated)} built with another spec version or synonym list):"
                   " run `flask index rebuild`", err=True)


def register_cli(app: Flask) -> None:
    app.cli.add_command(db_cli)
    app.cli.add_command(index_cli)
    app.cli.add_command(train_cli)
    app.cli.add_command(evaluate_cli)
    from .vetting.cli import register_cli as register_vetting_cli
    register_vetting_cli(app)
    from .contact.cli import register_cli as register_contact_cli
    register_contact_cli(app)
    from .monitoring.cli import register_cli as register_monitoring_cli
    register_monitoring_cli(app)
    from .accounts.cli import register_cli as register_accounts_cli
    register_accounts_cli(app)
    from .jobs import register_cli as register_jobs_cli
    register_jobs_cli(app)
    for command in (demo_data, create_user, serve):
        app.cli.add_command(command)
