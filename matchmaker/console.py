"""The ``matchmaker`` console script (``pyproject.toml``): the flask command line with the app loaded,
so ``matchmaker db upgrade``, ``matchmaker run`` or ``matchmaker jobs worker`` need no ``--app``."""
from __future__ import annotations

from flask.cli import FlaskGroup


def main(argv: list[str] | None = None) -> None:
    from . import create_app

    FlaskGroup(create_app=create_app, help="Matchmaker: the flask command line with the app loaded.").main(
        args=argv, prog_name="matchmaker")
