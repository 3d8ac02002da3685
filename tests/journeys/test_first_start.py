"""A first start on an empty database, and the command line's progress in a log file."""
from __future__ import annotations

import logging
import re

from matchmaker import create_app
from matchmaker.cli import _progress


def test_first_start_on_an_unmigrated_database_logs_no_traceback(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    app = create_app({"SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path / 'new.db'}",
                      "SEARCH_URL": "embedded", "SEARCH_PATH": str(tmp_path / "search"),
                      "MODEL_DIR": str(tmp_path / "models")})
    try:
        result = app.test_cli_runner().invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
    finally:
        app.extensions["matchmaker.engine"].dispose()
    noisy = [r for r in caplog.records if r.exc_info or r.levelno >= logging.WARNING]
    assert noisy == [], [r.getMessage() for r in noisy]
    assert "Traceback" not in caplog.text


def test_progress_in_a_log_is_one_line_per_step(capsys):
    """Written to a file or pipe (not a terminal), no carriage returns run the steps together."""
    for done in (0, 500, 1000):
        _progress("index makers", done, 1000)
    out = capsys.readouterr().out
    assert "\r" not in out
    lines = out.splitlines()
    assert len(lines) == 3 and [line.split()[-1] for line in lines] == ["0/1000", "500/1000", "1000/1000"]


def test_demo_data_output_reads_as_a_log(demo_cluster):
    """What `db upgrade` and `demo-data` printed when the cluster was made: no traceback, no carriage return,
    and the ranker's training reports its steps instead of going silent."""
    out = demo_cluster.build_output
    assert "Traceback" not in out and "\r" not in out
    assert re.search(r"^validate settings +\[#+\] (\d+)/\1$", out, re.M), out  # the grid, and IPS if swaps exist
    assert re.search(r"^fit and evaluate +\[#+\] 2/2$", out, re.M), out
    assert "fairs (open for requests, scheduled and published, past)" in out
