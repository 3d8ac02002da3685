"""A real SMTP server on loopback (aiosmtpd) and helpers that read the links out of delivered emails."""
from __future__ import annotations

import email
import re
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller

from tests.support.live_server import free_port
from tests.support.world import csrf_from

LINK = re.compile(r"https?://\S+/(?:verify|password/reset)/\S+")

SIGNUP = {"firm_name": "Lone Star Denim", "country": "US", "city": "Dallas", "website": "https://lonestar.example",
          "buyer_type": "brand", "name": "Jim Walker", "email": "jim@lonestar.example",
          "password": "a long enough password", "language": "en"}


class Inbox:
    def __init__(self):
        self.messages: list[dict] = []

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=default_policy)
        self.messages.append({"to": list(envelope.rcpt_tos), "subject": msg["Subject"], "body": msg.get_content()})
        return "250 OK"

    def to(self, address: str) -> list[dict]:
        return [m for m in self.messages if address in m["to"]]

    def link(self, address: str) -> str:
        """The path of the link in the latest email to ``address`` (as a person would click it)."""
        body = self.to(address)[-1]["body"]
        match = LINK.search(body)
        assert match, body
        return "/" + match.group(0).split("/", 3)[3]


@pytest.fixture
def smtp():
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.url = f"smtp://127.0.0.1:{port}"
    yield inbox
    controller.stop()


def deliver(app, smtp) -> str:
    """Run the outbox worker once (``flask notify send --once``), as it runs beside gunicorn."""
    app.config["SMTP_URL"] = smtp.url
    result = app.test_cli_runner().invoke(args=["notify", "send", "--once"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def post_page(client, path: str, data: dict, token_page: str | None = None):
    token = csrf_from(client.get(token_page or path).get_data(as_text=True))
    return client.post(path, data={**data, "csrf_token": token})


def sign_in(client, email_address: str, password: str, next_path: str | None = None):
    path = "/login" + (f"?next={next_path}" if next_path else "")
    return post_page(client, path, {"email": email_address, "password": password}, token_page="/login")


def field_errors(html: str) -> dict[str, str]:
    """``{field name: message}`` of the messages shown beside fields."""
    return dict(re.findall(r'<span class="field-error" id="[^"]+" data-field="([^"]+)">([^<]*)</span>', html))
