"""Orders (issue 15): what a buyer and a maker agreed, and what then happened.

An order starts from an accepted quote, from a fair meeting's follow-up, or is entered by the
maker for a deal made elsewhere. ``records`` holds the tables: the agreed terms on the order
itself, milestones with planned and actual dates, partial deliveries, invoices and payments,
each figure confirmed by the other side or disputed and answered. Invoices and payments are the
payment experiences the screener learns from; deliveries and rejects are the maker's track
record the ranker uses (one source of truth, no second entry).
"""
