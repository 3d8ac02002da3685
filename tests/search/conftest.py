"""What the index tests share: a small demo cluster and the sources an index holds."""
from __future__ import annotations

import pytest

from indexing import Query
from matchmaker import db
from matchmaker.demo import generate


@pytest.fixture
def demo(app):
    """The demo generator's data at 60 makers and 8 buyers (the outbox already holds their changes)."""
    with app.app_context():
        generate(db.session(), makers=60, buyers=8, seed=2)
    return app


def sources(be, index: str) -> dict[str, dict]:
    """Every document's stored source in ``index``, by id, paged through the backend's own search."""
    out, page = {}, 1
    while True:
        hits = be.search(index, Query(include_source=True, per_page=100, page=page, sort="row_id")).hits
        out.update({h.id: h.source for h in hits})
        if len(hits) < 100:
            return out
        page += 1
