"""A journey crawler: sign in, follow every link reachable from the home page, in English then Spanish.

Used by ``tests/journeys/test_crawl.py`` (no 5xx, no logged error) and ``bench/bench_crawl.py``
(the slowest pages). It drives Flask's test client, so a page is rendered exactly as gunicorn
would render it, without the network.

Bounded by URL *shape*: numbers in the path and in query values become ``N`` (so
``/directory/organizations/417`` and ``/directory/organizations/9`` share a shape), and at most
``per_shape`` URLs of each shape are visited. ``page=1``, ``2`` and ``3`` are kept apart in the
shape, so the first three pages of every paginated list are always visited. The choices of GET forms
(facet checkboxes, filter selects) are followed too, at most ``per_shape`` values per form field.
"""
from __future__ import annotations

import logging
import re
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

NUMBER = re.compile(r"\d+")
SKIP_PREFIXES = ("/static/",)
PAGES_KEPT_APART = {"1", "2", "3"}


class _Links(HTMLParser):
    """Links, the first CSRF token, and the choices of GET forms (a facet checkbox, a select's option):
    each choice is followed as ``action?name=value``, the request the form sends when it is ticked."""

    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.choices: list[tuple[str, str, str]] = []   # (form action, field name, value)
        self.csrf: str | None = None
        self._form: str | None = None                   # action of the GET form we are in
        self._form_id: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        elif tag == "input" and a.get("name") == "csrf_token" and self.csrf is None:
            self.csrf = a.get("value")
        elif tag == "form":
            self._form = (a.get("action") or "") if (a.get("method") or "get").lower() == "get" else None
            self._form_id = a.get("id")
        elif self._form is not None and a.get("form") not in (None, self._form_id):
            pass  # a control inside the GET form that belongs, by its form attribute, to another (POST) form
        elif self._form is not None and a.get("name"):
            if tag == "input" and a.get("type") in ("checkbox", "radio") and a.get("value"):
                self.choices.append((self._form, a["name"], a["value"]))
            elif tag == "select":
                self._select = a["name"]
        if tag == "option" and self._form is not None and self._select and a.get("value"):
            self.choices.append((self._form, self._select, a["value"]))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def parse(html: str) -> _Links:
    p = _Links()
    p.feed(html)
    return p


def shape(url: str) -> str:
    """``/fairs/3/agenda/17?page=2&q=x`` -> ``/fairs/N/agenda/N?page=2&q=x``: the URL with numbers as N."""
    parts = urlsplit(url)
    path = NUMBER.sub("N", parts.path)
    query = []
    for k, v in sorted(parse_qsl(parts.query, keep_blank_values=True)):
        query.append((k, v if k == "page" and v in PAGES_KEPT_APART else NUMBER.sub("N", v)))
    return path + ("?" + urlencode(query) if query else "")


def _keys(url: str) -> str:
    """The shape without query values: ``/search?page=2&process=sewing`` -> ``/search?page&process``."""
    parts = urlsplit(url)
    return NUMBER.sub("N", parts.path) + "?" + "&".join(sorted({k for k, _ in parse_qsl(parts.query)}))


def local(href: str, base_path: str) -> str | None:
    """A same-site path (and query) for ``href``, or None for other sites, anchors, mail and static files."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("#") or not parts.path:
        return None
    path = parts.path if parts.path.startswith("/") else base_path.rsplit("/", 1)[0] + "/" + parts.path
    if path.startswith(SKIP_PREFIXES):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


@dataclass
class Visit:
    who: str
    lang: str
    url: str
    status: int
    seconds: float
    found_on: str
    errors: list[str] = field(default_factory=list)   # ERROR log records while serving this URL


@dataclass
class CrawlReport:
    visits: list[Visit] = field(default_factory=list)

    def failures(self) -> list[Visit]:
        return [v for v in self.visits if v.status >= 500 or v.errors]

    def broken_links(self) -> list[Visit]:
        """Links a page offered that its viewer may not follow, or that lead nowhere."""
        return [v for v in self.visits if 400 <= v.status < 500]

    def by_status(self) -> Counter:
        return Counter(v.status for v in self.visits)

    def slowest(self, n: int = 10) -> list[Visit]:
        return sorted(self.visits, key=lambda v: v.seconds, reverse=True)[:n]

    def describe_failures(self, visits: list[Visit] | None = None) -> str:
        lines = []
        for v in self.failures() if visits is None else visits:
            lines.append(f"{v.status} {v.who} [{v.lang}] {v.url} (linked from {v.found_on})")
            lines += ["    " + e.replace("\n", "\n    ") for e in v.errors[:1]]
        return "\n".join(lines)


class _ErrorLog(logging.Handler):
    """ERROR records (tracebacks included) of the application while a URL is served."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record):
        self.lines.append(self.format(record))


