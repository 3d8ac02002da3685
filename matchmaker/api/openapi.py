"""The OpenAPI 3.1 document, generated from the same pydantic schemas that validate requests."""
from __future__ import annotations

from flask import current_app, jsonify
from pydantic.json_schema import models_json_schema

from .. import permissions
from .. import validation as v
from . import bp

# (method, path, endpoint, summary, request schema or None)
OPERATIONS = [
    ("post", "/tokens", "create_token", "Exchange email and password for a bearer token (throttled: 429 with "
     "Retry-After after repeated failures for one account or address)", v.TokenRequest),
    ("get", "/tokens", "list_tokens", "Your own API tokens (name, dates, revoked, current)", None),
    ("delete", "/tokens/{token_id}", "revoke_token", "Revoke one of your API tokens", None),
    ("post", "/account/password", "change_password", "Set a new password (send the current one); ends every "
     "page session of the account", v.PasswordChange),
    ("get", "/organizations", "list_organizations", "List organizations (filters: kind, state, country, q)", None),
    ("post", "/organizations", "create_organization", "Create an organization", v.OrganizationIn),
    ("get", "/organizations/{org_id}", "get_organization", "Read an organization", None),
    ("patch", "/organizations/{org_id}", "update_organization", "Update an organization", v.OrganizationPatch),
    ("get", "/organizations/{org_id}/outcomes", "list_outcomes", "The firm's own outcome log", None),
    ("post", "/organizations/{org_id}/maker-profile", "create_maker", "Create the firm's maker profile",
     v.MakerProfileIn),
    ("post", "/organizations/{org_id}/buyer-profile", "create_buyer", "Create the firm's buyer profile",
     v.BuyerProfileIn),
    ("get", "/associations", "list_associations", "List associations", None),
    ("post", "/associations", "create_association", "Create an association (platform admin)", v.AssociationIn),
    ("get", "/makers", "list_makers", "List maker profiles (filters: process, product_line, state, "
     "service_tier, quality_tier, min_capacity, max_moq, max_lead_days)", None),
    ("get", "/makers/{org_id}", "get_maker", "Read a maker profile", None),
    ("put", "/makers/{org_id}", "update_maker", "Replace a maker profile (send the version you read)",
     v.MakerProfilePut),
    ("get", "/buyers", "list_buyers", "List buyer profiles", None),
    ("get", "/buyers/{org_id}", "get_buyer", "Read a buyer profile", None),
    ("put", "/buyers/{org_id}", "update_buyer", "Replace a buyer profile", v.BuyerProfilePut),
    ("get", "/requirements", "list_requirements", "List the requirements you may see", None),
    ("post", "/requirements", "create_requirement", "Create a requirement for your firm", v.RequirementIn),
    ("get", "/requirements/{req_id}", "get_requirement", "Read a requirement", None),
    ("put", "/requirements/{req_id}", "update_requirement", "Replace a requirement", v.RequirementPut),
    ("get", "/search/makers", "search_makers_api", "Search makers: q, process (all required), product_line, "
     "certificate (held and valid), min_quality, state, country, near=lat,lon & radius_km, association, "
     "quantity (MOQ fits), monthly_volume (capacity fits), lead_time_days, service_tier, size_band, sort, "
     "page, per_page; returns facet counts", None),
    ("get", "/requirements/{req_id}/ranking", "rank_makers", "Makers ranked for your requirement (k, lang), "
     "each with its three strongest reasons; hard constraints are never violated", None),
    ("get", "/search/requirements", "search_requirements_api", "Open requirements of cleared buyers; "
     "fits_me=1 keeps those your firm could serve", None),
]

# -- trade fairs (issue 6, matchmaker/fairs) ---------------------------------------------------
from ..fairs import schemas as _fs  # noqa: E402

