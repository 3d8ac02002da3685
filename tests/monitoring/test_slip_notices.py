"""A slip is announced once: to both sides' users, in their language, whether found by the daily command,
the job, or right after a figure is recorded; running again (or together) adds nothing."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from matchmaker import db, events
from matchmaker.contact.records import EmailOutbox, Notification
from matchmaker.monitoring import slips
from matchmaker.monitoring.records import MonitoringSlip
from matchmaker.orders.records import OrderPayment
from matchmaker.accounts.records import User

from tests.monitoring.conftest import TODAY, add_order

NEXT_YEAR = date.today() + timedelta(days=365)  # a delivery date ahead, whatever day the test runs


def _notices(app, kind="order_slip"):
    with app.app_context():
        sess = db.session()
        return sess.execute(select(Notification.user_id, Notification.dedup_key, Notification.link)
                            .where(Notification.kind == kind).order_by(Notification.id)).all()


def test_a_late_payment_is_notified_once_to_both_sides(app, factory, mworld):
    with app.app_context():
        sess = db.session()
        sess.get(User, mworld.users["buyer"]).locale = "es"
        sess.commit()
    order = add_order(app, mworld.buyer, mworld.makers[0], delivery_date=NEXT_YEAR, reference="PO-77",
                      invoices=[(date(2026, 4, 30), 1000.0, [(date(2026, 5, 12), 1000.0)])])
    runner = app.test_cli_runner()
    result = runner.invoke(args=["orders", "check-slips", "--day", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert "new slips 1 (payment_late 1)" in result.output
    notes = _notices(app)
    assert sorted(uid for uid, _k, _l in notes) == sorted([mworld.users["buyer"], mworld.users["maker"]])
    assert {link for _u, _k, link in notes} == {f"/monitoring/buyer/makers/{mworld.makers[0]}",
                                                f"/monitoring/maker/buyers/{mworld.buyer}"}
    with app.app_context():
        sess = db.session()
        outbox = sess.scalars(select(EmailOutbox).where(EmailOutbox.kind == "order_slip"))
        mails = {m.to_address: m.subject for m in outbox}
        buyer_mail = sess.get(User, mworld.users["buyer"]).email
        maker_mail = sess.get(User, mworld.users["maker"]).email
    assert mails[maker_mail] == ("Order PO-77 with Denim Imports LLC: an invoice was paid late or is unpaid past its "
                                 "due date")
    assert mails[buyer_mail].startswith("Pedido PO-77 con Taller Uno: una factura se pagó tarde")
    # the next day's run, the job and a figure recorded on the order add nothing
    again = runner.invoke(args=["orders", "check-slips", "--day", "2026-07-01"])
    assert "new slips 0" in again.output
    job = runner.invoke(args=["orders", "check-slips", "--day", "2026-07-02", "--job"])
    assert job.exit_code == 0 and "new slips 0" in job.output, job.output
    with app.app_context():
        sess = db.session()
        events.order_figure_recorded.send(sess, order_id=order)
        sess.commit()
        assert sess.scalar(select(func.count(MonitoringSlip.id))) == 1
    assert len(_notices(app)) == 2


def test_a_figure_recorded_announces_its_slip_in_the_same_transaction(app, factory, mworld):
    order = add_order(app, mworld.buyer, mworld.makers[0], delivery_date=NEXT_YEAR,
                      invoices=[(date(2026, 1, 10), 500.0, [])])
    with app.app_context():
        sess = db.session()
        inv_id = sess.scalar(select(func.min(MonitoringSlip.id)))  # nothing stored yet
        assert inv_id is None
        from matchmaker.orders.records import OrderInvoice
        invoice_id = sess.scalars(select(OrderInvoice.id).where(OrderInvoice.order_id == order)).one()
        sess.add(OrderPayment(invoice_id=invoice_id, order_id=order, paid_on=date(2026, 1, 25), amount=500.0,
                              entered_by="buyer"))
        events.order_figure_recorded.send(sess, order_id=order)
        sess.rollback()  # the recording failed: neither the slip nor its notice exists
    assert _notices(app) == []
    with app.app_context():
        sess = db.session()
        sess.add(OrderPayment(invoice_id=invoice_id, order_id=order, paid_on=date(2026, 1, 25), amount=500.0,
                              entered_by="buyer"))
        events.order_figure_recorded.send(sess, order_id=order)
        sess.commit()
        (slip,) = sess.scalars(select(MonitoringSlip)).all()
        assert (slip.kind, slip.amount) == ("payment_late", 15.0)
    assert len(_notices(app)) == 2


def test_a_second_checker_in_another_session_announces_nothing_again(app, mworld):
    add_order(app, mworld.buyer, mworld.makers[0], delivery_date=date(2026, 3, 1),
              deliveries=[(date(2026, 3, 6), 1000, 0)], price_changes=[(12.5, 13.5, date(2026, 2, 2))])
    with app.app_context():
        first, second = db.session(), app.extensions["matchmaker.sessionmaker"]()
        try:
            a = slips.check(first, TODAY)
            first.flush()
            first.commit()
            b = slips.check(second, TODAY)  # sees the first one's rows: nothing new
            second.commit()
        finally:
            second.close()
    assert sorted(s.kind for s in a) == ["late_delivery", "price_change"] and b == []
    assert len(_notices(app)) == 4  # two slips, two users each


def test_a_bad_day_is_refused_by_the_command(app):
    result = app.test_cli_runner().invoke(args=["orders", "check-slips", "--day", "30/06/2026"])
    assert result.exit_code != 0 and "--day" in result.output


def _statements(app, fn) -> int:
    """How many SQL statements ``fn`` runs on the app's engine."""
    from sqlalchemy import event

    seen = []
    with app.app_context():
        engine = db.session().get_bind()
        listener = lambda *a, **k: seen.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            fn()
        finally:
            event.remove(engine, "before_cursor_execute", listener)
    return len(seen)


