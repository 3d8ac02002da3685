"""A real SMTP server on loopback (aiosmtpd) that keeps what it accepted, and can be stopped and
started again on the same port (the outage of the benchmarks and the worker tests)."""
from __future__ import annotations

import email
import threading
from collections import Counter
from email.policy import default as default_policy

from aiosmtpd.controller import Controller

from tests.support.live_server import free_port



class SmtpSink:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.url = f"smtp://127.0.0.1:{self.port}"
        self.messages: list[tuple[list[str], str, str]] = []   # (recipients, subject, body)
        self.message_ids: list[str] = []
        self.lock = threading.Lock()
        self.controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=default_policy)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), str(msg["Subject"]), msg.get_content()))
            self.message_ids.append(str(msg["Message-ID"]))
        return "250 OK"

    def start(self) -> SmtpSink:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address: str) -> list[tuple[str, str]]:
        """(subject, body) of every message to ``address``."""
        with self.lock:
            return [(subj, body) for rcpt, subj, body in self.messages if address in rcpt]

    def duplicates(self) -> dict[str, int]:
        with self.lock:
            return {mid: n for mid, n in Counter(self.message_ids).items() if n > 1}
