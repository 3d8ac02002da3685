"""A real fault for the embedded index: another process holds the write lock of an index.

The embedded (tantivy) index has one writer at a time across processes, serialised by a
flock on ``.<physical>.write.lock``: readers keep serving, and every writer waits its busy
timeout and then fails (IndexUnavailable), exactly as when a long write, a stuck process or
a rebuild's writer holds it.
"""
from __future__ import annotations

import json
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

_HOLDER = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_CREAT | os.O_RDWR, 0o644)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
sys.stdin.read()
os.close(fd)
"""


def physical_file(search_path: str | Path, index: str) -> Path:
    """The write lock file of ``index``'s current physical index."""
    alias = json.loads((Path(search_path) / f"{index}.alias").read_text())
    return Path(search_path) / f".{alias['physical']}.write.lock"


@contextmanager
def index_locked(search_path: str | Path, index: str):
    """Hold the write lock of ``index`` (its current physical index) from another process."""
    proc = subprocess.Popen([sys.executable, "-c", _HOLDER, str(physical_file(search_path, index))],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "locked"
        yield proc
    finally:
        proc.stdin.close()
        proc.wait(10)
