"""A real fault for the embedded index: another process holds the write lock on an index file.

SQLite in WAL mode keeps serving readers, but every writer waits its busy timeout and then
fails ("database is locked"), exactly as when a long rebuild, a backup tool or a stuck
process holds the file.
"""
from __future__ import annotations

import json
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

_HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
conn.execute("ROLLBACK")
"""


def physical_file(search_path: str | Path, index: str) -> Path:
    alias = json.loads((Path(search_path) / f"{index}.alias").read_text())
    return Path(search_path) / f"{alias['physical']}.sqlite"


@contextmanager
def index_locked(search_path: str | Path, index: str):
    """Hold the write lock of ``index`` (its current physical file) from another process."""
    proc = subprocess.Popen([sys.executable, "-c", _HOLDER, str(physical_file(search_path, index))],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "locked"
        yield proc
    finally:
        proc.stdin.close()
        proc.wait(10)
