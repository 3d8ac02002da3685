"""Unverified sign-ups are removed after N days (``flask accounts purge-unverified``): the inactive user, and the
firm it created unless something else uses it; verified, recent or activated accounts stay, and the freed email
address can sign up again."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from matchmaker import db
from matchmaker.accounts import services as acc
from matchmaker.accounts.records import AccountSignup
from matchmaker.accounts.schemas import SignupIn
from matchmaker.contact.records import EmailOutbox, Notification
from matchmaker.jobs import Job
from matchmaker.accounts.records import User
from matchmaker.buyers.records import BuyerProfile
from matchmaker.organizations.records import Organization
from matchmaker.records import utcnow

from tests.accounts.conftest import SIGNUP


def _sign_up(app, email: str, firm: str, days_ago: int, verified: bool = False) -> tuple[int, int]:
    """A real sign-up (the service the page and the API call), dated ``days_ago`` days back."""
    with app.app_context():
        sess = db.session()
        user = acc.signup(sess, SignupIn(**{**SIGNUP, "email": email, "firm_name": firm}),
                          lambda token: f"http://localhost/verify/{token}")
        user_id, org_id = user.id, user.organization_id
        then = utcnow() - timedelta(days=days_ago)
        sess.execute(update(AccountSignup).where(AccountSignup.user_id == user_id)
                     .values(created_at=then, verified_at=then + timedelta(hours=1) if verified else None))
        if verified:
            sess.execute(update(User).where(User.id == user_id).values(active=True))
        sess.commit()
        return user_id, org_id


def _exists(app, model, key) -> bool:
    with app.app_context():
        return db.session().get(model, key) is not None


def test_old_unverified_sign_ups_go_with_their_unused_firm_and_nothing_else_does(app, factory):
    stale_user, stale_firm = _sign_up(app, "stale@buyer.example", "Stale Imports", 20)
    shared_user, shared_firm = _sign_up(app, "shared@buyer.example", "Shared Imports", 20)
    factory.user("buyer_user", shared_firm)  # the platform admin added a colleague: the firm is in use
    fresh_user, fresh_firm = _sign_up(app, "fresh@buyer.example", "Fresh Imports", 3)
    done_user, done_firm = _sign_up(app, "done@buyer.example", "Verified Imports", 30, verified=True)
    with app.app_context():  # a notice of the stale user goes with it
        sess = db.session()
        sess.add(Notification(user_id=stale_user, kind="reply", params={}, link="/", email_mode="off"))
        sess.commit()

    result = app.test_cli_runner().invoke(args=["accounts", "purge-unverified"])
    assert result.exit_code == 0, result.output
    assert "removed 2 unverified sign-ups and 1 unused firms" in result.output

    assert not _exists(app, User, stale_user) and not _exists(app, Organization, stale_firm)
    assert not _exists(app, BuyerProfile, stale_firm) and not _exists(app, AccountSignup, stale_user)
    assert not _exists(app, User, shared_user) and _exists(app, Organization, shared_firm)
    for user_id, org_id in ((fresh_user, fresh_firm), (done_user, done_firm)):
        assert _exists(app, User, user_id) and _exists(app, Organization, org_id)
    with app.app_context():
        sess = db.session()
        assert sess.scalar(select(func.count()).select_from(Notification)
                           .where(Notification.user_id == stale_user)) == 0
        assert sess.scalar(select(func.count()).select_from(EmailOutbox).where(EmailOutbox.user_id == stale_user)) == 0
    # the address is free again: the buyer may sign up anew
    again_user, _ = _sign_up(app, "stale@buyer.example", "Stale Imports", 0)
    assert _exists(app, User, again_user)
    # running again removes nothing more
    result = app.test_cli_runner().invoke(args=["accounts", "purge-unverified"])
    assert "removed 0 unverified sign-ups and 0 unused firms" in result.output


def test_the_age_is_an_option_checked_against_the_link_lifetime_and_it_runs_as_a_job(app):
    user_id, firm_id = _sign_up(app, "week@buyer.example", "Week Imports", 8)
    runner = app.test_cli_runner()
    kept = runner.invoke(args=["accounts", "purge-unverified"])  # 14 days by default: 8 days old stays
    assert "removed 0" in kept.output and _exists(app, User, user_id)
    refused = runner.invoke(args=["accounts", "purge-unverified", "--older-than-days", "1"])
    assert refused.exit_code != 0 and "--older-than-days" in refused.output  # the 48 h link still works
    assert _exists(app, User, user_id)
    job = runner.invoke(args=["accounts", "purge-unverified", "--older-than-days", "7", "--job"])
    assert job.exit_code == 0 and "removed 1 unverified sign-ups and 1 unused firms" in job.output, job.output
    assert not _exists(app, User, user_id) and not _exists(app, Organization, firm_id)
    with app.app_context():
        (row,) = db.session().scalars(select(Job).where(Job.name == "accounts-purge-unverified")).all()
        assert row.status == "done" and row.result["users"] == 1
