"""scripts/demo.sh, the README's demo command, run for real on a small cluster.

It sets up, migrates, loads the demo cluster, builds the index, trains the first models and serves
them through gunicorn where ``BIND`` says; the address it tells the app is where links in outbox
emails point (bound to every interface, those links name this machine as localhost).
"""
from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "matchmaker-demo"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    """The demo script serving a 40-maker cluster on every interface; yields (port, database file)."""
    port, database = _free_port(), tmp_path / "demo.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MATCHMAKER_") and k != "BIND"}
    env.update(BIND=f"0.0.0.0:{port}", DEMO_MAKERS="40", DEMO_BUYERS="10", WORKERS="1", THREADS="2",
               MATCHMAKER_DATABASE_URL=f"sqlite:///{database}", MATCHMAKER_SEARCH_PATH=str(tmp_path / "search"),
               MATCHMAKER_MODEL_DIR=str(tmp_path / "models"))
    log = (tmp_path / "demo.log").open("w")
    proc = subprocess.Popen(["bash", str(REPO / "scripts" / "demo.sh")], cwd=tmp_path, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 400
        while True:
            assert proc.poll() is None, (tmp_path / "demo.log").read_text()[-3000:]
            assert time.monotonic() < deadline, (tmp_path / "demo.log").read_text()[-3000:]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(1)
        yield port, database
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


class Browser:
    """Pages with cookies and each form's CSRF token, as a browser sends them."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as r:
            return r.read().decode()

    def post_form(self, path: str, fields: dict) -> tuple[str, str]:
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.get(path)).group(1)
        data = urllib.parse.urlencode({"csrf_token": token, **fields}).encode()
        with self.opener.open(self.base + path, data=data, timeout=30) as r:
            return r.geturl(), r.read().decode()


def test_the_demo_script_serves_the_demo_and_email_links_name_where_it_is_served(served):
    port, database = served
    buyer = Browser(port)
    landed, page = buyer.post_form("/login", {"email": "buyer@demo.matchmaker", "password": PASSWORD})
    assert not landed.endswith("/login"), page[:2000]          # the demo login signs in
    assert "makers" in buyer.get("/search?q=denim").lower()    # the index was built: search answers
    Browser(port).post_form("/password/forgot", {"email": "maker@demo.matchmaker"})
    with sqlite3.connect(database) as db:
        bodies = [b for (b,) in db.execute("select body from contact_email_outbox where to_address = ?",
                                           ("maker@demo.matchmaker",))]
    assert bodies and f"http://localhost:{port}/password/reset/" in bodies[-1]
