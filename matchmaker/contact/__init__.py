"""Buyer and maker talk (issue 14): shortlists, inquiries, quotes, conversations and notifications.

``records`` holds the tables, ``schemas`` the pydantic request bodies (API and page forms). The rules:
``services`` (what every step shares: clearance, the buyer's own requirements, outcome events with their
ranking context, committing with notices), ``shortlists``, ``inquiries`` (daily limit, one answer per
inquiry, who sees what, the buyer's progress), ``quotes`` and ``conversations``. ``api`` holds the JSON
endpoints under ``/api/v1``; ``pages`` the blueprint and the shortlist pages, ``pages_inquiries`` and
``pages_notifications`` the rest of the buyer's and maker's pages (their Spanish is in the gettext
catalog). Notifications: ``kinds`` (what a notice
says), ``notify`` (writing and reading notices, preferences), ``subscribers`` (notices about
vetting and fairs, from ``matchmaker.events``), ``digest`` (the daily digest and new requirements
that fit a maker), ``mailer`` (the SMTP worker), ``order_subscribers`` (notices about orders),
``acceptance`` (the buyer accepts a quote: the order is made).
"""
from . import order_subscribers as _order_subscribers
from . import subscribers as _subscribers

_subscribers.connect()
_order_subscribers.connect()
