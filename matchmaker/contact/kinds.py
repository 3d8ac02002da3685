"""The kinds of notice: each an English message with parameters, who may receive it, how it is emailed
by default. A notice stores only its kind and parameters; :func:`text` words it in the reader's
language when it is shown or emailed (the gettext catalog holds the Spanish)."""
from __future__ import annotations

from dataclasses import dataclass

from ..catalog import N_
from ..catalog import translate as _translate
from ..i18n import format_date
from ..monitoring.labels import MILESTONE_SLIP, SLIP_LABELS
from ..orders.labels import STAGES
from ..taxonomy import VETTING_OUTCOMES

MODES = ("immediate", "digest", "off")
MODE_LABELS = {"immediate": N_("Email immediately"), "digest": N_("Daily digest email"), "off": N_("No email")}
TALK = frozenset({"buyer_user", "maker_user"})
BUYER, MAKER = frozenset({"buyer_user"}), frozenset({"maker_user"})
ASSOC = frozenset({"association_staff", "board_member"})


@dataclass(frozen=True)
class Kind:
    code: str
    label: str            # the preference page's name of the kind
    message: str          # the notice, with {params}
    roles: frozenset      # who may receive it (the preference page lists these)
    default: str = "immediate"
    modes: tuple = MODES


KINDS = {k.code: k for k in (
    Kind("inquiry", N_("New inquiry"), N_("New inquiry from {buyer}: {title}"), MAKER),
    Kind("accepted", N_("Inquiry accepted"), N_("{maker} accepted your inquiry: {title}"), BUYER),
    Kind("declined", N_("Inquiry declined"), N_("{maker} declined your inquiry: {title}"), BUYER),
    Kind("answer", N_("Inquiry answered"), N_("{maker} answered your inquiry: {title}"), frozenset()),  # before 0010
    Kind("quote", N_("New quote"), N_("New quote from {maker}: {title}"), BUYER),
    Kind("reply", N_("New message"), N_("New message about {title}"), TALK),
    Kind("sample_requested", "Sample requested", N_("{buyer} asked you for a sample: {title}"), MAKER),
    Kind("vetting_decision", N_("Vetting decision"), N_("The board of {association} decided \u201c{outcome}\u201d about {subject}"),
         TALK | ASSOC),
    Kind("incident_reply", N_("Reply to an incident"), N_("{subject} replied to an incident report"), ASSOC),
    Kind("agenda_preliminary", N_("Preliminary agenda"), N_("Your preliminary agenda for {fair} is published"), TALK),
    Kind("agenda_final", N_("Final agenda"), N_("Your final agenda for {fair} is published"), TALK),
    Kind("schedule_changed", N_("Agenda changed"), N_("Your agenda for {fair} changed: {count} meetings moved, added or "
            "removed"), TALK),
    # orders (issue 15): the other side of the order is told (contact.order_subscribers)
    Kind("order_created", "New order", N_("{by} recorded an order with you: {order}"), TALK),
    Kind("order_terms", N_("Order terms changed"), N_("{by} changed the terms of {order}: please confirm them"), TALK),
    Kind("order_figure", N_("Order figure to confirm"), N_("{by} recorded a figure on {order}: please confirm it"), TALK),
    Kind("order_disputed", N_("Order figure disputed"), N_("{by} disputed a figure of {order}"), TALK),
    Kind("order_answered", N_("Order dispute answered"), N_("{by} answered your dispute on {order}"), TALK),
    Kind("order_closed", N_("Order closed"), N_("{by} closed {order}"), TALK),
    Kind("new_requirement", N_("New requirements that fit you"), N_("New open requirement that fits your firm: {title}"),
         MAKER, default="digest", modes=("digest", "off")),
    Kind("order_slip", N_("Order target missed"), N_("Order {order} with {counterpart}: {slip}"), TALK),
    Kind("fair_follow_up", N_("Fair meeting followed up"), N_("{by} followed up your meeting at {fair}: {step}"), TALK),
)}
# a fair follow-up's next step, worded in the reader's language (the fair pages use the same msgids)
STEP_LABELS = {"none": N_("No next step"), "negotiation": N_("Negotiation started"), "sample": N_("Sample"),
               "order": N_("Order")}

DIGEST_SUBJECT = N_("Your Matchmaker digest: {count} notifications")
DIGEST_INTRO = N_("What happened since your last digest:")
EMAIL_BODY = N_("{headline}\n\n{link}\n\n-- Matchmaker")
EMAIL_FOOTER = N_("Choose which emails you get: {link}")


def translate(lang: str, message: str, **params) -> str:
    """``message`` in ``lang`` (the recipient's language, not the sender's request)."""
    return _translate(message, lang, **params)


def text(kind: str, params: dict, lang: str) -> str:
    """The notice in ``lang``; codes among the parameters (a vetting outcome) are worded too."""
    spec = KINDS.get(kind)
    if spec is None:
        return kind
    values = {k: ("" if v is None else v) for k, v in (params or {}).items()}
    if "outcome" in values and values["outcome"] in VETTING_OUTCOMES:
        values["outcome"] = VETTING_OUTCOMES.label(values["outcome"], lang)
    if values.get("slip") == "milestone_overdue" and values.get("stage") in STAGES:
        values["slip"] = translate(lang, MILESTONE_SLIP, stage=translate(lang, STAGES[values["stage"]]),
                                   planned_on=format_date(values.get("planned_on"), lang=lang))
    elif "slip" in values and values["slip"] in SLIP_LABELS:
        values["slip"] = translate(lang, SLIP_LABELS[values["slip"]])
    if kind == "fair_follow_up" and values.get("step") in STEP_LABELS:
        values["step"] = translate(lang, STEP_LABELS[values["step"]])
    try:
        return translate(lang, spec.message, **values)
    except (KeyError, IndexError):
        return translate(lang, spec.label)


# outbox rows that are not notices: the daily digest, and account emails (verification, password reset)
OUTBOX_LABELS = {"digest": N_("Daily digest"), "": N_("Account email")}


def kind_label(code: str | None, lang: str) -> str:
    """The name of a notice kind (or an outbox email's kind) in ``lang``; the code itself if unknown."""
    code = code or ""
    spec = KINDS.get(code)
    if spec is not None:
        return translate(lang, spec.label)
    if code in OUTBOX_LABELS:
        return translate(lang, OUTBOX_LABELS[code])
    return code


def kinds_for(role: str | None) -> list[Kind]:
    """The kinds a user of ``role`` can receive (its preference rows)."""
    return [k for k in KINDS.values() if role in k.roles]