def test_many_slips_are_told_once_each_honouring_preferences_in_a_few_statements(app, mworld):
    """The daily check over many orders: each slip a notice per user of both sides, an email only for those who
    want it at once (the buyer chose the digest), nothing twice, and a run whose statements do not grow with the
    number of slips (the cluster's first run used to take two queries per notice)."""
    from matchmaker.contact.records import NotificationPreference

    with app.app_context():
        sess = db.session()
        sess.add(NotificationPreference(user_id=mworld.users["buyer"], kind="order_slip", mode="digest"))
        sess.commit()

    def late_orders(n, maker):
        for _ in range(n):
            add_order(app, mworld.buyer, maker, delivery_date=date(2026, 3, 1),
                      deliveries=[(date(2026, 3, 6), 1000, 0)])

    def run():
        result = app.test_cli_runner().invoke(args=["orders", "check-slips", "--day", TODAY.isoformat()])
        assert result.exit_code == 0, result.output

    late_orders(3, mworld.makers[0])
    few = _statements(app, run)
    late_orders(30, mworld.makers[1])
    many = _statements(app, run)
    assert many <= few + 5  # set-based: 30 new slips cost about what 3 did
    notes = _notices(app)
    by_user = {uid: sum(1 for u, _k, _l in notes if u == uid) for uid, _k, _l in notes}
    assert by_user == {mworld.users["buyer"]: 33, mworld.users["maker"]: 3, mworld.users["maker2"]: 30}
    assert len({(u, key) for u, key, _l in notes}) == len(notes)  # once per user and slip
    with app.app_context():
        sess = db.session()
        mailed = sess.scalars(select(EmailOutbox.user_id).where(EmailOutbox.kind == "order_slip")).all()
    assert sorted(set(mailed)) == sorted([mworld.users["maker"], mworld.users["maker2"]]) and len(mailed) == 33
    run()  # again: nothing new
    assert len(_notices(app)) == len(notes)


def test_missed_milestone_notices_name_the_stage_and_its_planned_date(app, client, factory, mworld):
    """Two missed milestones of one order are two different notices: each names its stage and planned date,
    in English for the maker and in Spanish for the buyer (on the notifications page and in the email)."""
    from tests.support.world import login_as
    with app.app_context():
        sess = db.session()
        sess.get(User, mworld.users["buyer"]).locale = "es"
        sess.commit()
    add_order(app, mworld.buyer, mworld.makers[0], delivery_date=NEXT_YEAR, reference="PO-88",
              milestones=[("cut", date(2026, 5, 4), None), ("sewn", date(2026, 6, 1), None)])
    result = app.test_cli_runner().invoke(args=["orders", "check-slips", "--day", TODAY.isoformat()])
    assert "new slips 2 (milestone_overdue 2)" in result.output, result.output
    with app.app_context():
        sess = db.session()
        mails = {(m.to_address, m.subject) for m in sess.scalars(select(EmailOutbox)
                                                                 .where(EmailOutbox.kind == "order_slip"))}
        buyer_mail = sess.get(User, mworld.users["buyer"]).email
        maker_mail = sess.get(User, mworld.users["maker"]).email
    assert (maker_mail, "Order PO-88 with Denim Imports LLC: the \u201cCut\u201d milestone planned for May 4, 2026 "
                        "is past its planned date") in mails
    assert (maker_mail, "Order PO-88 with Denim Imports LLC: the \u201cSewn\u201d milestone planned for Jun 1, 2026 "
                        "is past its planned date") in mails
    spanish = sorted(subject for to, subject in mails if to == buyer_mail)
    assert len(spanish) == 2 and "el hito \u201cCorte\u201d, previsto para el 4 may 2026" in spanish[0]
    login_as(client, factory, mworld.users["maker"])
    page = client.get("/notifications").get_data(as_text=True)
    assert "\u201cCut\u201d milestone planned for May 4, 2026" in page and "\u201cSewn\u201d milestone" in page
