"""Ratings (issue 15): firms that really traded rate each other's practices, shown only in aggregate.

A maker rates a buyer's purchasing practices after an order; a buyer rates a maker's
performance; a member rates an input vendor after a purchase. Only a firm with a real basis
(an order, a purchase) may rate, once per basis. A category is shown only when at least three
ratings from at least three distinct firms exist, with the cluster median beside it; the rated
firm never learns who rated and may publish an answer.
"""
