"""Who may do what: the one module that holds the role rules.

Two layers, both here:

* ``ROUTES`` maps every endpoint to the roles that may call it. A ``before_request``
  hook enforces it for every request, and an endpoint missing from the table is
  refused (fail closed); a test checks that every route of the app is listed and
  walks the whole roles × routes matrix.
* Object rules (``can_*``) decide about one record: a maker edits only its own
  profile, a buyer sees and edits only its own requirements, nobody reads another
  firm's outcome log. Views call them after loading the record.
"""
from __future__ import annotations

from .taxonomy import ROLES

PUBLIC = "public"            # anyone, signed in or not
SIGNED_IN = "signed_in"      # any signed-in user, whatever the role

ALL_ROLES = frozenset(ROLES.codes)
ADMIN = frozenset({"platform_admin"})
MAKERS = frozenset({"maker_user"})
BUYERS = frozenset({"buyer_user"})
VENDORS = frozenset({"vendor_user"})   # input vendors (issue 15): vetted like buyers, see matchmaker/vendors
SUBJECTS = BUYERS | VENDORS           # the firms the association vets: status, application, right of reply
ASSOCIATION = frozenset({"association_staff", "board_member", "fair_organizer"})
STAFF = frozenset({"association_staff", "platform_admin"})

ROUTES: dict[str, str | frozenset[str]] = {
    # pages
    "static": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": SIGNED_IN,
    "account.view": SIGNED_IN,
    "account.password": SIGNED_IN,
    "account.revoke": SIGNED_IN,
    "main.index": PUBLIC,
    "main.set_language": PUBLIC,
    "main.home": SIGNED_IN,
    "main.health": PUBLIC,
    "directory.organizations": SIGNED_IN,
    "directory.organization": SIGNED_IN,
    "makers.edit": MAKERS | ADMIN,
    "requirements.mine": BUYERS,
    "requirements.new": BUYERS,
    "requirements.edit": BUYERS | ADMIN,
    "requirements.view": SIGNED_IN,
    "search.makers": SIGNED_IN,
    "search.requirements": MAKERS | ASSOCIATION | STAFF,
    "search.complete_json": SIGNED_IN,  # scope=requirements: the roles of search.requirements (checked in the view)
    # JSON API
    "api.openapi": PUBLIC,
    "api.docs": PUBLIC,
    "api.create_token": PUBLIC,
    "api.list_tokens": SIGNED_IN,
    "api.revoke_token": SIGNED_IN,
    "api.change_password": SIGNED_IN,
    "api.list_organizations": SIGNED_IN,
    "api.get_organization": SIGNED_IN,
    "api.create_organization": STAFF,
    "api.update_organization": MAKERS | BUYERS | STAFF,
    "api.list_associations": SIGNED_IN,
    "api.create_association": ADMIN,
    "api.list_makers": SIGNED_IN,
    "api.get_maker": SIGNED_IN,
    "api.create_maker": MAKERS | ADMIN,
    "api.update_maker": MAKERS | ADMIN,
    "api.list_buyers": SIGNED_IN,
    "api.get_buyer": SIGNED_IN,
    "api.create_buyer": BUYERS | ADMIN,
    "api.update_buyer": BUYERS | ADMIN,
    "api.list_requirements": SIGNED_IN,
    "api.get_requirement": SIGNED_IN,
    "api.create_requirement": BUYERS,
    "api.update_requirement": BUYERS | ADMIN,
    "api.list_outcomes": MAKERS | BUYERS | ADMIN,
    "api.search_makers_api": SIGNED_IN,
    "api.search_requirements_api": MAKERS | ASSOCIATION | STAFF,
    "api.search_complete_api": SIGNED_IN,  # scope=requirements: as search_requirements_api (in the view)
    "api.rank_makers": BUYERS | ADMIN,
}


