"""What the demo setup does after the data is in: build the search index, train the first models."""
from __future__ import annotations


def after_demo_data(app, progress=None) -> None:
    from .search.sync import rebuild_all

    rebuild_all(app, progress=progress)
