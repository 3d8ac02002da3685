"""The interactive API reference at ``/api/v1/docs`` works in Chromium offline and under the strict CSP:
every request it makes stays on the app's own origin, and it lists the API's operations."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_docs_page_lists_the_operations_from_vendored_files(page, live_server):
    origin = urlsplit(live_server["url"]).netloc
    outside, blocked_by_csp = [], []

    def offline(route):
        if urlsplit(route.request.url).netloc not in (origin, ""):
            outside.append(route.request.url)
            return route.abort()
        return route.continue_()

    page.route("**/*", offline)
    page.on("console", lambda msg: blocked_by_csp.append(msg.text)
            if "Content Security Policy" in msg.text and "script" in msg.text else None)
    page.goto("/api/v1/docs")
    expect(page.get_by_role("heading", name=re.compile("Matchmaker API"))).to_be_visible()
    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible()
    # Swagger UI draws a long document virtually (only what is in view is in the page): scroll through it and
    # collect the operations it shows on the way
    seen: set[str] = set()
    for _ in range(400):
        seen.update(page.locator(".opblock-summary-path").all_inner_texts())
        if len(seen) >= 100:
            break
        page.mouse.wheel(0, 700)
        page.wait_for_timeout(50)
    assert len(seen) >= 80, sorted(seen)
    assert "/api/v1/inquiries/{inquiry_id}/quotes" in seen
    page.goto("/api/v1/docs")
    tokens = page.locator(".opblock-post .opblock-summary-path", has_text="/api/v1/tokens")
    for _ in range(100):
        if tokens.count():
            break
        page.mouse.wheel(0, 400)
        page.wait_for_timeout(50)
    tokens.first.click()
    expect(page.locator(".responses-wrapper").first).to_contain_text("201")
    page.screenshot(path="/tmp/api-docs.png")
    assert outside == [] and blocked_by_csp == []