# -- buyer vetting (issue 5, matchmaker/vetting) ------------------------------------------------
# Record-level rules (which association, recusal, the subject's own status) are the
# can_*_case / can_*_subject functions at the end of this module.
BOARD = frozenset({"board_member"})
ASSOC_STAFF = frozenset({"association_staff"})
REVIEWERS = BOARD | ASSOC_STAFF | ADMIN          # see case details and reporters (own association)
ROUTES.update({
    # pages
    "vetting.queue": REVIEWERS,
    "vetting.case": REVIEWERS,
    "vetting.vote": BOARD,
    "vetting.decide": BOARD,
    "vetting.incident_status": REVIEWERS | MAKERS,
    "vetting.evidence": REVIEWERS,
    "vetting.directory": MAKERS | ASSOCIATION | ADMIN,
    "vetting.status_mine": SUBJECTS,
    "vetting.status": SUBJECTS | REVIEWERS,
    "vetting.reply": SUBJECTS,
    "vetting.apply": SUBJECTS,
    "vetting.report_payment": MAKERS | BOARD,
    "vetting.report_incident": MAKERS | BOARD,
    "vetting.propose": MAKERS | BOARD | ASSOC_STAFF,
    "vetting.audit_csv": ASSOC_STAFF | ADMIN,
    # JSON API
    "api.vetting_report_payment": MAKERS | BOARD,
    "api.vetting_report_incident": MAKERS | BOARD,
    "api.vetting_add_evidence": MAKERS | BOARD | ASSOC_STAFF,
    "api.vetting_set_incident_status": MAKERS | BOARD | ASSOC_STAFF,
    "api.vetting_report_reference": MAKERS | BOARD,
    "api.vetting_get_evidence": REVIEWERS,
    "api.vetting_apply": SUBJECTS,
    "api.vetting_propose": MAKERS | BOARD | ASSOC_STAFF,
    "api.vetting_list_cases": REVIEWERS,
    "api.vetting_get_case": REVIEWERS,
    "api.vetting_vote": BOARD,
    "api.vetting_decide": BOARD,
    "api.vetting_list_subjects": MAKERS | ASSOCIATION | ADMIN,
    "api.vetting_subject_status": SUBJECTS | REVIEWERS,
    "api.vetting_reply": SUBJECTS,
    "api.vetting_audit_csv": ASSOC_STAFF | ADMIN,
})


# -- admin and staff pages (issue 9, matchmaker/admin) ------------------------------------------
# Which association a staff member may manage is checked in the views (own association only).
ROUTES.update({
    "admin.index": ADMIN,
    "admin.models": ADMIN,
    "admin.model_plot": ADMIN,
    "admin.index_page": ADMIN,
    "admin.users": ADMIN,
    "admin.new_user": ADMIN,
    "admin.edit_user": ADMIN,
    "admin.reset_password": ADMIN,
    "admin.toggle_active": ADMIN,
    "admin.associations": STAFF,
    "admin.memberships": STAFF,
    "admin.add_membership": STAFF,
    "admin.membership_role": STAFF,
    "admin.remove_membership": STAFF,
    "admin.staff": STAFF,
    "main.favicon": PUBLIC,
})


# -- trade fairs (issue 6, matchmaker/fairs) ----------------------------------------------------
# Which association's organizer, and whose agenda, are the can_*_fair* functions at the end.
FAIR_RUNNERS = frozenset({"fair_organizer"}) | ADMIN
FAIR_PEOPLE = FAIR_RUNNERS | BUYERS | MAKERS      # runners, plus participants acting for their own firm
ROUTES.update({
    # pages
    "fairs.index": SIGNED_IN,
    "fairs.new": FAIR_RUNNERS,
    "fairs.view": SIGNED_IN,
    "fairs.register": FAIR_PEOPLE,
    "fairs.participant": FAIR_RUNNERS,
    "fairs.requests": FAIR_PEOPLE,
    "fairs.schedule": FAIR_RUNNERS,
    "fairs.grid": FAIR_RUNNERS,
    "fairs.publish": FAIR_RUNNERS,
    "fairs.meeting": FAIR_PEOPLE,
    "fairs.agenda": FAIR_PEOPLE,
    "fairs.agenda_pdf": FAIR_PEOPLE,
    "fairs.agenda_ics": FAIR_PEOPLE,
    "fairs.csv": FAIR_RUNNERS,
    "fairs.register_csv": FAIR_RUNNERS,
    "fairs.remove_participant": FAIR_RUNNERS,
    "fairs.schedule_job": FAIR_RUNNERS,
    "fairs.schedule_job_status": FAIR_RUNNERS,
    "fairs.calendar_feed": PUBLIC,  # the participant's unguessable token is checked in the view
    # JSON API
    "api.list_fairs": SIGNED_IN,
    "api.create_fair": FAIR_RUNNERS,
    "api.get_fair": SIGNED_IN,
    "api.list_fair_participants": FAIR_PEOPLE,
    "api.register_fair_participant": FAIR_PEOPLE,
    "api.update_fair_participant": FAIR_PEOPLE,
    "api.list_fair_requests": FAIR_PEOPLE,
    "api.set_fair_request": FAIR_PEOPLE,
    "api.fair_recommendations": FAIR_PEOPLE,
    "api.run_fair_schedule": FAIR_RUNNERS,
    "api.get_fair_schedule": FAIR_RUNNERS,
    "api.publish_fair_schedule": FAIR_RUNNERS,
    "api.fair_schedule_csv": FAIR_RUNNERS,
    "api.update_fair_meeting": FAIR_RUNNERS,
    "api.disrupt_fair_meeting": FAIR_RUNNERS,
    "api.record_fair_follow_up": FAIR_PEOPLE,
    "api.get_fair_agenda": FAIR_PEOPLE,
    "api.fair_agenda_pdf": FAIR_PEOPLE,
    "api.fair_agenda_ics": FAIR_PEOPLE,
    "api.get_fair_schedule_job": FAIR_RUNNERS,
    "api.fair_registration_candidates": FAIR_RUNNERS,
    "api.remove_fair_participant": FAIR_RUNNERS,
})