OPERATIONS += [
    ("get", "/fairs", "list_fairs", "List fairs (filter: association_id)", None),
    ("post", "/fairs", "create_fair", "Create a fair: sessions, breaks, slot length, tables (organizer)", _fs.FairIn),
    ("get", "/fairs/{fair_id}", "get_fair", "Read a fair with its slots and tables", None),
    ("get", "/fairs/{fair_id}/participants", "list_fair_participants",
     "Registered participants (organizer: all settings; participants: the other side's names)", None),
    ("post", "/fairs/{fair_id}/participants", "register_fair_participant",
     "Register a buyer (cleared by the hosting association only) or a maker", _fs.ParticipantIn),
    ("patch", "/fairs/{fair_id}/participants/{participant_id}", "update_fair_participant",
     "Change meeting targets, fixed table or unavailable slots", _fs.ParticipantPatch),
    ("get", "/fairs/{fair_id}/requests", "list_fair_requests", "Meeting requests (organizer: all; "
     "participant: the marks it gave and the must/would-like marks it received)", None),
    ("put", "/fairs/{fair_id}/requests", "set_fair_request", "Mark a counterpart must / would_like / no "
     "(null withdraws); closed after the request deadline", _fs.RequestIn),
    ("get", "/fairs/{fair_id}/recommendations", "fair_recommendations",
     "Recommended counterparts with reasons, before the request deadline (participant_id for organizers)", None),
    ("post", "/fairs/{fair_id}/schedule", "run_fair_schedule", "Compute the optimal schedule (bound, gap and "
     "the round-robin baseline reported)", _fs.ScheduleIn),
    ("get", "/fairs/{fair_id}/schedule", "get_fair_schedule", "The current schedule with its figures", None),
    ("post", "/fairs/{fair_id}/publish", "publish_fair_schedule", "Publish as draft, preliminary or final",
     _fs.PublishIn),
    ("get", "/fairs/{fair_id}/schedule.csv", "fair_schedule_csv", "The whole schedule as CSV", None),
    ("patch", "/fairs/{fair_id}/meetings/{meeting_id}", "update_fair_meeting",
     "Lock or unlock a meeting; mark it held or no-show after the fair", _fs.MeetingPatch),
    ("post", "/fairs/{fair_id}/meetings/{meeting_id}/disruption", "disrupt_fair_meeting",
     "Cancel a meeting or record a no-show, then repair changing as few other meetings as possible",
     _fs.DisruptionIn),
    ("post", "/fairs/{fair_id}/meetings/{meeting_id}/follow-ups", "record_fair_follow_up",
     "Record a follow-up (sample_requested, order_placed) into the outcome log", _fs.FollowUpIn),
    ("get", "/fairs/{fair_id}/participants/{participant_id}/agenda", "get_fair_agenda",
     "A participant's agenda and the changes after repairs (own firm or organizer)", None),
    ("get", "/fairs/{fair_id}/participants/{participant_id}/agenda.pdf", "fair_agenda_pdf", "Agenda as PDF", None),
    ("get", "/fairs/{fair_id}/participants/{participant_id}/agenda.ics", "fair_agenda_ics",
     "Agenda as an ICS calendar", None),
]

# -- buyer vetting (issue 5, matchmaker/vetting/api.py) -------------------------------------------
from ..vetting import schemas as _vs  # noqa: E402

OPERATIONS += [
    ("post", "/vetting/payments", "vetting_report_payment", "Report a payment experience with a buyer or "
     "vendor (member firms; the reporter is never shown to members or the buyer)", _vs.PaymentIn),
    ("post", "/vetting/incidents", "vetting_report_incident", "Report an incident (status hearsay until the "
     "board verifies it)", _vs.IncidentIn),
    ("post", "/vetting/incidents/{incident_id}/evidence", "vetting_add_evidence", "Attach evidence files "
     "(multipart field 'evidence'; PDF, JPEG, PNG checked by content; 5 MB each, 5 per incident)", None),
    ("post", "/vetting/incidents/{incident_id}/status", "vetting_set_incident_status", "Verify or mark hearsay "
     "(board, staff) or withdraw (reporting firm); a new verified incident reopens the case", _vs.IncidentStatusIn),
    ("post", "/vetting/references", "vetting_report_reference", "Report a positive reference", _vs.ReferenceIn),
    ("get", "/vetting/evidence/{file_id}", "vetting_get_evidence", "Download an evidence file (board, staff)", None),
    ("post", "/vetting/applications", "vetting_apply", "A buyer or vendor applies to an association for "
     "vetting", _vs.ApplicationIn),
    ("post", "/vetting/cases", "vetting_propose", "Propose a buyer or vendor for vetting (members, board, staff)",
     _vs.ProposalIn),
    ("get", "/vetting/cases", "vetting_list_cases", "The board queue: status=open|decided, association_id", None),
    ("get", "/vetting/cases/{case_id}", "vetting_get_case", "A case with the model's score and reasons (lang=en|es), "
     "payments, incidents, reporters, evidence, votes, recusals, replies, decisions", None),
    ("post", "/vetting/cases/{case_id}/votes", "vetting_vote", "Vote (board member, once, unless recused)",
     _vs.VoteIn),
    ("post", "/vetting/cases/{case_id}/decision", "vetting_decide", "Decide with a written rationale and a review "
     "date (board member, unless recused; needs at least one vote)", _vs.DecisionIn),
    ("get", "/vetting/subjects", "vetting_list_subjects", "Member directory: status, risk band and aggregated "
     "signals of buyers, agents and vendors (kind, page, per_page)", None),
    ("get", "/vetting/subjects/{org_id}/status", "vetting_subject_status", "A firm's own vetting status and the "
     "incidents against it, without reporters", None),
    ("post", "/vetting/subjects/{org_id}/replies", "vetting_reply", "Right of reply; dispute=true disputes an "
     "incident", _vs.ReplyIn),
    ("get", "/vetting/audit.csv", "vetting_audit_csv", "The association's append-only audit log as CSV (staff)",
     None),
]

# -- buyer and maker talk (issue 14, matchmaker/contact/api.py) ----------------------------------
from ..contact import schemas as _cs  # noqa: E402

