"""The app knows when the built index is outdated: an index built with another spec version or synonym list
is reported as needing a rebuild, by ``flask index status`` and by /health, until ``flask index rebuild``."""
from __future__ import annotations

import json
from dataclasses import replace

from matchmaker.search import documents
from matchmaker.search.sync import backend, spec_for


def _status(app) -> tuple[dict, str]:
    result = app.test_cli_runner().invoke(args=["index", "status"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), result.stderr


def test_an_index_built_with_another_spec_needs_a_rebuild(app, client):
    makers = spec_for(documents.MAKERS, app)
    with app.app_context():
        be = backend(app)
        for name in documents.SPECS:  # both indexes as the current code builds them
            be.rebuild(spec_for(name, app), [])
    health = client.get("/health").json["search"]
    assert health["rebuild_needed"] is False
    entry = health["indices"]["makers"]
    assert entry["rebuild_needed"] is False
    assert entry["built_spec_version"] == entry["spec_version"] == makers.version
    assert entry["built_synonyms_hash"] == entry["synonyms_hash"] == makers.synonyms_hash
    status, err = _status(app)
    assert status["rebuild_needed"] is False and "rebuild" not in err

    with app.app_context():  # what code of the previous spec version built
        backend(app).rebuild(replace(makers, version=makers.version - 1), [])
    health = client.get("/health").json["search"]
    assert health["rebuild_needed"] is True
    assert health["indices"]["makers"]["rebuild_needed"] is True
    assert health["indices"]["makers"]["built_spec_version"] == makers.version - 1
    assert health["indices"]["requirements"]["rebuild_needed"] is False
    status, err = _status(app)
    assert status["indices"]["makers"]["rebuild_needed"] is True and status["rebuild_needed"] is True
    assert "flask index rebuild" in err and "makers" in err

    with app.app_context():  # the same version, but built before the synonym list changed
        backend(app).rebuild(replace(makers, synonyms=makers.synonyms[:-1]), [])
    entry = client.get("/health").json["search"]["indices"]["makers"]
    assert entry["built_spec_version"] == makers.version
    assert entry["built_synonyms_hash"] != entry["synonyms_hash"] and entry["rebuild_needed"] is True

    assert app.test_cli_runner().invoke(args=["index", "rebuild"]).exit_code == 0
    assert client.get("/health").json["search"]["rebuild_needed"] is False
    assert _status(app)[0]["indices"]["makers"]["rebuild_needed"] is False


def test_a_fresh_deployment_without_indexes_needs_no_rebuild(app, client):
    health = client.get("/health").json["search"]
    assert health["rebuild_needed"] is False
    assert health["indices"]["makers"]["built_spec_version"] is None