# fair meetings during and after (issue 14.6, issue 13.5): video, QR check-in, follow-ups, report, options.
# Object rules: the check-in is the organizer's or the *other* side's (can_check_in_fair_meeting); a video
# link and a follow-up belong to the meeting's two sides; the report and options to the organizer.
ROUTES.update({
    # pages
    "fairs.settings": FAIR_RUNNERS,
    "fairs.check_in": FAIR_PEOPLE,
    "fairs.follow_up": BUYERS | MAKERS,
    "fairs.report": FAIR_RUNNERS,
    "fairs.report_chart": FAIR_RUNNERS,
    "fairs.report_csv": FAIR_RUNNERS,
    # JSON API
    "api.update_fair_settings": FAIR_RUNNERS,
    "api.set_fair_meeting_virtual": FAIR_RUNNERS | BUYERS,
    "api.get_fair_meeting_video": FAIR_PEOPLE,
    "api.get_fair_check_in": FAIR_PEOPLE,
    "api.fair_check_in": FAIR_PEOPLE,
    "api.list_fair_follow_ups": FAIR_PEOPLE,
    "api.answer_fair_follow_up": BUYERS | MAKERS,
    "api.get_fair_report": FAIR_RUNNERS,
    "api.fair_report_csv": FAIR_RUNNERS,
})


def route_allows(endpoint: str | None, user) -> int | None:
    """``None`` when ``user`` may call ``endpoint``; else the HTTP status to answer (401 or 403)."""
    rule = ROUTES.get(endpoint or "")
    if rule is None:
        return 403 if user is not None else 401
    if rule == PUBLIC:
        return None
    if user is None:
        return 401
    if rule == SIGNED_IN or user.role in rule:
        return None
    return 403


def is_admin(user) -> bool:
    return user is not None and user.role == "platform_admin"


def acts_for(user, organization_id: int | None) -> bool:
    """The user works for this firm (its own maker or buyer account)."""
    return user is not None and organization_id is not None and user.organization_id == organization_id


def can_edit_organization(user, organization) -> bool:
    """The firm itself, the platform admin, and staff of an association the firm is a member of.

    A buyer (never a member) and another association's maker are not the staff's to edit.
    """
    if is_admin(user) or acts_for(user, organization.id):
        return True
    return user is not None and user.role == "association_staff" and is_member_of(organization.id,
                                                                                 user.association_id)


def is_member_of(organization_id: int, association_id: int | None) -> bool:
    if association_id is None:
        return False
    from sqlalchemy import select

    from . import db
    from .schema import Membership
    return db.session().scalar(select(Membership.organization_id).where(
        Membership.organization_id == organization_id, Membership.association_id == association_id)) is not None


def can_edit_maker_profile(user, organization) -> bool:
    if is_admin(user):
        return True
    return user.role == "maker_user" and acts_for(user, organization.id) and organization.kind == "maker"


def can_edit_buyer_profile(user, organization) -> bool:
    if is_admin(user):
        return True
    return (user.role == "buyer_user" and acts_for(user, organization.id)
            and organization.kind in {"buyer", "buying_agent"})


