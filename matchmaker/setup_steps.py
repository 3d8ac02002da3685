"""What the demo setup does once the data is in: build the search index, train the first models.

Each step reports progress; a model that cannot be trained (too little evidence)
is reported and skipped, and the app then ranks by the rule score and says so.
"""
from __future__ import annotations

import click


def after_demo_data(app, progress=None) -> None:
    from models.ranker import InsufficientData
    from models.registry import ModelRegistry

    from . import db
    from .ranking.training import train_ranker
    from .search.rebuild import rebuild_all

    rebuild_all(app, progress=progress)
    registry = ModelRegistry(app.config["MODEL_DIR"])
    try:
        train_ranker(db.session(), registry, echo=click.echo, progress=progress)
    except InsufficientData as exc:
        click.echo(f"ranker not trained: {exc}")
    try:
        from .vetting.screening import train_screener_for_demo
    except ImportError:
        return
    train_screener_for_demo(app, echo=click.echo)