class Crawler:
    def __init__(self, app, per_shape: int = 3, max_visits: int = 2000):
        self.app, self.per_shape, self.max_visits = app, per_shape, max_visits
        self.log = _ErrorLog()

    def sign_in(self, client, email: str, password: str) -> None:
        page = client.get("/login")
        token = parse(page.get_data(as_text=True)).csrf
        r = client.post("/login", data={"csrf_token": token, "email": email, "password": password})
        if r.status_code != 302:
            raise AssertionError(f"signing in as {email} answered {r.status_code}")

    def switch_language(self, client, lang: str) -> None:
        """The language switch every page carries (a POSTed form in the top bar)."""
        home = client.get("/home")
        token = parse(home.get_data(as_text=True)).csrf
        r = client.post("/language", data={"csrf_token": token, "lang": lang, "next": "/home"})
        if r.status_code != 302:
            raise AssertionError(f"switching to {lang} answered {r.status_code}")
        html = client.get("/home").get_data(as_text=True)
        if f'<html lang="{lang}">' not in html:
            raise AssertionError(f"the language switch did not switch to {lang}")

    def crawl(self, client, who: str, lang: str, start: str = "/home",
              report: CrawlReport | None = None) -> CrawlReport:
        report = report or CrawlReport()
        seen: set[str] = set()
        per_shape: Counter = Counter()
        queue: deque[tuple[str, str, str]] = deque([(start, "(start)", "")])
        root = logging.getLogger()
        root.addHandler(self.log)
        try:
            visits = 0
            while queue and visits < self.max_visits:
                url, found_on, choice = queue.popleft()
                if url in seen:
                    continue
                s = shape(url)
                if per_shape[s] >= self.per_shape or (choice and per_shape[choice] >= self.per_shape):
                    continue
                seen.add(url)
                per_shape[s] += 1
                if choice:
                    per_shape[choice] += 1
                visits += 1
                self.log.lines = []
                t0 = time.perf_counter()
                r = client.get(url)
                seconds = time.perf_counter() - t0
                report.visits.append(Visit(who, lang, url, r.status_code, seconds, found_on, list(self.log.lines)))
                if r.status_code in (301, 302, 303, 307, 308):
                    target = local(r.headers.get("Location", ""), url)
                    if target:
                        queue.append((target, url, ""))
                    continue
                if r.status_code != 200 or not (r.mimetype or "").startswith("text/html"):
                    continue
                links = parse(r.get_data(as_text=True))
                for href in links.hrefs:
                    target = local(href, urlsplit(url).path)
                    if target and target not in seen:  # below a form choice, pages count against that choice
                        queue.append((target, url, f"{choice.split(' -> ')[0]} -> {_keys(target)}" if choice else ""))
                for action, name, value in links.choices:  # at most per_shape values of each form field
                    target = local(action or urlsplit(url).path, urlsplit(url).path)
                    if target:
                        target = f"{target.split('?')[0]}?{urlencode({name: value})}"
                        queue.append((target, url, f"{shape(target.split('?')[0])} form field {name}"))
        finally:
            root.removeHandler(self.log)
        return report

    def journey(self, who: str, email: str, password: str, languages=("en", "es"),
                report: CrawlReport | None = None) -> CrawlReport:
        """Sign in as ``email`` and crawl from the home page once per language (a fresh browser's cookies)."""
        report = report or CrawlReport()
        client = self.app.test_client()
        self.sign_in(client, email, password)
        for lang in languages:
            self.switch_language(client, lang)
            self.crawl(client, who, lang, report=report)
        return report