def can_view_requirement(user, requirement) -> bool:
    """Owners see all their requirements; others see only open ones; drafts stay private."""
    if acts_for(user, requirement.buyer_id) or is_admin(user):
        return True
    if user.role == "buyer_user":
        return False  # a buyer never sees a competitor's requests
    if requirement.status != "open":
        return False
    if user.role == "maker_user":  # makers deal only with buyers an association cleared
        from . import db
        from .vetting.clearance import is_cleared
        return is_cleared(db.session(), requirement.buyer_id)
    return True


def can_edit_requirement(user, requirement) -> bool:
    return is_admin(user) or (user.role == "buyer_user" and acts_for(user, requirement.buyer_id))


def can_view_outcomes(user, organization_id: int) -> bool:
    """A firm's outcome log reveals its clients: only the firm itself (and the platform admin)."""
    return is_admin(user) or acts_for(user, organization_id)


def visible_requirement_filter(user):
    """A SQL condition selecting the requirements ``user`` may list.

    Makers see only the open requirements of buyers an association cleared;
    association staff see every open one (they vet the rest).
    """
    from sqlalchemy import and_, or_, select, true

    from .schema import Requirement
    from .vetting.records import Standing
    from .vetting.clearance import CLEARED

    if is_admin(user):
        return true()
    own = Requirement.buyer_id == user.organization_id
    if user.role == "buyer_user":
        return own
    open_ = Requirement.status == "open"
    if user.role == "maker_user":
        cleared = select(Standing.subject_id).where(Standing.outcome.in_(CLEARED))
        return or_(and_(open_, Requirement.buyer_id.in_(cleared)), own)
    return or_(open_, own)


# -- buyer vetting: record-level rules ---------------------------------------------------------

def can_review_association(user, association_id: int | None) -> bool:
    """Board members and staff of the association (and the platform admin) see case details and reporters."""
    if is_admin(user):
        return True
    return (user is not None and user.role in {"board_member", "association_staff"}
            and association_id is not None and user.association_id == association_id)


def can_review_case(user, case) -> bool:
    return can_review_association(user, case.association_id)


def can_vote_on_case(user, case) -> bool:
    """Board members of the case's association; recusal is checked on top (vetting.services)."""
    return user is not None and user.role == "board_member" and user.association_id == case.association_id


def can_view_subject_status(user, subject_id: int) -> bool:
    """The subject's own status page: the subject itself, board, staff, admin; never another buyer."""
    if is_admin(user) or (user is not None and user.role in {"board_member", "association_staff"}):
        return True
    return user is not None and user.role in SUBJECTS and acts_for(user, subject_id)


def can_reply_as_subject(user, subject_id: int) -> bool:
    return user is not None and user.role in SUBJECTS and acts_for(user, subject_id)


# -- trade fairs: record-level rules -------------------------------------------------------------

def can_run_fair(user, association_id: int | None) -> bool:
    """The hosting association's fair organizer (or the platform admin) runs a fair."""
    if is_admin(user):
        return True
    return (user is not None and user.role == "fair_organizer"
            and association_id is not None and user.association_id == association_id)


def can_register_at_fair(user, association_id: int | None, organization_id: int) -> bool:
    """The organizer registers anyone; a buyer or maker user registers only its own firm."""
    if can_run_fair(user, association_id):
        return True
    return user is not None and user.role in {"buyer_user", "maker_user"} and acts_for(user, organization_id)


def can_view_fair_participant(user, association_id: int | None, organization_id: int) -> bool:
    """A participant's agenda, requests and settings: its own firm and the organizer, nobody else."""
    return can_run_fair(user, association_id) or acts_for(user, organization_id)


def can_check_in_fair_meeting(user, association_id: int | None, counterpart_organization_id: int) -> bool:
    """A check-in code on one side's agenda is scanned by the organizer or by the meeting's other side
    (whose firm is ``counterpart_organization_id``), never by the side that holds it."""
    return can_run_fair(user, association_id) or (
        user is not None and user.role in {"buyer_user", "maker_user"} and acts_for(user, counterpart_organization_id))


