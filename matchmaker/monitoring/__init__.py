"""Monitoring of orders (issue 15, item 3): per order, per relationship (a buyer and a maker) and per
buyer across makers, the agreed terms as targets against the recorded actuals, over time, drawn as
charts; a notice when a target slips; the association's anonymised view of each buyer's record.

``metrics`` holds the arithmetic on plain rows, ``rows`` loads them, ``aggregate`` sums whole lists in
SQL, ``slips`` finds and announces new slips (``events.order_slipped``; the contact package notifies),
``charts`` draws SVG, ``access`` the object rules, ``views`` the figures the pages and the API share,
``api`` and ``pages`` the endpoints, ``cli`` ``flask orders check-slips`` (the Spanish is in the gettext catalog).
"""
from . import slips as _slips

_slips.connect()  # re-check an order's slips whenever one of its figures is recorded
