"""Debian's Chromium for the browser tests of every package, and signing in through the login form.

Chromium comes from ``apt-get install chromium`` (never ``playwright install``); a missing one FAILS the
test, since ``scripts/test.sh`` installs it: a broken setup, never a skip. ``signed_in_pages`` gives a
test one browser context per person, each signed in through ``/login`` as that person would, and closes
them afterwards.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

import pytest

CHROMIUM = Path(os.environ.get("MATCHMAKER_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
VIEWPORT = {"width": 1280, "height": 900}
STATIC = Path(__file__).resolve().parents[2] / "matchmaker" / "static"


def with_styles_inline(html: str, sheets=("app.css",)) -> str:
    """A page from the test client with its style sheets inlined, for ``page.set_content`` (which has no
    server to fetch ``/static/`` from). Every page links ``app.css``: a page without it is a broken page."""
    assert '<link rel="stylesheet" href="/static/app.css">' in html
    for sheet in sheets:
        html = html.replace(f'<link rel="stylesheet" href="/static/{sheet}">',
                            f"<style>{(STATIC / sheet).read_text(encoding='utf-8')}</style>")
    return html


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing: install it with `apt-get install -y chromium chromium-driver`"
    pytest.fail(message, pytrace=False)


def fill_login(page, email: str, password: str) -> None:
    """Sign in on ``/login`` by the form's fields and wait for the home page."""
    page.goto("/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/home")


@contextmanager
def signed_in_pages(browser, base_url: str, credentials: Callable[[str], tuple[str, str]], timeout_ms: int):
    """Yields ``sign_in(name) -> page``: a new context on ``base_url`` signed in with ``credentials(name)``
    (email, password); every context is closed on exit."""
    contexts = []

    def sign_in(name: str):
        context = browser.new_context(base_url=base_url, locale="en-US", viewport=VIEWPORT)
        context.set_default_timeout(timeout_ms)
        contexts.append(context)
        page = context.new_page()
        fill_login(page, *credentials(name))
        return page

    try:
        yield sign_in
    finally:
        for context in contexts:
            context.close()
