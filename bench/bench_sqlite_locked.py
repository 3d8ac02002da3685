"""Many signed-in browsers at once against a served demo: the members' directory mixed with other users' writes.

Looks for the "database is locked" error page of SQLite (issue: ``/vetting/buyers`` once answered one under
load). Each thread is one browser with its own cookie, signed in through the real login form as one of the
demo's people, and loops for ``--seconds``:

* ``directory``: staff, board and makers read ``/vetting/buyers`` (a page, a kind, a search); every view
  writes a ``score_shown`` audit row;
* ``purchases``, ``case``: board members read a vendor's purchases and open a case (disclosure rows);
* ``payment``: makers and board members report a payment experience (a write and an audit row);
* ``incident``: makers report an incident (the same, plus the board's queue);
* ``propose``: board and staff propose a firm for vetting (a case opened, or "already under review");
* ``notifications``: makers mark their notifications read;
* ``profile``: makers save their profile form as it is (a version bump, the search index's outbox).

Every answer is counted by kind and status (a 409 is a lost race: a profile saved from a stale version). The
error page does not say why it failed, so the server log is the other half: ``grep -c "database is locked"``.
Usage (the demo served at 127.0.0.1:8132; ``--makers`` names maker logins of the demo, same password)::

    .venv/bin/python bench/bench_sqlite_locked.py --base http://127.0.0.1:8132 --threads 24 --seconds 90 \\
        --makers maker323@jeans-gdl.demo,maker339@jeans-gdl.demo
"""
from __future__ import annotations

import argparse
import collections
import html.parser
import http.cookiejar
import random
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date, timedelta

PASSWORD = "matchmaker-demo"
VENDORS = (1701, 1702, 1703, 1704, 1705, 1706)  # the demo's input vendors (organizations of kind input_vendor)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
OPTION = re.compile(r'<option[^>]*value="(\d+)"|name="subject_id" value="(\d+)"')


class Answer:
    def __init__(self, status_code: int, text: str):
        self.status_code, self.text = status_code, text


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One browser: its own cookies; redirects are answers (302/303), not followed."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect)

    def _open(self, url: str, data: dict | None, timeout: float) -> Answer:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(urllib.request.Request(url, data=body), timeout=timeout) as r:
                return Answer(r.status, r.read().decode("utf-8", "replace"))
        except urllib.error.HTTPError as exc:
            return Answer(exc.code, exc.read().decode("utf-8", "replace"))

    def get(self, url: str, params: dict | None = None, timeout: float = 120) -> Answer:
        return self._open(url + ("?" + urllib.parse.urlencode(params) if params else ""), None, timeout)

    def post(self, url: str, data, timeout: float = 120, allow_redirects: bool = False) -> Answer:
        return self._open(url, data, timeout)


def sign_in(base: str, email: str) -> Browser:
    s = Browser()
    token = CSRF.search(s.get(f"{base}/login").text).group(1)
    r = s.post(f"{base}/login", data={"csrf_token": token, "email": email, "password": PASSWORD})
    assert r.status_code in (302, 303), (email, r.status_code)
    return s


