"""Ratings (issue 15): firms that really traded rate each other's practices, shown only in aggregate.

A maker rates a buyer's purchasing practices after an order; a buyer rates a maker's
performance; a member rates an input vendor after a purchase. Only a firm with a real basis
(an order, a purchase) may rate, once per basis. A category is shown only when at least three
ratings from at least three distinct firms exist, with the cluster median beside it; the rated
firm never learns who rated and may publish an answer.

Modules: ``eligibility`` (one function per basis: who may rate, from when), ``services`` (rate,
aggregates with the cluster median, ``rating_rows`` for the models, answers), ``access`` (who
reads which direction; comments for the board of the rating's association only), ``api``,
``pages`` (with the Jinja helpers behind ``templates/ratings/_order_panel.html`` and
``_summary.html``), and ``labels`` (their Spanish is in the gettext catalog).

Comments are for the association's board, not for the rated firm: a comment often names the
order or the incident, which would tell the rated firm who wrote it. The board reads them
without rater, date or order, and only once three firms rated in its association.
"""