# -- buyer and maker talk (issue 14, matchmaker/contact) ----------------------------------------
# Buyers and makers only: association staff and the platform admin do not read private threads.
# Which firm's requirement, inbox or thread is checked in contact.services (another firm's: 404).
TALKERS = BUYERS | MAKERS
ROUTES.update({
    # pages
    "contact.shortlists": BUYERS,
    "contact.shortlist": BUYERS,
    "contact.shortlist_add": BUYERS,
    "contact.shortlist_remove": BUYERS,
    "contact.send": BUYERS,
    "contact.quotes": BUYERS,
    "contact.inquiries": TALKERS,
    "contact.inquiry": TALKERS,
    "contact.answer": MAKERS,
    "contact.quote": MAKERS,
    "contact.event": BUYERS,
    "contact.message": TALKERS,
    # notices reach every role (vetting decisions, incident replies, agendas): each reads only its own
    "contact.notifications": SIGNED_IN,
    "contact.notifications_read": SIGNED_IN,
    "contact.preferences": SIGNED_IN,
    "contact.preferences_save": SIGNED_IN,
    "contact.outbox": ADMIN,  # the demo's sent mail: subjects name firms, so the platform admin only
    # JSON API
    "api.contact_list_shortlists": BUYERS,
    "api.contact_get_shortlist": BUYERS,
    "api.contact_add_to_shortlist": BUYERS,
    "api.contact_remove_from_shortlist": BUYERS,
    "api.contact_send_inquiries": BUYERS,
    "api.contact_list_inquiries": TALKERS,
    "api.contact_get_inquiry": TALKERS,
    "api.contact_answer_inquiry": MAKERS,
    "api.contact_add_quote": MAKERS,
    "api.contact_record_event": BUYERS,
    "api.contact_compare_quotes": BUYERS,
    "api.contact_list_messages": TALKERS,
    "api.contact_send_message": TALKERS,
    "api.contact_unread_count": SIGNED_IN,
    "api.contact_list_notifications": SIGNED_IN,
    "api.contact_mark_notifications_read": SIGNED_IN,
    "api.contact_get_preferences": SIGNED_IN,
    "api.contact_set_preferences": SIGNED_IN,
})


# -- full-package consortia (issue 16, matchmaker/consortia) -------------------------------------
# A coordinator is a maker user of an organization of kind "coordinator" (checked in
# consortia.access, fails closed); members answer their parts as makers; the buyer reads a
# sent offer on its own requirement. Whose proposal, part or offer is checked after loading (404).
ROUTES.update({
    "consortia.index": MAKERS,
    "consortia.propose": MAKERS,
    "consortia.proposal": MAKERS,
    "consortia.lock": MAKERS,
    "consortia.send": MAKERS,
    "consortia.answer": MAKERS,
    "consortia.offer": BUYERS,
    "api.consortia_requirements": MAKERS,
    "api.consortia_propose": MAKERS,
    "api.consortia_proposal": MAKERS,
    "api.consortia_job": MAKERS,
    "api.consortia_locks": MAKERS,
    "api.consortia_send": MAKERS,
    "api.consortia_parts": MAKERS,
    "api.consortia_answer": MAKERS,
    "api.consortia_offers": BUYERS,
    "api.consortia_offer": BUYERS,
})
# Finishing issue 16: the coordinator sets the stated small-firm share on its proposal page.
ROUTES.update({
    "consortia.share": MAKERS,
})


# -- self-service accounts (issue 14, item 5, matchmaker/accounts) -------------------------------
# Public: whoever has no account yet signs up; a link's signature and single use are checked in
# accounts.services, and the sign-up and emailed-link forms are throttled (accounts.throttle).
ROUTES.update({
    "accounts.signup": PUBLIC,
    "accounts.sent": PUBLIC,
    "accounts.verify": PUBLIC,
    "accounts.resend": PUBLIC,
    "accounts.forgot": PUBLIC,
    "accounts.reset": PUBLIC,
    "api.accounts_signup": PUBLIC,
    "api.accounts_verify": PUBLIC,
    "api.accounts_resend_verification": PUBLIC,
    "api.accounts_forgot_password": PUBLIC,
    "api.accounts_reset_password": PUBLIC,
})


