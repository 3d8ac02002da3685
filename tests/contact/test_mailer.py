"""The outbox worker against a real SMTP server on loopback: every email carries the Message-ID fixed when
it was queued; a claim of a dead worker is taken again, a live one is not; and an SMTP server stopped and
started again in the middle of a run loses nothing and duplicates nothing (counted by Message-ID)."""
from __future__ import annotations

import threading
import time
from datetime import timedelta

from sqlalchemy import func, select, update

from matchmaker import db
from matchmaker.contact import mailer
from matchmaker.contact.notify import queue_email
from matchmaker.contact.records import EmailOutbox
from matchmaker.records import utcnow

from tests.contact.smtp_sink import SmtpSink


def _queue(app, n: int) -> list[str]:
    with app.app_context():
        sess = db.session()
        rows = [queue_email(sess, f"user{i}@example.test", f"Notice {i}", f"Body {i}") for i in range(n)]
        sess.commit()
        return [r.message_id for r in rows]


def test_each_email_carries_the_message_id_it_was_queued_with(app, smtp):
    ids = _queue(app, 3)
    assert len(set(ids)) == 3 and all(i.startswith("<") and i.endswith(">") for i in ids)
    with app.app_context():
        assert mailer.send_pending(db.session(), smtp.url, "mm@example.test") == (3, 0)
    assert sorted(smtp.message_ids) == sorted(ids)


def test_a_dead_workers_claim_is_taken_again_and_a_live_one_is_not(app, smtp):
    _queue(app, 2)
    with app.app_context():
        sess = db.session()
        token, rows = mailer.claim(sess, batch=1)  # a worker claims one row, then dies before sending
        assert len(rows) == 1
        assert mailer.send_pending(sess, smtp.url, "mm@example.test") == (1, 0)  # only the unclaimed row
        assert mailer.send_pending(sess, smtp.url, "mm@example.test") == (0, 0)  # the claim is live
        sess.execute(update(EmailOutbox).where(EmailOutbox.claimed_by == token)
                     .values(claimed_at=utcnow() - timedelta(seconds=mailer.STALE_SECONDS + 1)))
        sess.commit()
        assert mailer.send_pending(sess, smtp.url, "mm@example.test") == (1, 0)  # stale: taken again
        assert sess.scalar(select(func.count()).select_from(EmailOutbox).where(EmailOutbox.sent_at.is_(None))) == 0
    assert len(smtp.message_ids) == 2 and smtp.duplicates() == {}


def test_an_smtp_restart_mid_run_loses_and_duplicates_nothing(app):
    sink = SmtpSink().start()
    ids = _queue(app, 300)
    done = threading.Event()
    rounds = {"failed": 0}

    def worker():
        with app.app_context():
            sess = db.session()
            while not done.is_set():
                sent, failed = mailer.send_pending(sess, sink.url, "mm@example.test", batch=25,
                                                   retry_seconds=0.05, timeout=2)
                rounds["failed"] += failed
                if sess.scalar(select(func.count()).select_from(EmailOutbox)
                               .where(EmailOutbox.sent_at.is_(None))) == 0:
                    return
                if not sent:
                    time.sleep(0.05)

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while len(sink.message_ids) < 100 and time.monotonic() < deadline:
            time.sleep(0.005)
        sink.stop()  # the server goes away in the middle of the run ...
        time.sleep(0.5)
        sink.start()  # ... and comes back on the same port
        thread.join(timeout=120)
        assert not thread.is_alive()
    finally:
        done.set()
        thread.join(timeout=10)
        sink.stop()
    assert rounds["failed"] > 0, "the outage happened during the run"
    assert sink.duplicates() == {}
    assert sorted(set(sink.message_ids)) == sorted(ids)
