"""Things that happened, announced to whichever concern wants to know (blinker signals).

A concern that does something sends a signal *before it commits*, with its database session as
the sender, so a subscriber's writes (for example the contact package's notifications and their
outbox emails) land in the same transaction: the notice exists exactly when the thing it
announces does. This module imports nothing of the application, so sending never ties the
sender to the subscriber.

* ``vetting_decided``: ``case``, ``decision`` (a board decided a vetting case).
* ``incident_replied``: ``reply``, ``incident`` (or None for a general reply) (a buyer replied).
* ``agenda_published``: ``fair``, ``run``, ``level`` (a schedule was published preliminary or final).
* ``schedule_repaired``: ``fair``, ``run`` (a repair changed participants' agendas; ``FairChange`` rows).
* ``fair_follow_up_answered``: ``fair``, ``meeting``, ``follow_up`` (one side answered a meeting's follow-up:
  its rating and next step; the other side is told).
* Orders (``matchmaker.orders``), each with ``order`` and the acting ``side`` (``buyer`` | ``maker``), so
  subscribers tell the *other* side: ``order_created``; ``order_terms_changed`` (``fields``);
  ``order_figure_recorded`` (``kind``: milestone, delivery, invoice, payment; ``row``; also ``order_id``:
  monitoring looks for new slips of that order in the same transaction);
  ``order_disputed`` and ``order_dispute_answered`` (``dispute``); ``order_closed`` (its ``status``).
* ``order_slipped``: ``order_id``, ``buyer_id``, ``maker_id``, ``kind``, ``key``, ``amount``, ``reference``
  (a new slip: an actual past its target; ``key`` is stable, once per slip); a missed milestone also has
  ``stage`` and ``planned_on`` (ISO date).
* ``orders_slipped``: ``slips``, a list of dicts with the keys of ``order_slipped`` (monitoring found these
  new slips in one check: one signal for all, so subscribers write their notices set-based).
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

vetting_decided = _signals.signal("vetting-decided")
incident_replied = _signals.signal("incident-replied")
agenda_published = _signals.signal("agenda-published")
schedule_repaired = _signals.signal("schedule-repaired")
fair_follow_up_answered = _signals.signal("fair-follow-up-answered")

# issue 15, orders and monitoring
order_created = _signals.signal("order-created")
order_terms_changed = _signals.signal("order-terms-changed")
order_figure_recorded = _signals.signal("order-figure-recorded")
order_disputed = _signals.signal("order-disputed")
order_dispute_answered = _signals.signal("order-dispute-answered")
order_closed = _signals.signal("order-closed")
order_slipped = _signals.signal("order-slipped")
orders_slipped = _signals.signal("orders-slipped")