OPERATIONS += [
    ("get", "/shortlists", "contact_list_shortlists", "The buyer's shortlists, one per requirement", None),
    ("get", "/requirements/{req_id}/shortlist", "contact_get_shortlist", "The shortlist side by side: processes, "
     "capacity, MOQ, lead times, tiers, valid certificates, distance, track record", None),
    ("post", "/requirements/{req_id}/shortlist", "contact_add_to_shortlist", "Add a maker (source, and the rank "
     "and model_version of the ranked list that showed it); logs 'shortlisted'", _cs.ShortlistAdd),
    ("delete", "/requirements/{req_id}/shortlist/{maker_id}", "contact_remove_from_shortlist",
     "Remove a maker from the shortlist", None),
    ("post", "/inquiries", "contact_send_inquiries", "Send a requirement to one or several makers (cleared buyers "
     "only, 403 with the reason otherwise; 429 past the daily limit); logs 'contacted'", _cs.InquiryIn),
    ("get", "/inquiries", "contact_list_inquiries", "A maker's inbox or a buyer's sent inquiries "
     "(status, requirement_id, page, per_page)", None),
    ("get", "/inquiries/{inquiry_id}", "contact_get_inquiry", "An inquiry with its quotes (its buyer and maker "
     "only)", None),
    ("post", "/inquiries/{inquiry_id}/answer", "contact_answer_inquiry", "Accept, or decline with a reason "
     "(once; 409 when already answered or the version is stale); logs 'declined'", _cs.AnswerIn),
    ("post", "/inquiries/{inquiry_id}/quotes", "contact_add_quote", "Quote: unit price, currency, lead time, MOQ, "
     "validity date, notes; logs 'quoted'", _cs.QuoteIn),
    ("post", "/inquiries/{inquiry_id}/events", "contact_record_event", "The buyer records sample_requested, "
     "sample_approved or order_placed into the outcome log", _cs.EventIn),
    ("get", "/requirements/{req_id}/quotes", "contact_compare_quotes", "The latest quote of each maker, "
     "cheapest first", None),
    ("get", "/inquiries/{inquiry_id}/messages", "contact_list_messages", "The thread, with read receipts; "
     "reading marks the other side's messages read; can_send and why not", None),
    ("post", "/inquiries/{inquiry_id}/messages", "contact_send_message", "Write in the thread (a buyer whose "
     "clearance was withdrawn is refused with the reason)", _cs.MessageIn),
    ("get", "/notifications", "contact_list_notifications", "Your own notifications, newest first (unread=1, "
     "limit): kind, subject, text in your language, link to the subject, email mode; and the unread count", None),
    ("get", "/notifications/unread", "contact_unread_count", "Your unread notification count", None),
    ("post", "/notifications/read", "contact_mark_notifications_read", "Mark your notifications read: the ids "
     "given, or all of them without a body", _cs.ReadIn),
    ("get", "/notifications/preferences", "contact_get_preferences", "Your email preference per kind of "
     "notification (immediate, digest, off) with the modes each kind allows", None),
    ("put", "/notifications/preferences", "contact_set_preferences", "Set email preferences per kind; 422 names "
     "preferences.<kind> for a kind your role does not get or a mode it does not allow", _cs.PreferencesIn),
]

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"error": {"type": "object", "properties": {
        "status": {"type": "integer"}, "code": {"type": "string"}, "message": {"type": "string"},
        "fields": {"type": "array", "items": {"type": "object", "properties": {
            "field": {"type": "string"}, "problem": {"type": "string"}}}}}}},
}


def build_document() -> dict:
    schemas = sorted({op[4] for op in OPERATIONS if op[4] is not None}, key=lambda m: m.__name__)
    _, defs = models_json_schema([(m, "validation") for m in schemas],
                                 ref_template="#/components/schemas/{model}")
    components = dict(defs.get("$defs", {}))
    components["Error"] = ERROR_SCHEMA
    paths: dict = {}
    for method, path, endpoint, summary, schema in OPERATIONS:
        rule = permissions.ROUTES[f"api.{endpoint}"]
        op = {
            "operationId": endpoint,
            "summary": summary,
            "responses": {
                "200": {"description": "OK"},
                "4XX": {"description": "Client error", "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            },
        }
        if rule != permissions.PUBLIC:
            op["security"] = [{"bearer": []}]
            if rule != permissions.SIGNED_IN:
                op["description"] = "Roles: " + ", ".join(sorted(rule))
        if schema is not None:
            op["requestBody"] = {"required": True, "content": {"application/json": {
                "schema": {"$ref": f"#/components/schemas/{schema.__name__}"}}}}
        params = [{"name": p, "in": "path", "required": True, "schema": {"type": "integer"}}
                  for p in ("org_id", "req_id", "fair_id", "participant_id", "meeting_id", "case_id",
                            "incident_id", "file_id", "maker_id", "inquiry_id", "token_id")
                  if "{" + p + "}" in path]
        if params:
            op["parameters"] = params
        paths.setdefault("/api/v1" + path, {})[method] = op
    return {
        "openapi": "3.1.0",
        "info": {"title": "Matchmaker API", "version": "1"},
        "paths": paths,
        "components": {"schemas": components,
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }


@bp.get("/openapi.json")
def openapi():
    doc = current_app.extensions.get("matchmaker.openapi")
    if doc is None:
        doc = current_app.extensions["matchmaker.openapi"] = build_document()
    return jsonify(doc)