class _Fields(html.parser.HTMLParser):
    """The fields a browser would send back from the page's forms, as they are filled in."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._first: str | None = None
        self._chose = False
        self._area: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "select" and a.get("name"):
            self._select, self._first, self._chose = a["name"], None, False
        elif tag == "option" and self._select:
            if self._first is None:
                self._first = a.get("value") or ""
            if "selected" in a:
                self.fields.append((self._select, a.get("value") or ""))
                self._chose = True
        elif tag == "textarea" and a.get("name"):
            self._area, self._text = a["name"], ""

    def handle_data(self, data):
        if self._area:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            if not self._chose and "multiple" not in self._select:
                self.fields.append((self._select, self._first or ""))
            self._select = None
        elif tag == "textarea" and self._area:
            self.fields.append((self._area, self._text))
            self._area = None


def form_fields(page: str) -> list[tuple[str, str]]:
    parser = _Fields()
    parser.feed(page)
    return parser.fields


def form_token(s: Browser, url: str) -> tuple[str, list[str]]:
    page = s.get(url).text
    return CSRF.search(page).group(1), [a or b for a, b in OPTION.findall(page)]


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts: collections.Counter = collections.Counter()
        self.failed: collections.Counter = collections.Counter()  # 5xx answers and no answers, by kind
        self.slowest: dict[str, float] = {}

    def add(self, kind: str, status: int, body: str, seconds: float):
        with self.lock:
            self.counts[(kind, status)] += 1
            self.slowest[kind] = max(self.slowest.get(kind, 0.0), seconds)
            if status >= 500 or status == 0:
                self.failed[kind] += 1


def browse(base: str, email: str, kinds: list[str], stop: float, tally: Tally, seed: int):
    rnd = random.Random(seed)
    s = sign_in(base, email)
    subjects: list[str] = []
    while time.monotonic() < stop:
        kind = rnd.choice(kinds)
        start = time.monotonic()
        try:
            if kind == "directory":
                params = rnd.choice([{}, {"page": rnd.randint(1, 5)}, {"kind": "buyer"}, {"kind": "vendor"},
                                     {"q": rnd.choice("aeiou")}])
                r = s.get(f"{base}/vetting/buyers", params=params, timeout=120)
            elif kind == "payment":
                token, options = form_token(s, f"{base}/vetting/report/payment")
                subjects = subjects or options
                day = date.today() - timedelta(days=rnd.randint(40, 400))
                r = s.post(f"{base}/vetting/report/payment", allow_redirects=False, timeout=120, data={
                    "csrf_token": token, "subject_id": rnd.choice(subjects), "invoice_date": day.isoformat(),
                    "amount": f"{rnd.randint(500, 90000)}.00", "currency": "USD", "terms_days": "30",
                    "due_date": (day + timedelta(days=30)).isoformat(),
                    "paid_date": (day + timedelta(days=rnd.randint(10, 35))).isoformat(),
                    "paid_amount": "", "deposit_share": "0"})
            elif kind == "incident":
                token, options = form_token(s, f"{base}/vetting/report/incident")
                subjects = subjects or options
                r = s.post(f"{base}/vetting/report/incident", allow_redirects=False, timeout=120, data={
                    "csrf_token": token, "subject_id": rnd.choice(subjects), "type": "late_payment",
                    "severity": "2", "occurred_on": (date.today() - timedelta(days=rnd.randint(5, 300))).isoformat(),
                    "description": "Paid 40 days after the agreed date (load test)."})
            elif kind == "propose":
                token, options = form_token(s, f"{base}/vetting/buyers?page={rnd.randint(1, 9)}")
                r = s.post(f"{base}/vetting/propose", allow_redirects=False, timeout=120, data={
                    "csrf_token": token, "subject_id": rnd.choice(options or subjects or ["1"]),
                    "note": "load test"})
            elif kind == "purchases":  # the board reads a vendor's purchases with reporters (a disclosure row)
                r = s.get(f"{base}/vendors/{rnd.choice(VENDORS)}/purchases")
            elif kind == "case":  # the board opens a case from its queue (score shown, disclosure rows)
                cases = re.findall(r'href="/vetting/cases/(\d+)"', s.get(f"{base}/vetting/queue").text)
                r = s.get(f"{base}/vetting/cases/{rnd.choice(cases)}")
            elif kind == "profile":  # a maker saves its profile form as it is (a write and an index change)
                org = re.search(r"maker(\d+)@", email).group(1)
                page = s.get(f"{base}/makers/{org}/edit").text
                r = s.post(f"{base}/makers/{org}/edit", data=form_fields(page))
            elif kind == "notifications":
                token, _ = form_token(s, f"{base}/notifications")
                r = s.post(f"{base}/notifications/read", allow_redirects=False, timeout=120,
                           data={"csrf_token": token})
            else:
                raise ValueError(kind)
            tally.add(kind, r.status_code, r.text if r.status_code >= 500 else "", time.monotonic() - start)
        except OSError as exc:  # no answer (a timeout, a reset)
            tally.add(kind, 0, str(exc), time.monotonic() - start)
        except (AttributeError, IndexError) as exc:  # a form page without its token or choices
            tally.add(kind, -1, str(exc), time.monotonic() - start)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="http://127.0.0.1:8132")
    ap.add_argument("--threads", type=int, default=24)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--makers", default="", help="comma-separated maker logins (default: the demo maker)")
    args = ap.parse_args()
    makers = [m for m in args.makers.split(",") if m] or ["maker@demo.matchmaker"]
    people = [("staff@jeans-gdl.demo", ["directory", "directory", "propose"]),
              ("staff@infantil-gdl.demo", ["directory", "directory", "propose"])]
    people += [(f"board{k}@jeans-gdl.demo", ["directory", "payment", "propose", "purchases", "case"])
               for k in range(1, 6)]
    people += [(m, ["directory", "payment", "incident", "notifications", "profile"]) for m in makers]
    tally = Tally()
    stop = time.monotonic() + args.seconds
    threads = [threading.Thread(target=browse, args=(args.base, *people[i % len(people)], stop, tally, i))
               for i in range(args.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = sum(tally.counts.values())
    print(f"{args.threads} browsers, {args.seconds:.0f} s: {total} answers")
    for (kind, status), n in sorted(tally.counts.items()):
        print(f"  {kind:14} {status}: {n}")
    print("  slowest (s): " + ", ".join(f"{k} {v:.1f}" for k, v in sorted(tally.slowest.items())))
    print(f"  5xx or no answer: {sum(tally.failed.values())} {dict(tally.failed)}"
          " (the error page does not say why: grep the server log for 'database is locked')")


if __name__ == "__main__":
    main()
