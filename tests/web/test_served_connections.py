"""Served through ``scripts/gunicorn_conf.py``, a burst of kept-alive connections is shared by the workers
instead of all landing on the one that accepted first (issue 12: one worker on one core served every
connection of the load tool while the other idled)."""
from __future__ import annotations

import re
import socket
from collections import Counter

from tests.support.live_server import REPO, gunicorn

CONFIG = str(REPO / "scripts" / "gunicorn_conf.py")


def test_a_burst_of_connections_is_shared_by_both_workers(database_url, tmp_path):
    workers, threads = 2, 4
    cap = 2 * threads  # each worker holds at most this many connections at once
    args = ("-c", CONFIG, "--access-logfile", "-", "--access-logformat", "pid=%(p)s %(r)s")
    with gunicorn(database_url, workers=workers, threads=threads, root=tmp_path, args=args) as base:
        host, port = base.removeprefix("http://").split(":")
        conns = [socket.create_connection((host, int(port)), timeout=30) for _ in range(workers * cap)]
        try:
            # each connection starts its request and holds it open: a worker keeps the connections it took
            for i, conn in enumerate(conns):
                conn.sendall(f"GET /health?burst={i} HTTP/1.1\r\nHost: {host}\r\n".encode())
            for conn in conns:
                conn.sendall(b"\r\n")
            answers = [_status_line(conn) for conn in conns]
        finally:
            for conn in conns:
                conn.close()
    assert answers == ["HTTP/1.1 200 OK"] * len(conns)
    log = (tmp_path / "gunicorn.log").read_text(errors="replace")
    by_worker = Counter(re.findall(r"pid=<(\d+)> GET /health\?burst=", log))
    assert sorted(by_worker.values()) == [cap] * workers, log[-3000:]


def _status_line(conn: socket.socket) -> str:
    data = b""
    while b"\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.split(b"\r\n", 1)[0].decode()