# -- purchasing-practice and performance ratings (issue 15, matchmaker/ratings) ------------------
# Rating needs a real basis (an order's side, a vendor purchase's member firm; ratings.eligibility,
# others' bases are a 404); aggregates are read per direction by the firm, its counterparts and the
# association (ratings.access); comments only by the board of the association they were given in.
ROUTES.update({
    # pages
    "ratings.rate_order": MAKERS | BUYERS,
    "ratings.rate_purchase": MAKERS,
    "ratings.received": MAKERS | BUYERS,
    "ratings.answer": MAKERS | BUYERS,
    "ratings.board": BOARD | ASSOC_STAFF,
    "ratings.board_firm": BOARD | ASSOC_STAFF,
    # JSON API
    "api.create_rating": MAKERS | BUYERS,
    "api.rating_eligibility": MAKERS | BUYERS,
    "api.get_organization_ratings": SIGNED_IN,  # which directions: ratings.access, in the view
    "api.set_rating_answer": MAKERS | BUYERS,
    "api.delete_rating_answer": MAKERS | BUYERS,
})


# -- monitoring of orders (issue 15, item 3, matchmaker/monitoring) --------------------------------
# A buyer reads its own relationships with makers and a maker its own with buyers (another firm's
# relationship or order is a 404 in monitoring.access); the association's staff and board read
# their own association's anonymised view of buyers.
MONITORING_ASSOCIATION = frozenset({"association_staff", "board_member"})
ROUTES.update({
    "monitoring.index": BUYERS | MAKERS | MONITORING_ASSOCIATION,
    "monitoring.buyer_dashboard": BUYERS,
    "monitoring.buyer_relationship": BUYERS,
    "monitoring.maker_dashboard": MAKERS,
    "monitoring.maker_relationship": MAKERS,
    "monitoring.association": MONITORING_ASSOCIATION,
    "monitoring.association_buyer": MONITORING_ASSOCIATION,
    "api.monitoring_relationships": BUYERS | MAKERS,
    "api.monitoring_relationship": BUYERS | MAKERS,
    "api.monitoring_order": BUYERS | MAKERS,
    "api.monitoring_association_buyers": MONITORING_ASSOCIATION,
    "api.monitoring_association_buyer": MONITORING_ASSOCIATION,
})
# -- orders after the handshake (issue 15, matchmaker/orders) ------------------------------------
# Buyers and makers only: association staff and the platform admin do not see individual orders
# (the association's view is anonymised). Whose order, and which side, is orders.access (404 for
# another firm's order); a coordinator firm's users are maker users, the maker side of its orders.
# orders.new: a buyer only with a fair meeting whose follow-up named an order. Invoices: the maker.
ROUTES.update({f"orders.{name}": TALKERS for name in (
    "index", "new", "create", "view", "terms", "confirm", "close", "milestone", "delivery", "payment",
    "confirm_figure", "dispute", "answer", "withdraw")})
ROUTES.update({f"api.orders_{name}": TALKERS for name in (
    "list", "create", "get", "update_terms", "confirm", "close", "set_milestone", "add_delivery", "add_payment",
    "confirm_figure", "raise_dispute", "answer_dispute", "withdraw_dispute")})
ROUTES.update({"orders.invoice": MAKERS, "api.orders_add_invoice": MAKERS, "api.orders_buyer_choices": MAKERS,
               "contact.accept_quote": BUYERS, "api.contact_accept_quote": BUYERS})
ROUTES["orders.buyer_suggestions"] = MAKERS  # the new-order form's buyer field, as the maker types
# -- input vendors (issue 15, matchmaker/vendors) ------------------------------------------------
# Members read vendors' pages and record purchases; the vendor edits its own profile (checked in
# vendors.services.can_edit_profile: another vendor's is a 403, a non-vendor id a 404); who bought
# and who reported is read by the association's board and staff only (vendors.board_purchases).
VENDOR_READERS = MAKERS | ASSOCIATION | ADMIN | VENDORS
PURCHASERS = MAKERS | BOARD
ROUTES.update({
    "vendors.view": VENDOR_READERS,
    "vendors.edit": VENDORS | ADMIN,
    "vendors.record_purchase": PURCHASERS,
    "vendors.my_purchases": PURCHASERS,
    "vendors.board_purchases": REVIEWERS,
    "api.vendors_list": VENDOR_READERS,
    "api.vendors_get_profile": VENDOR_READERS,
    "api.vendors_put_profile": VENDORS | ADMIN,
    "api.vendors_record_purchase": PURCHASERS,
    "api.vendors_my_purchases": PURCHASERS,
    "api.vendors_board_purchases": REVIEWERS,
})
